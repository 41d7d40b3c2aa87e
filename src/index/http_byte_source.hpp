// A ByteSource over HTTP range requests (RFC 9110 §14), so the zip reader can take a remote wheel's
// central directory and METADATA member without downloading the wheel. A server that ignores Range
// answers 200 with the whole file; that body is checked against the wheel's sha256 when the index
// gives one, and from then on the bytes are served from it.
#pragma once

#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <utility>

#include "thoth/archive.hpp"
#include "thoth/net.hpp"

namespace thoth::idx {

// Bytes of the tail request submitted ahead of time (a prefetch): the zip reader's first read (64 KiB
// plus the end records) fits, so a prefetched wheel needs no second round trip in the common case
// where METADATA sits near the end of the archive.
inline constexpr std::size_t kPrefetchTail = 64 * 1024 + 1024;

HttpRequest tail_request(const std::string& url, std::size_t n);

class HttpByteSource : public ByteSource {
 public:
  // `sha256`: the file's hash as the index gives it (lower-case hex), or "" when it gives none.
  // `prefetched`: a response to tail_request(url, kPrefetchTail) already submitted, if any.
  HttpByteSource(HttpClient& client, std::string url, std::string sha256,
                 std::optional<std::shared_future<HttpResponse>> prefetched);

  std::pair<std::string, std::uint64_t> tail(std::size_t n) override;
  std::string read(std::uint64_t offset, std::size_t length) override;

 private:
  // Uses a response to a range request: returns the bytes and records the total size; a 200 switches
  // to the whole-body mode once its hash is checked (IndexError on a mismatch).
  std::string take(HttpResponse response);

  HttpClient& client_;
  std::string url_;
  std::string sha256_;
  std::optional<std::shared_future<HttpResponse>> prefetched_;
  std::optional<std::string> whole_;  // the server ignored Range: the full file
  std::uint64_t size_ = 0;
};

}  // namespace thoth::idx
