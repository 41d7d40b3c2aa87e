// file:// URLs go through the same HttpClient interface but never through curl.
#include <gtest/gtest.h>

#include "support.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

class FileUrl : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = test::pattern_bytes(5000, 11);
    test::write_file(dir_.path() / "mirror" / "pkg one" / "f.whl", data_);
    url_ = "file://" + (dir_.path() / "mirror" / "pkg%20one" / "f.whl").string();
  }

  test::TempDir dir_;
  std::string data_;
  std::string url_;
  HttpClient client_;
};

TEST_F(FileUrl, WholeFile) {
  const HttpResponse r = client_.get(url_);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, data_);
  EXPECT_EQ(r.header("content-length"), "5000");
  EXPECT_FALSE(r.from_cache);
  EXPECT_EQ(client_.stats().network_requests, 0u);
}

TEST_F(FileUrl, Ranges) {
  HttpRequest req(url_);
  req.range = ByteRange::span(10, 19);
  HttpResponse r = client_.get(req);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, data_.substr(10, 10));
  EXPECT_EQ(r.header("content-range"), "bytes 10-19/5000");

  req.range = ByteRange::suffix(22);
  r = client_.get(req);
  EXPECT_EQ(r.body, data_.substr(5000 - 22));
  auto cr = parse_content_range(*r.header("content-range"));
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->total, 5000u);

  req.range = ByteRange::from(4990);
  EXPECT_EQ(client_.get(req).body, data_.substr(4990));

  // Clipped like HTTP: a last byte past the end, a suffix longer than the file.
  req.range = ByteRange::span(4995, 10000);
  EXPECT_EQ(client_.get(req).body, data_.substr(4995));
  req.range = ByteRange::suffix(99999);
  EXPECT_EQ(client_.get(req).body, data_);
}

TEST_F(FileUrl, UnsatisfiableRangeIs416) {
  HttpRequest req(url_);
  req.range = ByteRange::from(5000);
  try {
    client_.get(req);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.status(), 416);
    EXPECT_NE(std::string(e.what()).find("Range Not Satisfiable"), std::string::npos) << e.what();
  }
}

TEST_F(FileUrl, MissingFileIsNotFound) {
  const std::string url = "file://" + (dir_.path() / "mirror" / "nope.whl").string();
  try {
    client_.get(url);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_TRUE(e.not_found());
    EXPECT_EQ(e.kind(), NetError::Kind::http_status);
    EXPECT_EQ(std::string(e.what()), "GET " + url + " failed: no such file");
  }
  EXPECT_THROW(client_.get("file://" + dir_.path().string()), NetError);  // a directory
}

TEST_F(FileUrl, HashIsChecked) {
  HttpRequest req(url_);
  req.sha256 = sha256_hex(data_);
  EXPECT_EQ(client_.get(req).body, data_);
  req.sha256 = sha256_hex("something else");
  try {
    client_.get(req);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::hash_mismatch);
    EXPECT_NE(std::string(e.what()).find("sha256 mismatch"), std::string::npos) << e.what();
  }
}

TEST_F(FileUrl, SaveToFile) {
  HttpRequest req(url_);
  req.save_to = dir_.path() / "out" / "f.whl";
  const HttpResponse r = client_.get(req);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.body_size, 5000u);
  EXPECT_EQ(test::read_file(req.save_to), data_);
}

TEST_F(FileUrl, SaveToFileIsCopiedOffTheCallersThread) {
  // A download reports its size once, from a disk thread, before the future is ready.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  HttpRequest req(url_);
  req.save_to = dir_.path() / "out" / "f.whl";
  req.progress = [&calls](std::uint64_t received, std::uint64_t total) { calls.emplace_back(received, total); };
  client_.get(req);
  EXPECT_EQ(calls, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{5000, 5000}}));
  // A missing file fails the future as a page's would.
  req.url = "file://" + (dir_.path() / "mirror" / "missing.whl").string();
  try {
    client_.get(req);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_TRUE(e.not_found());
  }
  EXPECT_FALSE(std::filesystem::exists(req.save_to.parent_path() / "missing.whl"));
  // And a cancelled one never starts.
  std::stop_source stop;
  stop.request_stop();
  req.url = url_;
  req.save_to = dir_.path() / "out" / "g.whl";
  req.cancel = stop.get_token();
  try {
    client_.get(req);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::cancelled);
  }
  EXPECT_FALSE(std::filesystem::exists(req.save_to));
}

TEST_F(FileUrl, BombGuard) {
  HttpRequest req(url_);
  req.max_body = 100;
  try {
    client_.get(req);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::too_large);
  }
}

TEST_F(FileUrl, WorksOffline) {
  HttpOptions o;
  o.offline = true;
  o.cache = std::make_shared<HttpCache>(dir_.path() / "cache");
  HttpClient offline(o);
  EXPECT_EQ(offline.get(url_).body, data_);
}

TEST(HttpClientRequests, InvalidOnesFailInTheFuture) {
  HttpClient client;
  auto f = client.submit(HttpRequest("ftp://h/x"));
  EXPECT_THROW(f.get(), NetError);
  HttpRequest immutable("https://h/x.metadata");
  immutable.cache = CachePolicy::immutable;
  try {
    client.get(immutable);
    FAIL();
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::invalid_request);
  }
  HttpRequest bad_hash("https://h/x");
  bad_hash.sha256 = "xyz";
  EXPECT_THROW(client.get(bad_hash), NetError);
  EXPECT_THROW(client.get(""), NetError);
}

}  // namespace
}  // namespace thoth
