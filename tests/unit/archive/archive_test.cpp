// Tests of the archive module: zip central directory and member reads (also by ranges), wheel METADATA,
// libarchive member reads, and extraction that refuses hostile members.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "thoth/archive.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;

struct Member {
  enum Type { File, Dir, Symlink, Hardlink };
  Member(std::string n, std::string d, Type t = File, std::string l = "")
      : name(std::move(n)), data(std::move(d)), type(t), link(std::move(l)) {}
  std::string name;
  std::string data;
  Type type;
  std::string link;  // target for links
};

// Builds an archive in memory with libarchive's writer (an independent implementation of the formats).
std::string build_archive(const std::vector<Member>& members, const std::string& format,
                          const std::string& filter = "", const std::string& options = "") {
  archive* a = archive_write_new();
  if (format == "zip") archive_write_set_format_zip(a);
  else archive_write_set_format_pax_restricted(a);
  if (filter == "gzip") archive_write_add_filter_gzip(a);
  if (!options.empty()) archive_write_set_options(a, options.c_str());
  std::vector<char> buf(16 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (m.type) {
      case Member::File:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
        break;
      case Member::Dir:
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        break;
      case Member::Symlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, m.link.c_str());
        break;
      case Member::Hardlink:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, m.link.c_str());
        break;
    }
    archive_write_header(a, e);
    if (m.type == Member::File && !m.data.empty()) archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

// Counts reads so tests can check that a remote-style source is asked for little.
class CountingSource : public ByteSource {
 public:
  explicit CountingSource(std::string bytes) : inner_(std::move(bytes)) {}
  std::pair<std::string, std::uint64_t> tail(std::size_t n) override {
    ++requests;
    auto r = inner_.tail(n);
    bytes += r.first.size();
    return r;
  }
  std::string read(std::uint64_t offset, std::size_t length) override {
    ++requests;
    bytes += length;
    return inner_.read(offset, length);
  }
  int requests = 0;
  std::size_t bytes = 0;

 private:
  MemoryByteSource inner_;
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "thoth-archive-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path path;
};

fs::path write_temp(const TempDir& dir, const std::string& name, const std::string& bytes) {
  fs::path p = dir.path / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

// The ArchiveError message of `f()`, or a test failure when it does not throw one.
template <typename F>
std::string archive_error_of(F&& f) {
  try {
    f();
  } catch (const ArchiveError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected ArchiveError";
  return {};
}

const std::string kMetadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: six>=1.0\n";

std::vector<Member> wheel_members() {
  return {{"demo/__init__.py", "print('hi')\n" + std::string(5000, '#')},
          {"demo-1.0.dist-info/METADATA", kMetadata},
          {"demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n"},
          {"demo-1.0.dist-info/RECORD", ""}};
}

TEST(ZipReader, ListsAndReadsMembers) {
  MemoryByteSource src(build_archive(wheel_members(), "zip"));
  ZipReader zip(src, "demo.whl");
  ASSERT_EQ(zip.entries().size(), 4u);
  const ZipEntry* e = zip.find("demo-1.0.dist-info/METADATA");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(zip.read(*e), kMetadata);
  EXPECT_EQ(zip.read(*zip.find("demo/__init__.py")), wheel_members()[0].data);
  EXPECT_EQ(zip.find("missing"), nullptr);
}

TEST(ZipReader, WheelMetadataNeedsOnlyTheTailForSmallWheels) {
  CountingSource src(build_archive(wheel_members(), "zip"));
  ZipReader zip(src, "demo.whl");
  EXPECT_EQ(read_wheel_metadata(zip), kMetadata);
  EXPECT_EQ(src.requests, 1);  // the tail read covered the central directory and the member
}

TEST(ZipReader, LargeWheelReadsFewBytes) {
  // 2 MB of incompressible payload before METADATA: reading it must not fetch the payload.
  std::vector<Member> members = {{"demo/blob.bin", random_bytes(2 << 20, 7)},
                                 {"demo-1.0.dist-info/METADATA", kMetadata}};
  std::string bytes = build_archive(members, "zip");
  CountingSource src(bytes);
  ZipReader zip(src, "big.whl");
  EXPECT_EQ(read_wheel_metadata(zip), kMetadata);
  EXPECT_LE(src.requests, 3);
  EXPECT_LT(src.bytes, 100u * 1024);
  EXPECT_GT(bytes.size(), 2u << 20);
}

TEST(ZipReader, Zip64) {
  MemoryByteSource src(build_archive(wheel_members(), "zip", "", "zip:zip64"));
  ZipReader zip(src, "z64.whl");
  EXPECT_EQ(read_wheel_metadata(zip), kMetadata);
}

TEST(ZipReader, StoredMembers) {
  MemoryByteSource src(build_archive(wheel_members(), "zip", "", "zip:compression=store"));
  ZipReader zip(src, "stored.whl");
  EXPECT_EQ(read_wheel_metadata(zip), kMetadata);
}

TEST(ZipReader, CorruptDataIsRefused) {
  std::string bytes = build_archive({{"a.txt", std::string(1000, 'x') + "tail"}}, "zip", "", "zip:compression=store");
  std::size_t at = bytes.find("xxxxxxxx");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'y';
  MemoryByteSource src(bytes);
  ZipReader zip(src, "bad.zip");
  try {
    zip.read(*zip.find("a.txt"));
    FAIL() << "expected an ArchiveError";
  } catch (const ArchiveError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.zip"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("CRC"), std::string::npos);
  }
}

// Every piece read_chunks() hands over, and their number.
std::pair<std::string, int> read_in_pieces(ZipReader& zip, const ZipEntry& e, ZipReader::Check check) {
  std::string all;
  int pieces = 0;
  zip.read_chunks(e, [&](std::string_view piece) {
    EXPECT_LE(piece.size(), ZipReader::kZipChunk);
    all += piece;
    ++pieces;
  }, check);
  return {all, pieces};
}

TEST(ZipReader, ReadChunksGivesTheMemberInPieces) {
  const std::string blob = random_bytes(3 * ZipReader::kZipChunk + 17, 3);
  std::string text;
  while (text.size() < 2 * ZipReader::kZipChunk) text += "def f(x):\n    return x + " + std::to_string(text.size()) + "\n";
  for (const char* options : {"", "zip:compression=store"}) {
    MemoryByteSource src(build_archive({{"blob.so", blob}, {"mod.py", text}, {"empty.py", ""}}, "zip", "", options));
    ZipReader zip(src, "pieces.whl");
    auto [got_blob, blob_pieces] = read_in_pieces(zip, *zip.find("blob.so"), ZipReader::Check::Crc);
    EXPECT_EQ(got_blob, blob) << options;
    EXPECT_EQ(blob_pieces, 4) << options;
    EXPECT_EQ(read_in_pieces(zip, *zip.find("mod.py"), ZipReader::Check::Crc).first, text) << options;
    EXPECT_EQ(read_in_pieces(zip, *zip.find("empty.py"), ZipReader::Check::Crc).first, "") << options;
    EXPECT_EQ(zip.read(*zip.find("mod.py")), text) << options;
  }
}

TEST(ZipReader, CrcIsSkippedOnlyWhenTheCallerChecks) {
  // A wheel's members are checked against RECORD's sha256 instead (install/unpack.cpp).
  std::string bytes = build_archive({{"a.txt", std::string(1000, 'x') + "tail"}}, "zip", "", "zip:compression=store");
  bytes[bytes.find("xxxxxxxx")] = 'y';
  MemoryByteSource src(bytes);
  ZipReader zip(src, "bad.zip");
  const std::string e = archive_error_of([&] { read_in_pieces(zip, *zip.find("a.txt"), ZipReader::Check::Crc); });
  EXPECT_NE(e.find("CRC mismatch for a.txt"), std::string::npos) << e;
  EXPECT_EQ(read_in_pieces(zip, *zip.find("a.txt"), ZipReader::Check::Caller).first, "y" + std::string(999, 'x') + "tail");
}

TEST(ZipReader, NotAZipAndTruncated) {
  MemoryByteSource junk(std::string(100, 'j'));
  EXPECT_THROW(ZipReader(junk, "junk.whl"), ArchiveError);
  MemoryByteSource tiny("PK");
  EXPECT_THROW(ZipReader(tiny, "tiny.whl"), ArchiveError);
  std::string bytes = build_archive(wheel_members(), "zip");
  MemoryByteSource cut(bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(ZipReader(cut, "cut.whl"), ArchiveError);
}

TEST(ZipReader, MemberTooLargeForLimits) {
  MemoryByteSource src(build_archive(wheel_members(), "zip"));
  ArchiveLimits limits;
  limits.max_member_bytes = 100;
  ZipReader zip(src, "demo.whl", limits);
  EXPECT_THROW(zip.read(*zip.find("demo/__init__.py")), ArchiveError);
}

TEST(ZipReader, BombRatioIsRefused) {
  MemoryByteSource src(build_archive({{"zeros", std::string(8 << 20, '\0')}}, "zip"));
  ArchiveLimits limits;
  limits.max_ratio = 100;
  ZipReader zip(src, "bomb.zip", limits);
  EXPECT_THROW(zip.read(*zip.find("zeros")), ArchiveError);
}

TEST(WheelMetadata, MissingOrAmbiguous) {
  MemoryByteSource none(build_archive({{"demo/__init__.py", ""}}, "zip"));
  ZipReader z1(none, "none.whl");
  EXPECT_THROW(read_wheel_metadata(z1), ArchiveError);
  MemoryByteSource two(build_archive({{"a-1.dist-info/METADATA", kMetadata}, {"b-1.dist-info/METADATA", kMetadata}}, "zip"));
  ZipReader z2(two, "two.whl");
  EXPECT_THROW(read_wheel_metadata(z2), ArchiveError);
}

TEST(WheelMetadata, CappedAtTheMetadataLimit) {
  // Past kMaxMetadataBytes a METADATA is refused, although the reader's own (whole-wheel) limit is
  // far higher; any other member of that size still reads.
  std::string huge = kMetadata;
  while (huge.size() <= kMaxMetadataBytes) huge += "Classifier: Programming Language :: Python :: 3\n";
  MemoryByteSource src(build_archive({{"demo-1.0.dist-info/METADATA", huge}, {"demo/data.txt", huge}}, "zip"));
  ZipReader zip(src, "demo.whl");
  const std::string e = archive_error_of([&] { read_wheel_metadata(zip); });
  EXPECT_NE(e.find("METADATA is too large"), std::string::npos) << e;
  EXPECT_NE(e.find(std::to_string(kMaxMetadataBytes)), std::string::npos) << e;
  EXPECT_EQ(zip.read(*zip.find("demo/data.txt")).size(), huge.size());
}

TEST(WheelMetadata, CompressionRatioGuardApplies) {
  // 8 MiB of zeros deflates about 1000:1: under the size cap, but refused as a bomb.
  MemoryByteSource src(build_archive({{"demo-1.0.dist-info/METADATA", kMetadata + std::string(8 << 20, '\0')}}, "zip"));
  ZipReader zip(src, "demo.whl");
  const std::string e = archive_error_of([&] { read_wheel_metadata(zip); });
  EXPECT_NE(e.find("zip bomb"), std::string::npos) << e;
}

TEST(FileByteSource, ReadsTailAndRanges) {
  TempDir dir;
  fs::path p = write_temp(dir, "f.bin", "0123456789");
  FileByteSource src(p);
  auto [tail, size] = src.tail(4);
  EXPECT_EQ(tail, "6789");
  EXPECT_EQ(size, 10u);
  EXPECT_EQ(src.tail(100).first, "0123456789");
  EXPECT_EQ(src.read(2, 3), "234");
  EXPECT_THROW(src.read(8, 5), ArchiveError);
  std::string scratch;
  EXPECT_EQ(src.read_view(1, 6, scratch), "123456");
  EXPECT_EQ(src.read_view(7, 2, scratch), "78");
  EXPECT_GE(scratch.size(), 6u);  // grown once, not shrunk
  EXPECT_THROW(FileByteSource(dir.path / "missing"), ArchiveError);
}

TEST(SafePath, Rules) {
  EXPECT_TRUE(is_safe_member_path("a/b.txt"));
  EXPECT_TRUE(is_safe_member_path("a/b/"));
  EXPECT_FALSE(is_safe_member_path("/etc/passwd"));
  EXPECT_FALSE(is_safe_member_path("../x"));
  EXPECT_FALSE(is_safe_member_path("a/../../x"));
  EXPECT_FALSE(is_safe_member_path("a//b"));
  EXPECT_FALSE(is_safe_member_path("a/./b"));
  EXPECT_FALSE(is_safe_member_path("a\\..\\b"));
  EXPECT_FALSE(is_safe_member_path(""));
}

TEST(ReadArchiveMember, SdistPkgInfoFromTarGzAndZip) {
  TempDir dir;
  std::vector<Member> sdist = {{"demo-1.0/", "", Member::Dir},
                               {"demo-1.0/PKG-INFO", kMetadata},
                               {"demo-1.0/pyproject.toml", "[build-system]\n"}};
  for (auto [name, format, filter] : {std::tuple{"demo-1.0.tar.gz", "tar", "gzip"}, std::tuple{"demo-1.0.zip", "zip", ""}}) {
    fs::path p = write_temp(dir, name, build_archive(sdist, format, filter));
    auto got = read_archive_member(p, [](std::string_view m) { return m == "demo-1.0/PKG-INFO"; });
    ASSERT_TRUE(got.has_value()) << name;
    EXPECT_EQ(*got, kMetadata);
    EXPECT_FALSE(read_archive_member(p, [](std::string_view m) { return m == "nope"; }).has_value());
  }
  fs::path junk = write_temp(dir, "junk.tar.gz", "definitely not an archive");
  EXPECT_THROW(read_archive_member(junk, [](std::string_view) { return true; }), ArchiveError);
}

TEST(ForEachArchiveMember, VisitsMatchingFilesInOrderAndStops) {
  TempDir dir;
  std::vector<Member> members = {{"db/", "", Member::Dir},
                                 {"db/a.json", "{\"a\": 1}"},
                                 {"db/notes.txt", "skip me"},
                                 {"db/b.json", "{\"b\": 2}"},
                                 {"db/c.json", "{\"c\": 3}"}};
  auto json = [](std::string_view m) { return m.ends_with(".json"); };
  for (auto [name, format, filter] : {std::tuple{"db.zip", "zip", ""}, std::tuple{"db.tar.gz", "tar", "gzip"}}) {
    fs::path p = write_temp(dir, name, build_archive(members, format, filter));
    std::vector<std::string> seen;
    for_each_archive_member(p, json, [&](std::string_view m, std::string data) {
      seen.push_back(std::string(m) + "=" + data);
      return true;
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"db/a.json={\"a\": 1}", "db/b.json={\"b\": 2}", "db/c.json={\"c\": 3}"}))
        << name;
    seen.clear();
    for_each_archive_member(p, json, [&](std::string_view m, std::string) {
      seen.emplace_back(m);
      return seen.size() < 2;  // stop after the second
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"db/a.json", "db/b.json"})) << name;
  }
  // The limits hold over the walk.
  ArchiveLimits few;
  few.max_entries = 3;
  fs::path p = write_temp(dir, "many.zip", build_archive(members, "zip"));
  EXPECT_THROW(for_each_archive_member(p, json, [](std::string_view, std::string) { return true; }, few), ArchiveError);
}

TEST(ReadArchiveMember, MetadataLimitsCapPkgInfo) {
  TempDir dir;
  std::string huge = kMetadata;
  while (huge.size() <= kMaxMetadataBytes) huge += "Classifier: Programming Language :: Python :: 3\n";
  fs::path p = write_temp(dir, "demo-1.0.tar.gz",
                          build_archive({{"demo-1.0/PKG-INFO", huge}}, "tar", "gzip"));
  auto pkg_info = [](std::string_view m) { return m == "demo-1.0/PKG-INFO"; };
  const std::string e = archive_error_of([&] { read_archive_member(p, pkg_info, metadata_limits()); });
  EXPECT_NE(e.find("larger than the limit"), std::string::npos) << e;
  EXPECT_EQ(read_archive_member(p, pkg_info)->size(), huge.size());  // the default limits allow it
}

TEST(ReadArchiveMember, CompressionRatioOverTheStream) {
  TempDir dir;
  ArchiveLimits limits;
  limits.max_ratio = 100;
  // A gzip stream of zeros, skipped on the way to PKG-INFO: decompressing it counts.
  fs::path skipped = write_temp(dir, "a-1.0.tar.gz", build_archive({{"a-1.0/zeros", std::string(8 << 20, '\0')},
                                                                     {"a-1.0/PKG-INFO", kMetadata}}, "tar", "gzip"));
  auto pkg_info = [](std::string_view m) { return m == "a-1.0/PKG-INFO"; };
  EXPECT_THROW(read_archive_member(skipped, pkg_info, limits), ArchiveError);
  // The member read itself, in a zip sdist.
  fs::path zipped = write_temp(dir, "b-1.0.zip", build_archive({{"b-1.0/PKG-INFO", kMetadata + std::string(8 << 20, '\0')}}, "zip"));
  const std::string e = archive_error_of(
      [&] { read_archive_member(zipped, [](std::string_view m) { return m == "b-1.0/PKG-INFO"; }, limits); });
  EXPECT_NE(e.find("compression ratio"), std::string::npos) << e;
  // Extraction too; an archive that compresses less is fine.
  EXPECT_THROW(extract_archive(skipped, dir.path / "out", limits), ArchiveError);
  fs::path random = write_temp(dir, "c-1.0.tar.gz", build_archive({{"c-1.0/data", random_bytes(2 << 20, 7)},
                                                                   {"c-1.0/PKG-INFO", kMetadata}}, "tar", "gzip"));
  EXPECT_EQ(read_archive_member(random, [](std::string_view m) { return m == "c-1.0/PKG-INFO"; }, limits), kMetadata);
  EXPECT_NO_THROW(extract_archive(random, dir.path / "out2", limits));
}

TEST(ExtractArchive, ExtractsFilesDirsAndInnerLinks) {
  TempDir dir;
  fs::path p = write_temp(dir, "ok.tar.gz",
                          build_archive({{"pkg/", "", Member::Dir},
                                         {"pkg/a.txt", "hello"},
                                         {"./pkg/sub/b.txt", "world"},
                                         {"pkg/link", "", Member::Symlink, "a.txt"}},
                                        "tar", "gzip"));
  fs::path out = dir.path / "out";
  extract_archive(p, out);
  std::ifstream a(out / "pkg/a.txt"), b(out / "pkg/sub/b.txt");
  std::string sa, sb;
  a >> sa;
  b >> sb;
  EXPECT_EQ(sa, "hello");
  EXPECT_EQ(sb, "world");
  EXPECT_TRUE(fs::is_symlink(out / "pkg/link"));
}

TEST(ExtractArchive, RefusesHostileMembers) {
  TempDir dir;
  std::vector<std::pair<std::string, std::vector<Member>>> cases = {
      {"abs", {{"/tmp/thoth-evil", "x"}}},
      {"dotdot", {{"pkg/../../evil", "x"}}},
      {"link-out", {{"pkg/l", "", Member::Symlink, "../../etc"}}},
      {"link-abs", {{"pkg/l", "", Member::Symlink, "/etc"}}},
      {"hardlink", {{"pkg/a", "x"}, {"pkg/h", "", Member::Hardlink, "pkg/a"}}},
      {"through-link", {{"pkg/l", "", Member::Symlink, "."}, {"pkg/l/x", "x"}}},
  };
  for (const auto& [name, members] : cases) {
    fs::path p = write_temp(dir, name + ".tar", build_archive(members, "tar"));
    fs::path out = dir.path / ("out-" + name);
    try {
      extract_archive(p, out);
      ADD_FAILURE() << name << ": no error";
    } catch (const ArchiveError& e) {
      EXPECT_NE(std::string(e.what()).find("refusing member"), std::string::npos) << name << ": " << e.what();
    }
  }
  EXPECT_FALSE(fs::exists("/tmp/thoth-evil"));
}

TEST(ExtractArchive, SizeLimits) {
  TempDir dir;
  fs::path p = write_temp(dir, "big.tar", build_archive({{"a", std::string(5000, 'a')}, {"b", std::string(5000, 'b')}}, "tar"));
  ArchiveLimits limits;
  limits.max_total_bytes = 8000;
  EXPECT_THROW(extract_archive(p, dir.path / "o1", limits), ArchiveError);
  limits = {};
  limits.max_entries = 1;
  EXPECT_THROW(extract_archive(p, dir.path / "o2", limits), ArchiveError);
  EXPECT_NO_THROW(extract_archive(p, dir.path / "o3"));
}

}  // namespace
}  // namespace thoth
