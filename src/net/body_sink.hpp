// Where a response body goes while it arrives: memory, or an atomic file for HttpRequest::save_to;
// hashed on the fly when the request names an expected sha256, and counted for the bomb guard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "net/atomic_file.hpp"
#include "thoth/hash.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

class BodySink {
 public:
  // False (and error()) when save_to cannot be created.
  bool open(const HttpRequest& request);
  bool write(const char* data, std::size_t size);

  std::uint64_t size() const { return size_; }
  // The body's sha256 when the request asked for one to be checked.
  std::optional<std::string> digest();
  // Hands the body to the response (memory) or renames the file into place. False on an I/O error.
  bool finish(HttpResponse& response);
  void abandon() { file_.abandon(); }
  const std::string& error() const { return error_; }

 private:
  bool to_file_ = false;
  bool hashing_ = false;
  std::string body_;
  AtomicFile file_;
  Sha256 hash_;
  std::uint64_t size_ = 0;
  std::string error_;
};

}  // namespace thoth::net
