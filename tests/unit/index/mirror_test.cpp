// `thoth mirror`'s library part: the pages it writes (read back with thoth's own page parsers), the
// PEP 658 files beside the wheels, the state that makes a second run incremental, and the files it
// leaves out. Distributions come from tests/support/mirror.py.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "index/mirror.hpp"
#include "index/url.hpp"
#include "support.hpp"
#include "thoth/hash.hpp"
#include "thoth/index.hpp"
#include "thoth/mirror.hpp"
#include "base/url_text.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;
using idx::MirrorFile;

MirrorFile mirror_file(std::string filename, std::string version, std::string requires_python = "",
                       std::string metadata_sha256 = "") {
  MirrorFile f;
  f.filename = std::move(filename);
  f.project = "foo-bar";
  f.version = Version::parse(version);
  f.wheel = f.filename.size() > 4 && f.filename.substr(f.filename.size() - 4) == ".whl";
  f.size = 1234;
  f.mtime_ns = 1700000000123456789;
  f.sha256 = std::string(64, 'a');
  f.requires_python = std::move(requires_python);
  f.metadata_sha256 = std::move(metadata_sha256);
  f.metadata_size = f.metadata_sha256.empty() ? 0 : 99;
  return f;
}

std::vector<const MirrorFile*> pointers(const std::vector<MirrorFile>& files) {
  std::vector<const MirrorFile*> out;
  for (const auto& f : files) out.push_back(&f);
  return out;
}

const std::string kMetaHash(64, 'b');

std::vector<MirrorFile> sample_files() {
  return {mirror_file("foo_bar-1.0.tar.gz", "1.0", ">=3.8,<4"),
          mirror_file("foo_bar-1.0-py3-none-any.whl", "1.0", ">=3.8,<4", kMetaHash),
          mirror_file("foo_bar-2.0+local-py3-none-any.whl", "2.0+local", "", kMetaHash)};
}

// ---- Pages ---------------------------------------------------------------------------------------

TEST(MirrorPages, HtmlEscapeCoversAttributeAndTextSpecials) {
  EXPECT_EQ(idx::html_escape(R"(>=3.8,<4 & "a" 'b')"), "&gt;=3.8,&lt;4 &amp; &quot;a&quot; &#x27;b&#x27;");
  EXPECT_EQ(idx::html_escape("plain"), "plain");
}

TEST(MirrorPages, ProjectHtmlCarriesHashesRequiresPythonAndMetadata) {
  const auto files = sample_files();
  const std::string html = idx::project_html("foo-bar", pointers(files), "../../");
  EXPECT_NE(html.find(R"(<meta name="pypi:repository-version" content="1.1">)"), std::string::npos);
  EXPECT_NE(html.find(R"(data-requires-python="&gt;=3.8,&lt;4")"), std::string::npos) << html;
  EXPECT_NE(html.find(R"(href="../../foo_bar-1.0.tar.gz#sha256=)" + std::string(64, 'a') + "\""), std::string::npos);
  EXPECT_NE(html.find("data-dist-info-metadata=\"sha256=" + kMetaHash + "\""), std::string::npos);
  EXPECT_NE(html.find("data-core-metadata=\"sha256=" + kMetaHash + "\""), std::string::npos);
  EXPECT_EQ(html.find("data-yanked"), std::string::npos);

  // thoth's own reader sees what a client should.
  const std::string page_url = "https://mirror.example/simple/foo-bar/";
  ProjectPage page = parse_html_page(html, page_url, "foo-bar");
  EXPECT_EQ(page.api_version, "1.1");
  ASSERT_EQ(page.files.size(), 3u);
  EXPECT_EQ(page.files[0].url, "https://mirror.example/foo_bar-1.0.tar.gz");
  EXPECT_EQ(page.files[0].sha256(), std::string(64, 'a'));
  EXPECT_EQ(page.files[0].requires_python, ">=3.8,<4");
  EXPECT_FALSE(page.files[0].core_metadata);
  ASSERT_TRUE(page.files[1].core_metadata);
  EXPECT_EQ(page.files[1].core_metadata->at("sha256"), kMetaHash);
  // '+' needs no escape in a path; the link names the file as written.
  EXPECT_EQ(page.files[2].url, "https://mirror.example/foo_bar-2.0+local-py3-none-any.whl");
  EXPECT_EQ(page.files[2].requires_python, "");
}

TEST(MirrorPages, ProjectJsonIsPep691WithPep700Fields) {
  const auto files = sample_files();
  const std::string json = idx::project_json("foo-bar", pointers(files), "https://files.example/dist/");
  // PEP 714: only the new key (pip < 23.2 fails on an object under the old one); no invented times.
  EXPECT_EQ(json.find("dist-info-metadata"), std::string::npos);
  EXPECT_EQ(json.find("upload-time"), std::string::npos);
  EXPECT_EQ(json.find("requires-python\":\"\""), std::string::npos) << "no empty requires-python";

  ProjectPage page = parse_json_page(json, "https://mirror.example/simple/foo-bar/", "foo-bar");
  EXPECT_EQ(page.api_version, "1.1");
  EXPECT_EQ(page.versions, (std::vector<std::string>{"1.0", "2.0+local"}));
  ASSERT_EQ(page.files.size(), 3u);
  EXPECT_EQ(page.files[1].url, "https://files.example/dist/foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(page.files[1].sha256(), std::string(64, 'a'));
  EXPECT_EQ(page.files[1].requires_python, ">=3.8,<4");
  ASSERT_TRUE(page.files[1].core_metadata);
  EXPECT_EQ(page.files[1].core_metadata->at("sha256"), kMetaHash);
  EXPECT_EQ(page.files[1].size, 1234u);
  EXPECT_FALSE(page.files[0].core_metadata);
  EXPECT_FALSE(page.files[0].upload_time);
}

TEST(MirrorPages, FileNamesArePercentEncodedInUrls) {
  // '%', '#' and ' ' would change what the URL names.
  const MirrorFile odd = mirror_file("foo_bar-1.0 %#1.tar.gz", "1.0");
  const std::vector<const MirrorFile*> page = {&odd};
  const std::string html = idx::project_html("foo-bar", page, "../../");
  EXPECT_NE(html.find("href=\"../../foo_bar-1.0%20%25%231.tar.gz#sha256="), std::string::npos) << html;
  const std::string json = idx::project_json("foo-bar", page, "../../");
  EXPECT_NE(json.find("\"url\":\"../../foo_bar-1.0%20%25%231.tar.gz\""), std::string::npos) << json;
}

TEST(MirrorPages, RootPagesListEveryProject) {
  const std::vector<std::string> projects = {"foo-bar", "idna"};
  const std::string html = idx::root_html(projects);
  EXPECT_NE(html.find(R"(<a href="foo-bar/">foo-bar</a>)"), std::string::npos) << html;
  EXPECT_NE(html.find(R"(<a href="idna/">idna</a>)"), std::string::npos);
  EXPECT_NE(html.find(R"(content="1.1")"), std::string::npos);
  EXPECT_EQ(idx::root_json(projects),
            "{\"meta\":{\"api-version\":\"1.1\"},\"projects\":[{\"name\":\"foo-bar\"},{\"name\":\"idna\"}]}\n");
}

// ---- Entries and state --------------------------------------------------------------------------

TEST(MirrorEntries, ClassifiesDirectoryEntries) {
  using idx::EntryKind;
  EXPECT_EQ(idx::classify_entry("foo-1.0-py3-none-any.whl"), EntryKind::wheel);
  EXPECT_EQ(idx::classify_entry("foo-1.0.tar.gz"), EntryKind::sdist);
  EXPECT_EQ(idx::classify_entry("foo-1.0.zip"), EntryKind::sdist);
  EXPECT_EQ(idx::classify_entry("foo-1.0-py3-none-any.whl.metadata"), EntryKind::sidecar);
  EXPECT_EQ(idx::classify_entry("foo-1.0.tar.gz.metadata"), EntryKind::sidecar);
  EXPECT_EQ(idx::classify_entry(".foo-1.0-py3-none-any.whl.tmp.abc123"), EntryKind::hidden);
  EXPECT_EQ(idx::classify_entry("README.txt"), EntryKind::other);
  EXPECT_EQ(idx::classify_entry("notes.metadata"), EntryKind::other);
}

TEST(MirrorState, RoundTripsAndRejectsWhatItDidNotWrite) {
  const auto files = sample_files();
  const auto back = idx::parse_state(idx::state_text(files));
  ASSERT_EQ(back.size(), files.size());
  for (const auto& f : files) EXPECT_EQ(back.at(f.filename), f) << f.filename;
  EXPECT_TRUE(idx::parse_state("").empty());
  EXPECT_TRUE(idx::parse_state("{not json").empty());
  EXPECT_TRUE(idx::parse_state(R"({"thoth-mirror-state": 99, "files": []})").empty());
  std::string damaged = idx::state_text(files);
  damaged.replace(damaged.find("\"size\""), 6, "\"sizes\"");
  EXPECT_TRUE(idx::parse_state(damaged).empty()) << "one bad record drops the whole state";
}

// ---- write_mirror --------------------------------------------------------------------------------

constexpr const char* kSpec = R"({"projects": {
  "foo_bar": {"versions": {
    "1.0": {"requires_python": ">=3.8,<4", "files": ["py3-none-any", "sdist"]},
    "2.0": {"requires_dist": ["idna>=3"], "files": ["py3-none-any", "cp311-cp311-manylinux_2_17_x86_64"]}}},
  "idna": {"3.4": {"files": ["py3-none-any"]}},
  "late": {"0.1": {"files": ["py3-none-any"]}}
}})";

bool is_distribution(const fs::path& p) {
  const auto kind = idx::classify_entry(p.filename().string());
  return kind == idx::EntryKind::wheel || kind == idx::EntryKind::sdist;
}

std::string page(const fs::path& simple, const std::string& project, const char* file = "index.json") {
  return test::read_file(simple / project / file);
}

std::int64_t mtime_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return -1;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

class WriteMirror : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_mirror(kSpec, tmp_.path() / "gen");
    gen_ = tmp_.path() / "gen" / "files";
    dir_ = tmp_.path() / "wheels";
    fs::create_directories(dir_);
    for (const auto& e : fs::directory_iterator(gen_)) {
      if (is_distribution(e.path()) && e.path().filename().string().rfind("late-", 0) != 0) {
        fs::copy_file(e.path(), dir_ / e.path().filename());
      }
    }
  }

  void add(const std::string& prefix) {
    for (const auto& e : fs::directory_iterator(gen_)) {
      if (is_distribution(e.path()) && e.path().filename().string().rfind(prefix, 0) == 0) {
        fs::copy_file(e.path(), dir_ / e.path().filename());
      }
    }
  }

  MirrorResult mirror(MirrorOptions options = {}) {
    if (options.dir.empty()) options.dir = dir_;
    return write_mirror(options);
  }

  test::TempDir tmp_;
  fs::path gen_, dir_;
};

TEST_F(WriteMirror, WritesPagesAndMetadataFilesInsideDir) {
  MirrorResult r = mirror();
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  EXPECT_EQ(r.projects, 2u);
  EXPECT_EQ(r.files, 5u);
  EXPECT_EQ(r.read, 5u);
  EXPECT_EQ(r.written, (std::vector<std::string>{"foo-bar", "idna"}));
  EXPECT_TRUE(r.root_written);
  EXPECT_EQ(r.simple_dir, fs::canonical(dir_) / "simple");
  EXPECT_EQ(r.files_dir, fs::canonical(dir_));

  const fs::path simple = dir_ / "simple";
  for (const char* p : {"index.html", "index.json", "foo-bar/index.html", "foo-bar/index.json", "idna/index.json"}) {
    EXPECT_TRUE(fs::is_regular_file(simple / p)) << p;
  }
  // The pages as thoth's client reads them from file://, links resolved next to the files.
  const std::string page_url = idx::path_to_file_url(simple / "foo-bar" / "index.json");
  ProjectPage json = parse_json_page(page(simple, "foo-bar"), page_url, "foo-bar");
  ProjectPage html = parse_html_page(page(simple, "foo-bar", "index.html"),
                                     idx::path_to_file_url(simple / "foo-bar" / "index.html"), "foo-bar");
  ASSERT_EQ(json.files.size(), 4u);
  ASSERT_EQ(html.files.size(), 4u);
  EXPECT_EQ(json.versions, (std::vector<std::string>{"1.0", "2.0"}));
  for (std::size_t i = 0; i < json.files.size(); ++i) {
    const DistFile& j = json.files[i];
    const DistFile& h = html.files[i];
    EXPECT_EQ(j.filename, h.filename);
    EXPECT_EQ(j.url, h.url);
    const fs::path local = *base::file_url_to_path(j.url);
    EXPECT_EQ(local, fs::canonical(dir_) / j.filename);
    EXPECT_EQ(j.sha256(), sha256_file_hex(local)) << j.filename;
    EXPECT_EQ(h.sha256(), j.sha256());
    EXPECT_EQ(j.size, fs::file_size(local));
    EXPECT_EQ(j.requires_python, h.requires_python);
    if (j.kind == DistFile::Kind::Wheel) {
      // PEP 658: the METADATA file beside the wheel, its hash on the page; it is the generator's own.
      ASSERT_TRUE(j.core_metadata) << j.filename;
      const std::string sidecar = test::read_file(local.string() + ".metadata");
      EXPECT_EQ(j.core_metadata->at("sha256"), sha256_hex(sidecar));
      EXPECT_EQ(h.core_metadata->at("sha256"), sha256_hex(sidecar));
      EXPECT_EQ(sidecar, test::read_file(gen_ / (j.filename + ".metadata")));
    } else {
      EXPECT_FALSE(j.core_metadata);
      EXPECT_FALSE(fs::exists(local.string() + ".metadata"));
    }
  }
  // Requires-Python from the wheel's METADATA and from the sdist's PKG-INFO.
  EXPECT_EQ(json.files[0].filename, "foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(json.files[0].requires_python, ">=3.8,<4");
  EXPECT_EQ(json.files[1].filename, "foo_bar-1.0.tar.gz");
  EXPECT_EQ(json.files[1].requires_python, ">=3.8,<4");
  EXPECT_EQ(json.files[2].requires_python, "");
  EXPECT_NE(page(simple, "foo-bar", "index.html").find("data-requires-python=\"&gt;=3.8,&lt;4\""), std::string::npos);
  EXPECT_NE(test::read_file(simple / "index.html").find("href=\"idna/\""), std::string::npos);
}

TEST_F(WriteMirror, SecondRunReadsAndWritesNothing) {
  mirror();
  const fs::path simple = dir_ / "simple";
  const auto before = mtime_of(simple / "foo-bar" / "index.html");
  MirrorResult again = mirror();
  EXPECT_EQ(again.read, 0u);
  EXPECT_TRUE(again.written.empty());
  EXPECT_FALSE(again.root_written);
  EXPECT_EQ(again.files, 5u);
  EXPECT_EQ(mtime_of(simple / "foo-bar" / "index.html"), before);
}

TEST_F(WriteMirror, AddedFileRewritesOnlyItsProjectAndTheRoot) {
  mirror();
  const fs::path simple = dir_ / "simple";
  const auto foo_before = mtime_of(simple / "foo-bar" / "index.json");
  add("late-");
  MirrorResult r = mirror();
  EXPECT_EQ(r.read, 1u);
  EXPECT_EQ(r.written, std::vector<std::string>{"late"});
  EXPECT_TRUE(r.root_written);
  EXPECT_EQ(mtime_of(simple / "foo-bar" / "index.json"), foo_before);
  EXPECT_NE(test::read_file(simple / "index.json").find("\"late\""), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "late-0.1-py3-none-any.whl.metadata"));
}

TEST_F(WriteMirror, VanishedFilesLeaveThePagesWithTheirMetadata) {
  mirror();
  fs::remove(dir_ / "idna-3.4-py3-none-any.whl");
  fs::remove(dir_ / "foo_bar-1.0.tar.gz");
  MirrorResult r = mirror();
  EXPECT_EQ(r.read, 0u);
  EXPECT_EQ(r.written, std::vector<std::string>{"foo-bar"});
  EXPECT_EQ(r.removed, std::vector<std::string>{"idna"});
  EXPECT_TRUE(r.root_written);
  const fs::path simple = dir_ / "simple";
  EXPECT_FALSE(fs::exists(simple / "idna"));
  EXPECT_FALSE(fs::exists(dir_ / "idna-3.4-py3-none-any.whl.metadata"));
  EXPECT_EQ(test::read_file(simple / "index.json").find("idna"), std::string::npos);
  EXPECT_EQ(page(simple, "foo-bar").find("foo_bar-1.0.tar.gz"), std::string::npos);
  EXPECT_NE(page(simple, "foo-bar").find("foo_bar-1.0-py3-none-any.whl"), std::string::npos);
}

TEST_F(WriteMirror, UnchangedSizeAndTimeMeanTheFileIsNotReadAgain) {
  mirror();
  // Same size, same modification time, other bytes: only reading the file could tell.
  const fs::path wheel = dir_ / "idna-3.4-py3-none-any.whl";
  struct stat st {};
  ASSERT_EQ(::stat(wheel.c_str(), &st), 0);
  const std::string old_hash = sha256_file_hex(wheel);
  test::write_file(wheel, std::string(static_cast<std::size_t>(st.st_size), 'x'));
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, wheel.c_str(), times, 0), 0);
  MirrorResult r = mirror();
  EXPECT_EQ(r.read, 0u);
  EXPECT_NE(page(dir_ / "simple", "idna").find(old_hash), std::string::npos);
  // A new modification time makes it read: now it is a corrupt wheel.
  const struct timespec later[2] = {st.st_atim, {st.st_mtim.tv_sec + 10, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, wheel.c_str(), later, 0), 0);
  r = mirror();
  EXPECT_EQ(r.read, 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("idna-3.4-py3-none-any.whl"), std::string::npos) << r.warnings[0];
  EXPECT_EQ(r.removed, std::vector<std::string>{"idna"});
  EXPECT_FALSE(fs::exists(dir_ / "idna-3.4-py3-none-any.whl.metadata"));
}

TEST_F(WriteMirror, AMissingMetadataFileIsWrittenAgain) {
  mirror();
  const fs::path sidecar = dir_ / "idna-3.4-py3-none-any.whl.metadata";
  const std::string text = test::read_file(sidecar);
  fs::remove(sidecar);
  MirrorResult r = mirror();
  EXPECT_EQ(r.read, 0u);
  EXPECT_TRUE(r.written.empty());
  EXPECT_EQ(test::read_file(sidecar), text);
}

TEST_F(WriteMirror, FilesThatAreNotDistributionsAreLeftOutWithAWarning) {
  test::write_file(dir_ / "README.txt", "hello");
  test::write_file(dir_ / "broken-1.0-py3-none-any.whl", "not a zip at all");
  test::write_file(dir_ / "not_a_wheel.whl", "x");
  test::write_file(dir_ / "noversion.tar.gz", "x");
  test::write_file(dir_ / ".hidden", "x");
  // A wheel whose METADATA names another project: pip would refuse it.
  fs::copy_file(dir_ / "idna-3.4-py3-none-any.whl", dir_ / "other-3.4-py3-none-any.whl");
  MirrorResult r = mirror();
  EXPECT_EQ(r.files, 5u);
  EXPECT_EQ(r.projects, 2u);
  ASSERT_EQ(r.warnings.size(), 5u) << ::testing::PrintToString(r.warnings);
  for (const char* name : {"README.txt", "broken-1.0-py3-none-any.whl", "noversion.tar.gz", "not_a_wheel.whl",
                           "other-3.4-py3-none-any.whl"}) {
    const bool named = std::any_of(r.warnings.begin(), r.warnings.end(), [&](const std::string& w) {
      return w.find(name) != std::string::npos && w.find("left out") != std::string::npos;
    });
    EXPECT_TRUE(named) << name << " in " << ::testing::PrintToString(r.warnings);
  }
  EXPECT_FALSE(fs::exists(dir_ / "simple" / "other"));
  EXPECT_FALSE(fs::exists(dir_ / "simple" / "broken"));
}

TEST_F(WriteMirror, OutputElsewhereLinksFilesIntoOutFiles) {
  const fs::path out = tmp_.path() / "out";
  MirrorResult r = mirror({dir_, out, ""});
  EXPECT_EQ(r.files_dir, fs::weakly_canonical(out) / "files");
  EXPECT_EQ(r.copied, 0u);  // one file system: hard links
  EXPECT_FALSE(fs::exists(dir_ / "simple"));
  for (const auto& e : fs::directory_iterator(dir_)) EXPECT_TRUE(is_distribution(e.path())) << e.path();
  const fs::path wheel = out / "files" / "idna-3.4-py3-none-any.whl";
  EXPECT_TRUE(fs::equivalent(wheel, dir_ / "idna-3.4-py3-none-any.whl"));
  EXPECT_TRUE(fs::exists(wheel.string() + ".metadata"));
  EXPECT_NE(page(out / "simple", "idna").find("\"url\":\"../../files/idna-3.4-py3-none-any.whl\""), std::string::npos);

  // A file that leaves DIR leaves OUT/files too.
  fs::remove(dir_ / "idna-3.4-py3-none-any.whl");
  mirror({dir_, out, ""});
  EXPECT_FALSE(fs::exists(wheel));
  EXPECT_FALSE(fs::exists(wheel.string() + ".metadata"));
}

TEST_F(WriteMirror, DirInsideOutIsLinkedWhereItIs) {
  const fs::path out = tmp_.path();
  mirror({dir_, out, ""});
  EXPECT_FALSE(fs::exists(out / "files"));
  EXPECT_NE(page(out / "simple", "idna").find("\"url\":\"../../wheels/idna-3.4-py3-none-any.whl\""), std::string::npos);
}

TEST_F(WriteMirror, BaseUrlMakesAbsoluteLinks) {
  mirror({dir_, {}, "https://files.example/pub/"});
  const std::string json = page(dir_ / "simple", "idna");
  EXPECT_NE(json.find("\"url\":\"https://files.example/pub/idna-3.4-py3-none-any.whl\""), std::string::npos) << json;
  const std::string html = page(dir_ / "simple", "idna", "index.html");
  EXPECT_NE(html.find("href=\"https://files.example/pub/idna-3.4-py3-none-any.whl#sha256="), std::string::npos);
}

TEST_F(WriteMirror, BadArgumentsAreIndexErrors) {
  EXPECT_THROW(mirror({tmp_.path() / "missing", {}, ""}), IndexError);
  EXPECT_THROW(mirror({dir_, {}, "files.example/pub"}), IndexError);
  EXPECT_THROW(mirror({dir_ / "simple" / "x", dir_, ""}), IndexError);
  fs::create_directories(dir_ / "simple" / "x");
  EXPECT_THROW(mirror({dir_ / "simple" / "x", dir_, ""}), IndexError);
}

}  // namespace
}  // namespace thoth
