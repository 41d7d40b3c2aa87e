// HttpClient for the installer's downloads: progress, cancellation, fetch_all stopping on a failure,
// the scratch directory and its sweeping, and downloads moved through the blob store by rename and
// hard link. Against the local test server; time is only guarded generously (a slow fault takes 10 s,
// and the assertions only check that a cancelled transfer was not waited out).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>
#include <utility>
#include <vector>

#include "http_fixture.hpp"
#include "net/scratch_dir.hpp"
#include "support.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Calls = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

const std::string kBig = test::pattern_bytes(200000, 99);  // files/big.bin
// The server sends files/big.bin over 10 s with this fault: long enough that a test which finishes
// well before has not waited it out.
const char* const kSlowBig = "/files/big.bin slow delay=10 chunks=100";
constexpr auto kServerTime = 10s;

class Downloads : public test::HttpFixture {};

// Every regular file under `dir`.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(it->path());
  }
  return out;
}

struct stat stat_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st;
}

HttpRequest blob_request(const std::string& url, const std::filesystem::path& save_to) {
  HttpRequest r(url);
  r.cache = CachePolicy::immutable;
  r.sha256 = sha256_hex(kBig);
  r.save_to = save_to;
  return r;
}

// A request whose first progress call fulfils `started`: its transfer is under way.
HttpRequest started_request(const std::string& url, std::promise<void>& started) {
  HttpRequest r(url);
  auto once = std::make_shared<std::atomic<bool>>(false);
  r.progress = [&started, once](std::uint64_t, std::uint64_t) {
    if (!once->exchange(true)) started.set_value();
  };
  return r;
}

NetError failure_of(const std::shared_future<HttpResponse>& f) {
  try {
    f.get();
  } catch (const NetError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a NetError";
  return NetError("none", NetError::Kind::invalid_request);
}

TEST_F(Downloads, ProgressIsMonotonicAndEndsWithTheTotal) {
  HttpOptions o = fast();
  o.progress_interval = 0ms;
  HttpClient client(o);
  fault("/files/big.bin slow delay=0.5 chunks=5");
  Calls calls;  // written on the network thread before the future is ready, read after
  HttpRequest req(url("/files/big.bin"));
  req.progress = [&calls](std::uint64_t received, std::uint64_t total) { calls.emplace_back(received, total); };
  EXPECT_EQ(client.get(req).body, kBig);
  ASSERT_GE(calls.size(), 3u);  // five pieces apart in time, then the last call
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].second, kBig.size()) << i;  // Content-Length
    if (i > 0) {
      EXPECT_LE(calls[i - 1].first, calls[i].first) << i;
    }
  }
  EXPECT_EQ(calls.back(), std::make_pair(std::uint64_t{kBig.size()}, std::uint64_t{kBig.size()}));
  EXPECT_GE(client.stats().bytes_received, kBig.size());
}

TEST_F(Downloads, ProgressIsCalledAtMostOncePerInterval) {
  HttpOptions o = fast();
  o.progress_interval = 1h;
  HttpClient client(o);
  fault("/files/big.bin slow delay=0.5 chunks=5");
  Calls calls;
  HttpRequest req(url("/files/big.bin"));
  req.progress = [&calls](std::uint64_t received, std::uint64_t total) { calls.emplace_back(received, total); };
  client.get(req);
  // The first piece, then nothing for an hour but the last call.
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_LT(calls[0].first, kBig.size());
  EXPECT_EQ(calls[1].first, kBig.size());
}

TEST_F(Downloads, ADecodedBodyHasNoTotalUntilItIsComplete) {
  ASSERT_EQ(server_->command("gzip /files/f21.bin"), "ok");
  HttpOptions o = fast();
  o.progress_interval = 0ms;
  HttpClient client(o);
  Calls calls;
  HttpRequest req(url("/files/f21.bin"));
  req.progress = [&calls](std::uint64_t received, std::uint64_t total) { calls.emplace_back(received, total); };
  EXPECT_EQ(client.get(req).body, test::file_body(21));
  ASSERT_GE(calls.size(), 2u);
  for (std::size_t i = 0; i + 1 < calls.size(); ++i) EXPECT_EQ(calls[i].second, 0u) << i;
  const std::uint64_t size = test::file_body(21).size();
  EXPECT_EQ(calls.back(), std::make_pair(size, size));
}

TEST_F(Downloads, AThrowingProgressCallbackFailsTheRequest) {
  HttpClient client(fast());
  HttpRequest req(url("/files/f23.bin"));
  req.progress = [](std::uint64_t, std::uint64_t) { throw std::runtime_error("boom"); };
  const NetError e = error_of(client, req);
  EXPECT_EQ(e.kind(), NetError::Kind::invalid_request);
  EXPECT_NE(std::string(e.what()).find("the progress callback failed: boom"), std::string::npos) << e.what();
}

TEST_F(Downloads, ABlobFromTheStoreReportsItsSizeOnce) {
  test::TempDir dir;
  HttpClient client(with_cache(dir));
  HttpRequest req = blob_request(url("/files/big.bin"), dir.path() / "a.bin");
  client.get(req);
  Calls calls;
  req.save_to = dir.path() / "b.bin";
  req.progress = [&calls](std::uint64_t received, std::uint64_t total) { calls.emplace_back(received, total); };
  EXPECT_TRUE(client.get(req).from_cache);
  EXPECT_EQ(calls, (Calls{{kBig.size(), kBig.size()}}));
}

TEST_F(Downloads, CancellingASlowDownloadStopsItAndLeavesNoFile) {
  test::TempDir dir;
  HttpClient client(fast());
  fault(kSlowBig);
  std::promise<void> started;
  std::stop_source stop;
  HttpRequest req = started_request(url("/files/big.bin"), started);
  req.save_to = dir.path() / "big.bin";
  req.cancel = stop.get_token();
  const auto begin = Clock::now();
  const auto pending = client.submit(req);
  ASSERT_EQ(started.get_future().wait_for(30s), std::future_status::ready);
  stop.request_stop();
  const NetError e = failure_of(pending);
  EXPECT_EQ(e.kind(), NetError::Kind::cancelled);
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/big.bin") + " failed: cancelled");
  EXPECT_LT(Clock::now() - begin, kServerTime);  // not waited out
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // neither the file nor its temporary
}

TEST_F(Downloads, CancellingADownloadIntoTheBlobStoreLeavesNoTemporary) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  fault(kSlowBig);
  std::promise<void> started;
  std::stop_source stop;
  HttpRequest req = started_request(url("/files/big.bin"), started);
  req.cache = CachePolicy::immutable;
  req.sha256 = sha256_hex(kBig);
  req.save_to = dir.path() / "dl" / "big.bin";
  req.cancel = stop.get_token();
  const auto pending = client.submit(req);
  ASSERT_EQ(started.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(files_under(o.cache->scratch_root()).size(), 1u);  // the download in progress
  stop.request_stop();
  EXPECT_EQ(failure_of(pending).kind(), NetError::Kind::cancelled);
  EXPECT_TRUE(files_under(dir.path()).empty());
  EXPECT_FALSE(o.cache->has_blob(req.sha256));
}

TEST_F(Downloads, CancellingARetryWaitingOutItsBackoff) {
  HttpOptions o = fast();
  o.retry_after_max = 60s;
  HttpClient client(o);
  fault("/files/f22.bin status status=503 retry_after=60");
  std::stop_source stop;
  HttpRequest req(url("/files/f22.bin"));
  req.cancel = stop.get_token();
  const auto begin = Clock::now();
  const auto pending = client.submit(req);
  // Until the 503 has been read and the retry is waiting (bounded).
  for (const auto until = Clock::now() + 30s; client.stats().retries == 0 && Clock::now() < until;) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(client.stats().retries, 1u);
  stop.request_stop();
  EXPECT_EQ(failure_of(pending).kind(), NetError::Kind::cancelled);
  EXPECT_LT(Clock::now() - begin, 30s);  // the backoff is a minute
  EXPECT_EQ(server_->count("/files/f22.bin"), 1);
}

TEST_F(Downloads, CancellingAQueuedRequestLeavesTheOthersRunning) {
  HttpOptions o = fast();
  o.max_transfers = 1;
  HttpClient client(o);
  fault("/files/big.bin slow delay=1 chunks=10");
  std::promise<void> started;
  const auto first = client.submit(started_request(url("/files/big.bin"), started));
  ASSERT_EQ(started.get_future().wait_for(30s), std::future_status::ready);
  std::stop_source stop;
  HttpRequest queued(url("/files/f24.bin"));
  queued.cancel = stop.get_token();
  const auto second = client.submit(queued);
  stop.request_stop();
  EXPECT_EQ(failure_of(second).kind(), NetError::Kind::cancelled);
  EXPECT_EQ(first.get().body, kBig);
  EXPECT_EQ(server_->count("/files/f24.bin"), 0);
}

TEST_F(Downloads, ARequestCancelledBeforehandNeverStarts) {
  HttpClient client(fast());
  std::stop_source stop;
  stop.request_stop();
  HttpRequest req(url("/files/f25.bin"));
  req.cancel = stop.get_token();
  EXPECT_EQ(error_of(client, req).kind(), NetError::Kind::cancelled);
  EXPECT_EQ(server_->count("/files/f25.bin"), 0);
}

TEST_F(Downloads, FetchAllStopsAtTheFirstFailureWhenAsked) {
  test::TempDir dir;
  HttpClient client(fast());
  fault(kSlowBig);
  HttpRequest slow(url("/files/big.bin"));
  slow.save_to = dir.path() / "big.bin";
  const auto begin = Clock::now();
  try {
    client.fetch_all({slow, HttpRequest(url("/files/f26.bin")), HttpRequest(url("/missing/c"))},
                     HttpClient::FetchAll::stop_on_failure);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_NE(std::string(e.what()).find("/missing/c"), std::string::npos) << e.what();
  }
  EXPECT_LT(Clock::now() - begin, kServerTime);  // the slow download was cancelled, not waited for
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  // Without a failure, the responses come in request order as usual.
  const auto responses = client.fetch_all({HttpRequest(url("/files/f27.bin")), HttpRequest(url("/files/f28.bin"))},
                                          HttpClient::FetchAll::stop_on_failure);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].body, test::file_body(27));
  EXPECT_EQ(responses[1].body, test::file_body(28));
}

TEST_F(Downloads, ScratchDirectoryIsUnderTheCacheDirectory) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  const auto file = client.scratch_file("a-1.0-py3-none-any.whl");
  EXPECT_EQ(file.parent_path().parent_path(), o.cache->scratch_root());
  EXPECT_EQ(file.parent_path().filename().string().rfind("thoth-scratch-" + net::scratch_host() + "-", 0), 0u);
  // Without a cache: TMPDIR of the environment.
  test::TempDir tmp;
  HttpOptions plain = fast();
  plain.environment = {{"TMPDIR", tmp.path().string()}};
  HttpClient other(plain);
  EXPECT_EQ(other.scratch_file("a.whl").parent_path().parent_path(), tmp.path());
}

// A pid that no process has: a child's, once reaped.
pid_t dead_pid() {
  pid_t pid = -1;
  char arg0[] = "/bin/true";
  char* argv[] = {arg0, nullptr};
  if (::posix_spawn(&pid, arg0, nullptr, nullptr, argv, environ) != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

TEST_F(Downloads, StaleScratchDirectoriesAreRemovedByTheNextClient) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  const auto root = o.cache->scratch_root();
  const std::string host = net::scratch_host();
  const pid_t dead = dead_pid();
  ASSERT_GT(dead, 0);
  auto scratch = [&](const std::string& host_name, pid_t pid, const std::string& random, bool old) {
    const auto path = root / ("thoth-scratch-" + host_name + "-" + std::to_string(pid) + "-" + random);
    test::write_file(path / ".partial.whl.tmp.abcdef", "half a wheel");
    if (old) {
      const timespec two_days_ago[2] = {{::time(nullptr) - 2 * 86400, 0}, {::time(nullptr) - 2 * 86400, 0}};
      EXPECT_EQ(::utimensat(AT_FDCWD, path.c_str(), two_days_ago, 0), 0);
    }
    return path;
  };
  const auto of_dead = scratch(host, dead, "aaaaaa", false);
  const auto alive = scratch(host, ::getpid(), "bbbbbb", false);
  const auto alive_but_old = scratch(host, ::getpid(), "cccccc", true);  // its pid was reused
  const auto elsewhere = scratch("other-host.example", dead, "dddddd", false);
  const auto elsewhere_old = scratch("other-host.example", dead, "eeeeee", true);
  const auto locked = scratch(host, dead, "ffffff", true);
  const auto unrelated = root / "thoth-something";
  test::write_file(unrelated / "x", "x");
  const int lock = ::open(locked.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_EQ(::flock(lock, LOCK_EX), 0);  // as its live client does
  std::filesystem::path own;
  {
    HttpClient client(o);
    own = client.scratch_file("x.whl").parent_path();
  }  // the sweep runs on a disk thread, which the client waits for
  ::close(lock);
  EXPECT_FALSE(std::filesystem::exists(of_dead));
  EXPECT_TRUE(std::filesystem::exists(alive));
  EXPECT_FALSE(std::filesystem::exists(alive_but_old));
  EXPECT_TRUE(std::filesystem::exists(elsewhere));  // another host's pid cannot be checked
  EXPECT_FALSE(std::filesystem::exists(elsewhere_old));
  EXPECT_TRUE(std::filesystem::exists(locked));
  EXPECT_TRUE(std::filesystem::exists(unrelated));
  EXPECT_FALSE(std::filesystem::exists(own));
}

TEST_F(Downloads, ADownloadIntoTheBlobStoreIsLinkedNotCopied) {
  test::TempDir dir;  // the cache and the destinations on one file system
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req = blob_request(url("/files/big.bin"), dir.path() / "dl" / "big.bin");
  EXPECT_FALSE(client.get(req).from_cache);
  const auto blob = o.cache->blob_path(req.sha256);
  EXPECT_EQ(test::read_file(req.save_to), kBig);
  EXPECT_EQ(stat_of(req.save_to).st_ino, stat_of(blob).st_ino);
  EXPECT_EQ(stat_of(blob).st_nlink, 2u);
  // From the store: one more link.
  req.save_to = dir.path() / "dl2" / "big.bin";
  EXPECT_TRUE(client.get(req).from_cache);
  EXPECT_EQ(stat_of(req.save_to).st_ino, stat_of(blob).st_ino);
  EXPECT_EQ(stat_of(blob).st_nlink, 3u);
  // An existing destination is replaced (another file: writing into the link would damage the blob).
  std::filesystem::remove(req.save_to);
  test::write_file(req.save_to, "old");
  client.get(req);
  EXPECT_EQ(test::read_file(req.save_to), kBig);
  EXPECT_EQ(server_->count("/files/big.bin"), 1);
  // Nothing else in the cache: no temporary beside the blob or in the scratch directory.
  EXPECT_EQ(files_under(dir.path() / "scratch-v1").size(), 0u);
  EXPECT_EQ(files_under(dir.path() / "blobs-v1").size(), 1u);
}

TEST_F(Downloads, ADamagedBlobIsFetchedAgain) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req = blob_request(url("/files/big.bin"), dir.path() / "a.bin");
  client.get(req);
  std::filesystem::remove(req.save_to);  // the store's only link, so that the damage is the blob's alone
  test::write_file(o.cache->blob_path(req.sha256), "damaged");
  req.save_to = dir.path() / "b.bin";
  EXPECT_FALSE(client.get(req).from_cache);
  EXPECT_EQ(test::read_file(req.save_to), kBig);
  EXPECT_EQ(server_->count("/files/big.bin"), 2);
}

TEST_F(Downloads, BlobsWantedInMemoryComeFromTheStoreWhateverTheirSize) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  // A metadata-sized blob is read on the caller's thread, a larger one by a disk thread.
  for (const auto& [path, body] : {std::pair{std::string("/files/f30.bin"), test::file_body(30)},
                                   std::pair{std::string("/files/big.bin"), kBig}}) {
    HttpRequest req(url(path));
    req.cache = CachePolicy::immutable;
    req.sha256 = sha256_hex(body);
    EXPECT_FALSE(client.get(req).from_cache) << path;
    const HttpResponse again = client.get(req);
    EXPECT_TRUE(again.from_cache) << path;
    EXPECT_EQ(again.body, body) << path;
    EXPECT_EQ(again.body_size, body.size()) << path;
    // Damaged: dropped and fetched again.
    test::write_file(o.cache->blob_path(req.sha256), "damaged");
    const HttpResponse fetched = client.get(req);
    EXPECT_FALSE(fetched.from_cache) << path;
    EXPECT_EQ(fetched.body, body) << path;
    EXPECT_EQ(server_->count(path), 2) << path;
  }
}

TEST_F(Downloads, TwoRequestsForOneBlobAtOnce) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  fault("/files/big.bin slow delay=0.5 chunks=5 times=2");  // so that both are under way together
  const auto responses = client.fetch_all(
      {blob_request(url("/files/big.bin"), dir.path() / "a.bin"), blob_request(url("/files/big.bin"), dir.path() / "b.bin")});
  EXPECT_EQ(test::read_file(dir.path() / "a.bin"), kBig);
  EXPECT_EQ(test::read_file(dir.path() / "b.bin"), kBig);
  EXPECT_EQ(o.cache->load_blob(sha256_hex(kBig)), kBig);
  EXPECT_EQ(files_under(dir.path() / "scratch-v1").size(), 0u);
  EXPECT_EQ(files_under(dir.path() / "blobs-v1").size(), 1u);
}

// Two processes download the same blob into one cache at once (this binary re-run as
// DownloadChild.Fetch).
TEST_F(Downloads, TwoProcessesForOneBlobAtOnce) {
  test::TempDir dir;
  fault("/files/big.bin slow delay=0.5 chunks=5 times=2");
  std::vector<pid_t> pids;
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  for (const char* name : {"a.bin", "b.bin"}) {
    const std::string filter = "--gtest_filter=DownloadChild.Fetch";
    std::vector<std::string> env = {"THOTH_NET_CHILD_URL=" + url("/files/big.bin"),
                                    "THOTH_NET_CHILD_CACHE=" + (dir.path() / "cache").string(),
                                    "THOTH_NET_CHILD_SAVE_TO=" + (dir.path() / name).string()};
    std::vector<char*> argv = {const_cast<char*>(exe.c_str()), const_cast<char*>(filter.c_str()), nullptr};
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t quiet;  // the child's own gtest report would interleave with ours
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, exe.c_str(), &quiet, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&quiet);
    ASSERT_EQ(rc, 0);
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(test::read_file(dir.path() / "a.bin"), kBig);
  EXPECT_EQ(test::read_file(dir.path() / "b.bin"), kBig);
  HttpCache cache(dir.path() / "cache");
  EXPECT_EQ(cache.load_blob(sha256_hex(kBig)), kBig);
  EXPECT_EQ(files_under(dir.path() / "cache" / "scratch-v1").size(), 0u);
  EXPECT_EQ(files_under(dir.path() / "cache" / "blobs-v1").size(), 1u);
}

TEST(DownloadChild, Fetch) {
  const char* url = std::getenv("THOTH_NET_CHILD_URL");
  const char* cache = std::getenv("THOTH_NET_CHILD_CACHE");
  const char* save_to = std::getenv("THOTH_NET_CHILD_SAVE_TO");
  if (url == nullptr || cache == nullptr || save_to == nullptr) {
    GTEST_SKIP() << "runs only as a child of Downloads.TwoProcessesForOneBlobAtOnce";
  }
  HttpOptions o;
  o.cache = std::make_shared<HttpCache>(cache);
  HttpClient client(o);
  client.get(blob_request(url, save_to));
}

TEST_F(Downloads, RedirectToAnotherSchemeIsRefused) {
  HttpClient client(fast());
  fault("/files/f29.bin redirect location=file:///etc/hostname");
  EXPECT_EQ(error_of(client, HttpRequest(url("/files/f29.bin"))).kind(), NetError::Kind::redirects);
}

}  // namespace
}  // namespace thoth
