// The inside of HttpClient, shared by its three parts: http_client.cpp (construction and the caller's
// side: validation, and what needs no thread of the client: file:// pages and cache hits),
// client_worker.cpp (the network thread: the curl multi loop, retries, cancellation) and
// client_disk.cpp (the disk threads: blobs served from the store, downloads put in place, cache
// writes, file:// downloads).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/disk_worker.hpp"
#include "net/scratch_dir.hpp"
#include "net/transfer.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

using Clock = std::chrono::steady_clock;

// What fetch_all(stop_on_failure) waits on: how many of its requests are still open, and the first
// that failed.
class FetchGroup {
 public:
  explicit FetchGroup(std::size_t requests) : open_(requests) {}
  void done(std::size_t index, bool failed);
  // Until every request is done or one has failed: the index of the first that failed, if any.
  std::optional<std::size_t> wait_for_failure();
  void wait_for_all();

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::size_t open_;
  std::optional<std::size_t> failed_;
};

// HttpClient::record_pages's record: filled from any thread as page requests finish.
class PageLog {
 public:
  void answered(const HttpRequest& request, const HttpResponse& response);
  void failed();
  std::optional<std::vector<PageRead>> pages() const;

 private:
  mutable std::mutex mu_;
  std::vector<PageRead> pages_;
  bool failed_ = false;
};

struct Job {
  HttpRequest request;
  std::shared_ptr<PageLog> page_log;  // set: a page request made while HttpClient::record_pages
  std::promise<HttpResponse> promise;
  std::uint64_t max_body = 0;
  std::string host;                      // per-host limit key
  std::string page_key;                  // set: a 200 response may be stored as a page
  std::optional<CachedResponse> stored;  // set: the stale entry being revalidated
  unsigned attempts = 0;
  Clock::time_point not_before;
  // fetch_all(stop_on_failure)'s: a second reason to stop, and whom to tell when done.
  std::stop_token group_cancel;
  std::shared_ptr<FetchGroup> group;
  std::size_t group_index = 0;
  // Wake the network thread when a token asks to stop (HttpClient::Impl::watch_cancellation).
  std::optional<std::stop_callback<std::function<void()>>> on_cancel, on_group_cancel;
  std::unique_ptr<Transfer> transfer;  // last: it refers to `request`

  std::stop_token client_cancel;  // HttpClient::cancel_all()'s
  bool cancelled() const {
    return request.cancel.stop_requested() || group_cancel.stop_requested() || client_cancel.stop_requested();
  }
  // Fulfil the promise (exactly one of them, once) and tell the group.
  void succeed(HttpResponse response);
  void fail(std::exception_ptr error);
  void fail(const NetError& error) { fail(std::make_exception_ptr(error)); }
};
using JobPtr = std::shared_ptr<Job>;

std::int64_t unix_now();
bool has_request_header(const HttpRequest& r, std::string_view name);
// RFC 9111 §3: may this response be stored?
bool storable(const Headers& headers);
// Takes the entry by value: callers done with it move it in, and its body is not copied.
HttpResponse response_from_cache(CachedResponse c, const HttpRequest& request);
// The cache key of a page request: its URL and its Accept header.
std::string page_key_of(const HttpRequest& request);
// The entry that keeps a 200 response from the network, stored now, with `annex`.
CachedResponse cached_response_of(const HttpResponse& response, SharedBytes annex);
// The answer of a blob from the store: `body` (empty for a save_to download) of `size` bytes.
HttpResponse blob_response(const HttpRequest& request, std::string body, std::uint64_t size);
// "GET <url> failed: cancelled"
NetError cancelled_error(const HttpRequest& request);

}  // namespace thoth::net

namespace thoth {

class HttpClient::Impl {
 public:
  explicit Impl(HttpOptions options);
  ~Impl();

  // `group` and `group_cancel`: fetch_all(stop_on_failure)'s, for request number `index`.
  std::future<HttpResponse> submit(HttpRequest request, std::shared_ptr<net::FetchGroup> group = {},
                                   std::size_t index = 0, std::stop_token group_cancel = {});
  std::filesystem::path scratch_file(std::string_view name);

  HttpOptions options;
  std::shared_ptr<net::PageLog> page_log;  // HttpClient::record_pages; set once, before requests
  std::atomic<std::uint64_t> network_requests{0};
  std::atomic<std::uint64_t> cache_hits{0};
  std::atomic<std::uint64_t> revalidated{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> bytes_received{0};

  void add_origins(const std::vector<std::string>& trusted_hosts, const std::vector<std::string>& credential_urls);
  void cancel_all();

 private:
  // Caller side (http_client.cpp).
  enum class Route { answered, network, serve_blob, read_file };
  Route route(net::Job& job);
  void watch_cancellation(net::Job& job);
  // The scratch directory, created (and the stale ones beside it swept) on first use.
  std::filesystem::path scratch_dir();
  // Where a download into the blob store is written: the scratch directory once made, else "".
  std::filesystem::path download_temp_dir();
  static bool into_blob_store(const HttpRequest& request, const HttpOptions& options);
  // Blobs up to this size wanted in memory are read and checked on the caller's thread (route()).
  static constexpr std::uint64_t kSmallBlob = 64 << 10;

  // Network thread (client_worker.cpp), but queue_network and wake_network from any thread.
  void queue_network(net::JobPtr job);
  void wake_network();
  void run();
  void stop_cancelled();
  void start_ready();
  void start(net::JobPtr job);
  void finished(CURL* easy, CURLcode code, bool stalled);
  void complete(const net::JobPtr& job);
  void complete_revalidated(const net::JobPtr& job);
  void retry_later(net::JobPtr job, const net::AttemptResult& result);
  void fail(net::Job& job, const net::AttemptResult& result);
  void fail(net::Job& job, const NetError& error);
  std::chrono::milliseconds backoff(unsigned attempts);
  void shut_down();
  void start_worker();      // with mu_ held, on the first request that needs the network
  bool open_network();      // on the network thread, first: loads libcurl, makes multi_
  void fail_queued();       // on the network thread, when open_network failed
  void shut_down_worker();  // after the exit grace (caller side)

  // Disk threads (client_disk.cpp). post_disk runs `work` there unless the job was cancelled
  // meanwhile, and fails the job with what `work` throws.
  void post_disk(net::JobPtr job, std::function<void(const net::JobPtr&)> work);
  void serve_blob(const net::JobPtr& job);
  void read_file(const net::JobPtr& job);
  void store_response(const net::JobPtr& job, HttpResponse response, net::BodySink& sink);
  bool place_download(const HttpRequest& request, net::AtomicFile& file, bool into_store);
  // A blob that turned out damaged or unreadable: fetched again (or an offline miss).
  void fetch_again(const net::JobPtr& job);

  net::TransferSettings settings_;
  // Guards the trusted hosts and credentials of settings_ (add_origins() on a caller's thread, read
  // when a transfer is set up on the network thread).
  std::mutex origins_mu_;
  CURLM* multi_ = nullptr;
  std::atomic<bool> network_started_{false};  // multi_ is set
  std::atomic<bool> cancel_pending_{false};   // a token asked to stop: the network thread looks
  std::stop_source cancel_all_;               // every job's client_cancel

  std::mutex mu_;
  std::vector<net::JobPtr> inbox_;
  bool stop_ = false;
  std::optional<NetError> network_error_;  // libcurl could not be loaded: every network job fails so
  std::condition_variable idle_;  // notified when the network thread has nothing left to do
  bool idle_now_ = false;
  static constexpr std::chrono::milliseconds kExitGrace{250};

  // Network-thread-only state.
  std::map<std::string, std::deque<net::JobPtr>> ready_;  // by host
  std::vector<net::JobPtr> delayed_;                      // waiting out a backoff
  std::unordered_map<CURL*, net::JobPtr> active_;
  std::unordered_map<std::string, unsigned> per_host_;
  std::mt19937_64 rng_;

  std::mutex scratch_mu_;
  std::unique_ptr<net::ScratchDir> scratch_;  // created by the first scratch_dir(), removed last
  std::atomic<unsigned> scratch_files_{0};

  net::DiskWorker disk_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace thoth
