// Sources over file:// mirrors and find-links directories generated at test time by mirror.py.
#include <gtest/gtest.h>

#include <algorithm>

#include "index/url.hpp"
#include "support.hpp"
#include "thoth/index.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

// Versions, newest first.
std::vector<std::string> versions(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.version.str());
  return out;
}

const DistFile& wheel_of(const Candidate& c) {
  for (const auto& f : c.files)
    if (f.kind == DistFile::Kind::Wheel) return f;
  throw std::runtime_error("no wheel for " + c.name + " " + c.version.str());
}

const DistFile& sdist_of(const Candidate& c) {
  for (const auto& f : c.files)
    if (f.kind == DistFile::Kind::Sdist) return f;
  throw std::runtime_error("no sdist for " + c.name + " " + c.version.str());
}

std::vector<std::string> requirement_names(const CoreMetadata& m) {
  std::vector<std::string> out;
  for (const auto& r : m.requires_dist) out.push_back(r.name);
  return out;
}

const char* kSpec = R"({"projects": {
  "Foo_Bar": {"versions": {
     "1.0": {"files": ["py3-none-any", "sdist"], "requires_dist": ["idna>=2.5"], "upload_time": "2021-01-01"},
     "2.0": {"files": ["py3-none-any", "sdist"], "requires_python": ">=3.8", "yanked": "broken",
             "requires_dist": ["idna>=3"], "upload_time": "2022-01-01"},
     "3.0": {"files": ["sdist"], "metadata_version": "2.2", "requires_dist": ["idna>=3.4"],
             "upload_time": "2023-01-01"}}},
  "dyn": {"1.0": {"files": ["sdist"], "metadata_version": "2.2", "dynamic": ["Requires-Dist"],
                  "requires_dist": ["idna"]}},
  "oldsdist": {"1.0": {"files": ["sdist"], "requires_dist": ["idna"]}},
  "idna": {"3.4": {}}
}})";

class FileMirror : public ::testing::Test {
 protected:
  void SetUp() override { test::make_mirror(kSpec, dir_.path() / "m"); }

  std::unique_ptr<PackageSource> source(IndexConfig config, std::vector<std::string>* warnings = nullptr) {
    return build_source(config, client_, warnings);
  }
  IndexConfig config() {
    IndexConfig c;
    c.index_url = idx::path_to_file_url(dir_.path() / "m" / "simple");
    return c;
  }

  test::TempDir dir_;
  HttpClient client_;
};

TEST_F(FileMirror, CandidatesFromAFileIndex) {
  auto src = source(config());
  auto cs = src->candidates("Foo.Bar");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"3.0", "2.0", "1.0"}));
  EXPECT_EQ(cs[0].name, "foo-bar");
  EXPECT_EQ(cs[0].files.size(), 1u);
  EXPECT_TRUE(cs[1].yanked());
  EXPECT_EQ(wheel_of(cs[1]).yanked.value_or("-"), "broken");
  EXPECT_EQ(wheel_of(cs[1]).requires_python, ">=3.8");
  EXPECT_FALSE(cs[2].yanked());
  const DistFile& w = wheel_of(cs[2]);
  EXPECT_EQ(w.filename, "Foo_Bar-1.0-py3-none-any.whl");
  EXPECT_EQ(w.url, idx::path_to_file_url(dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl"));
  EXPECT_EQ(w.sha256(), sha256_file_hex(dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl"));
  EXPECT_TRUE(w.core_metadata);
  EXPECT_TRUE(w.upload_time);  // the JSON page is preferred: it has PEP 700 fields
  EXPECT_TRUE(src->candidates("no-such-project").empty());

  // A plain directory path works as an index URL too.
  IndexConfig c = config();
  c.index_url = (dir_.path() / "m" / "simple").string();
  EXPECT_EQ(versions(source(c)->candidates("foo_bar")), (std::vector<std::string>{"3.0", "2.0", "1.0"}));
}

// The HTTP cache does not hold the pages of a file:// index: their parsed listings are kept in the
// cache's derived store, and a second run reads them from there (the same candidates, files decoded
// on first read).
TEST_F(FileMirror, ParsedLocalPagesAreKeptInTheDerivedStore) {
  HttpOptions o;
  o.cache = std::make_shared<HttpCache>(dir_.path() / "cache");
  HttpClient cached(o);
  auto cold = build_source(config(), cached)->candidates("foo-bar");
  const auto listings = dir_.path() / "cache" / "derived-v1" / "listings";
  ASSERT_TRUE(std::filesystem::is_directory(listings));
  auto warm = build_source(config(), cached)->candidates("foo-bar");
  ASSERT_EQ(versions(warm), versions(cold));
  EXPECT_TRUE(warm[2].files.encoded());  // read back from the digest
  ASSERT_EQ(warm[2].files.size(), cold[2].files.size());
  for (std::size_t i = 0; i < warm[2].files.size(); ++i) {
    EXPECT_EQ(warm[2].files[i].url, cold[2].files[i].url);
    EXPECT_EQ(warm[2].files[i].hashes, cold[2].files[i].hashes);
  }
}

TEST_F(FileMirror, HtmlOnlyTree) {
  std::filesystem::remove(dir_.path() / "m" / "simple" / "foo-bar" / "index.json");
  auto cs = source(config())->candidates("foo-bar");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"3.0", "2.0", "1.0"}));
  EXPECT_FALSE(wheel_of(cs[2]).upload_time);
  EXPECT_EQ(wheel_of(cs[1]).requires_python, ">=3.8");
}

TEST_F(FileMirror, MissingIndexDirectoryIsAnError) {
  IndexConfig c;
  c.index_url = idx::path_to_file_url(dir_.path() / "nowhere");
  auto src = source(c);
  try {
    src->candidates("foo");
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
  }
}

TEST_F(FileMirror, MetadataFromSidecarsWheelsAndStaticSdists) {
  auto src = source(config());
  auto cs = src->candidates("foo-bar");
  CoreMetadata m1 = *src->metadata(cs[2], wheel_of(cs[2]));
  EXPECT_EQ(m1.name, "Foo_Bar");
  EXPECT_EQ(m1.version, Version::parse("1.0"));
  EXPECT_EQ(requirement_names(m1), (std::vector<std::string>{"idna"}));
  // PEP 643: Metadata-Version 2.2 with nothing dynamic: PKG-INFO is enough.
  CoreMetadata m3 = *src->metadata(cs[0], sdist_of(cs[0]));
  EXPECT_EQ(m3.version, Version::parse("3.0"));
  EXPECT_EQ(m3.requires_dist.at(0).specifier.str(), ">=3.4");

  for (const char* name : {"dyn", "oldsdist"}) {
    auto c = src->candidates(name);
    ASSERT_EQ(c.size(), 1u) << name;
    try {
      src->metadata(c[0], sdist_of(c[0]));
      FAIL() << "expected IndexError for " << name;
    } catch (const IndexError& e) {
      EXPECT_NE(std::string(e.what()).find("needs a build to know its dependencies"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(sdist_of(c[0]).filename), std::string::npos) << e.what();
    }
  }
}

TEST_F(FileMirror, WheelsReadInPlaceWithoutSidecars) {
  test::make_mirror(kSpec, dir_.path() / "plain", {"--no-metadata"});
  IndexConfig c;
  c.index_url = idx::path_to_file_url(dir_.path() / "plain" / "simple");
  auto src = source(c);
  auto cs = src->candidates("foo-bar");
  EXPECT_FALSE(wheel_of(cs[1]).core_metadata);
  CoreMetadata m = *src->metadata(cs[1], wheel_of(cs[1]));
  EXPECT_EQ(m.version, Version::parse("2.0"));
  EXPECT_EQ(m.requires_python.str(), ">=3.8");
}

TEST_F(FileMirror, SidecarHashMismatchIsRefused) {
  const auto sidecar = dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl.metadata";
  test::write_file(sidecar, test::read_file(sidecar) + "Requires-Dist: evil\n");
  auto src = source(config());
  auto cs = src->candidates("foo-bar");
  try {
    src->metadata(cs[2], wheel_of(cs[2]));
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Foo_Bar-1.0-py3-none-any.whl.metadata"), std::string::npos) << e.what();
  }
  // The failure is remembered for the version: the same error again, not a different answer.
  EXPECT_THROW(src->metadata(cs[2], wheel_of(cs[2])), IndexError);
}

// PEP 658 metadata hashes other than sha256 (any hashlib name) are checked too.
TEST_F(FileMirror, SidecarCheckedWithTheHashTheIndexGives) {
  const auto sidecar = dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl.metadata";
  const auto page = dir_.path() / "m" / "simple" / "foo-bar" / "index.json";
  const std::string sidecar_text = test::read_file(sidecar);
  const std::string announced = "{\"sha256\":\"" + sha256_hex(sidecar_text) + "\"}";
  const std::string original = test::read_file(page);
  auto announce = [&](const std::string& hashes) {
    std::string text = original;
    std::size_t at;
    while ((at = text.find(announced)) != std::string::npos) text.replace(at, announced.size(), hashes);
    test::write_file(page, text);
  };
  ASSERT_NE(original.find(announced), std::string::npos) << original;

  announce("{\"md5\":\"" + *digest_hex("md5", sidecar_text) + "\"}");
  {
    auto src = source(config());
    auto cs = src->candidates("foo-bar");
    EXPECT_EQ(src->metadata(cs[2], wheel_of(cs[2]))->version, Version::parse("1.0"));
  }
  announce("{\"sha512\":\"" + std::string(128, '0') + "\"}");
  {
    auto src = source(config());
    auto cs = src->candidates("foo-bar");
    try {
      src->metadata(cs[2], wheel_of(cs[2]));
      FAIL() << "expected IndexError";
    } catch (const IndexError& e) {
      EXPECT_NE(std::string(e.what()).find("does not match the sha512"), std::string::npos) << e.what();
    }
  }
  // A hash thoth cannot compute is not checked (the sidecar is read as announced).
  announce("{\"blake2b\":\"00\"}");
  auto src = source(config());
  auto cs = src->candidates("foo-bar");
  EXPECT_EQ(src->metadata(cs[2], wheel_of(cs[2]))->version, Version::parse("1.0"));
}

TEST_F(FileMirror, MetadataMustNameTheCandidate) {
  // A find-links directory with a wheel renamed to another version.
  const auto links = dir_.path() / "links";
  std::filesystem::create_directories(links);
  std::filesystem::copy_file(dir_.path() / "m" / "files" / "idna-3.4-py3-none-any.whl",
                             links / "idna-9.9-py3-none-any.whl");
  IndexConfig c;
  c.no_index = true;
  c.find_links = {links.string()};
  auto src = source(c);
  auto cs = src->candidates("idna");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"9.9"}));
  try {
    src->metadata(cs[0], cs[0].files[0]);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("idna 3.4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("9.9"), std::string::npos) << e.what();
  }
}

TEST_F(FileMirror, FindLinksDirectoryAndMissingLocation) {
  IndexConfig c;
  c.no_index = true;
  c.find_links = {(dir_.path() / "m" / "files").string(), (dir_.path() / "missing").string()};
  std::vector<std::string> warnings;
  auto src = source(c, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("missing"), std::string::npos) << warnings[0];
  auto cs = src->candidates("FOO-BAR");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"3.0", "2.0", "1.0"}));
  EXPECT_FALSE(cs[1].yanked());  // a directory knows nothing of yanking
  EXPECT_TRUE(cs[1].files[0].hashes.empty());
  CoreMetadata m = *src->metadata(cs[2], wheel_of(cs[2]));  // read in place, no sidecar announced
  EXPECT_EQ(requirement_names(m), (std::vector<std::string>{"idna"}));
  EXPECT_EQ(versions(src->candidates("idna")), (std::vector<std::string>{"3.4"}));
  EXPECT_TRUE(src->candidates("dyn-not-there").empty());

  // A local HTML file works as a find-links page.
  test::write_file(dir_.path() / "links.html",
                   "<a href=\"m/files/idna-3.4-py3-none-any.whl\">idna</a><a href=\"m/files/dyn-1.0.tar.gz\">x</a>");
  c.find_links = {(dir_.path() / "links.html").string()};
  src = source(c);
  EXPECT_EQ(versions(src->candidates("idna")), (std::vector<std::string>{"3.4"}));
  EXPECT_EQ(versions(src->candidates("dyn")), (std::vector<std::string>{"1.0"}));
}

TEST_F(FileMirror, NoIndexWithoutFindLinksHasNothing) {
  IndexConfig c = config();
  c.no_index = true;
  EXPECT_TRUE(source(c)->candidates("foo-bar").empty());
}

class TwoMirrors : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_mirror(R"({"projects": {"foo": {"1.0": {}}, "only-a": {"1.0": {}}}})", dir_.path() / "a");
    test::make_mirror(R"({"projects": {"foo": {"2.0": {"requires_dist": ["bar"]}, "1.0": {}},
                          "bar": {"1.0": {}}}})",
                      dir_.path() / "b");
    test::make_mirror(R"({"projects": {"foo": {"3.0": {}}}})", dir_.path() / "links", {"--no-metadata"});
  }
  IndexConfig config(IndexStrategy strategy) {
    IndexConfig c;
    c.index_url = idx::path_to_file_url(dir_.path() / "a" / "simple");
    c.extra_index_urls = {idx::path_to_file_url(dir_.path() / "b" / "simple")};
    c.strategy = strategy;
    return c;
  }

  test::TempDir dir_;
  HttpClient client_;
};

TEST_F(TwoMirrors, FirstIndexWinsByDefault) {
  auto src = build_source(config(IndexStrategy::first_index), client_);
  auto foo = src->candidates("foo");
  ASSERT_EQ(versions(foo), (std::vector<std::string>{"1.0"}));  // b's 2.0 is not considered
  EXPECT_EQ(foo[0].files[0].index_position, 0u);
  auto bar = src->candidates("bar");  // not on a: the next index answers
  ASSERT_EQ(versions(bar), (std::vector<std::string>{"1.0"}));
  EXPECT_EQ(bar[0].files[0].index_position, 1u);
  EXPECT_EQ(src->metadata(bar[0], bar[0].files[0])->name, "bar");
  EXPECT_EQ(versions(src->candidates("only-a")), (std::vector<std::string>{"1.0"}));
}

TEST_F(TwoMirrors, UnsafeBestMatchMergesAndRoutesMetadata) {
  auto src = build_source(config(IndexStrategy::unsafe_best_match), client_);
  auto foo = src->candidates("foo");
  ASSERT_EQ(versions(foo), (std::vector<std::string>{"2.0", "1.0"}));
  ASSERT_EQ(foo[1].files.size(), 2u);  // 1.0 from both indexes
  EXPECT_EQ(foo[1].files[0].index_position, 0u);
  EXPECT_EQ(foo[1].files[1].index_position, 1u);
  CoreMetadata m = *src->metadata(foo[0], foo[0].files[0]);
  EXPECT_EQ(requirement_names(m), (std::vector<std::string>{"bar"}));
}

TEST_F(TwoMirrors, FindLinksAlwaysMerged) {
  for (auto strategy : {IndexStrategy::first_index, IndexStrategy::unsafe_best_match}) {
    IndexConfig c = config(strategy);
    c.find_links = {(dir_.path() / "links" / "files").string()};
    auto src = build_source(c, client_);
    auto foo = src->candidates("foo");
    ASSERT_FALSE(foo.empty());
    EXPECT_EQ(foo[0].version.str(), "3.0");
    EXPECT_EQ(foo[0].files[0].index_position, 2u);
    EXPECT_EQ(src->metadata(foo[0], foo[0].files[0])->version, Version::parse("3.0"));
  }
}

// pipenv's `index = "name"`: a restricted project is asked of its index alone, whatever the strategy,
// and find-links cannot stand in; an index that is not used leaves it without any version.
TEST_F(TwoMirrors, ProjectRestrictedToOneIndex) {
  for (auto strategy : {IndexStrategy::first_index, IndexStrategy::unsafe_best_match}) {
    IndexConfig c = config(strategy);
    c.find_links = {(dir_.path() / "links" / "files").string()};
    c.project_indexes = {{"Foo", c.extra_index_urls[0]}};
    auto src = build_source(c, client_);
    auto foo = src->candidates("foo");
    ASSERT_EQ(versions(foo), (std::vector<std::string>{"2.0", "1.0"}));
    EXPECT_EQ(foo[0].files[0].index_position, 1u);
    EXPECT_EQ(versions(src->candidates("only-a")), (std::vector<std::string>{"1.0"}));  // others unchanged
  }
  IndexConfig c = config(IndexStrategy::first_index);
  c.project_indexes = {{"foo", "https://elsewhere.example/simple"}};
  std::vector<std::string> warnings;
  auto src = build_source(c, client_, &warnings);
  EXPECT_TRUE(src->candidates("foo").empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("foo may only come from the index https://elsewhere.example/simple"), std::string::npos);
}

TEST(ExcludeNewer, UploadTimeCutoffAndUndatedFiles) {
  test::TempDir dir;
  test::make_mirror(R"({"projects": {"foo": {
      "1.0": {"upload_time": "2021-01-01T00:00:00Z"},
      "2.0": {"upload_time": "2022-06-01T12:00:00Z"},
      "3.0": {"upload_time": "2023-01-01T00:00:00Z"}}}})",
                    dir.path() / "m");
  HttpClient client;
  IndexConfig c;
  c.index_url = idx::path_to_file_url(dir.path() / "m" / "simple");
  c.exclude_newer = "2022-06-01T12:00:00Z";  // exclusive: a file uploaded at the cutoff is left out
  auto src = build_source(c, client);
  EXPECT_EQ(versions(src->candidates("foo")), (std::vector<std::string>{"1.0"}));
  c.exclude_newer = "2022-07-01";
  EXPECT_EQ(versions(build_source(c, client)->candidates("foo")), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_TRUE(build_source(c, client)->take_warnings().empty());

  // HTML pages carry no upload time: every file is undated and left out, with a warning.
  std::filesystem::remove(dir.path() / "m" / "simple" / "foo" / "index.json");
  src = build_source(c, client);
  EXPECT_TRUE(src->candidates("foo").empty());
  auto warnings = src->take_warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("3 file(s) of foo"), std::string::npos) << warnings[0];
  EXPECT_TRUE(src->take_warnings().empty());

  c.exclude_newer = "last tuesday";
  EXPECT_THROW(build_source(c, client), IndexError);
}

TEST(BuildSource, InsecureHttpIndexesAreIgnoredUnlessTrusted) {
  HttpClient client;
  IndexConfig c;
  c.index_url = "http://insecure.example/simple";
  c.extra_index_urls = {"http://127.0.0.1:9/simple", "http://trusted.example:8080/simple"};
  c.trusted_hosts = {"trusted.example:8080"};
  std::vector<std::string> warnings;
  auto src = build_source(c, client, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("insecure.example"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("--trusted-host insecure.example"), std::string::npos) << warnings[0];

  c.index_url = "ftp://example.com/simple";
  EXPECT_THROW(build_source(c, client), IndexError);
}

}  // namespace
}  // namespace thoth
