// The inside of HttpClient, shared by its two halves: http_client.cpp (construction and the caller's
// side: validation, file:// URLs and cache hits answered at once) and client_worker.cpp (the worker
// thread: the curl multi loop, retries, completion and the cache updates).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/transfer.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth::net {

using Clock = std::chrono::steady_clock;

struct Job {
  HttpRequest request;
  std::promise<HttpResponse> promise;
  std::uint64_t max_body = 0;
  std::string host;                      // per-host limit key
  std::string page_key;                  // set: a 200 response may be stored as a page
  std::optional<CachedResponse> stored;  // set: the stale entry being revalidated
  unsigned attempts = 0;
  Clock::time_point not_before;
  std::unique_ptr<Transfer> transfer;  // last: it refers to `request`
};

std::int64_t unix_now();
bool has_request_header(const HttpRequest& r, std::string_view name);
// RFC 9111 §3: may this response be stored?
bool storable(const Headers& headers);
// Takes the entry by value: callers done with it move it in, and its body is not copied.
HttpResponse response_from_cache(CachedResponse c, const HttpRequest& request);
// The cache key of a page request: its URL and its Accept header.
std::string page_key_of(const HttpRequest& request);
// The entry that keeps a 200 response from the network, stored now, with `annex`.
CachedResponse cached_response_of(const HttpResponse& response, std::string annex);

}  // namespace thoth::net

namespace thoth {

class HttpClient::Impl {
 public:
  explicit Impl(HttpOptions options);
  ~Impl();

  std::future<HttpResponse> submit(HttpRequest request);
  std::filesystem::path scratch_file(std::string_view name);

  HttpOptions options;
  std::atomic<std::uint64_t> network_requests{0};
  std::atomic<std::uint64_t> cache_hits{0};
  std::atomic<std::uint64_t> revalidated{0};
  std::atomic<std::uint64_t> retries{0};

 private:
  // Caller side (http_client.cpp).
  bool answer_without_network(net::Job& job);
  bool serve_blob(net::Job& job);

  // Worker side (client_worker.cpp).
  void run();
  void start_ready();
  void start(std::unique_ptr<net::Job> job);
  void finished(CURL* easy, CURLcode code, bool stalled);
  void complete(net::Job& job);
  void complete_revalidated(net::Job& job);
  void retry_later(std::unique_ptr<net::Job> job, const net::AttemptResult& result);
  void fail(net::Job& job, const net::AttemptResult& result);
  void fail(net::Job& job, NetError error);
  std::chrono::milliseconds backoff(unsigned attempts);
  void shut_down();
  void start_worker();  // on the first request that needs the network
  void shut_down_worker();  // after the exit grace (caller side)

  net::TransferSettings settings_;
  CURLM* multi_ = nullptr;

  std::mutex mu_;
  std::vector<std::unique_ptr<net::Job>> inbox_;
  bool stop_ = false;
  std::condition_variable idle_;  // notified when the worker has nothing left to do
  bool idle_now_ = false;
  static constexpr std::chrono::milliseconds kExitGrace{250};

  // Worker-only state.
  std::map<std::string, std::deque<std::unique_ptr<net::Job>>> ready_;  // by host
  std::vector<std::unique_ptr<net::Job>> delayed_;                       // waiting out a backoff
  std::unordered_map<CURL*, std::unique_ptr<net::Job>> active_;
  std::unordered_map<std::string, unsigned> per_host_;
  std::mt19937_64 rng_;

  std::mutex scratch_mu_;
  std::filesystem::path scratch_;  // created by the first scratch_file(), removed last
  unsigned scratch_files_ = 0;

  std::once_flag started_;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace thoth
