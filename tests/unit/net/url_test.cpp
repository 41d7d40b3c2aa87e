#include <gtest/gtest.h>

#include "net/credentials.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "thoth/net.hpp"
#include "base/url_text.hpp"

namespace thoth {
namespace {

TEST(RedactUrl, HidesPasswordsLikePip) {
  EXPECT_EQ(redact_url("https://user:secret@host/simple/"), "https://user:****@host/simple/");
  EXPECT_EQ(redact_url("https://token@host:8080/x"), "https://****@host:8080/x");
  EXPECT_EQ(redact_url("https://host/simple/"), "https://host/simple/");
  // The last '@' ends the userinfo: a password may contain one.
  EXPECT_EQ(redact_url("http://u:p@ss@h/"), "http://u:****@h/");
  // An '@' after the authority is not userinfo.
  EXPECT_EQ(redact_url("http://h/a@b"), "http://h/a@b");
  EXPECT_EQ(redact_url("not a url"), "not a url");
}

TEST(RedactUrl, InFreeText) {
  EXPECT_EQ(redact_text("proxy http://bob:hunter2@proxy:3128 refused; see https://x/y"),
            "proxy http://bob:****@proxy:3128 refused; see https://x/y");
  EXPECT_EQ(redact_text("no urls here"), "no urls here");
}

TEST(Url, Split) {
  auto p = net::split_url("https://u:p@Example.COM:8443/path?q#f");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scheme, "https");
  EXPECT_EQ(p->userinfo, "u:p");
  EXPECT_EQ(p->host, "Example.COM");
  EXPECT_EQ(p->port, "8443");
  auto v6 = net::split_url("http://[::1]:9000/");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "9000");
  EXPECT_FALSE(net::split_url("relative/path"));
}

TEST(Url, HostKeyFillsDefaultPorts) {
  EXPECT_EQ(net::host_key("https://Files.Example.org/a"), "https://files.example.org:443");
  EXPECT_EQ(net::host_key("http://u:p@h:81/"), "http://h:81");
  EXPECT_EQ(net::host_key("http://h/"), "http://h:80");
}

TEST(Url, StripUserinfoAndFragment) {
  EXPECT_EQ(net::strip_userinfo("https://u:p@h/x#y"), "https://h/x#y");
  EXPECT_EQ(base::without_fragment("https://h/x.whl#sha256=ab"), "https://h/x.whl");
}

TEST(Url, FilePaths) {
  EXPECT_EQ(base::file_url_to_path("file:///tmp/a%20b/c.whl"), std::filesystem::path("/tmp/a b/c.whl"));
  EXPECT_EQ(base::file_url_to_path("file://localhost/srv/x#sha256=1"), std::filesystem::path("/srv/x"));
  EXPECT_EQ(base::file_url_to_path("file:/srv/x"), std::filesystem::path("/srv/x"));
  EXPECT_FALSE(base::file_url_to_path("file://otherhost/srv/x"));
  EXPECT_FALSE(base::file_url_to_path("https://h/x"));
}

TEST(Headers, ParseLine) {
  auto h = net::parse_header_line("Content-Type:  text/html \r\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->first, "content-type");
  EXPECT_EQ(h->second, "text/html");
  EXPECT_FALSE(net::parse_header_line("HTTP/1.1 200 OK\r\n"));
  EXPECT_FALSE(net::parse_header_line("\r\n"));
}

TEST(Headers, FindIsCaseInsensitiveAndKeepsRepeats) {
  Headers h = {{"set-cookie", "a"}, {"set-cookie", "b"}, {"etag", "\"x\""}};
  EXPECT_EQ(find_header(h, "ETag"), "\"x\"");
  EXPECT_EQ(find_header(h, "set-cookie"), "a");
  EXPECT_FALSE(find_header(h, "age"));
}

TEST(Headers, MergeReplacesUpdatedFieldsOnly) {
  // RFC 9111 §4.3.4
  Headers stored = {{"etag", "\"1\""}, {"cache-control", "max-age=1"}, {"content-length", "10"}, {"x", "keep"}};
  net::merge_headers(stored, {{"cache-control", "max-age=60"}, {"content-length", "0"}, {"date", "d"}});
  EXPECT_EQ(find_header(stored, "cache-control"), "max-age=60");
  EXPECT_EQ(find_header(stored, "content-length"), "10");
  EXPECT_EQ(find_header(stored, "x"), "keep");
  EXPECT_EQ(find_header(stored, "date"), "d");
}

TEST(Ranges, HeaderValues) {
  EXPECT_EQ(ByteRange::span(0, 99).header_value(), "bytes=0-99");
  EXPECT_EQ(ByteRange::from(100).header_value(), "bytes=100-");
  EXPECT_EQ(ByteRange::suffix(22).header_value(), "bytes=-22");
}

TEST(Ranges, ParseContentRange) {
  auto r = parse_content_range("bytes 10-19/1000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 10u);
  EXPECT_EQ(r->last, 19u);
  EXPECT_EQ(r->total, 1000u);
  auto star = parse_content_range("bytes 0-0/*");
  ASSERT_TRUE(star);
  EXPECT_EQ(star->total, 0u);
  EXPECT_FALSE(parse_content_range("bytes */1000"));
  EXPECT_FALSE(parse_content_range("bytes 5-1/10"));
  EXPECT_FALSE(parse_content_range("items 0-1/2"));
}

TEST(Status, ReasonPhrases) {
  EXPECT_EQ(net::reason_phrase(404), "Not Found");
  EXPECT_EQ(net::reason_phrase(599), "");
}

TEST(Credentials, FromUserinfoPercentDecoded) {
  auto c = net::url_credentials("https://alice:p%40ss%3Aw@host/simple/");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "p@ss:w");
  c = net::url_credentials("https://t%2Fken@host/");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "t/ken");
  EXPECT_EQ(c->password, "");
  EXPECT_FALSE(net::url_credentials("https://host/simple/"));
}

TEST(Credentials, StoredPerOriginOnly) {
  const net::CredentialStore store(
      {"https://host/no-credentials/", "https://alice:pw@Host/simple/", "https://bob:other@host:443/second/",
       "http://carol:pw3@host:8080/simple/"});
  // Same scheme, host (case-insensitive) and port (default 443 written or not): the first URL wins.
  const net::Credentials* c = store.for_url("https://host/files/a.whl");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "pw");
  ASSERT_NE(store.for_url("https://HOST:443/files/a.whl.metadata"), nullptr);
  ASSERT_NE(store.for_url("http://host:8080/x"), nullptr);
  EXPECT_EQ(store.for_url("http://host:8080/x")->username, "carol");
  // Another scheme, port or host gets nothing.
  EXPECT_EQ(store.for_url("http://host/files/a.whl"), nullptr);
  EXPECT_EQ(store.for_url("https://host:8443/files/a.whl"), nullptr);
  EXPECT_EQ(store.for_url("https://files.host/a.whl"), nullptr);
  EXPECT_EQ(store.for_url("https://evil.example/?host"), nullptr);
  // A URL with credentials of its own keeps them.
  EXPECT_EQ(store.for_url("https://eve:x@host/files/a.whl"), nullptr);
  EXPECT_TRUE(net::CredentialStore({"https://host/simple/"}).empty());
}

}  // namespace
}  // namespace thoth
