#include "net/errors.hpp"

#include "net/headers.hpp"

namespace thoth::net {

NetError request_error(std::string_view url, std::string_view cause, NetError::Kind kind, long status) {
  return NetError("GET " + redact_url(url) + " failed: " + redact_text(cause), kind, status);
}

std::string status_text(long status) {
  std::string out = "HTTP " + std::to_string(status);
  const std::string_view reason = reason_phrase(status);
  if (!reason.empty()) {
    out += ' ';
    out += reason;
  }
  return out;
}

std::string progress_failure(std::string_view what) {
  return "the progress callback failed: " + std::string(what);
}

NetError offline_miss(std::string_view url) {
  return NetError("not available offline: " + redact_url(url) +
                      " is not in the cache (run once online or drop --offline)",
                  NetError::Kind::offline);
}

}  // namespace thoth::net
