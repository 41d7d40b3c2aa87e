#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "index/dist_files.hpp"
#include "support.hpp"
#include "thoth/index.hpp"

namespace thoth {
namespace {

DistFile file(const std::string& name, const std::string& requires_python = "", bool yanked = false) {
  auto f = idx::make_dist_file(name, "https://h/files/" + name, "");
  if (!f) throw std::runtime_error("not a distribution: " + name);
  f->requires_python = requires_python;
  if (yanked) f->yanked = "";
  return *f;
}

Candidate candidate(const std::string& name, const std::string& version, std::vector<DistFile> files) {
  return Candidate{name, Version::parse(version), std::move(files)};
}

std::vector<std::string> names(const std::vector<const DistFile*>& files) {
  std::vector<std::string> out;
  for (auto* f : files) out.push_back(f->filename);
  return out;
}

TEST(GroupCandidates, NewestFirstOneCandidatePerVersion) {
  std::vector<DistFile> files = {file("foo-1.0.tar.gz"),          file("foo-2.0rc1-py3-none-any.whl"),
                                 file("foo-1.0.0-py3-none-any.whl"), file("bar-3.0.tar.gz"),
                                 file("foo-10.0.tar.gz"),         file("foo-2.0.tar.gz")};
  auto cs = group_candidates("foo", files);
  ASSERT_EQ(cs.size(), 4u);
  EXPECT_EQ(cs[0].version.str(), "10.0");
  EXPECT_EQ(cs[1].version.str(), "2.0");
  EXPECT_EQ(cs[2].version.str(), "2.0rc1");
  EXPECT_EQ(cs[3].version, Version::parse("1.0"));
  ASSERT_EQ(cs[3].files.size(), 2u);  // 1.0 and 1.0.0 are the same version
  EXPECT_EQ(cs[3].files[0].filename, "foo-1.0.tar.gz");
  for (const auto& c : cs) EXPECT_EQ(c.name, "foo");
}

TEST(Candidate, YankedWhenEveryFileIs) {
  EXPECT_FALSE(candidate("foo", "1.0", {}).yanked());
  EXPECT_FALSE(candidate("foo", "1.0", {file("foo-1.0.tar.gz", "", true), file("foo-1.0-py3-none-any.whl")}).yanked());
  EXPECT_TRUE(candidate("foo", "1.0", {file("foo-1.0.tar.gz", "", true), file("foo-1.0-py3-none-any.whl", "", true)})
                  .yanked());
}

TEST(FileVersion, WheelsAndSdists) {
  EXPECT_EQ(file_version(file("Foo_Bar-1.0-py3-none-any.whl"), "foo-bar"), Version::parse("1.0"));
  EXPECT_FALSE(file_version(file("Foo_Bar-1.0-py3-none-any.whl"), "foo"));
  EXPECT_EQ(file_version(file("foo.bar-2.0.tar.gz"), "foo-bar"), Version::parse("2.0"));
  EXPECT_FALSE(file_version(file("foo-bar-2.0.tar.gz"), "foo"));  // version "bar-2.0" is not PEP 440
}

TEST(UsableFiles, TagRankBuildTagThenSdists) {
  Target t = test::linux_target();
  auto c = candidate("foo", "1.0",
                     {file("foo-1.0.tar.gz"), file("foo-1.0-py3-none-any.whl"),
                      file("foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl"),
                      file("foo-1.0-cp311-cp311-win_amd64.whl"), file("foo-1.0-1-py3-none-any.whl"),
                      file("foo-1.0-2b-py3-none-any.whl"), file("foo-1.0-2a-py3-none-any.whl"),
                      file("foo-1.0-cp311-abi3-manylinux_2_28_x86_64.whl"), file("foo-1.0.zip")});
  EXPECT_EQ(names(usable_files(c, t, BinaryPolicy{})),
            (std::vector<std::string>{"foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                                      "foo-1.0-cp311-abi3-manylinux_2_28_x86_64.whl", "foo-1.0-2b-py3-none-any.whl",
                                      "foo-1.0-2a-py3-none-any.whl", "foo-1.0-1-py3-none-any.whl",
                                      "foo-1.0-py3-none-any.whl", "foo-1.0.tar.gz", "foo-1.0.zip"}));
}

TEST(UsableFiles, RequiresPythonUsesTheFullVersionAndIgnoresMalformedValues) {
  auto c = candidate("foo", "1.0",
                     {file("foo-1.0-py3-none-any.whl", ">=3.11.5"), file("foo-1.0.tar.gz", ">=3.11.4"),
                      file("foo-1.0.zip", "not a specifier"), file("foo-1.0.tar.bz2", "<3")});
  EXPECT_EQ(names(usable_files(c, test::linux_target("3.11.4"), BinaryPolicy{})),
            (std::vector<std::string>{"foo-1.0.tar.gz", "foo-1.0.zip"}));
  EXPECT_EQ(names(usable_files(c, test::linux_target("3.11.7"), BinaryPolicy{})),
            (std::vector<std::string>{"foo-1.0-py3-none-any.whl", "foo-1.0.tar.gz", "foo-1.0.zip"}));
}

TEST(UsableFiles, BinaryPolicyAndYankedFilesKept) {
  Target t = test::linux_target();
  auto c = candidate("foo", "1.0", {file("foo-1.0.tar.gz", "", true), file("foo-1.0-py3-none-any.whl", "", true)});
  BinaryPolicy only_binary;
  only_binary.only_binary_all = true;
  EXPECT_EQ(names(usable_files(c, t, only_binary)), (std::vector<std::string>{"foo-1.0-py3-none-any.whl"}));
  BinaryPolicy no_binary;
  no_binary.no_binary = {"foo"};
  EXPECT_EQ(names(usable_files(c, t, no_binary)), (std::vector<std::string>{"foo-1.0.tar.gz"}));
  // Yanked files stay: the resolver decides (PEP 592 allows them for pinned requirements).
  EXPECT_EQ(usable_files(c, t, BinaryPolicy{}).size(), 2u);
  auto incompatible = candidate("foo", "1.0", {file("foo-1.0-cp39-cp39-win32.whl")});
  EXPECT_TRUE(usable_files(incompatible, t, BinaryPolicy{}).empty());
}

// Ranks are remembered per file position between calls (see RankMemo): the answer must follow the
// file's own tags and the target asked about, whatever was ranked at that position before.
TEST(UsableFiles, RanksFollowEachFileAndTargetWhateverCameBefore) {
  Target linux_target = test::linux_target();
  Target windows_target = Target::from_json(R"({"python_version": "3.11.4", "platform": "win_amd64"})");
  auto linux_wheel = candidate("foo", "1.0", {file("foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl")});
  auto windows_wheel = candidate("foo", "1.0", {file("foo-1.0-cp311-cp311-win_amd64.whl")});
  auto both = candidate("foo", "2.0", {file("foo-2.0-cp311-cp311-win_amd64.whl"), file("foo-2.0-py3-none-any.whl"),
                                       file("foo-2.0-cp311-cp311-manylinux_2_17_x86_64.whl")});
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(usable_files(linux_wheel, linux_target, BinaryPolicy{}).size(), 1u);
    EXPECT_TRUE(usable_files(windows_wheel, linux_target, BinaryPolicy{}).empty());
    EXPECT_TRUE(usable_files(linux_wheel, windows_target, BinaryPolicy{}).empty());
    EXPECT_EQ(usable_files(windows_wheel, windows_target, BinaryPolicy{}).size(), 1u);
    EXPECT_EQ(names(usable_files(both, linux_target, BinaryPolicy{})),
              (std::vector<std::string>{"foo-2.0-cp311-cp311-manylinux_2_17_x86_64.whl", "foo-2.0-py3-none-any.whl"}));
    EXPECT_EQ(names(usable_files(both, windows_target, BinaryPolicy{})),
              (std::vector<std::string>{"foo-2.0-cp311-cp311-win_amd64.whl", "foo-2.0-py3-none-any.whl"}));
  }
  // A target built again from the same description is another set with the same answers.
  EXPECT_EQ(usable_files(linux_wheel, test::linux_target(), BinaryPolicy{}).size(), 1u);
}

// FileChooser::best is usable().front() without the list: the same file for every order of the same
// files, build-tag ties and equal tags included, and none when nothing is usable.
TEST(UsableFiles, BestIsTheFirstUsableFileInEveryOrder) {
  Target t = test::linux_target("3.11.4");
  std::vector<DistFile> files = {file("foo-1.0.tar.gz"), file("foo-1.0-py3-none-any.whl"),
                                 file("foo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", ">=3.12"),
                                 file("foo-1.0-cp311-cp311-win_amd64.whl"), file("foo-1.0-1-py3-none-any.whl"),
                                 file("foo-1.0-2b-py3-none-any.whl"), file("foo-1.0-2a-py3-none-any.whl"),
                                 file("foo-1.0-cp311-abi3-manylinux_2_28_x86_64.whl"), file("foo-1.0.zip")};
  std::vector<std::size_t> order(files.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  BinaryPolicy only_binary;
  only_binary.only_binary_all = true;
  BinaryPolicy no_binary;
  no_binary.no_binary_all = true;
  int checked = 0;
  do {
    std::vector<FileTraits> traits;
    std::vector<DistFile> shuffled;
    for (std::size_t i : order) shuffled.push_back(files[i]);
    for (const DistFile& f : shuffled) traits.push_back(FileTraits::of(f));
    for (const BinaryPolicy* policy : {&only_binary, &no_binary}) {
      FileChooser chooser("foo", t, *policy);
      const std::vector<std::uint32_t> usable = chooser.usable(traits);
      const std::optional<std::uint32_t> best = chooser.best(traits);
      ASSERT_EQ(best.has_value(), !usable.empty());
      if (best) {
        EXPECT_EQ(*best, usable.front()) << shuffled[*best].filename;
      }
    }
    ++checked;
  } while (std::next_permutation(order.begin(), order.end()) && checked < 5000);
  // Sdists only, and --only-binary: nothing.
  std::vector<FileTraits> sdists = {FileTraits::of(files[0]), FileTraits::of(files[8])};
  EXPECT_FALSE(FileChooser("foo", t, only_binary).best(sdists));
  EXPECT_EQ(FileChooser("foo", t, BinaryPolicy{}).best(sdists), std::optional<std::uint32_t>(0));
}

TEST(Timestamp, Rfc3339AndDates) {
  EXPECT_EQ(parse_timestamp("1970-01-01"), 0);
  EXPECT_EQ(parse_timestamp("1970-01-02T00:00:00Z"), 86400000);
  EXPECT_EQ(parse_timestamp("2021-01-02T03:04:05.123456Z"), 1609556645123);
  EXPECT_EQ(parse_timestamp("2021-01-02T03:04:05+01:00"), 1609553045000);
  EXPECT_EQ(parse_timestamp("2021-01-02 03:04:05-0030"), 1609558445000);
  EXPECT_EQ(parse_timestamp("2021-01-02T03:04"), 1609556640000);
  EXPECT_EQ(parse_timestamp("2024-02-29"), parse_timestamp("2024-03-01").value() - 86400000);
  EXPECT_FALSE(parse_timestamp("2023-02-29"));
  EXPECT_FALSE(parse_timestamp("2021-13-01"));
  EXPECT_FALSE(parse_timestamp("yesterday"));
  EXPECT_FALSE(parse_timestamp("2021-01-02T25:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2021-01-02T03:04:05Zjunk"));
}

TEST(CandidateReport, TextAndJson) {
  Target t = test::linux_target();
  std::vector<Candidate> cs = {
      candidate("foo", "2.0", {file("foo-2.0-py3-none-any.whl", ">=3.12")}),
      candidate("foo", "1.0", {file("foo-1.0.tar.gz", "", true), file("foo-1.0-py3-none-any.whl", "", true)})};
  cs[1].files[0].yanked = "broken";
  cs[1].files[1].hashes["sha256"] = "abc";
  auto report = report_candidates(cs, t, BinaryPolicy{});
  ASSERT_EQ(report.size(), 2u);
  EXPECT_TRUE(report[0].usable.empty());
  EXPECT_EQ(report[0].requires_python, (std::vector<std::string>{">=3.12"}));
  EXPECT_TRUE(report[1].yanked);
  EXPECT_EQ(report[1].yank_reason, "broken");
}

}  // namespace
}  // namespace thoth
