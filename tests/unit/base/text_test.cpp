// The shared helpers of src/base/: each named for the rule it follows, so each is tested on the edges
// where the rules differ.
#include <gtest/gtest.h>

#include <clocale>

#include "base/ascii.hpp"
#include "base/link.hpp"
#include "base/py_lines.hpp"
#include "base/toml_document.hpp"
#include "base/trim.hpp"
#include "base/url_text.hpp"

namespace thoth::base {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("Foo_BAR-1.0"), "foo_bar-1.0");
  EXPECT_EQ(ascii_lower("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // UTF-8 bytes untouched
  EXPECT_TRUE(ascii_iequals("Content-Type", "content-type"));
  EXPECT_FALSE(ascii_iequals("abc", "abd"));
  EXPECT_TRUE(ascii_istarts_with("FILE:///x", "file:"));
  EXPECT_EQ(hex_digit_value('F'), 15);
  EXPECT_EQ(hex_digit_value('g'), -1);
}

TEST(Ascii, IndependentOfTheLocale) {
  // std::isxdigit and std::tolower follow the C locale; these must not.
  const char* old = std::setlocale(LC_ALL, nullptr);
  const std::string saved = old ? old : "C";
  std::setlocale(LC_ALL, "C.UTF-8");
  EXPECT_FALSE(is_ascii_hex_digit('\xB2'));
  EXPECT_EQ(ascii_lower(static_cast<char>('\xC9')), '\xC9');
  std::setlocale(LC_ALL, saved.c_str());
}

TEST(Trim, EachSetIsItsRule) {
  EXPECT_EQ(trim(" \t\v\fx y\r\n"), "x y");
  EXPECT_EQ(trim("\n x \n", kLineWhitespace), "\n x \n");
  EXPECT_EQ(trim(" x\r", kBlanks), "x\r");
  EXPECT_EQ(trim_start("  x  "), "x  ");
  EXPECT_EQ(trim_end("  x  "), "  x");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
}

// Python's str.splitlines(): "\r\n" is one boundary, a trailing boundary makes no empty line, and
// \x1f, NBSP and a lone 0x85 byte (not U+0085) are no boundaries.
TEST(PySplitlines, PythonsBoundaries) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(py_splitlines(""), V{});
  EXPECT_EQ(py_splitlines("a\r\n\r\nb\n"), (V{"a", "", "b"}));
  EXPECT_EQ(py_splitlines("a\rb\vc\fd\x1c" "e\x1d" "f\x1eg"), (V{"a", "b", "c", "d", "e", "f", "g"}));
  EXPECT_EQ(py_splitlines("a\xC2\x85" "b\xE2\x80\xA8" "c\xE2\x80\xA9"), (V{"a", "b", "c"}));
  EXPECT_EQ(py_splitlines("a\x1f" "b\xC2\xA0" "c\x85" "d"), (V{"a\x1f" "b\xC2\xA0" "c\x85" "d"}));
  EXPECT_EQ(py_line_break_length("\xE2\x80", 0), 0u);  // a truncated U+2028
}

// Fuzzing found toml++ 3.3.0 reaching __builtin_unreachable() on a non-ASCII character where whitespace
// may be (tomlplusplus issues 190, 295): the sanitizer build stops on it. A clear error, or the value.
TEST(Toml, NonAsciiWhereWhitespaceMayBe) {
  for (std::string_view text : {"\xC6\x88", "a = 1\n\xC2\xA7 = 2\n", "a = \xE2\xB1\xAE\n"}) {
    try {
      (void)parse_toml<std::runtime_error>(text, "x.toml");
      ADD_FAILURE() << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string_view(e.what()).find("x.toml:"), std::string_view::npos) << e.what();
    }
  }
  const toml::table t = parse_toml<std::runtime_error>("s = \"\"\"\\\n\xC2\xA7\"\"\"\n", "x.toml");
  EXPECT_EQ(t["s"].value_or(std::string()), "\xC2\xA7");
}

// toml++ 3.3.0 asserts (debug) or assumes (clang's release builds) that a table header's key starts
// with a key character: a control character or a third '[' after the brackets broke it.
TEST(Toml, TableHeaderWithoutKey) {
  for (std::string_view text : {std::string_view("[\x07rcg]]\n", 8), std::string_view("[\x14\0ackages]]\n", 13),
                                std::string_view("[[[1]]]"), std::string_view("[[="), std::string_view("[=a]")}) {
    try {
      (void)parse_toml<std::runtime_error>(text, "x.toml");
      ADD_FAILURE() << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string_view(e.what()).find("x.toml:1:"), std::string_view::npos) << e.what();
    }
  }
}

TEST(PercentDecode, KeepsInvalidEscapes) {
  EXPECT_EQ(percent_decode("a%20b%2Bc"), "a b+c");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("%e9"), "\xE9");
}

TEST(SplitUrl, AbsoluteWithEveryPart) {
  const UrlParts p = split_url("https://u:p%40w@Example.COM:8443/a/b?q=1#sha256=ab");
  EXPECT_TRUE(p.has_scheme);
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.authority, "u:p%40w@Example.COM:8443");
  EXPECT_TRUE(p.has_userinfo);
  EXPECT_EQ(p.userinfo, "u:p%40w");
  EXPECT_EQ(p.host, "Example.COM");
  EXPECT_EQ(p.port, "8443");
  EXPECT_EQ(p.path, "/a/b");
  EXPECT_EQ(p.query, "q=1");
  EXPECT_EQ(p.fragment, "sha256=ab");
  EXPECT_EQ(p.authority_begin, 8u);
}

TEST(SplitUrl, LastAtEndsTheUserinfo) {
  const UrlParts p = split_url("https://user:p@ss@host/x@y");
  EXPECT_EQ(p.userinfo, "user:p@ss");
  EXPECT_EQ(p.host, "host");
  EXPECT_EQ(p.path, "/x@y");
}

TEST(SplitUrl, Ipv6LiteralWithoutBrackets) {
  const UrlParts p = split_url("http://[::1]:9000/simple/");
  EXPECT_EQ(p.host, "::1");
  EXPECT_EQ(p.port, "9000");
  EXPECT_EQ(split_url("http://[fe80::1]/").port, "");
}

TEST(SplitUrl, RelativeReferences) {
  UrlParts p = split_url("../pkg/x-1.0.whl#md5=00");
  EXPECT_FALSE(p.has_scheme);
  EXPECT_FALSE(p.has_authority);
  EXPECT_EQ(p.path, "../pkg/x-1.0.whl");
  EXPECT_TRUE(p.has_fragment);
  p = split_url("//cdn.example/x");
  EXPECT_FALSE(p.has_scheme);
  EXPECT_TRUE(p.has_authority);
  EXPECT_EQ(p.host, "cdn.example");
  // A colon after a '/' does not start a scheme (RFC 3986 section 4.2).
  EXPECT_FALSE(split_url("a/b:c").has_scheme);
  EXPECT_FALSE(split_url("1http://x").has_scheme);
}

TEST(FileUrl, Rfc8089Forms) {
  EXPECT_EQ(file_url_to_path("file:///tmp/a%20b/c%23d.whl"), std::filesystem::path("/tmp/a b/c#d.whl"));
  EXPECT_EQ(file_url_to_path("file://localhost/srv/x#sha256=1"), std::filesystem::path("/srv/x"));
  EXPECT_EQ(file_url_to_path("FILE://LOCALHOST/srv/x?q"), std::filesystem::path("/srv/x"));
  EXPECT_EQ(file_url_to_path("file:/srv/x"), std::filesystem::path("/srv/x"));
  EXPECT_FALSE(file_url_to_path("file://otherhost/srv/x"));
  EXPECT_FALSE(file_url_to_path("file://localhost"));
  EXPECT_FALSE(file_url_to_path("https://h/x"));
}

TEST(Link, Helpers) {
  EXPECT_EQ(strip_credentials("https://u:p@host/x"), "https://host/x");
  EXPECT_EQ(strip_credentials("https://token@host/x@y"), "https://host/x@y");
  EXPECT_EQ(strip_credentials("https://${USER}:${PASS}@host/x"), "https://${USER}:${PASS}@host/x");
  EXPECT_EQ(strip_credentials("file:///a@b"), "file:///a@b");
  EXPECT_EQ(url_filename("https://h/p/x-1.0.tar.gz?x=1#frag"), "x-1.0.tar.gz");
  EXPECT_EQ(url_filename("https://h/files/foo%2Bbar-1.0.tar.gz"), "foo+bar-1.0.tar.gz");
  EXPECT_EQ(url_filename("https://h/simple/"), "");
  EXPECT_EQ(url_filename("/local/dist/x-1.0-py3-none-any.whl"), "x-1.0-py3-none-any.whl");
  EXPECT_TRUE(is_archive_url("https://h/x-1.0.tar.gz#sha256=1"));
  EXPECT_TRUE(is_archive_url("https://h/x-1.0.zip?download=1"));
  EXPECT_FALSE(is_archive_url("file:///src/pkg"));
  EXPECT_EQ(link_hashes("u#sha256=AB&egg=x").at("sha256"), "ab");
  EXPECT_TRUE(link_hashes("u#sha256=nothex").empty());
  EXPECT_EQ(link_url("/a b/c+d"), "file:///a%20b/c%2Bd");
  EXPECT_EQ(link_url("https://h/x"), "https://h/x");
}

}  // namespace
}  // namespace thoth::base
