#include "index/listing_digest.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "fuzz/page_checks.hpp"
#include "index/listing_digest_generated.h"
#include "support.hpp"
#include "thoth/hash.hpp"
#include "thoth/http_cache.hpp"

namespace thoth {
namespace {

// A PEP 691 page using every field a digest carries: wheels with and without build tags, compressed
// tag sets, a wheel and an sdist spelling their version differently from the candidate, sdists, hashes, yanked with
// and without a reason, PEP 658/714 metadata, PEP 700 upload time and size.
constexpr std::string_view kPage = R"({
  "meta": {"api-version": "1.1"},
  "name": "foo",
  "versions": ["1.0", "2.0"],
  "files": [
    {"filename": "foo-1.0.tar.gz", "url": "../../files/foo-1.0.tar.gz", "hashes": {"sha256": "aa"},
     "requires-python": ">=3.8", "yanked": "broken build", "size": 1234,
     "upload-time": "2024-01-02T03:04:05Z"},
    {"filename": "foo-1.0-py3-none-any.whl", "url": "https://files.example/foo-1.0-py3-none-any.whl",
     "hashes": {"sha256": "bb", "md5": "cc"}, "yanked": true, "core-metadata": {"sha256": "dd"}},
    {"filename": "Foo-1.0.0-1build-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
     "url": "x.whl", "hashes": {}, "core-metadata": true},
    {"filename": "foo-2.0-py2.py3-none-any.whl", "url": "y.whl", "hashes": {"sha256": "ee"}},
    {"filename": "foo-2.0-py2.py3-none-any.whl", "url": "mirror/y.whl", "hashes": {"sha256": "ee"}},
    {"filename": "foo-2.0.zip", "url": "z.zip", "hashes": {"sha256": "ff"}, "dist-info-metadata": false},
    {"filename": "foo-1.0.0.zip", "url": "w.zip", "hashes": {"sha256": "ab"}}
  ]
})";

const idx::PageIdentity kIdentity{"foo", "https://index.example/simple/foo/", 'j', "0123abcd"};

std::vector<Candidate> parsed_page() {
  auto page = parse_json_page(kPage, kIdentity.page_url, "foo");
  return group_candidates("foo", std::move(page.files));
}

void expect_same_file(const DistFile& a, const DistFile& b) {
  EXPECT_TRUE(a == b) << a.filename;  // every field, through the defaulted operator==
  if (a.wheel && b.wheel) {
    EXPECT_EQ(a.wheel->version.str(), b.wheel->version.str());
  }
  if (a.sdist_version && b.sdist_version) {
    EXPECT_EQ(a.sdist_version->str(), b.sdist_version->str());
  }
}

void expect_same(const std::vector<Candidate>& a, const std::vector<Candidate>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].version.str(), b[i].version.str());
    EXPECT_EQ(a[i].version, b[i].version);
    ASSERT_EQ(a[i].files.size(), b[i].files.size());
    for (std::size_t j = 0; j < a[i].files.size(); ++j) expect_same_file(a[i].files[j], b[i].files[j]);
  }
}

TEST(ListingDigest, RoundTripKeepsEveryField) {
  const auto candidates = parsed_page();
  ASSERT_EQ(candidates.size(), 2u);
  ASSERT_EQ(candidates[1].files.size(), 4u);  // 1.0 and 1.0.0 are one candidate
  ASSERT_TRUE(candidates[1].files[2].wheel->build);
  auto decoded = idx::decode_listing(kIdentity, idx::encode_listing(kIdentity, candidates));
  ASSERT_TRUE(decoded);
  expect_same(candidates, *decoded);
  // The wheel spelled 1.0.0 keeps its own spelling although it equals the candidate's 1.0.
  EXPECT_EQ((*decoded)[1].files[2].wheel->version.str(), "1.0.0");
  EXPECT_EQ((*decoded)[1].files[3].sdist_version->str(), "1.0.0");
  EXPECT_EQ((*decoded)[1].files[0].sdist_version->str(), "1.0");
  EXPECT_TRUE((*decoded)[1].yanked() == candidates[1].yanked());
}

TEST(ListingDigest, EmptyListing) {
  auto decoded = idx::decode_listing(kIdentity, idx::encode_listing(kIdentity, {}));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

// A digest is used only for the exact page body, URL, project and format it was made from.
TEST(ListingDigest, OtherPageIsAMiss) {
  const std::string bytes = idx::encode_listing(kIdentity, parsed_page());
  auto other = kIdentity;
  other.body_sha256 = "0123abce";
  EXPECT_FALSE(idx::decode_listing(other, bytes));
  other = kIdentity;
  other.page_url = "https://index.example/simple/foo";
  EXPECT_FALSE(idx::decode_listing(other, bytes));
  other = kIdentity;
  other.project = "bar";
  EXPECT_FALSE(idx::decode_listing(other, bytes));
  other = kIdentity;
  other.format = 'h';
  EXPECT_FALSE(idx::decode_listing(other, bytes));
}

// Every truncation, and a damaged byte anywhere, reads as a miss or as a well-formed listing; never
// a crash or a huge allocation (the test runs under the sanitizers in Debug builds).
TEST(ListingDigest, DamagedBytesAreAMiss) {
  const std::string bytes = idx::encode_listing(kIdentity, parsed_page());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(idx::decode_listing(kIdentity, bytes.substr(0, n))) << "cut at " << n;
  }
  EXPECT_FALSE(idx::decode_listing(kIdentity, bytes + "x"));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0xff);
    auto decoded = idx::decode_listing(kIdentity, damaged);
    if (!decoded) continue;
    // Accepted: every file must then decode too (the load checked what decoding reads).
    std::vector<FileTraits> traits;
    for (const Candidate& c : *decoded) {
      c.files.traits(traits);
      EXPECT_EQ(c.files.get().size(), traits.size());
    }
  }
}

// Hashes are kept in binary when they are sha256s of 64 lower-case hex digits, and as given otherwise
// (upper-case hex, another length): either way they read back as the index gave them. Versions with
// numbers of 2^64 and above keep their digits.
TEST(ListingDigest, HashesAndBigVersionsReadBackAsGiven) {
  const std::string lower(64, 'a');
  const std::string upper = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
  DistFile wheel;
  wheel.filename = "foo-18446744073709551616.0-py3-none-any.whl";
  wheel.url = "https://files.example/x/" + wheel.filename;
  wheel.wheel = WheelName::parse(wheel.filename);
  wheel.hashes = {{"sha256", lower}, {"md5", "00ff"}};
  wheel.core_metadata = std::map<std::string, std::string>{{"sha256", upper}};
  DistFile sdist;
  sdist.filename = "foo-18446744073709551616.0.0.tar.gz";
  sdist.url = "https://elsewhere.example/foo.tar.gz?x=1";
  sdist.kind = DistFile::Kind::Sdist;
  sdist.sdist_version = Version::parse("18446744073709551616.0.0");
  sdist.hashes = {{"sha256", lower + "0"}};
  sdist.core_metadata = std::map<std::string, std::string>{};
  sdist.yanked = "";
  sdist.requires_python = ">=3.8";
  Candidate c{"foo", Version::parse("18446744073709551616.0"), std::vector<DistFile>{wheel, sdist}};
  const std::vector<Candidate> candidates{c};
  auto decoded = idx::decode_listing(kIdentity, idx::encode_listing(kIdentity, candidates));
  ASSERT_TRUE(decoded);
  expect_same(candidates, *decoded);
  EXPECT_EQ((*decoded)[0].version.str(), "18446744073709551616.0");
  EXPECT_EQ((*decoded)[0].files[1].sdist_version->str(), "18446744073709551616.0.0");
  EXPECT_EQ((*decoded)[0].files[0].hashes.at("sha256"), lower);
  EXPECT_EQ((*decoded)[0].files[0].core_metadata->at("sha256"), upper);
  EXPECT_EQ((*decoded)[0].files[1].url, sdist.url);
}

// A digest written by an older layout (4 and before: a hand-written varint encoding that began with
// its magic line) or by another program version is a miss, not an error.
TEST(ListingDigest, OlderLayoutIsAMiss) {
  std::string layout4;
  const std::uint32_t magic_size = 14, layout = 4;
  layout4.append(reinterpret_cast<const char*>(&magic_size), 4);
  layout4 += "thoth-listing\n";
  layout4.append(reinterpret_cast<const char*>(&layout), 4);
  layout4 += std::string(200, 'x');
  EXPECT_FALSE(idx::decode_listing(kIdentity, layout4));
  EXPECT_FALSE(idx::decode_listing(kIdentity, ""));
  EXPECT_FALSE(idx::decode_listing(kIdentity, std::string(64, '\0')));
}

// The listing_digest fuzz target's seeds (digests of the html_page and json_page seeds) are digests
// this build reads: written by another layout or thoth version, every one would be a miss and the
// target would never reach the reader past the header.
TEST(ListingDigest, FuzzSeedsAreCurrent) {
  namespace fs = std::filesystem;
  int seeds = 0;
  for (const auto& e : fs::directory_iterator(fs::path(THOTH_SOURCE_DIR) / "tests/fuzz/corpus/listing_digest")) {
    const std::string name = e.path().filename().string();
    const bool html = name.ends_with(".html.digest");
    if (!html && !name.ends_with(".json.digest")) continue;  // a crash reproducer, not a seed
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(idx::decode_listing(fuzz::page_identity(html ? 'h' : 'j'), std::move(bytes)))
        << name << " is stale: remake the seeds with fuzz_digest_seeds (tests/fuzz/README.md)";
    ++seeds;
  }
  EXPECT_EQ(seeds, 4);
}

// Random damage anywhere (several bytes at once, and overwritten runs): a miss or a well-formed
// listing whose files all read, never a crash (the sanitizer build runs this too).
TEST(ListingDigest, RandomDamageIsAMissOrWellFormed) {
  const std::string bytes = idx::encode_listing(kIdentity, parsed_page());
  std::uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string damaged = bytes;
    const int changes = 1 + static_cast<int>(next() % 4);
    for (int i = 0; i < changes; ++i) {
      const std::size_t at = next() % damaged.size();
      const std::size_t run = round % 2 == 0 ? 1 : 1 + next() % 8;
      for (std::size_t j = at; j < std::min(damaged.size(), at + run); ++j) damaged[j] = static_cast<char>(next());
    }
    auto decoded = idx::decode_listing(kIdentity, damaged);
    if (!decoded) continue;
    std::vector<FileTraits> traits;
    for (const Candidate& c : *decoded) {
      c.files.traits(traits);
      EXPECT_EQ(c.files.get().size(), traits.size());
    }
  }
}

// The bytes of a digest whose first release's files vector is moved to its end, its 4-byte length
// `offset` bytes past a multiple of 8 and its structs right after (the size prefix and the release's
// offset to the vector are updated; everything else is left as it was).
std::string with_files_moved(std::string bytes, std::size_t offset) {
  const auto* base = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const idx::digest::Release* release = idx::digest::GetSizePrefixedListing(base)->releases()->Get(0);
  const auto* field = reinterpret_cast<const flatbuffers::Table*>(release)->GetAddressOf(idx::digest::Release::VT_FILES);
  const auto* files = reinterpret_cast<const std::uint8_t*>(release->files());
  const std::size_t field_at = static_cast<std::size_t>(field - base);
  const std::string vector(reinterpret_cast<const char*>(files),
                           sizeof(flatbuffers::uoffset_t) + release->files()->size() * sizeof(idx::digest::File));
  bytes.resize((bytes.size() + 7) / 8 * 8 + offset, '\0');
  const auto moved_to = static_cast<flatbuffers::uoffset_t>(bytes.size() - field_at);
  bytes += vector;
  const auto size = static_cast<flatbuffers::uoffset_t>(bytes.size() - sizeof(flatbuffers::uoffset_t));
  std::memcpy(bytes.data(), &size, sizeof size);  // FlatBuffers is little-endian, as the test machines
  std::memcpy(bytes.data() + field_at, &moved_to, sizeof moved_to);
  return bytes;
}

// FlatBuffers' verifier checks the 4-byte alignment of a vector's length, not the alignment of its
// structs: damaged bytes whose files sit off their 8-byte alignment are a miss, not read in place
// (undefined behaviour; found by the listing_digest fuzz target).
TEST(ListingDigest, MisalignedFilesAreAMiss) {
  const auto candidates = parsed_page();
  const std::string bytes = idx::encode_listing(kIdentity, candidates);
  // Moved where their structs stay aligned, the files read back as they were...
  auto moved = idx::decode_listing(kIdentity, with_files_moved(bytes, 4));
  ASSERT_TRUE(moved);
  expect_same(candidates, *moved);
  // ...and 4 bytes further, off their alignment, they are a miss.
  EXPECT_FALSE(idx::decode_listing(kIdentity, with_files_moved(bytes, 0)));
}

// A loaded listing ranks its files from their traits and decodes the files only when they are read;
// the traits are those of the files, and every copy of a candidate shares one decoding.
TEST(ListingDigest, FilesStayEncodedUntilRead) {
  const auto candidates = parsed_page();
  auto decoded = idx::decode_listing(kIdentity, idx::encode_listing(kIdentity, candidates), 2);
  ASSERT_TRUE(decoded);
  const Candidate& c = (*decoded)[1];
  EXPECT_TRUE(c.files.encoded());
  EXPECT_EQ(c.files.size(), 4u);
  std::vector<FileTraits> traits;
  c.files.traits(traits);
  EXPECT_TRUE(c.files.encoded());
  ASSERT_EQ(traits.size(), 4u);
  for (std::size_t i = 0; i < traits.size(); ++i) {
    const FileTraits want = FileTraits::of(candidates[1].files[i]);
    EXPECT_EQ(traits[i].kind, want.kind) << i;
    EXPECT_EQ(traits[i].requires_python, want.requires_python) << i;
    EXPECT_EQ(traits[i].yanked, want.yanked) << i;
    EXPECT_EQ(traits[i].yank_reason, want.yank_reason) << i;
    EXPECT_EQ(traits[i].has_build, want.has_build) << i;
    EXPECT_EQ(traits[i].build_number, want.build_number) << i;
    EXPECT_EQ(traits[i].build_suffix, want.build_suffix) << i;
    ASSERT_EQ(traits[i].tags != nullptr, want.tags != nullptr) << i;
    if (want.tags) {
      EXPECT_EQ(*traits[i].tags, *want.tags) << i;
    }
  }
  EXPECT_EQ(traits[0].yank_reason, "broken build");

  const Candidate copy = c;
  const DistFile& first = c.files[0];  // decodes
  EXPECT_EQ(first.filename, "foo-1.0.tar.gz");
  EXPECT_EQ(first.index_position, 2u);  // the source the listing was loaded for
  EXPECT_EQ(&copy.files[0], &first);    // the copy reads the same decoding

  // Writing makes the list its own: the copy keeps the shared files.
  Candidate edited = c;
  edited.files[0].url = "elsewhere";
  EXPECT_FALSE(edited.files.encoded());
  EXPECT_EQ(c.files[0].url, candidates[1].files[0].url);
  EXPECT_EQ(edited.files[0].url, "elsewhere");
}

TEST(ListingDigests, StoreAndLoadThroughTheCache) {
  test::TempDir dir;
  idx::ListingDigests digests(std::make_shared<HttpCache>(dir.path()));
  ASSERT_TRUE(digests.enabled());
  EXPECT_FALSE(digests.load(kIdentity, 0));
  const auto candidates = parsed_page();
  digests.store(kIdentity, idx::encode_listing(kIdentity, candidates));
  auto loaded = digests.load(kIdentity, 0);
  ASSERT_TRUE(loaded);
  expect_same(candidates, *loaded);
  auto newer = kIdentity;
  newer.body_sha256 = "feed";
  EXPECT_FALSE(digests.load(newer, 0));  // same page, new body: the old digest is not used

  idx::ListingDigests none(nullptr);
  EXPECT_FALSE(none.enabled());
  none.store(kIdentity, idx::encode_listing(kIdentity, candidates));
  EXPECT_FALSE(none.load(kIdentity, 0));
}

}  // namespace
}  // namespace thoth
