// HTTP for the index client, the resolver's prefetching and the installer's downloads.
//
// One HttpClient owns a network thread that drives a libcurl multi handle: transfers run in parallel
// (bounded in total and per host), connections are reused and HTTP/2 streams multiplexed where the
// server offers it. Disk work that is more than writing arriving bytes (hashing a stored file, moving
// a download into the blob store and on to its destination, cache writes) runs on a small pool of disk
// threads, so the network thread never waits for the disk. Callers submit() a request and get a
// shared_future, so they keep working while the bytes arrive; get() and fetch_all() are blocking
// conveniences on top. A request can report its progress and be cancelled (HttpRequest::progress,
// HttpRequest::cancel).
//
// Failures surface as NetError. A request succeeds only with a 2xx response (a 304 answering our own
// revalidation is turned back into the cached 200). Every other outcome throws NetError, whose status()
// carries the HTTP status when there was one, so a caller tells "project not on this index" (404/410)
// from a broken index by status() or not_found(). 4xx other than 429, and 501, are final; connection
// errors, timeouts, truncated bodies, other 5xx and 429 are retried with exponential backoff and
// jitter.
//
// file:// URLs never go through curl: they are read from disk (ranges too), on the caller's thread
// unless saved to a file (HttpRequest::save_to: a disk thread copies it), and a missing file is
// reported like an HTTP 404 so callers treat local and remote mirrors alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/shared_bytes.hpp"

namespace thoth {

class NetError : public Error {
 public:
  enum class Kind {
    http_status,      // the server answered with a non-2xx status; status() says which
    connection,       // could not connect, connection reset, DNS failure, proxy failure
    timeout,          // connect timeout or no data for longer than the read timeout
    tls,              // certificate verification or TLS handshake failure
    redirects,        // too many redirects (or a redirect to a scheme other than http/https)
    truncated,        // the body ended before Content-Length bytes
    too_large,        // the body exceeded the request's max_body (bomb guard)
    hash_mismatch,    // the body's sha256 is not the one the request expected
    offline,          // offline mode and the response is not in the cache
    local_file,       // a file:// URL could not be read (a missing file is http_status 404)
    invalid_request,  // malformed URL, unsupported scheme, contradictory request fields
    shutdown,         // the client was destroyed before the transfer finished
    cancelled,        // the request's cancel token (or fetch_all's stop on a failure) stopped it
  };

  NetError(std::string message, Kind kind, long status = 0)
      : Error(std::move(message)), kind_(kind), status_(status) {}

  Kind kind() const { return kind_; }
  // The HTTP status code when the failure is a response status, else 0.
  long status() const { return status_; }
  // The project/file does not exist there: HTTP 404 or 410, or a missing file:// path.
  bool not_found() const { return status_ == 404 || status_ == 410; }

 private:
  Kind kind_;
  long status_;
};

// Response headers: names lower-cased, in arrival order, repeated names kept as separate entries.
using Headers = std::vector<std::pair<std::string, std::string>>;

// First value of a header (name compared case-insensitively), or nullopt.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

// The URL with any password replaced by "****" (a userinfo without password is taken to be a token and
// replaced whole), as pip shows URLs. Every message that names a URL goes through it.
std::string redact_url(std::string_view url);

// The most bytes thoth reads whole from a local input file the user names (requirements and constraints
// files, lock files, the target file): far above any real one, so that `-r /dev/zero` is an error, not an
// 8 GB allocation. Messages name it through input_limit_text().
inline constexpr std::uint64_t kMaxInputBytes = std::uint64_t{64} << 20;
// The most bytes of one simple-index page (PEP 503 HTML or PEP 691 JSON), over HTTP or from a file: the
// largest pages of pypi.org (projects with tens of thousands of files) are tens of megabytes.
inline constexpr std::uint64_t kMaxPageBytes = std::uint64_t{256} << 20;
// "64 MiB" for a limit in bytes (whole MiB), for messages.
inline std::string input_limit_text(std::uint64_t limit) { return std::to_string(limit >> 20) + " MiB"; }

// The whole content of a local file in one read (cache entries, local index pages), or nullopt when it
// cannot be opened or read, or holds more than `limit` bytes. A regular file is read up to the size it
// had when opened.
std::optional<std::string> read_file(const std::filesystem::path& path, std::uint64_t limit = UINT64_MAX);
// What read_file does once the file is open: reads `fd` into `out`, a regular file in one read of the
// size it has now, anything else (a pipe, /dev/zero) to its end. 0, EFBIG when there are more than `limit`
// bytes (it stops reading there), or the errno of the read that failed.
int read_to_end(int fd, std::string& out, std::uint64_t limit = UINT64_MAX);
// Same, applied to every URL-looking "scheme://user:pass@" run inside a free text (curl's own errors).
std::string redact_text(std::string_view text);

// A byte range to request: either [first, last] inclusive, [first, end of file], or the last N bytes.
struct ByteRange {
  enum class Kind { span, from, suffix };
  Kind kind = Kind::span;
  std::uint64_t first = 0;  // span/from: first byte offset; suffix: number of bytes
  std::uint64_t last = 0;   // span only: last byte offset, inclusive

  static ByteRange span(std::uint64_t first, std::uint64_t last) { return {Kind::span, first, last}; }
  static ByteRange from(std::uint64_t first) { return {Kind::from, first, 0}; }
  static ByteRange suffix(std::uint64_t n) { return {Kind::suffix, n, 0}; }
  // The Range header value, e.g. "bytes=0-99", "bytes=100-", "bytes=-22".
  std::string header_value() const;
};

// A parsed Content-Range: "bytes first-last/total" (total 0 when the server sent "*").
struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t total = 0;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

enum class CachePolicy {
  standard,     // HTTP caching: serve fresh entries, revalidate stale ones, store cacheable responses
  revalidate,   // like standard, but always revalidate a stored entry (a conditional request)
  no_store,     // neither read nor write the cache
  immutable,    // content-addressed: the body is keyed by HttpRequest::sha256 in the blob store and
                // never changes; a stored blob is served without any request
};

// How much of a body has arrived: `received` bytes so far, of `total` (0 while unknown: no
// Content-Length, or a compressed body that curl decodes). See HttpRequest::progress.
using ProgressCallback = std::function<void(std::uint64_t received, std::uint64_t total)>;

struct HttpRequest {
  std::string url;
  // Extra request headers, e.g. {"Accept", "application/vnd.pypi.simple.v1+json, text/html;q=0.1"}
  // for PEP 691 content negotiation. The Accept value is part of the cache key.
  std::vector<std::pair<std::string, std::string>> headers;
  // A partial request. Range responses are never stored in the HTTP cache. A server may ignore the
  // range and answer 200 with the whole body: check the response status (206 vs 200).
  std::optional<ByteRange> range;
  CachePolicy cache = CachePolicy::standard;
  // Expected sha256 (hex) of the body. When set, a body with another hash fails with hash_mismatch.
  // Required by CachePolicy::immutable, where it is also the blob key.
  std::string sha256;
  // Bomb guard: more body bytes than this fails the request (too_large). 0 means the client default.
  std::uint64_t max_body = 0;
  // Stream the body into this file instead of HttpResponse::body, for large downloads; the file
  // appears whole when the request succeeds, never partly. Such requests bypass the page cache.
  // Without CachePolicy::immutable (or without a cache) the body goes to a temporary in save_to's
  // directory, renamed into place. With CachePolicy::immutable and a cache, it goes to a temporary in
  // the client's scratch directory (on the cache's file system), is renamed into the blob store, and
  // save_to becomes a hard link to the blob (a copy when save_to is on another file system); a stored
  // blob is verified and linked the same way without any request. So save_to may share its inode
  // with the cache: replace such a file, never write into it (a damaged blob is detected by its hash
  // and dropped, but the file would be wrong until then). Two requests, or two processes, fetching the
  // same sha256 at once each download into their own temporary and rename it over the blob: both
  // hold verified, identical content, so readers and links see one complete file or the other.
  std::filesystem::path save_to;
  // Let curl negotiate gzip/br/zstd and decode. Range requests always ask for identity.
  bool allow_compression = true;
  // Start before already queued requests (the resolver waits on it; prefetches can wait).
  bool urgent = false;
  // A fresh page answered from the cache comes without its body (HttpResponse::body_omitted): for a
  // caller that may need only the body's sha256 (a page already parsed from that very body), so that
  // the body is not read from disk. Responses from the network always carry the body.
  bool cached_body_optional = false;
  // The caller keeps what it derives from a page body with the page (HttpClient::store_annex): a
  // cacheable page from the network is then left for the caller to store (HttpResponse::store_pending),
  // so that it is written once, with its annex, instead of twice.
  bool annex_follows = false;
  // Stops the request when its source asks (std::stop_source::request_stop(), from any thread): the
  // future fails promptly with NetError::Kind::cancelled whether the request is queued, transferring,
  // waiting out a retry's backoff or waiting for a disk thread; the transfer is stopped and a partial
  // save_to file removed. A request whose future is already fulfilled is not affected; one being
  // moved into place at that moment may still complete. An empty token (the default) never stops.
  std::stop_token cancel;
  // Called while the body arrives from the network, at most once per HttpOptions::progress_interval
  // (the first piece always), and once more with received == total (the body's size) when the body
  // is complete; a body from the network is then still to be checked against sha256 and put in
  // place. A body served from the blob store or a file:// download gets only that last call. A
  // retried request starts again from 0; otherwise `received` never decreases. It runs on the
  // client's network thread (the last call of a body from the store or a file:// download: on a disk
  // thread), never on two threads at once for one request, and never for a request answered within
  // submit() (file:// pages, fresh cache hits, small blobs wanted in memory). It must be quick and
  // must not throw: the client catches an exception and fails the request with
  // NetError::Kind::invalid_request.
  ProgressCallback progress;

  HttpRequest() = default;
  explicit HttpRequest(std::string u) : url(std::move(u)) {}
};

struct HttpResponse {
  long status = 0;          // a 2xx: 200, or 206 for a range (a revalidated cache entry reports 200)
  Headers headers;          // lower-cased names; no Content-Encoding/-Length once curl decoded the body
  std::string body;         // empty when the request had save_to
  std::uint64_t body_size = 0;
  std::string url;          // effective URL after redirects
  bool from_cache = false;  // served from the on-disk cache (fresh, revalidated by 304, or offline)
  // sha256 (hex) of the body when the client knows it without hashing it again (a page it stored in
  // or read from the cache, a blob); empty otherwise.
  std::string body_sha256;
  // HttpRequest::cached_body_optional was honoured: body is empty, body_size and body_sha256 are the
  // stored body's. Ask again without the flag for the body.
  bool body_omitted = false;
  // The body is in the page cache (fetched and stored, or read from it). `annex` is what was kept
  // with it so far (HttpCache, HttpClient::store_annex).
  bool cached_page = false;
  SharedBytes annex;
  // A cacheable page from the network that the client did not store because the request said
  // annex_follows: HttpClient::store_annex stores it (else it is not cached).
  bool store_pending = false;

  std::optional<std::string_view> header(std::string_view name) const { return find_header(headers, name); }
};

class HttpCache;

// A page request as HttpClient::record_pages keeps it: what was asked (URL, request headers) and the
// body that answered it, by its sha256 (whether it came from the network, a 304 or the cache).
struct PageRead {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  long status = 0;
  std::string body_sha256;
};

struct HttpOptions {
  // Parallelism: transfers running at once, in total and towards one scheme://host:port.
  unsigned max_transfers = 32;
  unsigned max_per_host = 12;
  // Attempts per request (1 = no retry) and the backoff between them: the n-th retry waits a random
  // time in [d/2, d] with d = backoff_initial * 2^(n-1), capped at backoff_max.
  unsigned max_attempts = 5;
  std::chrono::milliseconds backoff_initial{250};
  std::chrono::milliseconds backoff_max{8000};
  // A Retry-After from a 429/503 is honoured up to this.
  std::chrono::milliseconds retry_after_max{30000};
  std::chrono::milliseconds connect_timeout{15000};
  // Fails a transfer that receives no byte for this long (like pip's --timeout, a read timeout).
  std::chrono::milliseconds read_timeout{30000};
  unsigned max_redirects = 10;
  // Default bomb guard for requests that do not set max_body.
  std::uint64_t max_body = std::uint64_t{2} << 30;

  // TLS. ca_bundle: a PEM file or a directory of hashed certificates (pip --cert). client_cert: one PEM
  // file with certificate and private key (pip --client-cert). trusted_hosts: "host" or "host:port"
  // whose certificates are not verified (pip --trusted-host).
  std::filesystem::path ca_bundle;
  std::filesystem::path client_cert;
  std::vector<std::string> trusted_hosts;

  // The environment variables the client honours, normally the caller's snapshot of the process
  // environment (the CLI passes its Context::env). The client never reads the process environment
  // itself (nor does libcurl, which is always given explicit values): an empty map means that no
  // variable is set, and an empty value counts as unset. Read: NETRC and HOME (netrc_file below),
  // the proxy variables (proxy below) and TMPDIR (scratch_file without a cache).
  std::map<std::string, std::string> environment;

  // An explicit proxy (pip --proxy) for every request. Empty: the proxy of `environment`, lower-case
  // name first as curl and pip's requests read them: for http:// URLs http_proxy, HTTP_PROXY, then
  // all_proxy, ALL_PROXY; for https:// URLs https_proxy, HTTPS_PROXY, then all_proxy, ALL_PROXY.
  // no_proxy (else NO_PROXY) lists hosts reached directly, matched by libcurl's rules (host or domain
  // suffix, "*" for all); it applies to an explicit proxy too.
  std::string proxy;

  // Credentials, first found wins: the URL's own userinfo; then the userinfo of the first of
  // credential_urls on the same origin (scheme://host:port), as pip's MultiDomainBasicAuth sends an
  // index URL's credentials to every URL on its netloc (absolute file links, .metadata files, range
  // reads); then the netrc file when use_netrc. Stored credentials never go to another origin, also
  // not on a redirect. netrc_file empty: NETRC of `environment` when set, else $HOME/.netrc (HOME of
  // `environment`; no netrc without it), looked up once, when the client is constructed.
  std::vector<std::string> credential_urls;
  bool use_netrc = true;
  std::filesystem::path netrc_file;

  std::string user_agent;  // empty: "thoth/<version>"

  // The on-disk cache (may be null: no caching). Offline: never touch the network; serve cached
  // entries whatever their age; anything else fails with NetError::Kind::offline.
  std::shared_ptr<HttpCache> cache;
  bool offline = false;

  // The least time between two progress calls of one request (HttpRequest::progress); 0: at every
  // piece of body curl hands over.
  std::chrono::milliseconds progress_interval{100};
  // Threads for disk work (hashing stored blobs, moving downloads into place, cache writes), started
  // when the first such work comes.
  unsigned disk_threads = 1;
};

// Thread-safe: any thread may submit(). A future is fulfilled on the network thread or a disk thread,
// or within submit() itself when neither network nor disk work is needed.
class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  // Stops the network thread (after a short grace for transfers about to finish): transfers still
  // running fail with NetError::Kind::shutdown. Then lets the disk threads finish what they were
  // given (finished downloads still reach the cache and their destination), then removes the scratch
  // directory.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts the request and returns at once (file:// pages, fresh cache hits and small blobs wanted in
  // memory are already answered; no file is hashed or copied on the caller's thread). The future
  // holds the response or a NetError.
  std::shared_future<HttpResponse> submit(HttpRequest request);
  // Blocking forms. fetch_all runs all requests in parallel and returns the responses in request
  // order. wait_for_all waits for every request and throws the first failure in request order.
  // stop_on_failure returns as soon as one request has failed for good (a final status, or retries
  // exhausted): it cancels the others (as HttpRequest::cancel does), waits only until they have
  // stopped (promptly: no transfer is waited out, and no file of theirs appears afterwards), and
  // throws that failure.
  enum class FetchAll { wait_for_all, stop_on_failure };
  HttpResponse get(HttpRequest request);
  HttpResponse get(std::string url) { return get(HttpRequest(std::move(url))); }
  std::vector<HttpResponse> fetch_all(std::vector<HttpRequest> requests, FetchAll mode = FetchAll::wait_for_all);

  const HttpOptions& options() const;

  // A new path for a download saved to a file (HttpRequest::save_to), ending in "-" + `name`, in the
  // client's private scratch directory, created on first use: under the cache directory
  // (HttpCache::scratch_root()), so that a file downloaded there moves into the blob store and back by
  // rename and hard link, never by copy; in TMPDIR of HttpOptions::environment (else /tmp) when there
  // is no cache. The directory is removed, with whatever is left in it, when the client is
  // destroyed, after the transfers still running have stopped, so none of them writes into it
  // afterwards. Throws NetError (local_file) when it cannot be created.
  //
  // A process killed mid-run cannot remove its directory, so each client that creates one also has a
  // disk thread remove the stale ones beside it: named thoth-scratch-HOST-PID-XXXXXX, a directory is
  // in use while its client holds a lock (flock) on it, and one that nobody holds is stale when its
  // process is gone (same HOST and no process PID) or when it is more than a day old (another host's,
  // or a PID that was reused).
  std::filesystem::path scratch_file(std::string_view name);

  // More trusted hosts and credential URLs (HttpOptions::trusted_hosts, credential_urls), for the
  // requests started from now on: options a requirements file gives after the client read it, as pip
  // adds a file's --trusted-host to its session. Credentials already known for an origin stay.
  void add_origins(const std::vector<std::string>& trusted_hosts, const std::vector<std::string>& credential_urls);

  // Gives up on everything: every request queued, transferring, waiting out a backoff or on a disk
  // thread, and every request submitted afterwards, fails promptly with NetError::Kind::cancelled, as
  // if each had its HttpRequest::cancel stopped. For a caller whose whole run ran out of time (thoth's
  // --resolve-timeout), so that a server trickling bytes cannot keep it waiting. Thread-safe; final.
  void cancel_all();

  // Keeps `annex`, what the caller derived from the body of `response` (the answer to `request`), with
  // that page in the cache: stores a page left to the caller (HttpResponse::store_pending) with it, or
  // adds it to a cached page (HttpResponse::cached_page) whose body is still the one hashing to
  // response.body_sha256. Best effort, like every cache write: false when nothing was kept (no cache,
  // a page the cache does not keep, another body by now, a write failure).
  bool store_annex(const HttpRequest& request, const HttpResponse& response, std::string_view annex);

  struct Stats {
    std::uint64_t network_requests = 0;  // attempts that went to the network (retries counted)
    std::uint64_t cache_hits = 0;        // answered from the cache without any request
    std::uint64_t revalidated = 0;       // 304s that confirmed a cached entry
    std::uint64_t retries = 0;
    // Body bytes received from the network so far (retried attempts counted): with the requests'
    // own progress calls, what a progress display needs for its totals.
    std::uint64_t bytes_received = 0;
  };
  Stats stats() const;

  // Keeps a record of every page request submitted from now on (not blobs, ranges or downloads to a
  // file): what a caller needs to ask later whether the same requests still get the same bodies
  // (the resolution memo, thoth lock). pages_read() gives those answered so far, in the order they
  // were answered; nullopt when one of them failed, or a range or a download not addressed by its
  // sha256 was asked for meanwhile: what those read cannot be asked again and compared.
  void record_pages();
  std::optional<std::vector<PageRead>> pages_read() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace thoth
