// HttpClient: construction, and the caller's side of a request. submit() answers what needs no
// network at once (file:// URLs, fresh cache entries, blobs, offline hits) and queues the rest for the
// worker (client_worker.cpp).
#include <curl/curl.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cstdlib>

#include "net/atomic_file.hpp"
#include "net/cache_control.hpp"
#include "net/client_impl.hpp"
#include "net/curl_api.hpp"
#include "net/errors.hpp"
#include "net/file_fetch.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "thoth/hash.hpp"

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::net {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool has_request_header(const HttpRequest& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return net::iequals(h.first, name); });
}

// RFC 9111 §3: a response may be stored unless it says no-store; "Vary: *" can never be matched.
bool storable(const Headers& headers) {
  if (net::parse_cache_control(headers).no_store) return false;
  for (const auto& [name, value] : headers) {
    if (name == "vary" && net::trim(value) == "*") return false;
  }
  return true;
}

std::string page_key_of(const HttpRequest& request) {
  std::string_view accept;
  for (const auto& [name, value] : request.headers) {
    if (net::iequals(name, "accept")) accept = value;
  }
  return HttpCache::page_key(request.url, accept);
}

CachedResponse cached_response_of(const HttpResponse& response, std::string annex) {
  return CachedResponse{response.status, response.headers, response.body, response.url, unix_now(),
                        response.body_sha256, response.body.size(), std::move(annex)};
}

HttpResponse response_from_cache(CachedResponse c, const HttpRequest& request) {
  HttpResponse r;
  r.status = c.status;
  r.headers = std::move(c.headers);
  r.body = std::move(c.body);
  r.body_size = c.body_size;
  // Stored URLs carry no credentials; when the entry is this very URL, give back the caller's form so
  // relative links resolved against it keep them.
  r.url = c.url == net::strip_userinfo(net::strip_fragment(request.url)) ? std::string(net::strip_fragment(request.url))
                                                                         : c.url;
  r.from_cache = true;
  r.body_sha256 = std::move(c.body_sha256);
  r.cached_page = true;
  r.annex = std::move(c.annex);
  return r;
}

}  // namespace thoth::net

namespace thoth {

using net::Job;
using net::curl_api;
using net::response_from_cache;
using net::unix_now;

namespace {

std::string getenv_string(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

std::string resolve_netrc(const HttpOptions& o) {
  if (!o.use_netrc) return {};
  std::filesystem::path file = o.netrc_file;
  if (file.empty()) file = getenv_string("NETRC");
  if (file.empty()) {
    const std::string home = getenv_string("HOME");
    if (home.empty()) return {};
    file = std::filesystem::path(home) / ".netrc";
  }
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec) ? file.string() : std::string();
}

}  // namespace

HttpClient::Impl::Impl(HttpOptions o) : options(std::move(o)), rng_(std::random_device{}()) {
  options.max_transfers = std::max(1u, options.max_transfers);
  options.max_per_host = std::max(1u, options.max_per_host);
  options.max_attempts = std::max(1u, options.max_attempts);
  settings_.options = &options;
  settings_.user_agent = options.user_agent.empty() ? std::string("thoth/" THOTH_VERSION) : options.user_agent;
  settings_.netrc_file = resolve_netrc(options);
  settings_.credentials = net::CredentialStore(options.credential_urls);
  if (options.proxy.empty() && getenv_string("http_proxy").empty()) {
    settings_.http_proxy_upper = getenv_string("HTTP_PROXY");
  }
}

void HttpClient::Impl::start_worker() {
  // A run answered from the cache and file:// mirrors never loads libcurl nor starts the thread.
  std::call_once(started_, [this] {
    const net::CurlApi& curl = net::curl_api();  // throws NetError when libcurl cannot be loaded
    multi_ = curl.multi_init();
    if (multi_ == nullptr) throw NetError("cannot initialise libcurl", NetError::Kind::connection);
    curl.multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl.multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options.max_per_host));
    curl.multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options.max_transfers));
    // Keep every connection those bounds allow: by default libcurl's cache holds 4 per transfer still
    // running, so when a wave of transfers ends with few others under way it closes idle connections
    // that the next wave then opens again.
    curl.multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options.max_transfers));
    worker_ = std::thread([this] { run(); });
  });
}

HttpClient::Impl::~Impl() {
  shut_down_worker();
  if (!scratch_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }
}

void HttpClient::Impl::shut_down_worker() {
  if (!worker_.joinable()) return;  // never started
  {
    // Transfers still running were asked for (prefetches the resolution did not wait for): a short
    // grace lets them finish and reach the cache, so the next run does not start the network for
    // them. Bounded, so a slow server never holds up the exit for long.
    std::unique_lock lock(mu_);
    idle_.wait_for(lock, kExitGrace, [this] { return idle_now_; });
    stop_ = true;
  }
  curl_api().multi_wakeup(multi_);
  worker_.join();
  curl_api().multi_cleanup(multi_);
}

std::filesystem::path HttpClient::Impl::scratch_file(std::string_view name) {
  std::lock_guard lock(scratch_mu_);
  if (scratch_.empty()) {
    std::error_code ec;
    const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
    std::string pattern = (tmp / "thoth-download-XXXXXX").string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr) {
      throw NetError("cannot create a temporary directory in " + tmp.string() + " (set TMPDIR to a writable directory)",
                     NetError::Kind::local_file);
    }
    scratch_ = pattern;
  }
  return scratch_ / (std::to_string(scratch_files_++) + "-" + std::string(name));
}

std::future<HttpResponse> HttpClient::Impl::submit(HttpRequest request) {
  auto job = std::make_unique<Job>();
  job->request = std::move(request);
  std::future<HttpResponse> future = job->promise.get_future();
  try {
    if (answer_without_network(*job)) return future;
    start_worker();
  } catch (const NetError&) {
    job->promise.set_exception(std::current_exception());
    return future;
  }
  {
    std::lock_guard lock(mu_);
    inbox_.push_back(std::move(job));
    idle_now_ = false;
  }
  curl_api().multi_wakeup(multi_);
  return future;
}

bool HttpClient::Impl::answer_without_network(Job& job) {
  using Kind = NetError::Kind;
  const HttpRequest& req = job.request;
  const std::string& url = req.url;
  job.max_body = req.max_body != 0 ? req.max_body : options.max_body;
  if (url.empty()) throw NetError("GET failed: the URL is empty", Kind::invalid_request);
  if (!req.sha256.empty() && !is_sha256_hex(req.sha256)) {
    throw net::request_error(url, "\"" + req.sha256 + "\" is not a sha256 hex digest", Kind::invalid_request);
  }
  if (req.range && !req.sha256.empty()) {
    throw net::request_error(url, "a range cannot be checked against the file's sha256", Kind::invalid_request);
  }
  if (req.cache == CachePolicy::immutable && req.sha256.empty()) {
    throw net::request_error(url, "a content-addressed (immutable) request needs the body's sha256",
                             Kind::invalid_request);
  }
  // Local mirrors are always available, offline too.
  if (net::is_file_url(url)) {
    job.promise.set_value(net::fetch_file_url(req, job.max_body));
    return true;
  }
  const auto parts = net::split_url(url);
  if (!parts || !(net::iequals(parts->scheme, "http") || net::iequals(parts->scheme, "https"))) {
    throw net::request_error(url, "unsupported URL (only http, https and file URLs can be fetched)",
                             Kind::invalid_request);
  }
  job.host = net::host_key(url);

  HttpCache* cache = options.cache.get();
  if (cache != nullptr && req.cache == CachePolicy::immutable) {
    if (serve_blob(job)) return true;
  } else if (cache != nullptr && req.cache != CachePolicy::no_store && !req.range && req.save_to.empty()) {
    job.page_key = net::page_key_of(req);
    if (req.cached_body_optional && req.cache == CachePolicy::standard) {
      if (auto head = cache->load_page_head(job.page_key);
          head && (options.offline || HttpCache::is_fresh(*head, unix_now()))) {
        ++cache_hits;
        HttpResponse r = response_from_cache(std::move(*head), req);
        r.body_omitted = true;
        job.promise.set_value(std::move(r));
        return true;
      }
    }
    if (auto stored = cache->load_page(job.page_key)) {
      // Offline serves whatever age the entry has: the user asked for exactly that.
      if (options.offline || (req.cache == CachePolicy::standard && HttpCache::is_fresh(*stored, unix_now()))) {
        ++cache_hits;
        job.promise.set_value(response_from_cache(std::move(*stored), req));
        return true;
      }
      job.stored = std::move(stored);
    }
  }
  if (options.offline) throw net::offline_miss(url);
  return false;
}

bool HttpClient::Impl::serve_blob(Job& job) {
  const HttpRequest& req = job.request;
  const HttpCache& cache = *options.cache;
  HttpResponse r;
  r.status = 200;
  r.url = req.url;
  r.from_cache = true;
  if (req.save_to.empty()) {
    auto blob = cache.load_blob(req.sha256);
    if (!blob) return false;
    r.body = std::move(*blob);
    r.body_size = r.body.size();
  } else {
    if (!cache.has_blob(req.sha256)) return false;
    const auto path = cache.blob_path(req.sha256);
    std::error_code ec;
    r.body_size = std::filesystem::file_size(path, ec);
    // Verify before handing it out: a damaged blob is dropped and fetched again.
    if (ec || sha256_file_hex(path) != net::lower_ascii(req.sha256)) {
      std::filesystem::remove(path, ec);
      return false;
    }
    if (!net::copy_file_atomic(path, req.save_to)) {
      throw net::request_error(req.url, "cannot write " + req.save_to.string(), NetError::Kind::local_file);
    }
  }
  r.headers.emplace_back("content-length", std::to_string(r.body_size));
  ++cache_hits;
  job.promise.set_value(std::move(r));
  return true;
}

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

std::shared_future<HttpResponse> HttpClient::submit(HttpRequest request) {
  return impl_->submit(std::move(request)).share();
}

std::filesystem::path HttpClient::scratch_file(std::string_view name) { return impl_->scratch_file(name); }

HttpResponse HttpClient::get(HttpRequest request) {
  request.urgent = true;  // someone is blocked on it
  return impl_->submit(std::move(request)).get();
}

std::vector<HttpResponse> HttpClient::fetch_all(std::vector<HttpRequest> requests) {
  std::vector<std::future<HttpResponse>> futures;
  futures.reserve(requests.size());
  for (auto& r : requests) futures.push_back(impl_->submit(std::move(r)));
  std::vector<HttpResponse> responses;
  responses.reserve(futures.size());
  std::exception_ptr first_error;
  for (auto& f : futures) {
    try {
      responses.push_back(f.get());
    } catch (const NetError&) {
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
  return responses;
}

const HttpOptions& HttpClient::options() const { return impl_->options; }

bool HttpClient::store_annex(const HttpRequest& request, const HttpResponse& response, std::string_view annex) {
  HttpCache* cache = impl_->options.cache.get();
  if (cache == nullptr) return false;
  if (response.store_pending) {
    return cache->store_page(net::page_key_of(request), net::cached_response_of(response, std::string(annex)));
  }
  if (!response.cached_page) return false;
  return cache->store_annex(net::page_key_of(request), response.body_sha256, annex);
}

HttpClient::Stats HttpClient::stats() const {
  Stats s;
  s.network_requests = impl_->network_requests.load();
  s.cache_hits = impl_->cache_hits.load();
  s.revalidated = impl_->revalidated.load();
  s.retries = impl_->retries.load();
  return s;
}

}  // namespace thoth
