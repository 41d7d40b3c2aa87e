// HttpClient's disk threads: blobs served from the store (checked against their name first),
// finished downloads put in place (renamed into the blob store and linked on, or renamed to save_to),
// cache writes of finished responses, and file:// downloads. What needs the network again (a damaged
// blob) goes back to the network thread.
#include "net/atomic_file.hpp"
#include "net/client_impl.hpp"
#include "net/errors.hpp"
#include "net/file_fetch.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "thoth/hash.hpp"
#include "base/ascii.hpp"

namespace thoth {

using net::JobPtr;

namespace {

NetError write_error(const HttpRequest& request, const std::string& cause) {
  return net::request_error(request.url, cause.empty() ? "cannot write " + request.save_to.string() : cause,
                            NetError::Kind::local_file);
}

// The progress call of a body that is complete (received == total); false when the callback threw
// (the job has failed then).
bool report_complete(const JobPtr& job, std::uint64_t size) {
  if (!job->request.progress) return true;
  const auto error = net::call_progress(job->request, size, size);
  if (!error) return true;
  job->fail(net::request_error(job->request.url, net::progress_failure(*error),
                               NetError::Kind::invalid_request));
  return false;
}

bool blob_matches(const std::filesystem::path& path, std::string_view sha256) {
  try {
    return sha256_file_hex(path) == base::ascii_lower(sha256);
  } catch (const NetError&) {
    return false;  // unreadable: fetched again like a damaged one
  }
}

}  // namespace

void HttpClient::Impl::post_disk(JobPtr job, std::function<void(const JobPtr&)> work) {
  disk_.post([job = std::move(job), work = std::move(work)] {
    if (job->cancelled()) return job->fail(net::cancelled_error(job->request));
    try {
      work(job);
    } catch (const NetError&) {
      job->fail(std::current_exception());
    } catch (const std::exception& e) {
      // Each path fulfils the promise last, so a throw means it is not fulfilled yet.
      job->fail(net::request_error(job->request.url, e.what(), NetError::Kind::local_file));
    }
  });
}

void HttpClient::Impl::serve_blob(const JobPtr& job) {
  const HttpRequest& req = job->request;
  const HttpCache& cache = *options.cache;
  const auto path = cache.blob_path(req.sha256);
  std::string body;
  std::error_code ec;
  std::uint64_t size = 0;
  if (req.save_to.empty()) {
    auto blob = cache.load_blob(req.sha256);  // verified; a damaged one is dropped
    if (!blob) return fetch_again(job);
    body = std::move(*blob);
    size = body.size();
  } else {
    size = std::filesystem::file_size(path, ec);
    // Verify before handing it out: a damaged blob is dropped and fetched again.
    if (ec || !blob_matches(path, req.sha256)) {
      std::filesystem::remove(path, ec);
      return fetch_again(job);
    }
  }
  if (!report_complete(job, size)) return;
  if (!req.save_to.empty() && !net::link_or_copy_atomic(path, req.save_to)) return job->fail(write_error(req, {}));
  ++cache_hits;
  job->succeed(net::blob_response(req, std::move(body), size));
}

void HttpClient::Impl::fetch_again(const JobPtr& job) {
  if (options.offline) return job->fail(net::offline_miss(job->request.url));
  if (into_blob_store(job->request, options)) scratch_dir();  // where the download is written
  queue_network(job);
}

void HttpClient::Impl::read_file(const JobPtr& job) {
  HttpResponse r = net::fetch_file_url(job->request, job->max_body, [&job] { return job->cancelled(); });
  if (report_complete(job, r.body_size)) job->succeed(std::move(r));
}

void HttpClient::Impl::store_response(const JobPtr& job, HttpResponse response, net::BodySink& sink) {
  const HttpRequest& req = job->request;
  HttpCache* cache = options.cache.get();
  const bool whole = response.status == 200;
  // The cache is best effort: a failed write costs a future request, never this one.
  if (cache != nullptr && whole && !job->page_key.empty() && net::storable(response.headers)) {
    response.body_sha256 = sha256_hex(response.body);
    if (req.annex_follows) {
      response.store_pending = true;
    } else {
      response.cached_page = cache->store_page(job->page_key, net::cached_response_of(response, {}));
    }
  } else if (cache != nullptr && whole && req.cache == CachePolicy::immutable && !sink.to_file()) {
    // Its sha256 was checked as it arrived: no second hashing (HttpCache::store_blob's).
    net::write_file_atomic(cache->blob_path(req.sha256), response.body);
  }
  if (sink.to_file()) {
    if (into_blob_store(req, options)) {
      if (!place_download(req, sink.file(), whole)) return job->fail(write_error(req, {}));
    } else if (!sink.file().commit()) {
      return job->fail(write_error(req, sink.error()));
    }
  }
  job->succeed(std::move(response));
}

bool HttpClient::Impl::place_download(const HttpRequest& request, net::AtomicFile& file, bool into_store) {
  // Renamed into the blob store (the temporary is on its file system), then linked on to save_to.
  if (into_store && file.commit()) return net::link_or_copy_atomic(file.destination(), request.save_to);
  // Not stored: the temporary itself goes to save_to (and its own name is removed with the sink).
  return file.close() && net::link_or_copy_atomic(file.temp_path(), request.save_to);
}

}  // namespace thoth
