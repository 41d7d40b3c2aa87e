#include <gtest/gtest.h>

#include "index/html_entities.hpp"
#include "index/url.hpp"
#include "base/url_text.hpp"
#include "base/link.hpp"

namespace thoth::idx {
namespace {

TEST(JoinUrl, Rfc3986NormalExamples) {
  // RFC 3986 §5.4.1.
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(join_url(base, "g:h"), "g:h");
  EXPECT_EQ(join_url(base, "g"), "http://a/b/c/g");
  EXPECT_EQ(join_url(base, "./g"), "http://a/b/c/g");
  EXPECT_EQ(join_url(base, "g/"), "http://a/b/c/g/");
  EXPECT_EQ(join_url(base, "/g"), "http://a/g");
  EXPECT_EQ(join_url(base, "//g"), "http://g");
  EXPECT_EQ(join_url(base, "?y"), "http://a/b/c/d;p?y");
  EXPECT_EQ(join_url(base, "g?y"), "http://a/b/c/g?y");
  EXPECT_EQ(join_url(base, "#s"), "http://a/b/c/d;p?q#s");
  EXPECT_EQ(join_url(base, "g#s"), "http://a/b/c/g#s");
  EXPECT_EQ(join_url(base, ""), "http://a/b/c/d;p?q");
  EXPECT_EQ(join_url(base, "."), "http://a/b/c/");
  EXPECT_EQ(join_url(base, "./"), "http://a/b/c/");
  EXPECT_EQ(join_url(base, ".."), "http://a/b/");
  EXPECT_EQ(join_url(base, "../g"), "http://a/b/g");
  EXPECT_EQ(join_url(base, "../.."), "http://a/");
  EXPECT_EQ(join_url(base, "../../g"), "http://a/g");
}

TEST(JoinUrl, Rfc3986AbnormalExamples) {
  const std::string base = "http://a/b/c/d;p?q";
  EXPECT_EQ(join_url(base, "../../../g"), "http://a/g");
  EXPECT_EQ(join_url(base, "/./g"), "http://a/g");
  EXPECT_EQ(join_url(base, "/../g"), "http://a/g");
  EXPECT_EQ(join_url(base, "g."), "http://a/b/c/g.");
  EXPECT_EQ(join_url(base, "g/../h"), "http://a/b/c/h");
  EXPECT_EQ(join_url(base, "./g/."), "http://a/b/c/g/");
  EXPECT_EQ(join_url(base, "../../../../g"), "http://a/g");
  EXPECT_EQ(join_url(base, ".g"), "http://a/b/c/.g");
  EXPECT_EQ(join_url(base, "g.."), "http://a/b/c/g..");
  EXPECT_EQ(join_url(base, "..g"), "http://a/b/c/..g");
  EXPECT_EQ(join_url(base, "./../g"), "http://a/b/g");
  EXPECT_EQ(join_url(base, "g/./h"), "http://a/b/c/g/h");
  EXPECT_EQ(join_url(base, "g;x=1/./y"), "http://a/b/c/g;x=1/y");
  EXPECT_EQ(join_url(base, "g;x=1/../y"), "http://a/b/c/y");
  EXPECT_EQ(join_url(base, "g?y/./x"), "http://a/b/c/g?y/./x");
  EXPECT_EQ(join_url(base, "g#s/../x"), "http://a/b/c/g#s/../x");
}

TEST(JoinUrl, SimplePageShapes) {
  EXPECT_EQ(join_url("https://example.com/simple/foo/", "../../files/foo-1.0.tar.gz#sha256=ab"),
            "https://example.com/files/foo-1.0.tar.gz#sha256=ab");
  EXPECT_EQ(join_url("file:///srv/mirror/simple/foo/index.html", "../../files/foo-1.0-py3-none-any.whl"),
            "file:///srv/mirror/files/foo-1.0-py3-none-any.whl");
  EXPECT_EQ(join_url("https://example.com/simple/foo/", "https://cdn.example.com/f/foo.whl"),
            "https://cdn.example.com/f/foo.whl");
  EXPECT_EQ(join_url("https://user:pw@example.com/simple/foo/", "/packages/foo.whl"),
            "https://user:pw@example.com/packages/foo.whl");
}

TEST(OriginOf, SchemeAndAuthorityWithoutUserinfo) {
  EXPECT_EQ(idx::origin_of("https://u:p@Files.Example:8443/a/b.whl?x#y"), "https://files.example:8443");
  EXPECT_EQ(idx::origin_of("http://127.0.0.1:9/files/"), "http://127.0.0.1:9");
  EXPECT_EQ(idx::origin_of("../../files/a.whl"), "");
}

TEST(QuoteUrl, EncodesUnsafeCharactersKeepsEscapes) {
  EXPECT_EQ(quote_url("https://h/files/a b.whl"), "https://h/files/a%20b.whl");
  EXPECT_EQ(quote_url("https://h/files/a%20b.whl"), "https://h/files/a%20b.whl");
  EXPECT_EQ(quote_url("https://h/files/100%.whl"), "https://h/files/100%25.whl");
  EXPECT_EQ(quote_url("https://h/x/\xc3\xa9.whl#sha256=ab"), "https://h/x/%C3%A9.whl#sha256=ab");
  EXPECT_EQ(quote_url("https://h/p?q=<1>"), "https://h/p?q=%3C1%3E");
}

TEST(Fragment, HashesAndFilenames) {
  auto h = base::fragment_hashes("sha256=ABCDEF0123");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h["sha256"], "abcdef0123");
  h = base::fragment_hashes("egg=foo&md5=00ff&sha512=1a");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h["md5"], "00ff");
  EXPECT_EQ(h["sha512"], "1a");
  EXPECT_TRUE(base::fragment_hashes("sha256=nothex").empty());
  EXPECT_TRUE(base::fragment_hashes("whirlpool=00").empty());
  EXPECT_EQ(base::fragment_of("https://h/a.whl#sha256=1"), "sha256=1");
  EXPECT_EQ(base::without_fragment("https://h/a.whl#sha256=1"), "https://h/a.whl");
  EXPECT_EQ(base::url_filename("https://h/files/foo%2Bbar-1.0.tar.gz?x=1#frag"), "foo+bar-1.0.tar.gz");
  EXPECT_EQ(base::url_filename("https://h/simple/"), "");
}

TEST(FileUrls, RoundTrip) {
  EXPECT_EQ(path_to_file_url("/tmp/a b/c#d.whl"), "file:///tmp/a%20b/c%23d.whl");
  EXPECT_EQ(base::file_url_to_path("file:///tmp/a%20b/c%23d.whl")->string(), "/tmp/a b/c#d.whl");
  EXPECT_EQ(base::file_url_to_path("file://localhost/srv/x")->string(), "/srv/x");
  EXPECT_FALSE(base::file_url_to_path("file://otherhost/srv/x"));
  EXPECT_FALSE(base::file_url_to_path("https://h/x"));
  EXPECT_TRUE(base::is_http_url("HTTPS://h/x"));
  EXPECT_FALSE(base::is_http_url("/srv/x"));
  EXPECT_EQ(with_trailing_slash("https://h/simple"), "https://h/simple/");
  EXPECT_EQ(with_trailing_slash("https://h/simple//"), "https://h/simple/");
}

// All 2,125 names of HTML5 (as Python's html.unescape, which pip reads pages with), not only the common
// ones: multi-code-point texts, astral characters, rare names.
TEST(Entities, EveryHtml5Name) {
  EXPECT_EQ(decode_entities("&NotNestedGreaterGreater;"), "\xe2\xaa\xa2\xcc\xb8");
  EXPECT_EQ(decode_entities("&fjlig;"), "fj");
  EXPECT_EQ(decode_entities("&Afr;"), "\xf0\x9d\x94\x84");
  EXPECT_EQ(decode_entities("&ThickSpace;"), "\xe2\x81\x9f\xe2\x80\x8a");
  EXPECT_EQ(decode_entities("&zwnj;x"), "\xe2\x80\x8cx");
  EXPECT_EQ(decode_entities("&bsol;&quot;"), "\\\"");
  // Outside attributes the longest legacy prefix decodes (HTML section 13.2.5.73).
  EXPECT_EQ(decode_entities("&notit;", false), "\xc2\xacit;");
  EXPECT_EQ(decode_entities("&notin;", false), "\xe2\x88\x89");
}

TEST(Entities, NamedNumericAndLegacy) {
  EXPECT_EQ(decode_entities("&gt;=3.8,&lt;4"), ">=3.8,<4");
  EXPECT_EQ(decode_entities("&#62;=3.8"), ">=3.8");
  EXPECT_EQ(decode_entities("&#x3E;=3.8&#X3c;4"), ">=3.8<4");
  EXPECT_EQ(decode_entities("a&amp;b&quot;c&apos;d"), "a&b\"c'd");
  EXPECT_EQ(decode_entities("&nbsp;"), "\xc2\xa0");
  EXPECT_EQ(decode_entities("&hellip;&mdash;&euro;"), "\xe2\x80\xa6\xe2\x80\x94\xe2\x82\xac");
  // Legacy references without ';' decode, except in attributes before '=' or alphanumerics.
  EXPECT_EQ(decode_entities("&gt=3"), "&gt=3");
  EXPECT_EQ(decode_entities("&gt=3", false), ">=3");
  EXPECT_EQ(decode_entities("x &amp y"), "x & y");
  EXPECT_EQ(decode_entities("?a=1&copy=2"), "?a=1&copy=2");
  // Unknown names and bare ampersands stay as written.
  EXPECT_EQ(decode_entities("&bogus; & &;"), "&bogus; & &;");
  // Numeric edge cases (HTML §13.2.5.80): NUL and surrogates become U+FFFD, C1 reads as windows-1252.
  EXPECT_EQ(decode_entities("&#0;"), "\xef\xbf\xbd");
  EXPECT_EQ(decode_entities("&#xD800;"), "\xef\xbf\xbd");
  EXPECT_EQ(decode_entities("&#x80;"), "\xe2\x82\xac");
  EXPECT_EQ(decode_entities("&#1;"), "");
  EXPECT_EQ(decode_entities("&#99999999999;"), "\xef\xbf\xbd");
}

TEST(Entities, EveryTableNameDecodes) {
  // The named table is binary searched: each entry must be reachable.
  for (const char* n : {"AMP", "GT", "LT", "QUOT", "amp", "apos", "ast", "bsol", "bull", "cent", "colon", "comma",
                        "commat", "copy", "deg", "divide", "dollar", "equals", "euro", "excl", "grave", "gt",
                        "hellip", "laquo", "lcub", "ldquo", "lowbar", "lpar", "lsqb", "lsquo", "lt", "mdash",
                        "middot", "nbsp", "ndash", "num", "para", "percnt", "period", "plus", "plusmn", "pound",
                        "quest", "quot", "raquo", "rcub", "rdquo", "reg", "rpar", "rsqb", "rsquo", "sect", "semi",
                        "shy", "sol", "times", "trade", "verbar", "yen", "NewLine", "Tab"}) {
    std::string ref = std::string("&") + n + ";";
    EXPECT_NE(decode_entities(ref), ref) << n;
  }
}

}  // namespace
}  // namespace thoth::idx
