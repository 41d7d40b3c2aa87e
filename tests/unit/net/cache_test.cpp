#include "thoth/http_cache.hpp"

#include <cstdint>
#include <gtest/gtest.h>

#include <fcntl.h>

#include <atomic>
#include <thread>

#include "support.hpp"
#include "thoth/hash.hpp"

namespace thoth {
namespace {

CachedResponse page(std::string body, Headers headers, std::int64_t stored_at = 1000) {
  CachedResponse r;
  r.status = 200;
  r.headers = std::move(headers);
  r.body = std::move(body);
  r.url = "https://index.example/simple/foo/";
  r.stored_at = stored_at;
  return r;
}

TEST(HttpCache, PageRoundTrip) {
  test::TempDir dir;
  HttpCache cache(dir.path() / "c");
  const std::string key = HttpCache::page_key("https://index.example/simple/foo/", "text/html");
  EXPECT_FALSE(cache.load_page(key));
  std::string body = "<html>\n\nbinary\0tail";
  body.push_back('\0');
  ASSERT_TRUE(cache.store_page(key, page(body, {{"etag", "\"abc\""}, {"x-multi", "1"}, {"x-multi", "2"}})));
  auto got = cache.load_page(key);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, body);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->stored_at, 1000);
  EXPECT_EQ(got->url, "https://index.example/simple/foo/");
  ASSERT_EQ(got->headers.size(), 3u);
  EXPECT_EQ(got->headers[2], (std::pair<std::string, std::string>{"x-multi", "2"}));
  cache.remove_page(key);
  EXPECT_FALSE(cache.load_page(key));
}

// Each stored body's sha256 is kept with it, so callers can check what they derived from a body
// without hashing it again; an entry stored without one gets it computed.
TEST(HttpCache, PageRecordsBodySha256) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/simple/foo/", "");
  ASSERT_TRUE(cache.store_page(key, page("page body", {})));
  EXPECT_EQ(cache.load_page(key)->body_sha256, sha256_hex("page body"));
  auto given = page("other body", {});
  given.body_sha256 = sha256_hex("other body");
  ASSERT_TRUE(cache.store_page(key, given));
  EXPECT_EQ(cache.load_page(key)->body_sha256, sha256_hex("other body"));
}

// Derived data lives under derived-v1/<kind>/, replaced atomically, read back as written.
TEST(HttpCache, DerivedStore) {
  test::TempDir dir;
  HttpCache cache(dir.path() / "c");
  EXPECT_FALSE(cache.load_derived("listings", "abcdef"));
  std::string bytes = "binary\0data";
  bytes.push_back('\0');
  ASSERT_TRUE(cache.store_derived("listings", "abcdef", bytes));
  EXPECT_EQ(cache.load_derived("listings", "abcdef"), bytes);
  EXPECT_FALSE(cache.load_derived("other", "abcdef"));
  ASSERT_TRUE(cache.store_derived("listings", "abcdef", "newer"));
  EXPECT_EQ(cache.load_derived("listings", "abcdef"), "newer");
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "c" / "derived-v1" / "listings"));
}

TEST(HttpCache, KeysSeparateAcceptAndIgnoreFragments) {
  const auto html = HttpCache::page_key("https://h/simple/foo/", "text/html");
  EXPECT_NE(html, HttpCache::page_key("https://h/simple/foo/", "application/vnd.pypi.simple.v1+json"));
  EXPECT_NE(html, HttpCache::page_key("https://h/simple/bar/", "text/html"));
  EXPECT_EQ(html, HttpCache::page_key("https://h/simple/foo/#frag", "text/html"));
}

TEST(HttpCache, NeverStoresCredentials) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  auto r = page("body", {});
  r.url = "https://alice:s3cret@h/simple/foo/";
  const auto key = HttpCache::page_key(r.url, "");
  ASSERT_TRUE(cache.store_page(key, r));
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file()) {
      EXPECT_EQ(test::read_file(e.path()).find("s3cret"), std::string::npos);
    }
  }
  EXPECT_EQ(cache.load_page(key)->url, "https://h/simple/foo/");
}

TEST(HttpCache, DamagedEntryIsAMiss) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/x", "");
  ASSERT_TRUE(cache.store_page(key, page("0123456789", {})));
  // Find the entry and cut its body short, as a crash of a non-atomic writer would.
  std::filesystem::path entry;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (e.is_regular_file()) entry = e.path();
  }
  std::string data = test::read_file(entry);
  test::write_file(entry, data.substr(0, data.size() - 3));
  EXPECT_FALSE(cache.load_page(key));
  EXPECT_FALSE(cache.load_page_head(key));  // the head alone tells the file is short
  test::write_file(entry, "garbage");
  EXPECT_FALSE(cache.load_page(key));
  EXPECT_FALSE(cache.load_page_head(key));
}

// The head of an entry without its body: what a caller needs to know whether it still has what it
// derived from the body.
TEST(HttpCache, PageHeadWithoutBody) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/simple/foo/", "");
  const std::string body(100000, 'b');
  ASSERT_TRUE(cache.store_page(key, page(body, {{"content-type", "text/html"}, {"cache-control", "max-age=60"}})));
  auto head = cache.load_page_head(key);
  ASSERT_TRUE(head);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->body_size, body.size());
  EXPECT_EQ(head->body_sha256, sha256_hex(body));
  EXPECT_EQ(head->url, "https://index.example/simple/foo/");
  EXPECT_EQ(head->stored_at, 1000);
  EXPECT_EQ(head->headers.size(), 2u);
  EXPECT_EQ(cache.load_page(key)->body_size, body.size());
  // Heads longer than one read (many headers) are read whole too.
  Headers many;
  for (int i = 0; i < 400; ++i) many.emplace_back("x-h" + std::to_string(i), std::string(40, 'v'));
  ASSERT_TRUE(cache.store_page(key, page("short", many)));
  head = cache.load_page_head(key);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->headers.size(), 400u);
  EXPECT_EQ(head->body_size, 5u);
  EXPECT_FALSE(cache.load_page_head(HttpCache::page_key("https://h/none/", "")));
}

// An annex is stored between the head and the body and read with the head, however long it is; it is
// only ever attached to the body it names.
TEST(HttpCache, AnnexIsReadWithTheHead) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/simple/foo/", "");
  const std::string body(50000, 'b');
  EXPECT_FALSE(cache.store_annex(key, sha256_hex(body), "x"));  // no entry yet
  ASSERT_TRUE(cache.store_page(key, page(body, {{"cache-control", "max-age=60"}})));
  EXPECT_FALSE(cache.store_annex(key, sha256_hex("other"), "x"));
  for (const std::string& annex : {std::string("short"), std::string(40000, 'a'), std::string()}) {
    ASSERT_TRUE(cache.store_annex(key, sha256_hex(body), annex));
    auto head = cache.load_page_head(key);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->annex.view(), annex);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(head->body_size, body.size());
    EXPECT_EQ(head->headers.size(), 1u);
    auto whole = cache.load_page(key);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->annex.view(), annex);
    EXPECT_EQ(whole->body, body);
  }
  // A new body comes without the old annex.
  ASSERT_TRUE(cache.store_annex(key, sha256_hex(body), "old"));
  ASSERT_TRUE(cache.store_page(key, page("new body", {})));
  EXPECT_TRUE(cache.load_page(key)->annex.empty());
}

// The annex is read in place from the mapped entry, where FlatBuffers reads its scalars: it starts at
// an aligned offset whatever the length of the head before it; the sha256 line's padding reads back.
TEST(HttpCache, AnnexIsAlignedInTheMappedEntry) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const std::string body = "the body";
  for (std::size_t extra = 0; extra < 20; ++extra) {
    const auto key = HttpCache::page_key("https://h/simple/foo" + std::string(extra, 'x') + "/", "");
    ASSERT_TRUE(cache.store_page(key, page(body, {{"etag", "\"" + std::string(extra, 'e') + "\""}})));
    ASSERT_TRUE(cache.store_annex(key, sha256_hex(body), "annex bytes"));
    auto head = cache.load_page_head(key);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->annex.view(), "annex bytes");
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(head->annex.data()) % 16, 0u) << extra;
    EXPECT_EQ(head->body_sha256, sha256_hex(body));
    EXPECT_EQ(head->headers.front().second, "\"" + std::string(extra, 'e') + "\"");
  }
}

TEST(HttpCache, FreshnessFromMaxAge) {
  const auto r = page("", {{"cache-control", "public, max-age=600"}}, 1000);
  EXPECT_TRUE(HttpCache::is_fresh(r, 1000));
  EXPECT_TRUE(HttpCache::is_fresh(r, 1599));
  EXPECT_FALSE(HttpCache::is_fresh(r, 1600));
}

TEST(HttpCache, FreshnessCountsAgeHeader) {
  // RFC 9111 §4.2.3: the response was already 500 s old when it arrived.
  const auto r = page("", {{"cache-control", "max-age=600"}, {"age", "500"}}, 1000);
  EXPECT_TRUE(HttpCache::is_fresh(r, 1099));
  EXPECT_FALSE(HttpCache::is_fresh(r, 1100));
}

TEST(HttpCache, FreshnessFromExpires) {
  const auto r = page("", {{"date", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"expires", "Sun, 06 Nov 1994 08:59:37 GMT"}},
                      784111777);  // the Date, as Unix time
  EXPECT_TRUE(HttpCache::is_fresh(r, 784111777 + 599));
  EXPECT_FALSE(HttpCache::is_fresh(r, 784111777 + 600));
  // §4.2.1: max-age wins over Expires.
  auto both = r;
  both.headers.emplace_back("cache-control", "max-age=5");
  EXPECT_FALSE(HttpCache::is_fresh(both, 784111777 + 10));
  // An invalid Expires means already expired.
  EXPECT_FALSE(HttpCache::is_fresh(page("", {{"expires", "0"}}, 1000), 1000));
}

TEST(HttpCache, NoCacheOrNoLifetimeMeansStale) {
  EXPECT_FALSE(HttpCache::is_fresh(page("", {{"cache-control", "no-cache, max-age=600"}}), 1000));
  EXPECT_FALSE(HttpCache::is_fresh(page("", {{"etag", "\"x\""}}), 1000));
  EXPECT_FALSE(HttpCache::is_fresh(page("", {{"cache-control", "max-age=banana"}}), 1000));
  EXPECT_TRUE(HttpCache::is_fresh(page("", {{"Cache-Control", "MAX-AGE=\"60\""}, {"cache-control", "max-age=60"}}), 1000));
}

std::filesystem::file_time_type written_at(const std::filesystem::path& p) { return std::filesystem::last_write_time(p); }

// RFC 9111 §4.3.4 without rewriting the entry: validators only (no lifetime) means nothing is
// written; a lifetime means a small record beside the entry that makes it fresh again; any other
// changed field means the entry is rewritten (its body read back if the caller had only the head).
TEST(HttpCache, RevalidationWritesAsLittleAsItCan) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/simple/foo/", "");
  const auto file = dir.path() / "pages-v1" / key.substr(0, 2) / key;
  const std::filesystem::path record = file.string() + ".fresh";

  ASSERT_TRUE(cache.store_page(key, page("body", {{"etag", "\"1\""}, {"date", "Thu, 01 Jan 1970 00:16:40 GMT"}})));
  const auto before = written_at(file);
  auto head = cache.load_page_head(key);
  ASSERT_TRUE(head);
  ASSERT_TRUE(cache.revalidated(key, *head, {{"etag", "\"1\""}, {"date", "Thu, 01 Jan 1970 01:00:00 GMT"}}, 3600));
  EXPECT_EQ(written_at(file), before);
  EXPECT_FALSE(std::filesystem::exists(record));
  EXPECT_EQ(head->stored_at, 3600);  // the caller's copy is up to date all the same
  EXPECT_EQ(*find_header(head->headers, "date"), "Thu, 01 Jan 1970 01:00:00 GMT");

  // max-age: stale at 2000 by its own time, fresh again through the record of a 304 at 1990.
  ASSERT_TRUE(cache.store_page(key, page("body", {{"etag", "\"1\""}, {"cache-control", "max-age=60"}})));
  const auto stored = written_at(file);
  auto entry = cache.load_page(key);
  ASSERT_TRUE(entry);
  ASSERT_TRUE(cache.revalidated(key, *entry, {{"etag", "\"1\""}, {"cache-control", "max-age=60"}}, 1990));
  EXPECT_EQ(written_at(file), stored);
  EXPECT_TRUE(std::filesystem::exists(record));
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  ASSERT_TRUE(cache.revalidated(key, *entry, {{"etag", "\"1\""}, {"cache-control", "max-age=60"}}, now));
  auto again = cache.load_page_head(key);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stored_at, now);
  EXPECT_TRUE(HttpCache::is_fresh(*again, now + 30));
  EXPECT_EQ(cache.load_page(key)->stored_at, now);
  EXPECT_EQ(cache.load_page(key)->body, "body");

  // A new validator: the entry is rewritten, whole, from a head-only copy.
  auto partial = cache.load_page_head(key);
  ASSERT_TRUE(partial);
  ASSERT_TRUE(cache.revalidated(key, *partial, {{"etag", "\"2\""}}, now + 100));
  auto rewritten = cache.load_page(key);
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(rewritten->body, "body");
  EXPECT_EQ(*find_header(rewritten->headers, "etag"), "\"2\"");
  EXPECT_EQ(rewritten->stored_at, now + 100);  // the older record is ignored

  // A damaged record is ignored.
  test::write_file(record, "thoth-fresh-v1\nnot a time\n");
  EXPECT_EQ(cache.load_page(key)->stored_at, now + 100);
}

TEST(HttpCache, Blobs) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const std::string data = "Metadata-Version: 2.1\nName: foo\n";
  const std::string h = sha256_hex(data);
  EXPECT_FALSE(cache.has_blob(h));
  EXPECT_FALSE(cache.load_blob(h));
  ASSERT_TRUE(cache.store_blob(h, data));
  EXPECT_TRUE(cache.has_blob(h));
  EXPECT_EQ(cache.load_blob(h), data);
  EXPECT_THROW(cache.store_blob(h, "other content"), NetError);
  // A blob damaged on disk is refused and dropped.
  test::write_file(cache.blob_path(h), "tampered");
  EXPECT_FALSE(cache.load_blob(h));
  EXPECT_FALSE(cache.has_blob(h));
}

TEST(HttpCache, BlobFromFile) {
  test::TempDir dir;
  HttpCache cache(dir.path() / "cache");
  const std::string data = test::pattern_bytes(100000, 1);
  test::write_file(dir.path() / "dl" / "x.whl", data);
  const std::string h = sha256_hex(data);
  ASSERT_TRUE(cache.store_blob_file(h, dir.path() / "dl" / "x.whl"));
  ASSERT_TRUE(cache.store_blob_file(h, dir.path() / "dl" / "x.whl"));  // already there: fine
  EXPECT_EQ(cache.load_blob(h), data);
}

// Many writers replacing one entry while a reader reads it: every read is a complete entry written by
// one of the writers, and the entry left behind is valid. No temporary files are left over.
TEST(HttpCache, ConcurrentWritersLeaveAValidEntry) {
  test::TempDir dir;
  HttpCache cache(dir.path());
  const auto key = HttpCache::page_key("https://h/simple/busy/", "");
  std::vector<std::string> bodies;
  for (unsigned i = 0; i < 6; ++i) bodies.push_back(test::pattern_bytes(20000 + i * 1111, i));
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0}, good_reads{0};
  std::thread reader([&] {
    while (!done) {
      if (auto r = cache.load_page(key)) {
        const bool known = std::find(bodies.begin(), bodies.end(), r->body) != bodies.end();
        (known ? good_reads : bad_reads)++;
      }
    }
  });
  std::vector<std::thread> writers;
  for (unsigned w = 0; w < bodies.size(); ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) EXPECT_TRUE(cache.store_page(key, page(bodies[w], {{"etag", std::to_string(w)}})));
    });
  }
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  EXPECT_EQ(bad_reads, 0);
  EXPECT_GT(good_reads, 0);
  auto last = cache.load_page(key);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->body, bodies[std::stoul(std::string(*find_header(last->headers, "etag")))]);
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

// The same across processes: this binary re-runs itself as writers (see CacheWriterChild below).
TEST(HttpCache, ConcurrentWriterProcesses) {
  test::TempDir dir;
  const auto key = HttpCache::page_key("https://h/simple/shared/", "");
  std::vector<pid_t> pids;
  for (int w = 0; w < 3; ++w) {
    const std::string filter = "--gtest_filter=HttpCacheChild.Writer";
    const std::string env_dir = "THOTH_NET_CACHE_CHILD_DIR=" + dir.path().string();
    const std::string env_id = "THOTH_NET_CACHE_CHILD_ID=" + std::to_string(w);
    std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<char*> argv = {exe.data(), const_cast<char*>(filter.c_str()), nullptr};
    std::vector<char*> envp = {const_cast<char*>(env_dir.c_str()), const_cast<char*>(env_id.c_str()), nullptr};
    // The child's own gtest report would interleave with ours.
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, exe.c_str(), &quiet, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&quiet);
    ASSERT_EQ(rc, 0);
    pids.push_back(pid);
  }
  HttpCache cache(dir.path());
  int seen = 0;
  for (pid_t pid : pids) {
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (auto r = cache.load_page(key)) {
        ++seen;
        ASSERT_EQ(r->body.size(), 50000u + std::stoul(std::string(*find_header(r->headers, "x-writer"))));
      }
    }
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  auto r = cache.load_page(key);
  ASSERT_TRUE(r);
  const auto writer = std::stoul(std::string(*find_header(r->headers, "x-writer")));
  EXPECT_EQ(r->body, test::pattern_bytes(50000 + writer, static_cast<unsigned>(writer)));
}

TEST(HttpCacheChild, Writer) {
  const char* dir = std::getenv("THOTH_NET_CACHE_CHILD_DIR");
  const char* id = std::getenv("THOTH_NET_CACHE_CHILD_ID");
  if (dir == nullptr || id == nullptr) GTEST_SKIP() << "runs only as a child of ConcurrentWriterProcesses";
  HttpCache cache(dir);
  const auto key = HttpCache::page_key("https://h/simple/shared/", "");
  const unsigned w = static_cast<unsigned>(std::stoul(id));
  const auto body = test::pattern_bytes(50000 + w, w);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(cache.store_page(key, page(body, {{"x-writer", id}})));
}

}  // namespace
}  // namespace thoth
