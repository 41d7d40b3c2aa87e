// HttpClient: construction, and the caller's side of a request. submit() answers what needs neither
// network nor disk work at once (file:// pages, fresh cache entries, offline hits), and hands the rest
// to the disk threads (blobs in the store, file:// downloads: client_disk.cpp) or the network thread
// (client_worker.cpp).
#include <curl/curl.h>

#include <algorithm>

#include "net/cache_control.hpp"
#include "net/client_impl.hpp"
#include "net/curl_api.hpp"
#include "net/environment.hpp"
#include "net/errors.hpp"
#include "net/file_fetch.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "thoth/hash.hpp"
#include "base/ascii.hpp"
#include "base/url_text.hpp"
#include "base/trim.hpp"

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::net {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool has_request_header(const HttpRequest& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return base::ascii_iequals(h.first, name); });
}

// RFC 9111 §3: a response may be stored unless it says no-store; "Vary: *" can never be matched.
bool storable(const Headers& headers) {
  if (net::parse_cache_control(headers).no_store) return false;
  for (const auto& [name, value] : headers) {
    if (name == "vary" && base::trim(value) == "*") return false;
  }
  return true;
}

std::string page_key_of(const HttpRequest& request) {
  std::string_view accept;
  for (const auto& [name, value] : request.headers) {
    if (base::ascii_iequals(name, "accept")) accept = value;
  }
  return HttpCache::page_key(request.url, accept);
}

CachedResponse cached_response_of(const HttpResponse& response, SharedBytes annex) {
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
  r.url = c.url == net::strip_userinfo(base::without_fragment(request.url)) ? std::string(base::without_fragment(request.url))
                                                                         : c.url;
  r.from_cache = true;
  r.body_sha256 = std::move(c.body_sha256);
  r.cached_page = true;
  r.annex = std::move(c.annex);
  return r;
}

HttpResponse blob_response(const HttpRequest& request, std::string body, std::uint64_t size) {
  HttpResponse r;
  r.status = 200;
  r.url = request.url;
  r.from_cache = true;
  r.body = std::move(body);
  r.body_size = size;
  r.headers.emplace_back("content-length", std::to_string(size));
  return r;
}

NetError cancelled_error(const HttpRequest& request) {
  return request_error(request.url, "cancelled", NetError::Kind::cancelled);
}

void PageLog::answered(const HttpRequest& request, const HttpResponse& response) {
  PageRead read;
  read.url = request.url;
  read.headers = request.headers;
  read.status = response.status;
  read.body_sha256 = response.body_sha256;
  std::lock_guard lock(mu_);
  pages_.push_back(std::move(read));
}

void PageLog::failed() {
  std::lock_guard lock(mu_);
  failed_ = true;
}

std::optional<std::vector<PageRead>> PageLog::pages() const {
  std::lock_guard lock(mu_);
  if (failed_) return std::nullopt;
  return pages_;
}

void Job::succeed(HttpResponse response) {
  if (page_log) {
    // A body from the network that the client did not store (HttpRequest::annex_follows) comes without
    // its hash: hashed here, it is known to the caller too, and the cache does not hash it again when
    // the page is stored with its annex.
    if (response.body_sha256.empty() && !response.body_omitted) response.body_sha256 = sha256_hex(response.body);
    page_log->answered(request, response);
  }
  promise.set_value(std::move(response));
  if (group) group->done(group_index, false);
}

void Job::fail(std::exception_ptr error) {
  if (page_log) {
    // A request given up (cancelled, or the client shutting down) answered nothing anyone read.
    bool given_up = false;
    try {
      std::rethrow_exception(error);
    } catch (const NetError& e) {
      given_up = e.kind() == NetError::Kind::cancelled || e.kind() == NetError::Kind::shutdown;
    } catch (...) {
    }
    if (!given_up) page_log->failed();
  }
  promise.set_exception(std::move(error));
  if (group) group->done(group_index, true);
}

void FetchGroup::done(std::size_t index, bool failed) {
  {
    std::lock_guard lock(mu_);
    --open_;
    if (failed && !failed_) failed_ = index;
  }
  changed_.notify_all();
}

std::optional<std::size_t> FetchGroup::wait_for_failure() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return open_ == 0 || failed_; });
  return failed_;
}

void FetchGroup::wait_for_all() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return open_ == 0; });
}

}  // namespace thoth::net

namespace thoth {

using net::Job;
using net::JobPtr;
using net::curl_api;
using net::response_from_cache;
using net::unix_now;

HttpClient::Impl::Impl(HttpOptions o)
    : options(std::move(o)), rng_(std::random_device{}()), disk_(options.disk_threads) {
  options.max_transfers = std::max(1u, options.max_transfers);
  options.max_per_host = std::max(1u, options.max_per_host);
  options.max_attempts = std::max(1u, options.max_attempts);
  settings_.options = &options;
  settings_.user_agent = options.user_agent.empty() ? std::string("thoth/" THOTH_VERSION) : options.user_agent;
  settings_.netrc_file = net::netrc_path(options);
  settings_.credentials = net::CredentialStore(options.credential_urls);
  settings_.proxies = net::environment_proxies(options.environment);
  settings_.bytes_received = &bytes_received;
}

void HttpClient::Impl::start_worker() {
  // A run answered from the cache and file:// mirrors never loads libcurl nor starts the thread.
  if (worker_.joinable()) return;
  // libcurl is loaded on the network thread: it and the 30 libraries it needs take several
  // milliseconds to load and relocate, which the caller spends reading the cache for the requests
  // that follow (a warm lock whose 151 pages are revalidated queues them all at the start).
  worker_ = std::thread([this] {
    if (open_network()) {
      run();
    } else {
      fail_queued();
    }
  });
}

bool HttpClient::Impl::open_network() {
  try {
    const net::CurlApi& curl = net::curl_api();  // throws NetError when libcurl cannot be loaded
    CURLM* multi = curl.multi_init();
    if (multi == nullptr) throw NetError("cannot initialise libcurl", NetError::Kind::connection);
    curl.multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl.multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options.max_per_host));
    curl.multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options.max_transfers));
    // Keep every connection those bounds allow: by default libcurl's cache holds 4 per transfer still
    // running, so when a wave of transfers ends with few others under way it closes idle connections
    // that the next wave then opens again.
    curl.multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(options.max_transfers));
    multi_ = multi;
    // Jobs queued from here on wake the thread (wake_network); those queued before are in inbox_,
    // which run() reads before it first waits.
    network_started_.store(true, std::memory_order_release);
    return true;
  } catch (const NetError& e) {
    std::lock_guard lock(mu_);
    network_error_ = e;
    return false;
  }
}

void HttpClient::Impl::fail_queued() {
  std::vector<net::JobPtr> queued;
  {
    std::lock_guard lock(mu_);
    queued.swap(inbox_);
    idle_now_ = true;  // nothing will run: a destructor need not wait out the exit grace
    idle_.notify_all();
  }
  for (const auto& job : queued) fail(*job, *network_error_);  // set before, never changed after
}

HttpClient::Impl::~Impl() {
  shut_down_worker();
  // Finished downloads still reach the cache and their destination; whatever wants the network
  // from here on fails with shutdown (stop_ is set).
  disk_.stop();
  if (multi_ != nullptr) curl_api().multi_cleanup(multi_);
  scratch_.reset();
}

void HttpClient::Impl::shut_down_worker() {
  {
    // Transfers still running were asked for (prefetches the resolution did not wait for): a short
    // grace lets them finish and reach the cache, so the next run does not start the network for
    // them. Bounded, so a slow server never holds up the exit for long.
    std::unique_lock lock(mu_);
    if (worker_.joinable()) idle_.wait_for(lock, kExitGrace, [this] { return idle_now_; });
    stop_ = true;  // under mu_: no network thread starts after this (queue_network)
  }
  if (!worker_.joinable()) return;  // never started
  // A thread still loading libcurl sees stop_ before it first waits.
  wake_network();
  worker_.join();
}

std::filesystem::path HttpClient::Impl::scratch_dir() {
  std::lock_guard lock(scratch_mu_);
  if (!scratch_) {
    // On the cache's file system, so that downloads are renamed into the blob store, never copied.
    const bool cached = options.cache != nullptr;
    const std::filesystem::path root =
        cached ? options.cache->scratch_root() : net::temp_root(options.environment);
    scratch_ = std::make_unique<net::ScratchDir>(
        root, cached ? "the cache directory must be writable" : "set TMPDIR to a writable directory");
    disk_.post([root] { net::remove_stale_scratch(root, unix_now()); });
  }
  return scratch_->path();
}

std::filesystem::path HttpClient::Impl::download_temp_dir() {
  std::lock_guard lock(scratch_mu_);
  return scratch_ ? scratch_->path() : std::filesystem::path();
}

bool HttpClient::Impl::into_blob_store(const HttpRequest& request, const HttpOptions& options) {
  return options.cache != nullptr && request.cache == CachePolicy::immutable && !request.save_to.empty();
}

std::filesystem::path HttpClient::Impl::scratch_file(std::string_view name) {
  return scratch_dir() / (std::to_string(scratch_files_++) + "-" + std::string(name));
}

std::future<HttpResponse> HttpClient::Impl::submit(HttpRequest request, std::shared_ptr<net::FetchGroup> group,
                                                   std::size_t index, std::stop_token group_cancel) {
  auto job = std::make_shared<Job>();
  job->request = std::move(request);
  job->group = std::move(group);
  job->group_index = index;
  job->group_cancel = std::move(group_cancel);
  job->client_cancel = cancel_all_.get_token();
  std::future<HttpResponse> future = job->promise.get_future();
  const HttpRequest& r = job->request;
  if (page_log && r.cache != CachePolicy::immutable) {
    // A range or a download is not kept as a page: what it read cannot be asked again and compared
    // (a wheel's METADATA read by ranges from a file the page gives no hash for changes with the file).
    if (!r.range && r.save_to.empty()) {
      job->page_log = page_log;
    } else {
      page_log->failed();
    }
  }
  if (job->cancelled()) {
    job->fail(net::cancelled_error(job->request));
    return future;
  }
  try {
    const Route how = route(*job);
    if (how == Route::answered) return future;
    watch_cancellation(*job);
    if (how == Route::serve_blob) {
      post_disk(job, [this](const JobPtr& j) { serve_blob(j); });
    } else if (how == Route::read_file) {
      post_disk(job, [this](const JobPtr& j) { read_file(j); });
    } else {
      queue_network(job);
    }
  } catch (const NetError&) {
    job->fail(std::current_exception());
  }
  return future;
}

void HttpClient::Impl::watch_cancellation(Job& job) {
  auto wake = [this] {
    cancel_pending_.store(true);
    wake_network();
  };
  if (job.request.cancel.stop_possible()) job.on_cancel.emplace(job.request.cancel, wake);
  if (job.group_cancel.stop_possible()) job.on_group_cancel.emplace(job.group_cancel, wake);
}

HttpClient::Impl::Route HttpClient::Impl::route(Job& job) {
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
  // Local mirrors are always available, offline too. A page is read at once; a download is copied
  // (and hashed) by a disk thread.
  if (base::is_file_url(url)) {
    if (!req.save_to.empty()) return Route::read_file;
    job.succeed(net::fetch_file_url(req, job.max_body));
    return Route::answered;
  }
  const auto parts = net::split_url(url);
  if (!parts || !(base::ascii_iequals(parts->scheme, "http") || base::ascii_iequals(parts->scheme, "https"))) {
    throw net::request_error(url, "unsupported URL (only http, https and file URLs can be fetched)",
                             Kind::invalid_request);
  }
  job.host = net::host_key(url);

  HttpCache* cache = options.cache.get();
  if (cache != nullptr && req.cache == CachePolicy::immutable) {
    // A stored blob is checked against its name before it is handed out, and fetched again when it
    // does not match: by a disk thread, unless it is a small body wanted in memory (a PEP 658
    // metadata file, a few KiB), whose check costs less than handing it over and waking the caller
    // again (a warm lock reads a hundred of them). A damaged one is dropped, and fetched below.
    if (req.save_to.empty()) {
      if (auto blob = cache->load_blob(req.sha256, kSmallBlob)) {
        ++cache_hits;
        const std::uint64_t size = blob->size();
        job.succeed(net::blob_response(req, std::move(*blob), size));
        return Route::answered;
      }
    }
    if (cache->has_blob(req.sha256)) return Route::serve_blob;
  } else if (cache != nullptr && req.cache != CachePolicy::no_store && !req.range && req.save_to.empty()) {
    job.page_key = net::page_key_of(req);
    if (req.cached_body_optional && req.cache == CachePolicy::standard) {
      if (auto head = cache->load_page_head(job.page_key)) {
        if (options.offline || HttpCache::is_fresh(*head, unix_now())) {
          ++cache_hits;
          HttpResponse r = response_from_cache(std::move(*head), req);
          r.body_omitted = true;
          job.succeed(std::move(r));
          return Route::answered;
        }
        // Stale, with what its caller derived from the body (an index page's parsed listing): the
        // head is enough to revalidate, and a 304 then answers without the body, which is never read.
        if (!head->annex.empty()) job.stored = std::move(head);
      }
    }
    if (auto stored = job.stored ? std::nullopt : cache->load_page(job.page_key)) {
      // Offline serves whatever age the entry has: the user asked for exactly that.
      if (options.offline || (req.cache == CachePolicy::standard && HttpCache::is_fresh(*stored, unix_now()))) {
        ++cache_hits;
        job.succeed(response_from_cache(std::move(*stored), req));
        return Route::answered;
      }
      job.stored = std::move(stored);
    }
  }
  if (options.offline) throw net::offline_miss(url);
  if (into_blob_store(req, options)) scratch_dir();  // where the download is written
  return Route::network;
}

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

std::shared_future<HttpResponse> HttpClient::submit(HttpRequest request) {
  return impl_->submit(std::move(request)).share();
}

std::filesystem::path HttpClient::scratch_file(std::string_view name) { return impl_->scratch_file(name); }

void HttpClient::add_origins(const std::vector<std::string>& trusted_hosts,
                             const std::vector<std::string>& credential_urls) {
  impl_->add_origins(trusted_hosts, credential_urls);
}

void HttpClient::Impl::add_origins(const std::vector<std::string>& trusted_hosts,
                                   const std::vector<std::string>& credential_urls) {
  std::lock_guard origins(origins_mu_);
  std::vector<std::string>& trusted = options.trusted_hosts;
  for (const std::string& h : trusted_hosts)
    if (std::find(trusted.begin(), trusted.end(), h) == trusted.end()) trusted.push_back(h);
  settings_.credentials.add(credential_urls);
}

void HttpClient::cancel_all() { impl_->cancel_all(); }

void HttpClient::Impl::cancel_all() {
  cancel_all_.request_stop();
  // Jobs on the network thread are failed there; those on disk threads when their work starts (or
  // at its next check, for a file:// download).
  cancel_pending_.store(true);
  wake_network();
}

HttpResponse HttpClient::get(HttpRequest request) {
  request.urgent = true;  // someone is blocked on it
  return impl_->submit(std::move(request)).get();
}

std::vector<HttpResponse> HttpClient::fetch_all(std::vector<HttpRequest> requests, FetchAll mode) {
  std::shared_ptr<net::FetchGroup> group;
  std::stop_source stop;
  if (mode == FetchAll::stop_on_failure) group = std::make_shared<net::FetchGroup>(requests.size());
  std::vector<std::future<HttpResponse>> futures;
  futures.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    futures.push_back(impl_->submit(std::move(requests[i]), group, i, group ? stop.get_token() : std::stop_token()));
  }
  if (group) {
    if (const auto failed = group->wait_for_failure()) {
      stop.request_stop();
      group->wait_for_all();  // no transfer is waited out: they stop, or finish being put in place
      futures[*failed].get();  // throws the failure
    }
  }
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
    // The annex borrowed (no owner), not copied: store_page has written it when it returns.
    return cache->store_page(net::page_key_of(request), net::cached_response_of(response, SharedBytes(nullptr, annex)));
  }
  if (!response.cached_page) return false;
  return cache->store_annex(net::page_key_of(request), response.body_sha256, annex);
}

void HttpClient::record_pages() {
  if (!impl_->page_log) impl_->page_log = std::make_shared<net::PageLog>();
}

std::optional<std::vector<PageRead>> HttpClient::pages_read() const {
  if (!impl_->page_log) return std::vector<PageRead>();
  return impl_->page_log->pages();
}

HttpClient::Stats HttpClient::stats() const {
  Stats s;
  s.network_requests = impl_->network_requests.load();
  s.cache_hits = impl_->cache_hits.load();
  s.revalidated = impl_->revalidated.load();
  s.retries = impl_->retries.load();
  s.bytes_received = impl_->bytes_received.load();
  return s;
}

}  // namespace thoth
