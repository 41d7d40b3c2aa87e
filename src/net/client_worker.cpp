// HttpClient's network thread: drives the curl multi handle. It starts queued jobs while the total
// and per-host limits allow, reads finished transfers, retries with backoff, gives up on stalled
// transfers, stops cancelled jobs, and hands finished bodies that need disk work to the disk threads
// (client_disk.cpp). Queues are per host so a saturated host never makes the thread rescan jobs it
// cannot start.
#include <algorithm>
#include <optional>

#include "net/client_impl.hpp"
#include "net/curl_api.hpp"
#include "net/errors.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "base/ascii.hpp"
#include "base/url_text.hpp"

namespace thoth {

using net::Clock;
using net::Job;
using net::JobPtr;
using net::curl_api;
using net::has_request_header;
using net::response_from_cache;
using net::storable;
using net::unix_now;
using std::chrono::milliseconds;

void HttpClient::Impl::queue_network(JobPtr job) {
  std::optional<NetError> error;
  {
    std::unique_lock lock(mu_);
    if (stop_) {
      error = net::request_error(job->request.url, "cancelled: the HTTP client was shut down", NetError::Kind::shutdown);
    } else if (network_error_) {
      error = network_error_;  // libcurl could not be loaded
    } else {
      start_worker();  // under mu_, so that the destructor, which sets stop_ under it, joins what starts
      inbox_.push_back(std::move(job));
      idle_now_ = false;
    }
  }
  if (error) {
    job->fail(*error);
    return;
  }
  wake_network();  // a thread still loading libcurl reads inbox_ before it first waits
}

void HttpClient::Impl::wake_network() {
  if (network_started_.load(std::memory_order_acquire)) curl_api().multi_wakeup(multi_);
}

void HttpClient::Impl::run() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
      // Nothing left to do: tell a destructor waiting for the last transfers (see ~Impl).
      const bool idle = inbox_.empty() && active_.empty() && delayed_.empty() &&
                        std::all_of(ready_.begin(), ready_.end(), [](const auto& q) { return q.second.empty(); });
      idle_now_ = idle;
      if (idle) idle_.notify_all();
      for (auto& job : inbox_) {
        auto& queue = ready_[job->host];
        if (job->request.urgent) {
          queue.push_front(std::move(job));
        } else {
          queue.push_back(std::move(job));
        }
      }
      inbox_.clear();
    }
    if (cancel_pending_.exchange(false)) stop_cancelled();
    // Retries whose backoff is over go first in their host's queue: they have waited already.
    auto now = Clock::now();
    for (auto it = delayed_.begin(); it != delayed_.end();) {
      if ((*it)->not_before <= now) {
        ready_[(*it)->host].push_front(std::move(*it));
        it = delayed_.erase(it);
      } else {
        ++it;
      }
    }
    start_ready();

    int running = 0;
    curl_api().multi_perform(multi_, &running);
    bool progressed = false;
    int left = 0;
    while (CURLMsg* msg = curl_api().multi_info_read(multi_, &left)) {
      if (msg->msg == CURLMSG_DONE) {
        finished(msg->easy_handle, msg->data.result, false);
        progressed = true;
      }
    }
    now = Clock::now();
    std::vector<CURL*> stalled;
    for (const auto& [easy, job] : active_) {
      if (job->transfer->deadline() <= now) stalled.push_back(easy);
    }
    for (CURL* easy : stalled) finished(easy, CURLE_OK, true);
    progressed = progressed || !stalled.empty();

    // Sleep until curl needs us, a stall deadline, a retry, or a wakeup from submit(), a cancel token
    // or the destructor.
    long curl_ms = -1;
    curl_api().multi_timeout(multi_, &curl_ms);
    Clock::time_point until = now + (curl_ms >= 0 ? milliseconds(curl_ms) : milliseconds(1000));
    for (const auto& [easy, job] : active_) until = std::min(until, job->transfer->deadline());
    for (const auto& job : delayed_) until = std::min(until, job->not_before);
    int wait_ms = static_cast<int>(std::max<std::int64_t>(
        0, std::chrono::duration_cast<milliseconds>(until - now).count() + 1));
    if (progressed) wait_ms = 0;  // finished transfers may have freed slots for queued jobs
    curl_api().multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
  }
  shut_down();
}

void HttpClient::Impl::stop_cancelled() {
  // Running transfers are taken off the multi handle before their handle goes (fail resets it), and
  // their partial files with them.
  for (auto it = active_.begin(); it != active_.end();) {
    if (!it->second->cancelled()) {
      ++it;
      continue;
    }
    const JobPtr job = std::move(it->second);
    curl_api().multi_remove_handle(multi_, it->first);
    it = active_.erase(it);
    --per_host_[job->host];
    fail(*job, net::cancelled_error(job->request));
  }
  auto stop_cancelled_in = [this](auto& jobs) {
    std::erase_if(jobs, [this](const JobPtr& job) {
      if (!job->cancelled()) return false;
      fail(*job, net::cancelled_error(job->request));
      return true;
    });
  };
  for (auto& [host, queue] : ready_) stop_cancelled_in(queue);
  stop_cancelled_in(delayed_);  // retries waiting out their backoff
}

void HttpClient::Impl::start_ready() {
  for (auto it = ready_.begin(); it != ready_.end() && active_.size() < options.max_transfers;) {
    auto& queue = it->second;
    unsigned& running = per_host_[it->first];
    while (!queue.empty() && running < options.max_per_host && active_.size() < options.max_transfers) {
      auto job = std::move(queue.front());
      queue.pop_front();
      start(std::move(job));
    }
    it = queue.empty() ? ready_.erase(it) : std::next(it);
  }
}

void HttpClient::Impl::start(JobPtr job) {
  const HttpRequest& req = job->request;
  // Validators of the stored entry make the request conditional (RFC 9111 §4.3.1), unless the caller
  // wrote its own.
  Headers conditional;
  if (job->stored) {
    if (auto etag = find_header(job->stored->headers, "etag"); etag && !has_request_header(req, "if-none-match")) {
      conditional.emplace_back("If-None-Match", std::string(*etag));
    }
    if (auto lm = find_header(job->stored->headers, "last-modified"); lm && !has_request_header(req, "if-modified-since")) {
      conditional.emplace_back("If-Modified-Since", std::string(*lm));
    }
  }
  // A download into the blob store is written in the scratch directory, on the store's file system.
  auto sink = std::make_unique<net::BodySink>();
  const bool opened = into_blob_store(req, options)
                          ? sink->open(req, options.cache->blob_path(req.sha256), download_temp_dir())
                          : sink->open(req);
  if (!opened) return fail(*job, net::request_error(req.url, sink->error(), NetError::Kind::local_file));
  {
    std::lock_guard origins(origins_mu_);
    job->transfer = std::make_unique<net::Transfer>(settings_, req, job->max_body, conditional, std::move(sink));
  }
  if (!job->transfer->ok()) {
    return fail(*job, net::request_error(req.url, job->transfer->setup_error(), NetError::Kind::connection));
  }
  CURL* easy = job->transfer->easy();
  if (curl_api().multi_add_handle(multi_, easy) != CURLM_OK) {
    return fail(*job, net::request_error(req.url, "cannot start the transfer", NetError::Kind::connection));
  }
  ++job->attempts;
  ++network_requests;
  ++per_host_[job->host];
  active_.emplace(easy, std::move(job));
}

void HttpClient::Impl::finished(CURL* easy, CURLcode code, bool stalled) {
  auto it = active_.find(easy);
  if (it == active_.end()) return;
  const JobPtr job = std::move(it->second);
  active_.erase(it);
  curl_api().multi_remove_handle(multi_, easy);
  --per_host_[job->host];

  const net::AttemptResult result = job->transfer->result(code, stalled);
  using Verdict = net::AttemptResult::Verdict;
  if (result.verdict == Verdict::retry && job->attempts < options.max_attempts) {
    return retry_later(job, result);
  }
  try {
    if (result.verdict != Verdict::success) {
      fail(*job, result);
    } else if (result.status != 304) {
      if (const auto error = job->transfer->report_complete()) {
        return fail(*job, net::request_error(job->request.url, net::progress_failure(*error),
                                             NetError::Kind::invalid_request));
      }
      complete(job);
    } else if (job->stored) {
      complete_revalidated(job);
    } else {
      // Only a conditional request made from a stored entry has a body to stand for the 304.
      fail(*job, net::request_error(job->request.url, net::status_text(304) + " with no cached copy to use",
                                    NetError::Kind::http_status, 304));
    }
  } catch (const std::exception& e) {
    // Nothing above is expected to throw (each path fulfils the promise last); should something, the
    // caller gets the reason instead of the process ending on the network thread.
    fail(*job, net::request_error(job->request.url, e.what(), NetError::Kind::local_file));
  }
}

void HttpClient::Impl::complete(const JobPtr& job) {
  const HttpRequest& req = job->request;
  net::Transfer& transfer = *job->transfer;
  if (auto digest = transfer.sink().digest(); digest && *digest != base::ascii_lower(req.sha256)) {
    return fail(*job, net::request_error(req.url, "sha256 mismatch (expected " + req.sha256 + ", got " + *digest + ")",
                                         NetError::Kind::hash_mismatch));
  }
  HttpResponse response;
  transfer.finish(response);
  std::shared_ptr<net::BodySink> sink = transfer.take_sink();
  job->transfer.reset();
  // curl's effective URL keeps the userinfo it was given; make sure a redirect never shows one it
  // should not, and that an unredirected response names the URL exactly as asked.
  if (response.url == net::strip_userinfo(req.url) || response.url == req.url) {
    response.url = std::string(base::without_fragment(req.url));
  }
  const bool to_cache = options.cache != nullptr && response.status == 200 &&
                        ((!job->page_key.empty() && storable(response.headers)) || req.cache == CachePolicy::immutable);
  if (!to_cache && !sink->to_file()) return job->succeed(std::move(response));
  post_disk(job, [this, response = std::move(response), sink](const JobPtr& j) mutable {
    store_response(j, std::move(response), *sink);
  });
}

void HttpClient::Impl::complete_revalidated(const JobPtr& job) {
  // RFC 9111 §4.3.4: the 304's header fields replace the stored ones; the body stays.
  HttpResponse not_modified;
  job->transfer->finish(not_modified);
  job->transfer.reset();
  ++revalidated;
  post_disk(job, [this, headers = std::move(not_modified.headers)](const JobPtr& j) {
    CachedResponse& stored = *j->stored;
    // A stale entry loaded without its body (its caller needs only the annex) stays without it.
    const bool body_omitted = stored.body.size() != stored.body_size;
    Headers merged = stored.headers;
    net::merge_headers(merged, headers);
    if (storable(merged)) {
      options.cache->revalidated(j->page_key, stored, headers, unix_now());
    } else {
      stored.headers = std::move(merged);
      options.cache->remove_page(j->page_key);
    }
    HttpResponse r = response_from_cache(std::move(stored), j->request);
    r.body_omitted = body_omitted && r.body.empty();
    j->succeed(std::move(r));
  });
}

milliseconds HttpClient::Impl::backoff(unsigned attempts) {
  // Exponential backoff with jitter: the n-th retry waits a random time in [d/2, d], d = initial * 2^(n-1).
  const unsigned shift = std::min(attempts > 0 ? attempts - 1 : 0u, 20u);
  const auto cap = std::max(options.backoff_max.count(), std::int64_t{0});
  const auto d = std::min<std::int64_t>(cap, options.backoff_initial.count() * (std::int64_t{1} << shift));
  if (d <= 0) return milliseconds(0);
  std::uniform_int_distribution<std::int64_t> dist(d / 2, d);
  return milliseconds(dist(rng_));
}

void HttpClient::Impl::retry_later(JobPtr job, const net::AttemptResult& result) {
  ++retries;
  milliseconds delay = backoff(job->attempts);
  if (result.retry_after) delay = std::min(*result.retry_after, options.retry_after_max);
  job->transfer.reset();  // abandons a partial save_to download
  job->not_before = Clock::now() + delay;
  delayed_.push_back(std::move(job));
}

void HttpClient::Impl::fail(Job& job, const net::AttemptResult& result) {
  std::string cause = result.cause;
  if (job.attempts > 1) cause += " after " + std::to_string(job.attempts) + " attempts";
  fail(job, net::request_error(job.request.url, cause, result.kind, result.status));
}

void HttpClient::Impl::fail(Job& job, const NetError& error) {
  job.transfer.reset();  // abandons a partial save_to download
  job.fail(error);
}

void HttpClient::Impl::shut_down() {
  auto cancel = [this](Job& job) {
    fail(job, net::request_error(job.request.url, "cancelled: the HTTP client was shut down", NetError::Kind::shutdown));
  };
  for (auto& [easy, job] : active_) {
    curl_api().multi_remove_handle(multi_, easy);
    cancel(*job);
  }
  active_.clear();
  for (auto& [host, queue] : ready_) {
    for (auto& job : queue) cancel(*job);
  }
  ready_.clear();
  for (auto& job : delayed_) cancel(*job);
  delayed_.clear();
  std::lock_guard lock(mu_);
  for (auto& job : inbox_) cancel(*job);
  inbox_.clear();
}

}  // namespace thoth
