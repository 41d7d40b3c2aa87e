#include "net/transfer.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "net/curl_api.hpp"
#include "net/errors.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "base/ascii.hpp"
#include "base/trim.hpp"

namespace thoth::net {

namespace {

bool trusted(const std::vector<std::string>& trusted_hosts, std::string_view url) {
  const auto parts = split_url(url);
  if (!parts) return false;
  // pip --trusted-host: "host" trusts every port of it, "host:port" only that one.
  for (const std::string& t : trusted_hosts) {
    const auto colon = t.rfind(':');
    const bool with_port = colon != std::string::npos && t.find(']', colon) == std::string::npos;
    std::string_view host = with_port ? std::string_view(t).substr(0, colon) : std::string_view(t);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (!base::ascii_iequals(host, parts->host)) continue;
    if (!with_port || std::string_view(t).substr(colon + 1) == parts->port) return true;
  }
  return false;
}

// pip's secure origins: the local machine is as safe over http as over https.
bool loopback_host(std::string_view host) {
  return base::ascii_iequals(host, "localhost") || host == "::1" || host.starts_with("127.");
}

// Where a redirect from `from` to `location` (a Location header: absolute, scheme-relative or a path)
// would downgrade https to plain http on a host neither local nor trusted: that host, else nullopt.
// curl follows such a redirect (it only forbids schemes other than http and https); pip's session
// would too, but then refuses the insecure page, which thoth reads instead: so it stops here.
std::optional<std::string> insecure_redirect(const std::vector<std::string>& trusted_hosts, std::string_view from,
                                             std::string_view location) {
  const auto source = split_url(from);
  const auto target = split_url(location);
  if (!source || !target || !base::ascii_iequals(source->scheme, "https") || !base::ascii_iequals(target->scheme, "http")) return std::nullopt;
  if (loopback_host(target->host) || trusted(trusted_hosts, location)) return std::nullopt;
  return std::string(target->host);
}

// curl's error buffer as the tail of a sentence: its first line, a capital first letter lowered ("Could
// not resolve" -> "could not resolve") unless it starts an acronym ("SSL certificate problem" stays).
std::string first_line_lower(const char* text) {
  std::string s = text;
  if (!s.empty() && !(s.size() > 1 && std::isupper(static_cast<unsigned char>(s[1])))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  const auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

}  // namespace

std::optional<std::string> call_progress(const HttpRequest& request, std::uint64_t received, std::uint64_t total) {
  try {
    request.progress(received, total);
    return std::nullopt;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

Transfer::Transfer(const TransferSettings& settings, const HttpRequest& request, std::uint64_t max_body,
                   const Headers& conditional_headers, std::unique_ptr<BodySink> sink)
    : request_(request),
      trusted_hosts_(settings.options->trusted_hosts),
      max_body_(max_body),
      max_redirects_(settings.options->max_redirects),
      read_timeout_(settings.options->read_timeout),
      sink_(std::move(sink)),
      bytes_received_(settings.bytes_received),
      progress_interval_(settings.options->progress_interval) {
  const HttpOptions& o = *settings.options;
  // Before the first byte, allow the connect phase its own budget on top of the read timeout.
  started_ = Clock::now();
  deadline_ = started_ + o.connect_timeout + read_timeout_;
  easy_ = curl_api().easy_init();
  if (easy_ == nullptr) {
    setup_error_ = "cannot create a curl handle";
    return;
  }
  // Only http and https, also where a redirect points: never file://, ftp:// or the like.
  if (const CURLcode code = restrict_to_http(easy_, curl_api().version_num); code != CURLE_OK) {
    setup_error_ = std::string("libcurl cannot be limited to http and https: ") + curl_api().easy_strerror(code);
    return;
  }
  curl_api().easy_setopt(easy_, CURLOPT_URL, request.url.c_str());
  curl_api().easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_api().easy_setopt(easy_, CURLOPT_ERRORBUFFER, errbuf_);
  curl_api().easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_api().easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 1L);
  curl_api().easy_setopt(easy_, CURLOPT_MAXREDIRS, static_cast<long>(o.max_redirects));
  curl_api().easy_setopt(easy_, CURLOPT_USERAGENT, settings.user_agent.c_str());
  curl_api().easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_api().easy_setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
  // HTTP/2 over TLS when the server offers it (ALPN), and there wait for a multiplexable connection
  // rather than opening a second one to the same host. Plain http stays HTTP/1.1, where waiting would
  // only serialise transfers behind the first one.
  curl_api().easy_setopt(easy_, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  if (base::ascii_iequals(split_url(request.url)->scheme, "https")) curl_api().easy_setopt(easy_, CURLOPT_PIPEWAIT, 1L);
  // A Content-Length over the limit fails before any byte is stored; the body callback guards the rest.
  curl_api().easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body));
  // Compressed transfer only when the whole body is wanted: a range addresses the encoded bytes.
  decoding_ = request.allow_compression && !request.range;
  if (decoding_) curl_api().easy_setopt(easy_, CURLOPT_ACCEPT_ENCODING, "");
  curl_api().easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_api().easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_api().easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_api().easy_setopt(easy_, CURLOPT_WRITEDATA, this);

  if (const Credentials* stored = settings.credentials.for_url(request.url)) {
    // Basic auth sent with the first request, as pip does (curl's default CURLOPT_HTTPAUTH). curl
    // keeps these to the URL's own host, port and scheme when following redirects (no
    // CURLOPT_UNRESTRICTED_AUTH), and they take the netrc file's place: pip asks netrc last.
    curl_api().easy_setopt(easy_, CURLOPT_USERNAME, stored->username.c_str());
    curl_api().easy_setopt(easy_, CURLOPT_PASSWORD, stored->password.c_str());
  } else if (!settings.netrc_file.empty()) {
    // The URL's own credentials win over the netrc file.
    curl_api().easy_setopt(easy_, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
    curl_api().easy_setopt(easy_, CURLOPT_NETRC_FILE, settings.netrc_file.c_str());
  }
  if (!o.ca_bundle.empty()) {
    std::error_code ec;
    const bool dir = std::filesystem::is_directory(o.ca_bundle, ec);
    curl_api().easy_setopt(easy_, dir ? CURLOPT_CAPATH : CURLOPT_CAINFO, o.ca_bundle.c_str());
  }
  if (!o.client_cert.empty()) {
    curl_api().easy_setopt(easy_, CURLOPT_SSLCERT, o.client_cert.c_str());
    curl_api().easy_setopt(easy_, CURLOPT_SSLKEY, o.client_cert.c_str());
  }
  if (trusted(trusted_hosts_, request.url)) {
    curl_api().easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_api().easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  // Both always set, "" included, so that libcurl never reads the process environment for them.
  const std::string& proxy = !o.proxy.empty() ? o.proxy : settings.proxies.for_scheme(split_url(request.url)->scheme);
  curl_api().easy_setopt(easy_, CURLOPT_PROXY, proxy.c_str());
  curl_api().easy_setopt(easy_, CURLOPT_NOPROXY, settings.proxies.no_proxy.c_str());
  // no_proxy may exempt this host from a proxy of the environment (libcurl decides): name that one
  // only when there is no exemption.
  if (!o.proxy.empty() || settings.proxies.no_proxy.empty()) proxy_ = proxy;

  for (const auto& [name, value] : request.headers) {
    request_headers_ = curl_api().slist_append(request_headers_, (name + ": " + value).c_str());
  }
  for (const auto& [name, value] : conditional_headers) {
    request_headers_ = curl_api().slist_append(request_headers_, (name + ": " + value).c_str());
  }
  if (request.range) {
    request_headers_ = curl_api().slist_append(request_headers_, ("Range: " + request.range->header_value()).c_str());
  }
  if (request_headers_ != nullptr) curl_api().easy_setopt(easy_, CURLOPT_HTTPHEADER, request_headers_);
}

Transfer::~Transfer() {
  if (easy_ != nullptr) curl_api().easy_cleanup(easy_);
  curl_api().slist_free_all(request_headers_);
}

Transfer::Clock::time_point Transfer::deadline() const {
  if (heard_ || easy_ == nullptr) return deadline_;
  // CURLINFO_PRETRANSFER_TIME_T: from the start until the request could be sent (name lookup, TCP,
  // proxy and TLS handshakes done); 0 while that is still going on.
  curl_off_t connected_us = 0;
  if (curl_api().easy_getinfo(easy_, CURLINFO_PRETRANSFER_TIME_T, &connected_us) != CURLE_OK || connected_us <= 0) {
    return deadline_;
  }
  return std::min(deadline_, started_ + std::chrono::microseconds(connected_us) + read_timeout_);
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const std::string_view line(data, size * n);
  self->touch();
  // A new status line starts a new response (a redirect, a 100 Continue): keep only the last one's.
  if (line.substr(0, 5) == "HTTP/") {
    self->headers_.clear();
  } else if (auto h = parse_header_line(line)) {
    if (h->first == "location") {
      const char* current = nullptr;
      curl_api().easy_getinfo(self->easy_, CURLINFO_EFFECTIVE_URL, &current);
      long status = 0;
      curl_api().easy_getinfo(self->easy_, CURLINFO_RESPONSE_CODE, &status);
      if (status >= 300 && status < 400 && current != nullptr) {
        if (auto host = insecure_redirect(self->trusted_hosts_, current, base::trim(h->second))) {
          self->insecure_redirect_ = std::string(base::trim(h->second));
          self->insecure_host_ = std::move(*host);
          return 0;  // stops the transfer before curl follows (CURLE_WRITE_ERROR)
        }
      }
    }
    self->headers_.push_back(std::move(*h));
  }
  return size * n;
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const std::size_t len = size * n;
  const Clock::time_point now = Clock::now();
  self->deadline_ = now + self->read_timeout_;
  if (self->sink_->size() + len > self->max_body_) {
    self->too_large_ = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  if (!self->sink_->write(data, len)) {
    self->sink_failed_ = true;
    return 0;
  }
  if (self->bytes_received_ != nullptr) self->bytes_received_->fetch_add(len, std::memory_order_relaxed);
  if (self->request_.progress && (!self->last_progress_ || now - *self->last_progress_ >= self->progress_interval_)) {
    self->report_progress(now);
    if (self->progress_error_) return 0;
  }
  return len;
}

std::uint64_t Transfer::expected_size() const {
  // A decoded body is longer than the Content-Length, which counts the encoded bytes.
  if (decoding_) {
    if (auto enc = find_header(headers_, "content-encoding"); enc && !base::ascii_iequals(base::trim(*enc), "identity")) return 0;
  }
  curl_off_t length = -1;
  curl_api().easy_getinfo(easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  return length > 0 ? static_cast<std::uint64_t>(length) : 0;
}

void Transfer::report_progress(Clock::time_point now) {
  last_progress_ = now;
  if (!expected_size_) expected_size_ = expected_size();
  // A body longer than announced (a server's error) must not show more than 100 %.
  const std::uint64_t received = sink_->size();
  const std::uint64_t total = *expected_size_ != 0 && *expected_size_ < received ? 0 : *expected_size_;
  progress_error_ = call_progress(request_, received, total);
}

std::optional<std::string> Transfer::report_complete() {
  if (!request_.progress) return std::nullopt;
  return call_progress(request_, sink_->size(), sink_->size());
}

AttemptResult Transfer::result(CURLcode code, bool stalled) {
  using Verdict = AttemptResult::Verdict;
  using Kind = NetError::Kind;
  AttemptResult r;
  const std::string curl_text = errbuf_[0] != '\0' ? first_line_lower(errbuf_) : curl_api().easy_strerror(code);
  auto failure = [&](Verdict v, Kind kind, std::string cause) {
    r.verdict = v;
    r.kind = kind;
    r.cause = std::move(cause);
    // A connection that fails may be the proxy's: say which one was in the way.
    if (kind == Kind::connection && !proxy_.empty()) r.cause += " (through the proxy " + redact_url(proxy_) + ")";
    return r;
  };

  if (stalled) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(read_timeout_).count();
    return failure(Verdict::retry, Kind::timeout, "timed out (no data for " + std::to_string(ms) + " ms)");
  }
  if (progress_error_) {
    return failure(Verdict::fail, Kind::invalid_request, progress_failure(*progress_error_));
  }
  if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
    return failure(Verdict::fail, Kind::too_large,
                   "response body too large (more than " + std::to_string(max_body_) + " bytes)");
  }
  if (sink_failed_) return failure(Verdict::fail, Kind::local_file, sink_->error());
  if (insecure_redirect_) {
    return failure(Verdict::fail, Kind::redirects,
                   "redirected from https to plain http (" + redact_url(*insecure_redirect_) +
                       "), which is refused for a host neither local nor trusted (use an https index, or " +
                       "--trusted-host " + insecure_host_ + " if that host is safe over http)");
  }

  long os_errno = 0;
  curl_api().easy_getinfo(easy_, CURLINFO_OS_ERRNO, &os_errno);
  switch (code) {
    case CURLE_OK:
      break;
    case CURLE_COULDNT_CONNECT:
      return failure(Verdict::retry, Kind::connection,
                     os_errno == ECONNREFUSED ? std::string("connection refused") : curl_text);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
      if (os_errno == ECONNRESET) return failure(Verdict::retry, Kind::connection, "connection reset by peer");
      if (code == CURLE_GOT_NOTHING) {
        return failure(Verdict::retry, Kind::connection, "the server closed the connection without a response");
      }
      return failure(Verdict::retry, Kind::connection, curl_text);
    case CURLE_PARTIAL_FILE: {
      curl_off_t got = 0, expected = -1;
      curl_api().easy_getinfo(easy_, CURLINFO_SIZE_DOWNLOAD_T, &got);
      curl_api().easy_getinfo(easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
      std::string cause = "response body truncated (got " + std::to_string(got);
      if (expected >= 0) cause += " of " + std::to_string(expected);
      return failure(Verdict::retry, Kind::truncated, cause + " bytes)");
    }
    case CURLE_OPERATION_TIMEDOUT:
      return failure(Verdict::retry, Kind::timeout, curl_text);
    case CURLE_TOO_MANY_REDIRECTS:
      return failure(Verdict::fail, Kind::redirects,
                     "too many redirects (more than " + std::to_string(max_redirects_) + ")");
    case CURLE_UNSUPPORTED_PROTOCOL:
      return failure(Verdict::fail, Kind::redirects, "unsupported URL scheme (" + curl_text + ")");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      return failure(Verdict::fail, Kind::tls,
                     "TLS certificate verification failed: " + curl_text +
                         " (give the CA bundle with --cert, or --trusted-host for this host)");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return failure(Verdict::fail, Kind::tls, "TLS error: " + curl_text);
    case CURLE_URL_MALFORMAT:
      return failure(Verdict::fail, Kind::invalid_request, "malformed URL");
    default:
      return failure(Verdict::fail, Kind::connection, curl_text);
  }

  curl_api().easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &r.status);
  if (r.status >= 200 && r.status < 300) {
    r.verdict = Verdict::success;
    return r;
  }
  if (r.status == 304) {
    r.verdict = Verdict::success;  // the client checks that it asked for it
    return r;
  }
  r.kind = Kind::http_status;
  r.cause = status_text(r.status);
  // 429 and 5xx are the server saying "not now"; any other status will not change by asking again,
  // and neither will 501 Not Implemented (a server without the feature, e.g. ranges; pip's retry
  // list has 500, 502, 503, 520 and 527 but not 501).
  if (r.status == 429 || (r.status >= 500 && r.status != 501)) {
    r.verdict = Verdict::retry;
    if (r.status == 429 || r.status == 503) {
      curl_off_t after = -1;  // curl parses both forms: delay-seconds and HTTP-date (RFC 9110 §10.2.3)
      if (curl_api().easy_getinfo(easy_, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after >= 0) {
        r.retry_after = std::chrono::seconds(after);
      }
    }
  } else {
    r.verdict = Verdict::fail;
    if (r.status == 401 || r.status == 407) {
      r.cause += " (check the credentials in the URL or in the netrc file)";
    }
  }
  return r;
}

void Transfer::finish(HttpResponse& response) {
  curl_api().easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &response.status);
  const char* effective = nullptr;
  curl_api().easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &effective);
  response.url = effective != nullptr ? effective : request_.url;
  response.headers = std::move(headers_);
  // When curl decoded a compressed body, the headers must not claim an encoding or a length the body
  // no longer has (the cache stores these headers too).
  if (decoding_) {
    if (auto enc = find_header(response.headers, "content-encoding"); enc && !base::ascii_iequals(base::trim(*enc), "identity")) {
      std::erase_if(response.headers,
                    [](const auto& h) { return h.first == "content-encoding" || h.first == "content-length"; });
    }
  }
  sink_->take_body(response);
}

}  // namespace thoth::net
