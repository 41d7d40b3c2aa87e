#include <gtest/gtest.h>

#include "thoth/index.hpp"

namespace thoth {
namespace {

const std::string kPageUrl = "https://example.com/simple/foo/";

TEST(JsonPage, FieldsOfPep691700714) {
  const std::string json = R"({
    "meta": {"api-version": "1.1", "_last-serial": 7},
    "name": "foo",
    "versions": ["1.0", "1.1", "2.0"],
    "files": [
      {"filename": "foo-1.0-py3-none-any.whl", "url": "../../files/foo-1.0-py3-none-any.whl",
       "hashes": {"sha256": "ABCD", "md5": "00"}, "requires-python": ">=3.8", "yanked": false,
       "core-metadata": {"sha256": "beef"}, "upload-time": "2021-01-02T03:04:05.123456Z", "size": 1234},
      {"filename": "foo-1.1.tar.gz", "url": "https://files.example.com/foo-1.1.tar.gz#sha256=cafe",
       "hashes": {}, "requires-python": null, "yanked": "security issue", "core-metadata": true},
      {"filename": "foo-2.0.tar.gz", "url": "/p/foo-2.0.tar.gz", "hashes": {"sha256": "01"},
       "yanked": true, "dist-info-metadata": {"sha256": "dd"}},
      {"filename": "foo-2.0-py3-none-any.whl", "url": "foo-2.0-py3-none-any.whl", "hashes": {"sha256": "02"},
       "core-metadata": false, "dist-info-metadata": true, "gpg-sig": false}
    ]})";
  ProjectPage p = parse_json_page(json, kPageUrl, "foo");
  EXPECT_EQ(p.api_version, "1.1");
  EXPECT_EQ(p.versions, (std::vector<std::string>{"1.0", "1.1", "2.0"}));
  ASSERT_EQ(p.files.size(), 4u);

  const DistFile& a = p.files[0];
  EXPECT_EQ(a.url, "https://example.com/files/foo-1.0-py3-none-any.whl");
  EXPECT_EQ(a.sha256(), "abcd");
  EXPECT_EQ(a.hashes.at("md5"), "00");
  EXPECT_EQ(a.requires_python, ">=3.8");
  EXPECT_FALSE(a.yanked);
  ASSERT_TRUE(a.core_metadata);
  EXPECT_EQ(a.core_metadata->at("sha256"), "beef");
  EXPECT_EQ(a.upload_time.value_or(""), "2021-01-02T03:04:05.123456Z");
  EXPECT_EQ(a.size.value_or(0), 1234u);

  const DistFile& b = p.files[1];
  EXPECT_EQ(b.url, "https://files.example.com/foo-1.1.tar.gz");
  EXPECT_EQ(b.sha256(), "cafe");  // from the fragment, as "hashes" is empty
  EXPECT_EQ(b.requires_python, "");
  ASSERT_TRUE(b.yanked);
  EXPECT_EQ(*b.yanked, "security issue");
  ASSERT_TRUE(b.core_metadata);
  EXPECT_TRUE(b.core_metadata->empty());
  EXPECT_FALSE(b.upload_time);

  const DistFile& c = p.files[2];
  EXPECT_EQ(c.url, "https://example.com/p/foo-2.0.tar.gz");
  ASSERT_TRUE(c.yanked);
  EXPECT_EQ(*c.yanked, "");
  ASSERT_TRUE(c.core_metadata);  // the PEP 658 key when "core-metadata" is absent
  EXPECT_EQ(c.core_metadata->at("sha256"), "dd");

  // "core-metadata": false wins over the older key.
  EXPECT_FALSE(p.files[3].core_metadata);
  EXPECT_EQ(p.files[3].url, "https://example.com/simple/foo/foo-2.0-py3-none-any.whl");
}

TEST(JsonPage, FiltersOtherProjectsAndFallsBackToTheUrlName) {
  const std::string json = R"({"meta": {"api-version": "1.0"}, "files": [
      {"filename": "bar-1.0.tar.gz", "url": "bar-1.0.tar.gz", "hashes": {}},
      {"url": "https://h/x/foo-3.0.tar.gz", "hashes": {}},
      {"filename": "foo-1.0.exe", "url": "foo-1.0.exe", "hashes": {}}]})";
  ProjectPage p = parse_json_page(json, kPageUrl, "foo");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].filename, "foo-3.0.tar.gz");
  EXPECT_TRUE(p.versions.empty());
}

void expect_error(const std::string& json, const std::string& fragment) {
  try {
    parse_json_page(json, "https://u:pw@example.com/simple/foo/", "foo");
    ADD_FAILURE() << "expected IndexError for " << json;
  } catch (const IndexError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("example.com/simple/foo/"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(":pw@"), std::string::npos) << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
  }
}

TEST(JsonPage, MalformedPages) {
  expect_error("{\"meta\": {\"api-version\": \"1.0\"}, \"files\": [", "offset");
  expect_error("[1, 2]", "not a JSON object");
  expect_error(R"({"files": []})", "api-version");
  expect_error(R"({"meta": {"api-version": 1}, "files": []})", "api-version");
  expect_error(R"({"meta": {"api-version": "2.0"}, "files": []})", "2.0");
  expect_error(R"({"meta": {"api-version": "1.0"}})", "files");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": {}})", "files");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "foo-1.0.tar.gz"}]})", "files[0].url");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "foo-1.0.tar.gz", "url": "x",
               "yanked": 3}]})", "yanked");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "foo-1.0.tar.gz", "url": "x",
               "hashes": {"sha256": 5}}]})", "hashes");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [{"filename": "foo-1.0.tar.gz", "url": "x",
               "core-metadata": "yes"}]})", "core-metadata");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [], "versions": "1.0"})", "versions");
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": []} trailing)", "offset");
}

// Issue 19 defect 1: 150,000 nested arrays overflowed the stack of the recursive parser (SIGSEGV).
TEST(JsonPage, DeepNestingIsAnErrorNotACrash) {
  const std::size_t depth = 150'000;
  expect_error(R"({"meta": {"api-version": "1.0"}, "files": [], "x": )" + std::string(depth, '[') +
                   std::string(depth, ']') + "}",
               "JSON nested deeper than 64 levels");
  expect_error(std::string(depth, '[') + "]", "JSON nested deeper than 64 levels");  // truncated too
  // 64 levels are accepted (a page nests 4).
  std::string nested = std::string(61, '[') + std::string(61, ']');
  EXPECT_NO_THROW(parse_json_page(R"({"meta": {"api-version": "1.0"}, "files": [], "x": )" + nested + "}", kPageUrl, "foo"));
}

}  // namespace
}  // namespace thoth
