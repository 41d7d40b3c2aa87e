// HttpClient against a local server (tests/support/server.py, driven by net_server.py) with fault
// injection. Backoffs and timeouts are set tiny so the suite stays fast.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "http_fixture.hpp"
#include "support.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

using namespace std::chrono_literals;
using test::closed_port;
using test::file_body;

class Http : public test::HttpFixture {};

TEST_F(Http, GetReturnsBodyHeadersAndStatus) {
  HttpClient client(fast());
  const HttpResponse r = client.get(url("/files/f1.bin"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, file_body(1));
  EXPECT_EQ(r.body_size, r.body.size());
  EXPECT_EQ(r.header("Content-Length"), std::to_string(r.body.size()));
  EXPECT_TRUE(r.header("etag"));
  EXPECT_EQ(r.url, url("/files/f1.bin"));
  EXPECT_FALSE(r.from_cache);
  EXPECT_EQ(server_->command("header /files/f1.bin user-agent").rfind("thoth/", 0), 0u);
}

TEST_F(Http, ParallelFetchOfManyUrlsStaysWithinThePerHostBound) {
  HttpOptions o = fast();
  o.max_per_host = 4;
  HttpClient client(o);
  // Slow bodies keep transfers overlapping, so the bound is what limits the connections.
  fault("/files/f1?.bin slow delay=0.1 chunks=2");
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 40; ++i) requests.emplace_back(url("/files/f" + std::to_string(i) + ".bin"));
  const auto responses = client.fetch_all(requests);
  ASSERT_EQ(responses.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(responses[i].body, file_body(i)) << i;
  EXPECT_EQ(server_->count("/files/*"), 40);
  const int peak = std::stoi(server_->command("peak"));
  EXPECT_LE(peak, 4);
  EXPECT_GE(peak, 2);  // really in parallel
}

// Connections outlive the transfers that opened them: a second wave of requests after the first has
// finished reuses the first wave's connections instead of opening new ones (libcurl's connection
// cache would otherwise shrink to 4 per transfer still running, and close the rest).
TEST_F(Http, ConnectionsAreKeptBetweenWaves) {
  HttpOptions o = fast();
  o.max_per_host = 8;
  HttpClient client(o);
  fault("/files/f?.bin slow delay=0.1 chunks=2");  // the first wave overlaps: 8 connections
  for (int wave = 0; wave < 3; ++wave) {
    std::vector<HttpRequest> requests;
    for (int i = 0; i < 8; ++i) requests.emplace_back(url("/files/f" + std::to_string(i) + ".bin"));
    ASSERT_EQ(client.fetch_all(requests).size(), 8u);
  }
  EXPECT_EQ(server_->count("/files/*"), 24);
  EXPECT_LE(std::stoi(server_->command("connections")), 8);
}

TEST_F(Http, SubmitLetsTheCallerWorkMeanwhile) {
  HttpClient client(fast());
  fault("/files/f2.bin slow delay=0.2 chunks=2");
  auto slow = client.submit(HttpRequest(url("/files/f2.bin")));
  auto quick = client.submit(HttpRequest(url("/files/f3.bin")));
  EXPECT_EQ(quick.get().body, file_body(3));
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(slow.get().body, file_body(2));
}

TEST_F(Http, RangeAndSuffixRange) {
  HttpClient client(fast());
  const std::string big = test::pattern_bytes(200000, 99);
  HttpRequest req(url("/files/big.bin"));
  req.range = ByteRange::span(1000, 1999);
  HttpResponse r = client.get(req);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, big.substr(1000, 1000));
  EXPECT_EQ(server_->command("header /files/big.bin range"), "bytes=1000-1999");

  req.range = ByteRange::suffix(100);
  r = client.get(req);
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, big.substr(big.size() - 100));
  const auto cr = parse_content_range(*r.header("content-range"));
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->total, 200000u);

  req.range = ByteRange::from(199990);
  EXPECT_EQ(client.get(req).body, big.substr(199990));

  req.range = ByteRange::span(300000, 300010);
  EXPECT_EQ(error_of(client, req).status(), 416);
}

TEST_F(Http, ServerErrorThenOkIsRetried) {
  HttpClient client(fast());
  fault("/files/f4.bin status times=2 status=500");
  const HttpResponse r = client.get(url("/files/f4.bin"));
  EXPECT_EQ(r.body, file_body(4));
  EXPECT_EQ(server_->count("/files/f4.bin"), 3);
  EXPECT_EQ(client.stats().retries, 2u);
}

TEST_F(Http, PersistentServerErrorNamesStatusAndAttempts) {
  HttpClient client(fast());
  fault("/files/f4.bin status status=503");
  const NetError e = error_of(client, HttpRequest(url("/files/f4.bin")));
  EXPECT_EQ(std::string(e.what()),
            "GET " + url("/files/f4.bin") + " failed: HTTP 503 Service Unavailable after 3 attempts");
  EXPECT_EQ(e.status(), 503);
  EXPECT_EQ(server_->count("/files/f4.bin"), 3);
}

TEST_F(Http, NotImplementedIsFinal) {
  HttpClient client(fast());
  fault("/files/f5.bin status status=501");
  const NetError e = error_of(client, HttpRequest(url("/files/f5.bin")));
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/f5.bin") + " failed: HTTP 501 Not Implemented");
  EXPECT_EQ(server_->count("/files/f5.bin"), 1);
}

TEST_F(Http, TooManyRequestsHonoursRetryAfter) {
  HttpClient client(fast());
  fault("/files/f5.bin status times=1 status=429 retry_after=1");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.get(url("/files/f5.bin")).body, file_body(5));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);  // the backoff alone would be ~5 ms
  EXPECT_EQ(server_->count("/files/f5.bin"), 2);
}

TEST_F(Http, RetryAfterIsCapped) {
  HttpOptions o = fast();
  o.retry_after_max = 20ms;
  HttpClient client(o);
  fault("/files/f5.bin status times=1 status=429 retry_after=3600");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.get(url("/files/f5.bin")).body, file_body(5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(Http, ResetIsRetriedThenReportedWithTheUrl) {
  HttpClient client(fast());
  fault("/files/f6.bin reset");
  const NetError e = error_of(client, HttpRequest(url("/files/f6.bin")));
  const std::string msg = e.what();
  EXPECT_EQ(msg.rfind("GET " + url("/files/f6.bin") + " failed: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("after 3 attempts"), std::string::npos) << msg;
  EXPECT_EQ(e.kind(), NetError::Kind::connection);
  EXPECT_EQ(server_->count("/files/f6.bin"), 3);
}

TEST_F(Http, ResetOnceThenOk) {
  HttpClient client(fast());
  fault("/files/f6.bin reset times=1");
  EXPECT_EQ(client.get(url("/files/f6.bin")).body, file_body(6));
}

TEST_F(Http, ConnectionRefused) {
  HttpClient client(fast());
  const std::string u = "http://127.0.0.1:" + std::to_string(closed_port()) + "/simple/foo/";
  const NetError e = error_of(client, HttpRequest(u));
  EXPECT_EQ(std::string(e.what()), "GET " + u + " failed: connection refused after 3 attempts");
  EXPECT_EQ(e.status(), 0);
}

TEST_F(Http, TruncatedBodyIsAnError) {
  HttpClient client(fast());
  fault("/files/f1.bin truncate keep=10");
  const NetError e = error_of(client, HttpRequest(url("/files/f1.bin")));
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/f1.bin") +
                                       " failed: response body truncated (got 10 of 1037 bytes) after 3 attempts");
  EXPECT_EQ(e.kind(), NetError::Kind::truncated);
}

TEST_F(Http, RedirectIsFollowed) {
  HttpClient client(fast());
  fault("/files/f7.bin redirect");
  const HttpResponse r = client.get(url("/files/f7.bin"));
  EXPECT_EQ(r.body, file_body(7));
  EXPECT_EQ(r.url, url("/files/f7.bin?redirected=1"));
}

TEST_F(Http, RedirectLoopIsAnError) {
  HttpClient client(fast());
  fault("/files/f8.bin redirect_loop");
  const NetError e = error_of(client, HttpRequest(url("/files/f8.bin")));
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/f8.bin") + " failed: too many redirects (more than 10)");
  EXPECT_EQ(e.kind(), NetError::Kind::redirects);
  EXPECT_EQ(server_->count("/files/f8.bin"), 11);  // not retried
}

TEST_F(Http, NotFoundIsFinalAndDistinguishable) {
  HttpClient client(fast());
  const NetError e = error_of(client, HttpRequest(url("/simple/nope/")));
  EXPECT_EQ(std::string(e.what()), "GET " + url("/simple/nope/") + " failed: HTTP 404 Not Found");
  EXPECT_EQ(e.status(), 404);
  EXPECT_TRUE(e.not_found());
  EXPECT_EQ(server_->count("/simple/nope/"), 1);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST_F(Http, BasicAuthFromUrlUserinfo) {
  HttpClient client(fast());
  fault("/private/* auth username=alice password=s3cret");
  const std::string with_creds = "http://alice:s3cret@" + url("/private/secret.txt").substr(7);
  const HttpResponse r = client.get(with_creds);
  EXPECT_EQ(r.body, "the secret\n");
  EXPECT_EQ(r.url, with_creds);  // relative links resolved against it keep working
  const NetError e = error_of(client, HttpRequest(url("/private/secret.txt")));
  EXPECT_EQ(e.status(), 401);
}

TEST_F(Http, BasicAuthFromNetrcFileInEnvironment) {
  test::TempDir dir;
  test::write_file(dir.path() / "netrc", "machine 127.0.0.1\n  login alice\n  password s3cret\n");
  fault("/private/* auth username=alice password=s3cret");
  HttpOptions o = fast();
  o.use_netrc = true;
  o.environment = {{"NETRC", (dir.path() / "netrc").string()}};
  {
    HttpClient client(o);
    EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
  }
  // The URL's own credentials win over the netrc file.
  test::write_file(dir.path() / "other", "machine 127.0.0.1 login alice password wrong\n");
  o.netrc_file = dir.path() / "other";
  HttpClient client(o);
  EXPECT_EQ(error_of(client, HttpRequest(url("/private/secret.txt"))).status(), 401);
  EXPECT_EQ(client.get("http://alice:s3cret@" + url("/private/secret.txt").substr(7)).body, "the secret\n");
}

TEST_F(Http, NetrcInTheHomeOfTheEnvironment) {
  test::TempDir home;
  test::write_file(home.path() / ".netrc", "machine 127.0.0.1 login alice password s3cret\n");
  fault("/private/* auth username=alice password=s3cret");
  HttpOptions o = fast();
  o.use_netrc = true;
  o.environment = {{"HOME", home.path().string()}};
  {
    HttpClient client(o);
    EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
  }
  // NETRC comes before HOME.
  test::write_file(home.path() / "wrong", "machine 127.0.0.1 login alice password wrong\n");
  o.environment["NETRC"] = (home.path() / "wrong").string();
  {
    HttpClient client(o);
    EXPECT_EQ(error_of(client, HttpRequest(url("/private/secret.txt"))).status(), 401);
  }
  // An empty environment has no HOME, so no netrc, whatever the process has.
  o.environment.clear();
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home ? old_home : "";
  ::setenv("HOME", home.path().c_str(), 1);
  {
    HttpClient client(o);
    EXPECT_EQ(error_of(client, HttpRequest(url("/private/secret.txt"))).status(), 401);
  }
  if (old_home) ::setenv("HOME", saved.c_str(), 1); else ::unsetenv("HOME");
}

TEST_F(Http, IndexUrlCredentialsAuthenticateTheWholeOrigin) {
  fault("/private/* auth username=alice password=p@ss");
  HttpOptions o = fast();
  const std::string authority = url("").substr(7);  // "127.0.0.1:PORT"
  o.credential_urls = {"http://alice:p%40ss@" + authority + "/simple/"};
  HttpClient client(o);
  // A URL without userinfo on the index's origin gets the index's credentials.
  EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
  // The URL's own credentials win over the stored ones.
  EXPECT_EQ(error_of(client, HttpRequest("http://alice:wrong@" + authority + "/private/secret.txt")).status(), 401);
  // Another host name for the same server is another origin: nothing is sent there.
  const std::string port = authority.substr(authority.find(':') + 1);
  ASSERT_EQ(server_->command("clear"), "ok");
  fault("/private/* auth username=alice password=p@ss");
  EXPECT_EQ(error_of(client, HttpRequest("http://localhost:" + port + "/private/secret.txt")).status(), 401);
  EXPECT_EQ(server_->command("header /private/secret.txt authorization"), "-");
  // Nor on a redirect from the index's origin to another one.
  ASSERT_EQ(server_->command("clear"), "ok");
  fault("/private/* auth username=alice password=p@ss");
  fault("/files/hop.txt redirect location=http://localhost:" + port + "/private/secret.txt");
  EXPECT_EQ(error_of(client, HttpRequest(url("/files/hop.txt"))).status(), 401);
  EXPECT_NE(server_->command("header /files/hop.txt authorization"), "-");
  EXPECT_EQ(server_->command("header /private/secret.txt authorization"), "-");
}

// pip adds a requirements file's --trusted-host (and its index URLs' credentials) to a session that
// already read the file: requests started afterwards use them, credentials known before stay.
TEST_F(Http, OriginsAddedAfterTheStartApplyToLaterRequests) {
  fault("/private/* auth username=alice password=p@ss");
  HttpOptions o = fast();
  const std::string authority = url("").substr(7);
  HttpClient client(o);
  EXPECT_EQ(error_of(client, HttpRequest(url("/private/secret.txt"))).status(), 401);
  client.add_origins({"127.0.0.1"}, {"http://alice:p%40ss@" + authority + "/simple/"});
  EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
  EXPECT_EQ(client.options().trusted_hosts, std::vector<std::string>{"127.0.0.1"});
  // The first credentials for an origin win, as with HttpOptions::credential_urls.
  client.add_origins({"127.0.0.1"}, {"http://alice:wrong@" + authority + "/other/"});
  EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
  EXPECT_EQ(client.options().trusted_hosts, std::vector<std::string>{"127.0.0.1"});
}

TEST_F(Http, IndexUrlCredentialsComeBeforeNetrc) {
  test::TempDir dir;
  test::write_file(dir.path() / "netrc", "machine 127.0.0.1 login alice password wrong\n");
  fault("/private/* auth username=alice password=s3cret");
  HttpOptions o = fast();
  o.use_netrc = true;
  o.netrc_file = dir.path() / "netrc";
  o.credential_urls = {"http://alice:s3cret@" + url("/simple/").substr(7)};
  HttpClient client(o);
  EXPECT_EQ(client.get(url("/private/secret.txt")).body, "the secret\n");
}

TEST_F(Http, PasswordsNeverAppearInMessages) {
  HttpClient client(fast());
  fault("/private/* auth username=alice password=s3cret");
  const std::string wrong = "http://alice:wr0ngpw@" + url("/private/secret.txt").substr(7);
  NetError e = error_of(client, HttpRequest(wrong));
  std::string msg = e.what();
  EXPECT_EQ(msg.find("wr0ngpw"), std::string::npos) << msg;
  EXPECT_NE(msg.find("http://alice:****@127.0.0.1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("HTTP 401 Unauthorized"), std::string::npos) << msg;

  e = error_of(client, HttpRequest("http://tok3n@127.0.0.1:" + std::to_string(closed_port()) + "/x"));
  msg = e.what();
  EXPECT_EQ(msg.find("tok3n"), std::string::npos) << msg;
  EXPECT_NE(msg.find("http://****@127.0.0.1"), std::string::npos) << msg;
}

TEST_F(Http, CacheServesFreshEntryWithoutRequest) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  {
    HttpClient client(o);
    EXPECT_FALSE(client.get(url("/simple/foo/")).from_cache);
    const HttpResponse again = client.get(url("/simple/foo/"));
    EXPECT_TRUE(again.from_cache);
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.url, url("/simple/foo/"));
    EXPECT_TRUE(again.header("etag"));
    EXPECT_EQ(client.stats().cache_hits, 1u);
  }
  HttpClient later(o);  // another run, same cache directory
  EXPECT_TRUE(later.get(url("/simple/foo/")).from_cache);
  EXPECT_EQ(server_->count("/simple/foo/"), 1);
}

TEST_F(Http, CacheKeyIncludesAccept) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest json(url("/simple/foo/"));
  json.headers = {{"Accept", "application/vnd.pypi.simple.v1+json"}};
  HttpRequest html(url("/simple/foo/"));
  html.headers = {{"Accept", "text/html"}};
  EXPECT_EQ(client.get(json).header("content-type"), "application/vnd.pypi.simple.v1+json");
  EXPECT_EQ(client.get(html).header("content-type"), "text/html; charset=utf-8");
  const HttpResponse cached_json = client.get(json);
  EXPECT_TRUE(cached_json.from_cache);
  EXPECT_NE(cached_json.body.find("api-version"), std::string::npos);
  EXPECT_EQ(server_->count("/simple/foo/"), 2);
}

// HttpRequest::cached_body_optional: a fresh cached page comes without its body, a page from the
// network or revalidated with it.
TEST_F(Http, CachedBodyOptionalOmitsOnlyFreshCachedBodies) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req(url("/simple/foo/"));
  req.cached_body_optional = true;
  const HttpResponse first = client.get(req);  // from the network
  EXPECT_FALSE(first.body_omitted);
  EXPECT_FALSE(first.body.empty());
  const HttpResponse head = client.get(req);
  EXPECT_TRUE(head.from_cache);
  EXPECT_TRUE(head.body_omitted);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.body_size, first.body.size());
  EXPECT_EQ(head.body_sha256, sha256_hex(first.body));
  EXPECT_EQ(head.url, url("/simple/foo/"));
  EXPECT_EQ(head.header("etag"), first.header("etag"));
  req.cached_body_optional = false;
  EXPECT_EQ(client.get(req).body, first.body);
  EXPECT_EQ(server_->count("/simple/foo/"), 1);

  ASSERT_EQ(server_->command("cache-control no-cache"), "ok");
  HttpRequest stale(url("/files/f21.bin"));
  stale.cached_body_optional = true;
  const HttpResponse bar = client.get(stale);
  const HttpResponse revalidated = client.get(stale);  // stale: asked again, 304, body from the cache
  EXPECT_FALSE(revalidated.body_omitted);
  EXPECT_EQ(revalidated.body, bar.body);
  EXPECT_EQ(server_->count("/files/f21.bin"), 2);
}

TEST_F(Http, StaleEntryIsRevalidatedWith304) {
  test::TempDir dir;
  ASSERT_EQ(server_->command("cache-control no-cache"), "ok");
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  const HttpResponse first = client.get(url("/files/f9.bin"));
  const HttpResponse second = client.get(url("/files/f9.bin"));
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, file_body(9));
  EXPECT_EQ(server_->command("header /files/f9.bin if-none-match"), *first.header("etag"));
  EXPECT_EQ(server_->count("/files/f9.bin"), 2);
  EXPECT_EQ(client.stats().revalidated, 1u);
}

TEST_F(Http, StaleEntryWithOnlyLastModifiedIsRevalidatedByDate) {
  test::TempDir dir;
  ASSERT_EQ(server_->command("cache-control no-cache"), "ok");
  ASSERT_EQ(server_->command("etags off"), "ok");
  const auto file = root_->path() / "files" / "dated.txt";
  test::write_file(file, "first\n");
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  const HttpResponse first = client.get(url("/files/dated.txt"));
  ASSERT_FALSE(first.header("etag"));
  ASSERT_TRUE(first.header("last-modified"));
  const HttpResponse second = client.get(url("/files/dated.txt"));
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "first\n");
  // RFC 9110 13.1.3: the stored Last-Modified goes back as If-Modified-Since, and the 304 stands
  // for the stored body.
  EXPECT_EQ(server_->command("header /files/dated.txt if-modified-since"), std::string(*first.header("last-modified")));
  EXPECT_EQ(server_->command("header /files/dated.txt if-none-match"), "-");
  EXPECT_EQ(client.stats().revalidated, 1u);
  // Changed since that date: the new body comes and replaces the stored one.
  test::write_file(file, "second, longer\n");
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(10));
  const HttpResponse third = client.get(url("/files/dated.txt"));
  EXPECT_FALSE(third.from_cache);
  EXPECT_EQ(third.body, "second, longer\n");
  EXPECT_EQ(client.stats().revalidated, 1u);
  EXPECT_EQ(server_->count("/files/dated.txt"), 3);
}

TEST_F(Http, KeepAliveReusesConnections) {
  HttpOptions o = fast();
  o.max_per_host = 4;
  HttpClient client(o);
  // One after the other: every request goes over the first connection.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(client.get(url("/files/f" + std::to_string(i) + ".bin")).body, file_body(i));
  }
  EXPECT_EQ(server_->command("connections"), "1");
  // In parallel: no more connections than the per-host bound, however many requests.
  std::vector<HttpRequest> batch;
  for (int i = 0; i < 40; ++i) batch.emplace_back(url("/files/f" + std::to_string(i) + ".bin"));
  EXPECT_EQ(client.fetch_all(std::move(batch)).size(), 40u);
  EXPECT_LE(std::stoi(server_->command("connections")), 4);
  EXPECT_EQ(server_->count("/files/f*.bin"), 60);
}

TEST_F(Http, ChangedEntryIsReplaced) {
  test::TempDir dir;
  ASSERT_EQ(server_->command("cache-control max-age=0"), "ok");
  test::write_file(root_->path() / "files" / "changing.txt", "version one\n");
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  EXPECT_EQ(client.get(url("/files/changing.txt")).body, "version one\n");
  test::write_file(root_->path() / "files" / "changing.txt", "version two, longer\n");
  const HttpResponse r = client.get(url("/files/changing.txt"));
  EXPECT_FALSE(r.from_cache);
  EXPECT_EQ(r.body, "version two, longer\n");
  // The new version is what is stored now.
  o.offline = true;
  HttpClient offline(o);
  EXPECT_EQ(offline.get(url("/files/changing.txt")).body, "version two, longer\n");
}

// What a caller keeps with a cached page (an index page's parsed listing) comes back with the page,
// head-only answers included; a 304 keeps it, a new body drops it, and it is only ever kept with the
// body it was made from.
TEST_F(Http, AnnexLivesAsLongAsThePageBody) {
  test::TempDir dir;
  ASSERT_EQ(server_->command("cache-control max-age=0"), "ok");
  test::write_file(root_->path() / "files" / "page.txt", "body one\n");
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req(url("/files/page.txt"));
  const HttpResponse first = client.get(req);
  ASSERT_TRUE(first.cached_page);
  EXPECT_TRUE(first.annex.empty());
  HttpResponse other = first;
  other.body_sha256 = sha256_hex("another body");
  EXPECT_FALSE(client.store_annex(req, other, "parsed"));
  ASSERT_TRUE(client.store_annex(req, first, "parsed one"));

  const HttpResponse revalidated = client.get(req);  // stale: 304
  EXPECT_EQ(client.stats().revalidated, 1u);
  EXPECT_EQ(revalidated.body, "body one\n");
  EXPECT_EQ(revalidated.annex.view(), "parsed one");
  ASSERT_EQ(server_->command("cache-control max-age=600"), "ok");
  test::write_file(root_->path() / "files" / "page.txt", "body two, longer\n");
  const HttpResponse changed = client.get(req);  // the entry was stored with max-age=0: asked again
  EXPECT_EQ(changed.body, "body two, longer\n");
  EXPECT_TRUE(changed.annex.empty());
  ASSERT_TRUE(client.store_annex(req, changed, "parsed two"));
  req.cached_body_optional = true;
  const HttpResponse head = client.get(req);  // fresh now: the head and the annex, not the body
  EXPECT_TRUE(head.body_omitted);
  EXPECT_EQ(head.annex.view(), "parsed two");

  HttpOptions none = fast();
  HttpClient uncached(none);
  const HttpResponse not_kept = uncached.get(req);
  EXPECT_FALSE(not_kept.cached_page);
  EXPECT_FALSE(uncached.store_annex(req, not_kept, "parsed"));
}

// A caller that says it will store what it derives from a page (annex_follows) gets the page from the
// network unstored, and stores it once, with its annex.
TEST_F(Http, PageLeftToTheCallerIsStoredOnceWithItsAnnex) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req(url("/simple/foo/"));
  req.annex_follows = true;
  const HttpResponse first = client.get(req);
  EXPECT_TRUE(first.store_pending);
  EXPECT_FALSE(first.cached_page);
  EXPECT_FALSE(client.get(req).from_cache);  // not stored yet: asked again
  ASSERT_TRUE(client.store_annex(req, first, "parsed"));
  req.cached_body_optional = true;
  const HttpResponse head = client.get(req);
  EXPECT_TRUE(head.from_cache);
  EXPECT_TRUE(head.body_omitted);
  EXPECT_EQ(head.annex.view(), "parsed");
  EXPECT_EQ(head.body_sha256, sha256_hex(first.body));
  EXPECT_EQ(server_->count("/simple/foo/"), 2);
  EXPECT_FALSE(client.store_annex(req, HttpResponse{}, "again"));  // neither left to the caller nor cached
}

TEST_F(Http, RevalidatePolicyAlwaysAsks) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req(url("/files/f10.bin"));
  req.cache = CachePolicy::revalidate;
  client.get(req);
  EXPECT_TRUE(client.get(req).from_cache);
  EXPECT_EQ(server_->count("/files/f10.bin"), 2);
}

TEST_F(Http, NoStoreIsNotCached) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  HttpRequest req(url("/files/f11.bin"));
  req.cache = CachePolicy::no_store;
  client.get(req);
  EXPECT_FALSE(client.get(req).from_cache);
  ASSERT_EQ(server_->command("cache-control no-store"), "ok");
  client.get(url("/files/f12.bin"));
  EXPECT_FALSE(client.get(url("/files/f12.bin")).from_cache);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "pages-v1"));
}

TEST_F(Http, OfflineServesAnyCachedEntryAndNamesMisses) {
  test::TempDir dir;
  ASSERT_EQ(server_->command("cache-control no-cache"), "ok");
  HttpOptions o = with_cache(dir);
  {
    HttpClient online(o);
    online.get(url("/simple/foo/"));
  }
  o.offline = true;
  HttpClient offline(o);
  const HttpResponse r = offline.get(url("/simple/foo/"));
  EXPECT_TRUE(r.from_cache);
  const NetError e = error_of(offline, HttpRequest(url("/simple/bar/")));
  EXPECT_EQ(std::string(e.what()), "not available offline: " + url("/simple/bar/") +
                                       " is not in the cache (run once online or drop --offline)");
  EXPECT_EQ(e.kind(), NetError::Kind::offline);
  HttpRequest ranged(url("/files/big.bin"));
  ranged.range = ByteRange::suffix(10);
  EXPECT_EQ(error_of(offline, ranged).kind(), NetError::Kind::offline);
  EXPECT_EQ(server_->count("*"), 1);
  EXPECT_EQ(offline.stats().network_requests, 0u);
}

TEST_F(Http, OfflineWithoutCacheDirectory) {
  HttpOptions o = fast();
  o.offline = true;
  HttpClient offline(o);
  EXPECT_EQ(error_of(offline, HttpRequest(url("/simple/foo/"))).kind(), NetError::Kind::offline);
  EXPECT_EQ(server_->count("*"), 0);
}

TEST_F(Http, ImmutableBlobsAreContentAddressed) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpRequest req(url("/files/f13.bin"));
  req.cache = CachePolicy::immutable;
  req.sha256 = sha256_hex(file_body(13));
  {
    HttpClient client(o);
    EXPECT_FALSE(client.get(req).from_cache);
    const HttpResponse again = client.get(req);
    EXPECT_TRUE(again.from_cache);
    EXPECT_EQ(again.body, file_body(13));
  }
  EXPECT_TRUE(o.cache->has_blob(req.sha256));
  o.offline = true;
  HttpClient offline(o);
  EXPECT_EQ(offline.get(req).body, file_body(13));
  EXPECT_EQ(server_->count("/files/f13.bin"), 1);
}

TEST_F(Http, CorruptBodyFailsTheHashCheckAndIsNotStored) {
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  fault("/files/f14.bin corrupt");
  HttpRequest req(url("/files/f14.bin"));
  req.cache = CachePolicy::immutable;
  req.sha256 = sha256_hex(file_body(14));
  const NetError e = error_of(client, req);
  EXPECT_EQ(e.kind(), NetError::Kind::hash_mismatch);
  EXPECT_NE(std::string(e.what()).find("sha256 mismatch (expected " + req.sha256), std::string::npos) << e.what();
  EXPECT_FALSE(o.cache->has_blob(req.sha256));
  EXPECT_EQ(server_->count("/files/f14.bin"), 1);
}

TEST_F(Http, SaveToFileWithHashAndBlobCache) {
  test::TempDir dir;
  HttpOptions o = fast();
  o.cache = std::make_shared<HttpCache>(dir.path() / "cache");
  HttpClient client(o);
  const std::string big = test::pattern_bytes(200000, 99);
  HttpRequest req(url("/files/big.bin"));
  req.save_to = dir.path() / "dl" / "big.bin";
  req.sha256 = sha256_hex(big);
  req.cache = CachePolicy::immutable;
  const HttpResponse r = client.get(req);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.body_size, big.size());
  EXPECT_EQ(test::read_file(req.save_to), big);
  req.save_to = dir.path() / "dl2" / "big.bin";
  EXPECT_TRUE(client.get(req).from_cache);
  EXPECT_EQ(test::read_file(req.save_to), big);
  EXPECT_EQ(server_->count("/files/big.bin"), 1);
}

TEST_F(Http, FailedSaveToLeavesNothingBehind) {
  test::TempDir dir;
  HttpClient client(fast());
  fault("/files/big.bin truncate keep=1000");
  HttpRequest req(url("/files/big.bin"));
  req.save_to = dir.path() / "big.bin";
  EXPECT_EQ(error_of(client, req).kind(), NetError::Kind::truncated);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST_F(Http, ScratchFilesLiveAsLongAsTheClient) {
  std::filesystem::path first, second;
  {
    HttpClient client(fast());
    first = client.scratch_file("a-1.0-py3-none-any.whl");
    second = client.scratch_file("a-1.0-py3-none-any.whl");
    EXPECT_NE(first, second);
    EXPECT_EQ(first.parent_path(), second.parent_path());
    EXPECT_TRUE(std::filesystem::is_directory(first.parent_path()));
    EXPECT_EQ(first.filename().string().substr(first.filename().string().find('-')), "-a-1.0-py3-none-any.whl");
    // A download saved there and never consumed (a prefetch the resolution did not need).
    HttpRequest req(url("/files/f20.bin"));
    req.save_to = first;
    client.get(req);
    EXPECT_TRUE(std::filesystem::exists(first));
  }
  // Gone with the client, whatever was left in it.
  EXPECT_FALSE(std::filesystem::exists(first.parent_path()));
}

TEST_F(Http, ScratchDirectoryThatCannotBeCreatedIsALocalFileError) {
  test::TempDir dir;
  test::write_file(dir.path() / "file", "not a directory");
  HttpOptions o = fast();
  o.environment = {{"TMPDIR", (dir.path() / "file" / "sub").string()}};
  HttpClient client(o);
  try {
    client.scratch_file("x.whl");
    ADD_FAILURE() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::local_file);
    EXPECT_NE(std::string(e.what()).find("TMPDIR"), std::string::npos) << e.what();
  }
}

TEST_F(Http, StalledBodyTimesOut) {
  HttpOptions o = fast();
  o.read_timeout = 150ms;
  o.max_attempts = 1;
  HttpClient client(o);
  fault("/files/f15.bin slow delay=2 chunks=2");
  const auto start = std::chrono::steady_clock::now();
  const NetError e = error_of(client, HttpRequest(url("/files/f15.bin")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
  EXPECT_EQ(e.kind(), NetError::Kind::timeout);
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/f15.bin") + " failed: timed out (no data for 150 ms)");
}

TEST_F(Http, BodyOverTheLimitIsRefused) {
  HttpClient client(fast());
  HttpRequest req(url("/files/big.bin"));
  req.max_body = 1000;
  const NetError e = error_of(client, req);
  EXPECT_EQ(e.kind(), NetError::Kind::too_large);
  EXPECT_EQ(std::string(e.what()), "GET " + url("/files/big.bin") + " failed: response body too large (more than 1000 bytes)");
}

TEST_F(Http, ExplicitProxyCarriesEveryRequest) {
  // The test server answers absolute-form requests too, so it can stand in for a proxy: a host
  // that does not exist is reached through it.
  HttpOptions o = fast();
  o.proxy = server_->url();
  {
    HttpClient client(o);
    EXPECT_EQ(client.get("http://index.invalid/files/f17.bin").body, file_body(17));
  }
  EXPECT_EQ(server_->count("/files/f17.bin"), 1);
  EXPECT_EQ(server_->command("header /files/f17.bin host"), "index.invalid");
  // A proxy that cannot be reached is named in the failure, its password redacted.
  o.proxy = "http://bob:pr0xypw@127.0.0.1:" + std::to_string(closed_port());
  o.max_attempts = 1;
  HttpClient client(o);
  const std::string msg = error_of(client, HttpRequest(url("/files/f17.bin"))).what();
  EXPECT_NE(msg.find("through the proxy http://bob:****@127.0.0.1:"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("pr0xypw"), std::string::npos) << msg;
}

TEST_F(Http, ProxyFromEnvironmentAndNoProxy) {
  const std::string proxy = "http://127.0.0.1:" + std::to_string(closed_port());
  HttpOptions o = fast();
  o.max_attempts = 1;
  o.environment = {{"http_proxy", proxy}};
  {
    HttpClient client(o);
    EXPECT_EQ(error_of(client, HttpRequest(url("/files/f16.bin"))).kind(), NetError::Kind::connection);
  }
  o.environment["NO_PROXY"] = "127.0.0.1";
  {
    HttpClient client(o);
    EXPECT_EQ(client.get(url("/files/f16.bin")).body, file_body(16));
  }
  // HTTP_PROXY too, as pip honours it, and all_proxy.
  for (const char* name : {"HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
    o.environment = {{name, proxy}};
    HttpClient client(o);
    EXPECT_EQ(error_of(client, HttpRequest(url("/files/f16.bin"))).kind(), NetError::Kind::connection) << name;
  }
  // https_proxy is not for http:// URLs.
  o.environment = {{"https_proxy", proxy}};
  {
    HttpClient client(o);
    EXPECT_EQ(client.get(url("/files/f16.bin")).body, file_body(16));
  }
  EXPECT_EQ(server_->count("/files/f16.bin"), 2);
}

TEST_F(Http, TheProcessEnvironmentIsNotRead) {
  // libcurl would read http_proxy itself: the client always tells it the environment's choice.
  const std::string proxy = "http://127.0.0.1:" + std::to_string(closed_port());
  ::setenv("http_proxy", proxy.c_str(), 1);
  {
    HttpClient client(fast());
    EXPECT_EQ(client.get(url("/files/f16.bin")).body, file_body(16));
  }
  ::unsetenv("http_proxy");
}

TEST_F(Http, CustomUserAgentAndHeaders) {
  HttpOptions o = fast();
  o.user_agent = "thoth/test-agent";
  HttpClient client(o);
  HttpRequest req(url("/files/f17.bin"));
  req.headers = {{"X-Test", "yes"}};
  client.get(req);
  EXPECT_EQ(server_->command("header /files/f17.bin user-agent"), "thoth/test-agent");
  EXPECT_EQ(server_->command("header /files/f17.bin x-test"), "yes");
}

TEST_F(Http, CompressedBodiesAreDecoded) {
  ASSERT_EQ(server_->command("gzip /files/f19.bin"), "ok");
  test::TempDir dir;
  HttpOptions o = with_cache(dir);
  HttpClient client(o);
  const HttpResponse r = client.get(url("/files/f19.bin"));
  EXPECT_EQ(r.body, file_body(19));
  EXPECT_FALSE(r.header("content-encoding"));
  EXPECT_FALSE(r.header("content-length"));  // it was the compressed length
  EXPECT_NE(server_->command("header /files/f19.bin accept-encoding").find("gzip"), std::string::npos);
  HttpRequest raw(url("/files/f19.bin"));
  raw.allow_compression = false;
  raw.cache = CachePolicy::no_store;
  EXPECT_EQ(client.get(raw).body, file_body(19));
  EXPECT_EQ(server_->command("header /files/f19.bin accept-encoding"), "-");
}

TEST_F(Http, DestroyingTheClientCancelsTransfers) {
  fault("/files/f18.bin slow delay=3 chunks=3");
  std::shared_future<HttpResponse> pending;
  const auto start = std::chrono::steady_clock::now();
  {
    HttpClient client(fast());
    pending = client.submit(HttpRequest(url("/files/f18.bin")));
  }
  try {
    pending.get();
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_EQ(e.kind(), NetError::Kind::shutdown);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(Http, FetchAllThrowsTheFirstFailureInOrder) {
  HttpClient client(fast());
  std::vector<HttpRequest> reqs = {HttpRequest(url("/files/f0.bin")), HttpRequest(url("/missing/a")),
                                   HttpRequest(url("/missing/b"))};
  try {
    client.fetch_all(reqs);
    FAIL() << "expected NetError";
  } catch (const NetError& e) {
    EXPECT_NE(std::string(e.what()).find("/missing/a"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace thoth
