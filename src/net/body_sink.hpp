// Where a response body goes while it arrives: memory, or an atomic file for HttpRequest::save_to;
// hashed on the fly when the request names an expected sha256, and counted for the bomb guard.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "net/atomic_file.hpp"
#include "thoth/hash.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

class BodySink {
 public:
  // Memory, or a file when the request has save_to: at `destination` (save_to when empty) through a
  // temporary in `temp_dir` (next to the destination when empty). False (and error()) when the file
  // cannot be created.
  bool open(const HttpRequest& request, const std::filesystem::path& destination = {},
            const std::filesystem::path& temp_dir = {});
  bool write(const char* data, std::size_t size);

  std::uint64_t size() const { return size_; }
  bool to_file() const { return to_file_; }
  // The body's sha256 when the request asked for one to be checked.
  std::optional<std::string> digest();
  // Sets the response's body size and hands it an in-memory body; a file is left as it is.
  void take_body(HttpResponse& response);
  // take_body(), then renames the file into place. False on an I/O error.
  bool finish(HttpResponse& response);
  // The file being written (to_file()), for a caller that puts it in place itself.
  AtomicFile& file() { return file_; }
  void abandon() { file_.abandon(); }
  const std::string& error() const { return file_.error(); }

 private:
  bool to_file_ = false;
  bool hashing_ = false;
  std::string body_;
  AtomicFile file_;
  Sha256 hash_;
  std::uint64_t size_ = 0;
};

}  // namespace thoth::net
