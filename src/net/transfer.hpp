// One attempt of one request on a curl easy handle: option setup from HttpOptions, the header and body
// callbacks, and the reading of how the attempt ended. The client's worker thread owns it and decides
// about retries and the cache.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <string>

#include "net/body_sink.hpp"
#include "net/credentials.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

// What the worker needs from HttpOptions, resolved once when the client is built.
struct TransferSettings {
  const HttpOptions* options = nullptr;
  std::string user_agent;
  std::string netrc_file;         // empty: no netrc
  CredentialStore credentials;    // from HttpOptions::credential_urls
  std::string http_proxy_upper;   // HTTP_PROXY, which curl ignores and pip honours, for http:// URLs
};

struct AttemptResult {
  enum class Verdict { success, retry, fail };
  Verdict verdict = Verdict::fail;
  long status = 0;
  std::string cause;  // for retry/fail: why, without the URL
  NetError::Kind kind = NetError::Kind::connection;
  std::optional<std::chrono::milliseconds> retry_after;  // from a 429/503 Retry-After
};

class Transfer {
 public:
  using Clock = std::chrono::steady_clock;

  Transfer(const TransferSettings& settings, const HttpRequest& request, std::uint64_t max_body,
           const Headers& conditional_headers);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // False when the easy handle or save_to could not be set up; error() says why.
  bool ok() const { return easy_ != nullptr && setup_error_.empty(); }
  const std::string& setup_error() const { return setup_error_; }
  CURL* easy() const { return easy_; }

  // Past this point without a byte the attempt counts as stalled (the read timeout).
  Clock::time_point deadline() const { return deadline_; }
  // Judges the finished attempt. `stalled` when the worker gave up on it at the deadline.
  AttemptResult result(CURLcode code, bool stalled);
  // Fills status, headers, effective URL and body (hands over the sink's content).
  bool finish(HttpResponse& response);
  BodySink& sink() { return sink_; }

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
  void touch() { deadline_ = Clock::now() + read_timeout_; }

  CURL* easy_ = nullptr;
  curl_slist* request_headers_ = nullptr;
  std::string setup_error_;
  char errbuf_[CURL_ERROR_SIZE] = {};
  const HttpRequest& request_;
  std::uint64_t max_body_;
  unsigned max_redirects_;
  Clock::duration read_timeout_;
  Clock::time_point deadline_;
  std::string proxy_;  // the proxy this transfer goes through, if one was set explicitly
  Headers headers_;
  BodySink sink_;
  bool decoding_ = false;  // curl negotiates and decodes Content-Encoding
  bool too_large_ = false;
  bool sink_failed_ = false;
};

}  // namespace thoth::net
