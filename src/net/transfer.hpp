// One attempt of one request on a curl easy handle: option setup from HttpOptions, the header and body
// callbacks, and the reading of how the attempt ended. The client's worker thread owns it and decides
// about retries and the cache.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/body_sink.hpp"
#include "net/credentials.hpp"
#include "net/environment.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

// What the worker needs from HttpOptions, resolved once when the client is built.
struct TransferSettings {
  const HttpOptions* options = nullptr;
  std::string user_agent;
  std::string netrc_file;         // empty: no netrc
  CredentialStore credentials;    // from HttpOptions::credential_urls
  EnvironmentProxies proxies;     // from HttpOptions::environment
  std::atomic<std::uint64_t>* bytes_received = nullptr;  // the client's total, added to as bytes arrive
};

// Calls request.progress (which must be set) with the catch the callback's contract promises: nullopt
// when it returned, else what it threw.
std::optional<std::string> call_progress(const HttpRequest& request, std::uint64_t received, std::uint64_t total);

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

  // The body goes to `sink`, already opened.
  Transfer(const TransferSettings& settings, const HttpRequest& request, std::uint64_t max_body,
           const Headers& conditional_headers, std::unique_ptr<BodySink> sink);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // False when the easy handle could not be set up; setup_error() says why.
  bool ok() const { return easy_ != nullptr && setup_error_.empty(); }
  const std::string& setup_error() const { return setup_error_; }
  CURL* easy() const { return easy_; }

  // Past this point without a byte the attempt counts as stalled (the read timeout). Before the first
  // byte: the connect timeout plus the read timeout while the connection is being made, and the read
  // timeout from the moment it is up (pip's (connect, read) timeout pair: a server that accepts and
  // then stays silent is given --timeout once, not twice).
  Clock::time_point deadline() const;
  // Judges the finished attempt. `stalled` when the worker gave up on it at the deadline.
  AttemptResult result(CURLcode code, bool stalled);
  // The last progress call of a complete body (received == total): what the callback threw, if it did.
  std::optional<std::string> report_complete();
  // Fills status, headers and effective URL, and the body size (and an in-memory body); a file body
  // stays in the sink, for the caller to put in place.
  void finish(HttpResponse& response);
  BodySink& sink() { return *sink_; }
  std::unique_ptr<BodySink> take_sink() { return std::move(sink_); }

 private:
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
  void touch() {
    deadline_ = Clock::now() + read_timeout_;
    heard_ = true;
  }
  // The body's length when known (Content-Length of a body curl does not decode), else 0.
  std::uint64_t expected_size() const;
  void report_progress(Clock::time_point now);

  CURL* easy_ = nullptr;
  curl_slist* request_headers_ = nullptr;
  std::string setup_error_;
  char errbuf_[CURL_ERROR_SIZE] = {};
  const HttpRequest& request_;
  // The client's trusted hosts when the attempt started (add_origins() may add more on another thread).
  std::vector<std::string> trusted_hosts_;
  std::uint64_t max_body_;
  unsigned max_redirects_;
  Clock::duration read_timeout_;
  Clock::time_point started_;
  Clock::time_point deadline_;
  bool heard_ = false;  // a header or body byte has arrived: deadline_ counts from the last one
  std::string proxy_;  // the proxy named in connection failures: one this transfer surely goes through
  Headers headers_;
  std::unique_ptr<BodySink> sink_;
  std::atomic<std::uint64_t>* bytes_received_;
  Clock::duration progress_interval_;
  std::optional<Clock::time_point> last_progress_;  // none yet: the first piece of body is reported
  std::optional<std::uint64_t> expected_size_;  // worked out at the first piece of body
  std::optional<std::string> progress_error_;  // what the progress callback threw
  bool decoding_ = false;  // curl negotiates and decodes Content-Encoding
  bool too_large_ = false;
  bool sink_failed_ = false;
  // A redirect from https to http on an untrusted remote host, refused: its Location and host.
  std::optional<std::string> insecure_redirect_;
  std::string insecure_host_;
};

}  // namespace thoth::net
