#include <gtest/gtest.h>

#include "thoth/index.hpp"

namespace thoth {
namespace {

const std::string kPageUrl = "https://example.com/simple/foo-bar/";

std::string page(const std::string& body) { return "<!DOCTYPE html><html><body>\n" + body + "\n</body></html>"; }

TEST(HtmlPage, AttributesOfPep503592658714) {
  const std::string html = page(
      R"(<a href="../../files/foo_bar-1.0-py3-none-any.whl#sha256=AbCd01" data-requires-python="&gt;=3.8,&lt;4">x</a>)"
      R"(<a href="../../files/foo_bar-1.1.tar.gz#md5=ff" data-yanked="broken &amp; bad">y</a>)"
      R"(<a href="../../files/foo_bar-1.2.tar.gz" data-yanked>z</a>)"
      R"(<a href="../../files/foo_bar-1.3.tar.gz" data-yanked="">z</a>)"
      R"(<a href="../../files/foo_bar-1.4-py3-none-any.whl" data-core-metadata="sha256=0123abc" data-dist-info-metadata="true">m</a>)"
      R"(<a href="../../files/foo_bar-1.5-py3-none-any.whl" data-dist-info-metadata="true">m</a>)"
      R"(<a href="../../files/foo_bar-1.6-py3-none-any.whl" data-core-metadata="false">m</a>)");
  ProjectPage p = parse_html_page(html, kPageUrl, "foo-bar");
  ASSERT_EQ(p.files.size(), 7u);

  const DistFile& w = p.files[0];
  EXPECT_EQ(w.filename, "foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(w.url, "https://example.com/files/foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(w.kind, DistFile::Kind::Wheel);
  ASSERT_TRUE(w.wheel);
  EXPECT_EQ(w.wheel->version, Version::parse("1.0"));
  EXPECT_EQ(w.sha256(), "abcd01");
  EXPECT_EQ(w.requires_python, ">=3.8,<4");
  EXPECT_FALSE(w.yanked);
  EXPECT_FALSE(w.core_metadata);

  EXPECT_EQ(p.files[1].kind, DistFile::Kind::Sdist);
  EXPECT_EQ(p.files[1].hashes.at("md5"), "ff");
  EXPECT_EQ(p.files[1].sha256(), "");
  ASSERT_TRUE(p.files[1].yanked);
  EXPECT_EQ(*p.files[1].yanked, "broken & bad");
  ASSERT_TRUE(p.files[2].yanked);  // bare attribute: yanked without a reason
  EXPECT_EQ(*p.files[2].yanked, "");
  ASSERT_TRUE(p.files[3].yanked);
  EXPECT_EQ(*p.files[3].yanked, "");

  ASSERT_TRUE(p.files[4].core_metadata);  // PEP 714: data-core-metadata wins
  EXPECT_EQ(p.files[4].core_metadata->at("sha256"), "0123abc");
  ASSERT_TRUE(p.files[5].core_metadata);  // PEP 658 name still honoured
  EXPECT_TRUE(p.files[5].core_metadata->empty());
  EXPECT_FALSE(p.files[6].core_metadata);
}

TEST(HtmlPage, QuotingAndCase) {
  const std::string html = page(
      "<A HREF='foo-bar-1.0.tar.gz' DATA-REQUIRES-PYTHON='>=3.6'>a</A>\n"
      "<a href=foo_bar-2.0.zip data-requires-python=&gt;=3.7>b</a>\n"
      "<a\n  class=\"x\"\n  href = \"Foo.Bar-3.0.tar.gz\"\n>c</a>\n"
      "<a href=\"foo_bar-4.0-py2.py3-none-any.whl\"/>");
  ProjectPage p = parse_html_page(html, kPageUrl, "foo-bar");
  ASSERT_EQ(p.files.size(), 4u);
  EXPECT_EQ(p.files[0].url, "https://example.com/simple/foo-bar/foo-bar-1.0.tar.gz");
  EXPECT_EQ(p.files[0].requires_python, ">=3.6");
  EXPECT_EQ(p.files[1].filename, "foo_bar-2.0.zip");
  EXPECT_EQ(p.files[1].requires_python, ">=3.7");
  EXPECT_EQ(p.files[2].filename, "Foo.Bar-3.0.tar.gz");
  EXPECT_EQ(p.files[3].filename, "foo_bar-4.0-py2.py3-none-any.whl");
}

TEST(HtmlPage, BaseHrefFirstWinsAndIsResolved) {
  const std::string html =
      "<html><head><base href=\"../../packages/\"><base href=\"https://other/\"></head><body>"
      "<a href=\"foo-bar-1.0.tar.gz\">a</a><a href=\"/abs/foo-bar-2.0.tar.gz\">b</a>"
      "<a href=\"https://cdn.example.org/x/foo-bar-3.0.tar.gz\">c</a></body></html>";
  ProjectPage p = parse_html_page(html, kPageUrl, "foo-bar");
  ASSERT_EQ(p.files.size(), 3u);
  EXPECT_EQ(p.files[0].url, "https://example.com/packages/foo-bar-1.0.tar.gz");
  EXPECT_EQ(p.files[1].url, "https://example.com/abs/foo-bar-2.0.tar.gz");
  EXPECT_EQ(p.files[2].url, "https://cdn.example.org/x/foo-bar-3.0.tar.gz");

  // A base after the anchors still applies (pip reads it from the whole document).
  p = parse_html_page("<a href='foo-bar-1.0.tar.gz'></a><base href='https://mirror/f/'>", kPageUrl, "foo-bar");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].url, "https://mirror/f/foo-bar-1.0.tar.gz");
}

TEST(HtmlPage, SkipsWhatIsNotADistributionOfTheProject) {
  const std::string html = page(
      "<a href='foo-bar-1.0.tar.gz'>ok</a>"
      "<a href='foo-bar-baz-1.0.tar.gz'>other project</a>"
      "<a href='other-1.0-py3-none-any.whl'>other wheel</a>"
      "<a href='foo_bar-1.0-py3-none-any.whl.metadata'>sidecar</a>"
      "<a href='foo-bar-1.0.txt'>text</a>"
      "<a href='foo_bar-notaversion-py3-none-any.whl'>bad wheel</a>"
      "<a href='foo-bar-latest.tar.gz'>bad sdist version</a>"
      "<a href=''>empty</a><a>no href</a><a href='   '>blank</a>"
      "<!-- <a href='foo-bar-9.0.tar.gz'> in a comment --><script>var s = \"<a href='foo-bar-8.0.tar.gz'>\";</script>"
      "<a href='  foo_bar-2.0-py3-none-any.whl  '>spaces</a>");
  ProjectPage p = parse_html_page(html, kPageUrl, "foo-bar");
  ASSERT_EQ(p.files.size(), 2u);
  EXPECT_EQ(p.files[0].filename, "foo-bar-1.0.tar.gz");
  EXPECT_EQ(p.files[1].filename, "foo_bar-2.0-py3-none-any.whl");

  // Find-links pages ("" project) keep every distribution-looking file of any project.
  p = parse_html_page(html, kPageUrl, "");
  std::vector<std::string> names;
  for (const auto& f : p.files) names.push_back(f.filename);
  EXPECT_EQ(names, (std::vector<std::string>{"foo-bar-1.0.tar.gz", "foo-bar-baz-1.0.tar.gz",
                                             "other-1.0-py3-none-any.whl", "foo-bar-latest.tar.gz",
                                             "foo_bar-2.0-py3-none-any.whl"}));
}

TEST(HtmlPage, PercentEncodedNamesAndUnsafeCharacters) {
  ProjectPage p = parse_html_page("<a href='foo%2Bbar-1.0.tar.gz'></a><a href='foo+bar-2.0 .tar.gz'></a>",
                                  "https://h/simple/foo-bar/", "foo-bar");
  // "foo+bar" does not normalise to foo-bar: neither file belongs to the project.
  EXPECT_TRUE(p.files.empty());
  p = parse_html_page("<a href='foo%2Dbar-1.0.tar.gz'></a>", "https://h/simple/foo-bar/", "foo-bar");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].filename, "foo-bar-1.0.tar.gz");
  EXPECT_EQ(p.files[0].url, "https://h/simple/foo-bar/foo%2Dbar-1.0.tar.gz");
}

TEST(HtmlPage, RepositoryVersion) {
  auto meta = [](const std::string& v) {
    return "<html><head><meta name=\"pypi:repository-version\" content=\"" + v +
           "\"></head><body><a href='foo-bar-1.0.tar.gz'></a></body></html>";
  };
  EXPECT_EQ(parse_html_page(meta("1.0"), kPageUrl, "foo-bar").api_version, "1.0");
  EXPECT_EQ(parse_html_page(meta("1.3"), kPageUrl, "foo-bar").files.size(), 1u);
  try {
    parse_html_page(meta("2.0"), kPageUrl, "foo-bar");
    FAIL() << "a major version 2 page must be refused";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find(kPageUrl), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("2.0"), std::string::npos) << e.what();
  }
}

TEST(HtmlPage, TruncatedPageIsAnErrorNamingTheRedactedUrl) {
  try {
    parse_html_page("<html><body><a href=\"foo-bar-1.0.tar.gz\">a</a><a href=\"foo-bar-2",
                    "https://user:secret@example.com/simple/foo-bar/", "foo-bar");
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("example.com/simple/foo-bar/"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("secret"), std::string::npos) << msg;
  }
  // Plain text or an empty page is simply a page without links.
  EXPECT_TRUE(parse_html_page("", kPageUrl, "foo-bar").files.empty());
  EXPECT_TRUE(parse_html_page("no links here, 1 < 2", kPageUrl, "foo-bar").files.empty());
}

TEST(HtmlPage, FileUrlsResolveAgainstTheLocalPage) {
  ProjectPage p = parse_html_page("<a href=\"../../files/foo_bar-1.0-py3-none-any.whl#sha256=aa\">x</a>",
                                  "file:///srv/mirror/simple/foo-bar/index.html", "foo-bar");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].url, "file:///srv/mirror/files/foo_bar-1.0-py3-none-any.whl");
}

}  // namespace
}  // namespace thoth
