// Sources over HTTP against tests/support/server.py (content negotiation, ranges, faults, request log).
#include <gtest/gtest.h>

#include <memory>

#include "support.hpp"
#include "thoth/archive.hpp"
#include "thoth/http_cache.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

std::vector<std::string> versions(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const auto& c : cs) out.push_back(c.version.str());
  return out;
}

std::string index_error_of(PackageSource& src, const Candidate& c) {
  try {
    src.metadata(c, c.files[0]);
  } catch (const IndexError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an IndexError for " << c.name;
  return {};
}

HttpOptions quick_options(std::shared_ptr<HttpCache> cache = nullptr) {
  HttpOptions o;
  o.max_attempts = 2;
  o.backoff_initial = std::chrono::milliseconds(10);
  o.backoff_max = std::chrono::milliseconds(20);
  o.cache = std::move(cache);
  return o;
}

const char* kSmallSpec = R"({"projects": {
  "Foo_Bar": {"versions": {
     "1.0": {"files": ["py3-none-any", "sdist"], "requires_dist": ["idna>=2.5"]},
     "2.0": {"files": ["py3-none-any"], "yanked": true, "requires_python": ">=3.8"}}},
  "static": {"1.0": {"files": ["sdist"], "metadata_version": "2.2", "requires_dist": ["idna>=3"]}},
  "idna": {"3.4": {}}
}})";

class HttpMirror : public ::testing::Test {
 protected:
  void start(const char* spec, std::vector<std::string> mirror_args = {}, bool json = true) {
    test::make_mirror(spec, dir_.path() / "m", std::move(mirror_args));
    server_ = std::make_unique<test::ServerProcess>(dir_.path() / "m", json);
  }
  IndexConfig config() const {
    IndexConfig c;
    c.index_url = server_->url() + "/simple/";
    return c;
  }
  // The IndexError message of reading the metadata of `project`'s version `i` (newest first) with a
  // fresh client and source.
  std::string metadata_error(const std::string& project, std::size_t i = 0) const {
    HttpClient client(quick_options());
    auto src = build_source(config(), client);
    return index_error_of(*src, src->candidates(project).at(i));
  }

  test::TempDir dir_;
  std::unique_ptr<test::ServerProcess> server_;
};

TEST_F(HttpMirror, JsonPagesFetchedOncePerProject) {
  start(kSmallSpec);
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("Foo.Bar");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_TRUE(cs[0].yanked());
  EXPECT_TRUE(cs[0].files[0].upload_time);  // only the JSON serialization has PEP 700 fields
  EXPECT_EQ(cs[1].files[0].url, server_->url() + "/files/Foo_Bar-1.0-py3-none-any.whl");
  EXPECT_EQ(versions(src->candidates("foo-bar")), versions(cs));
  EXPECT_EQ(server_->count("/simple/foo-bar/"), 1);
  EXPECT_TRUE(src->candidates("unknown").empty());  // 404: no such project
  EXPECT_EQ(server_->count("/simple/unknown/"), 1);
}

// A warm run reads the candidates of a fresh cached page from the page's digest, kept with the page
// in the cache, without reading the page's body; when the digest is damaged the body is read and
// parsed again, and the digest written again. Either way, no request.
TEST_F(HttpMirror, FreshCachedPageListedFromItsDigestOrItsBody) {
  start(kSmallSpec);
  test::TempDir cache_dir;
  auto cache = std::make_shared<HttpCache>(cache_dir.path());
  std::vector<Candidate> cold;
  {
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    cold = src->candidates("foo-bar");
  }
  auto same_as_cold = [&](const std::vector<Candidate>& got) {
    ASSERT_EQ(got.size(), cold.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].version, cold[i].version);
      ASSERT_EQ(got[i].files.size(), cold[i].files.size());
      for (std::size_t j = 0; j < got[i].files.size(); ++j) {
        EXPECT_EQ(got[i].files[j].url, cold[i].files[j].url);
        EXPECT_EQ(got[i].files[j].hashes, cold[i].files[j].hashes);
      }
    }
  };
  // The page's entry: the one cache file naming the page's URL.
  std::filesystem::path entry;
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache_dir.path())) {
    if (e.is_regular_file() && test::read_file(e.path()).find("/simple/foo-bar/\n") != std::string::npos) {
      ASSERT_TRUE(entry.empty()) << "two entries for one page";
      entry = e.path();
    }
  }
  ASSERT_FALSE(entry.empty());
  const std::string whole = test::read_file(entry);
  const std::size_t digest = whole.find("thl5");  // the digest's FlatBuffers file identifier
  ASSERT_NE(digest, std::string::npos) << "no digest kept with the page";
  EXPECT_FALSE(std::filesystem::exists(cache_dir.path() / "derived-v1"));  // not a second file
  for (bool keep_digest : {true, false}) {
    if (!keep_digest) {
      std::string damaged = whole;
      damaged[digest] = 'T';
      test::write_file(entry, damaged);
    }
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    src->prefetch_candidates("foo-bar");
    same_as_cold(src->candidates("foo-bar"));
    EXPECT_EQ(server_->count("/simple/foo-bar/"), 1) << "digest kept: " << keep_digest;
  }
  EXPECT_EQ(test::read_file(entry), whole);  // the digest written again
}

TEST_F(HttpMirror, HtmlOnlyServer) {
  start(kSmallSpec, {}, /*json=*/false);
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("foo-bar");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_FALSE(cs[0].files[0].upload_time);
  EXPECT_EQ(cs[0].files[0].requires_python, ">=3.8");
  CoreMetadata m = *src->metadata(cs[1], cs[1].files[0]);
  EXPECT_EQ(m.requires_dist.at(0).name, "idna");
}

TEST_F(HttpMirror, BrokenIndexIsAnErrorNamingTheUrl) {
  start(kSmallSpec);
  server_->command("fault /simple/foo-bar/ status status=500");
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  try {
    src->candidates("foo-bar");
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("/simple/foo-bar/"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server_->count("/simple/foo-bar/"), 2);  // retried once (max_attempts 2)
}

TEST_F(HttpMirror, PrefetchedCandidatesMatch) {
  start(kSmallSpec);
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  for (const char* n : {"foo-bar", "idna", "static", "unknown"}) src->prefetch_candidates(n);
  EXPECT_EQ(versions(src->candidates("idna")), (std::vector<std::string>{"3.4"}));
  EXPECT_EQ(versions(src->candidates("static")), (std::vector<std::string>{"1.0"}));
  EXPECT_EQ(versions(src->candidates("foo-bar")), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_TRUE(src->candidates("unknown").empty());
  EXPECT_EQ(server_->count("/simple/*"), 4);
}

TEST_F(HttpMirror, SidecarsAreVerifiedAndCachedByHash) {
  start(kSmallSpec);
  test::TempDir cache_dir;
  auto cache = std::make_shared<HttpCache>(cache_dir.path());
  {
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    auto cs = src->candidates("foo-bar");
    src->prefetch_metadata(cs[1], cs[1].files[0]);
    CoreMetadata m = *src->metadata(cs[1], cs[1].files[0]);
    EXPECT_EQ(m.version, Version::parse("1.0"));
    EXPECT_EQ(server_->count("/files/*.metadata"), 1);
    EXPECT_EQ(server_->count("/files/*.whl"), 0);  // the wheel itself is never touched
  }
  {
    // A new client and source on the same cache: the blob is served without a request.
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    auto cs = src->candidates("foo-bar");
    EXPECT_EQ(src->metadata(cs[1], cs[1].files[0])->version, Version::parse("1.0"));
    EXPECT_EQ(server_->count("/files/*.metadata"), 1);
  }
}

TEST_F(HttpMirror, OfflineServesWhatWasCachedAndNamesWhatIsMissing) {
  start(kSmallSpec);
  test::TempDir cache_dir;
  auto cache = std::make_shared<HttpCache>(cache_dir.path());
  {
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    auto cs = src->candidates("foo-bar");
    src->metadata(cs[1], cs[1].files[0]);
  }
  server_->command("clear");
  HttpOptions offline = quick_options(cache);
  offline.offline = true;
  HttpClient client(offline);
  auto src = build_source(config(), client);
  auto cs = src->candidates("foo-bar");
  ASSERT_EQ(versions(cs), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_EQ(src->metadata(cs[1], cs[1].files[0])->version, Version::parse("1.0"));
  try {
    src->candidates("idna");  // never fetched
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("/simple/idna/"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server_->count("*"), 0);
}

TEST_F(HttpMirror, CorruptSidecarIsRefused) {
  start(kSmallSpec);
  server_->command("fault /files/*.metadata corrupt offset=20");
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("foo-bar");
  try {
    src->metadata(cs[1], cs[1].files[0]);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("Foo_Bar-1.0-py3-none-any.whl.metadata"), std::string::npos) << e.what();
  }
}

TEST_F(HttpMirror, OversizedSidecarIsRefused) {
  start(kSmallSpec);
  std::string huge(kMaxMetadataBytes + 1, 'x');
  test::write_file(dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl.metadata", huge);
  const std::string e = metadata_error("foo-bar", 1);
  EXPECT_NE(e.find("Foo_Bar-1.0-py3-none-any.whl.metadata"), std::string::npos) << e;
  EXPECT_NE(e.find("too large"), std::string::npos) << e;
}

TEST_F(HttpMirror, MissingSidecarFallsBackToTheWheel) {
  start(kSmallSpec);
  std::filesystem::remove(dir_.path() / "m" / "files" / "Foo_Bar-1.0-py3-none-any.whl.metadata");
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("foo-bar");
  EXPECT_EQ(src->metadata(cs[1], cs[1].files[0])->requires_dist.at(0).name, "idna");
  EXPECT_EQ(server_->count("/files/Foo_Bar-1.0-py3-none-any.whl"), 1);
}

TEST_F(HttpMirror, StaticSdistDownloadedAndVerified) {
  start(kSmallSpec);
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("static");
  src->prefetch_metadata(cs[0], cs[0].files[0]);
  CoreMetadata m = *src->metadata(cs[0], cs[0].files[0]);
  EXPECT_EQ(m.metadata_version, "2.2");
  EXPECT_EQ(m.requires_dist.at(0).specifier.str(), ">=3");

  // The same sdist served corrupted: the download's hash does not match the index's.
  server_->command("fault /files/static-1.0.tar.gz corrupt offset=100");
  auto src2 = build_source(config(), client);
  auto cs2 = src2->candidates("static");
  try {
    src2->metadata(cs2[0], cs2[0].files[0]);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("static-1.0.tar.gz"), std::string::npos) << e.what();
  }
}

TEST_F(HttpMirror, FindLinksPage) {
  start(kSmallSpec);
  HttpClient client(quick_options());
  IndexConfig c;
  c.no_index = true;
  c.find_links = {server_->url() + "/files/"};  // the server's directory listing
  auto src = build_source(c, client);
  EXPECT_EQ(versions(src->candidates("foo-bar")), (std::vector<std::string>{"2.0", "1.0"}));
  EXPECT_EQ(versions(src->candidates("idna")), (std::vector<std::string>{"3.4"}));
  EXPECT_EQ(server_->count("/files/"), 1);  // one page for every project
}

// Big wheels (1 MB of incompressible payload each) and no PEP 658 sidecars: metadata must come from
// range requests, transferring a small fraction of the wheels.
const char* kBigSpec = R"({"defaults": {"payload_size": 1000000, "files": ["py3-none-any"]}, "projects": {
  "alpha": {"1.0": {"requires_dist": ["beta>=1"]}},
  "beta": {"1.0": {"requires_dist": ["gamma"]}},
  "gamma": {"1.0": {}}, "delta": {"1.0": {}}, "epsilon": {"1.0": {}}, "zeta": {"1.0": {}}
}})";

TEST_F(HttpMirror, RangeRequestsReadFarLessThanTheWheels) {
  start(kBigSpec, {"--no-metadata"});
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  const std::vector<std::string> names = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
  std::vector<Candidate> picked;
  std::uint64_t total = 0;
  for (const auto& n : names) {
    auto cs = src->candidates(n);
    ASSERT_EQ(cs.size(), 1u);
    ASSERT_FALSE(cs[0].files[0].core_metadata);
    total += std::filesystem::file_size(dir_.path() / "m" / "files" / cs[0].files[0].filename);
    picked.push_back(cs[0]);
  }
  // Half prefetched (the resolver's pattern), half asked for directly.
  for (std::size_t i = 0; i < 3; ++i) src->prefetch_metadata(picked[i], picked[i].files[0]);
  for (const auto& c : picked) {
    CoreMetadata m = *src->metadata(c, c.files[0]);
    EXPECT_EQ(normalize_name(m.name), c.name);
  }
  EXPECT_EQ(src->metadata(picked[0], picked[0].files[0])->requires_dist.at(0).name, "beta");
  const long sent = server_->bytes("/files/*");
  EXPECT_GT(total, 6u * 1000000u);
  EXPECT_LT(static_cast<std::uint64_t>(sent) * 10, total) << sent << " of " << total << " bytes";
  EXPECT_EQ(server_->ranges("/files/*"), server_->count("/files/*"));  // every request was a range
  EXPECT_LE(server_->count("/files/*"), 12);  // at most two ranges per wheel
}

TEST_F(HttpMirror, RangeReadResultsAreCachedByWheelHash) {
  start(kBigSpec, {"--no-metadata"});
  test::TempDir cache_dir;
  auto cache = std::make_shared<HttpCache>(cache_dir.path());
  for (int round = 0; round < 2; ++round) {
    HttpClient client(quick_options(cache));
    auto src = build_source(config(), client);
    auto cs = src->candidates("gamma");
    EXPECT_EQ(src->metadata(cs[0], cs[0].files[0])->name, "gamma");
  }
  EXPECT_GE(server_->count("/files/gamma-*"), 1);
  EXPECT_LE(server_->count("/files/gamma-*"), 2);  // the second round needed no request at all
}

TEST_F(HttpMirror, ServerIgnoringRangesStillWorks) {
  start(kBigSpec, {"--no-metadata"});
  server_->command("norange /files/*");
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("delta");
  src->prefetch_metadata(cs[0], cs[0].files[0]);
  EXPECT_EQ(src->metadata(cs[0], cs[0].files[0])->name, "delta");
  auto cs2 = src->candidates("epsilon");
  EXPECT_EQ(src->metadata(cs2[0], cs2[0].files[0])->name, "epsilon");
  // Each wheel came whole, once.
  EXPECT_EQ(server_->count("/files/delta-*"), 1);
  EXPECT_EQ(server_->count("/files/epsilon-*"), 1);
}

TEST_F(HttpMirror, ServerRefusingRangesGetsWholeDownloads) {
  start(kBigSpec, {"--no-metadata"});
  for (const char* status : {"405", "416", "501", "400"}) {
    SCOPED_TRACE(status);
    server_->command("clear");
    server_->command(std::string("fault /files/* no_ranges status=") + status);
    HttpClient client(quick_options());
    auto src = build_source(config(), client);
    auto delta = src->candidates("delta");
    EXPECT_EQ(src->metadata(delta[0], delta[0].files[0])->name, "delta");
    // One refused range, then the whole wheel.
    EXPECT_EQ(server_->count("/files/delta-*"), 2);
    EXPECT_EQ(server_->ranges("/files/delta-*"), 1);
    auto warnings = src->take_warnings();
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find(std::string("HTTP ") + status), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find(server_->url()), std::string::npos) << warnings[0];
    // The server is known now: the next wheels (one prefetched, one not) are not asked by range
    // again, and the warning is not repeated.
    auto epsilon = src->candidates("epsilon");
    auto zeta = src->candidates("zeta");
    src->prefetch_metadata(epsilon[0], epsilon[0].files[0]);
    EXPECT_EQ(src->metadata(epsilon[0], epsilon[0].files[0])->name, "epsilon");
    EXPECT_EQ(src->metadata(zeta[0], zeta[0].files[0])->name, "zeta");
    EXPECT_EQ(server_->count("/files/epsilon-*"), 1);
    EXPECT_EQ(server_->count("/files/zeta-*"), 1);
    EXPECT_EQ(server_->ranges("/files/*"), 1);
    EXPECT_TRUE(src->take_warnings().empty());
  }
}

TEST_F(HttpMirror, RangeRefusedThenCorruptDownloadFailsTheHashCheck) {
  start(kBigSpec, {"--no-metadata"});
  server_->command("fault /files/delta-* no_ranges status=405");
  server_->command("fault /files/delta-* corrupt");  // the byte flipped is in the payload, not METADATA
  const std::string e = metadata_error("delta");
  EXPECT_NE(e.find("delta-1.0-py3-none-any.whl"), std::string::npos) << e;
  EXPECT_NE(e.find("sha256"), std::string::npos) << e;
}

TEST_F(HttpMirror, IgnoredRangeBodyIsHashChecked) {
  start(kBigSpec, {"--no-metadata"});
  server_->command("norange /files/*");
  server_->command("fault /files/gamma-* corrupt");  // in the payload: METADATA itself reads fine
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto cs = src->candidates("gamma");
  const std::string e = index_error_of(*src, cs[0]);
  EXPECT_NE(e.find(server_->url() + "/files/gamma-1.0-py3-none-any.whl"), std::string::npos) << e;
  EXPECT_NE(e.find("sha256"), std::string::npos) << e;
  EXPECT_EQ(server_->count("/files/gamma-*"), 1);
  // The same wheel served intact is accepted.
  auto cs2 = src->candidates("delta");
  EXPECT_EQ(src->metadata(cs2[0], cs2[0].files[0])->name, "delta");
}

TEST_F(HttpMirror, MissingWheelIsNotDownloadedWhole) {
  start(kBigSpec, {"--no-metadata"});
  std::filesystem::remove(dir_.path() / "m" / "files" / "delta-1.0-py3-none-any.whl");
  server_->command("fault /files/epsilon-* status status=503");
  HttpClient client(quick_options());
  auto src = build_source(config(), client);
  auto delta = src->candidates("delta");
  EXPECT_NE(index_error_of(*src, delta[0]).find("404"), std::string::npos);
  EXPECT_EQ(server_->count("/files/delta-*"), 1);
  // A server error is not a refusal of ranges either: it is retried, then reported.
  auto epsilon = src->candidates("epsilon");
  EXPECT_NE(index_error_of(*src, epsilon[0]).find("503"), std::string::npos);
  EXPECT_EQ(server_->count("/files/epsilon-*"), 2);  // quick_options: two attempts, both ranges
  EXPECT_EQ(server_->ranges("/files/epsilon-*"), 2);
  EXPECT_TRUE(src->take_warnings().empty());
}

}  // namespace
}  // namespace thoth
