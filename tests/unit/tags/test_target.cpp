// Target documents, pip-style options and best-wheel selection.
#include <gtest/gtest.h>

#include "expected_data.hpp"
#include "thoth/target.hpp"

namespace thoth {
namespace {

using test::tag_strings;
using Strings = std::vector<std::string>;

std::string marker(const Target& t, MarkerVar v) { return t.markers.get(v); }

void expect_json_error(std::string_view json, std::string_view fragment) {
  try {
    Target::from_json(json);
    ADD_FAILURE() << "accepted " << json;
  } catch (const TagError& e) {
    EXPECT_NE(std::string(e.what()).find(std::string(fragment)), std::string::npos) << e.what();
  }
}

TEST(TargetJson, MinimalLinuxDerivesMarkers) {
  Target t = Target::from_json(R"({"python_version": "3.10", "platform": "manylinux_2_28_x86_64"})");
  EXPECT_EQ(t.implementation, "cp");
  EXPECT_EQ(t.python_version, Version::parse("3.10"));
  EXPECT_EQ(t.abis, (Strings{"cp310"}));
  EXPECT_EQ(marker(t, MarkerVar::PythonVersion), "3.10");
  EXPECT_EQ(marker(t, MarkerVar::PythonFullVersion), "3.10.0");
  EXPECT_EQ(marker(t, MarkerVar::OsName), "posix");
  EXPECT_EQ(marker(t, MarkerVar::SysPlatform), "linux");
  EXPECT_EQ(marker(t, MarkerVar::PlatformSystem), "Linux");
  EXPECT_EQ(marker(t, MarkerVar::PlatformMachine), "x86_64");
  EXPECT_EQ(marker(t, MarkerVar::ImplementationName), "cpython");
  EXPECT_EQ(marker(t, MarkerVar::PlatformPythonImplementation), "CPython");
  EXPECT_EQ(marker(t, MarkerVar::ImplementationVersion), "3.10.0");
  EXPECT_EQ(marker(t, MarkerVar::PlatformRelease), "");
  EXPECT_EQ(t.tags.tags().front().str(), "cp310-cp310-manylinux_2_28_x86_64");
  EXPECT_EQ(t.tags.tags().back().str(), "py30-none-any");
}

TEST(TargetJson, WindowsMacAndOverrides) {
  Target w = Target::from_json(R"({"python_version": "3.12.1", "platform": "win_amd64"})");
  EXPECT_EQ(marker(w, MarkerVar::OsName), "nt");
  EXPECT_EQ(marker(w, MarkerVar::SysPlatform), "win32");
  EXPECT_EQ(marker(w, MarkerVar::PlatformSystem), "Windows");
  EXPECT_EQ(marker(w, MarkerVar::PlatformMachine), "AMD64");
  EXPECT_EQ(marker(w, MarkerVar::PythonFullVersion), "3.12.1");
  EXPECT_EQ(marker(w, MarkerVar::PythonVersion), "3.12");
  EXPECT_EQ(w.python_version, Version::parse("3.12"));

  EXPECT_EQ(marker(Target::from_json(R"({"python_version": "3.11", "platform": "win32"})"), MarkerVar::PlatformMachine),
            "x86");
  Target m = Target::from_json(R"({"python_version": "3.11", "platform": "macosx_14_0_arm64"})");
  EXPECT_EQ(marker(m, MarkerVar::SysPlatform), "darwin");
  EXPECT_EQ(marker(m, MarkerVar::PlatformSystem), "Darwin");
  EXPECT_EQ(marker(m, MarkerVar::PlatformMachine), "arm64");

  Target o = Target::from_json(R"({"python_version": "3.11", "platform": "linux_aarch64",
      "markers": {"platform_release": "6.1.0", "python_full_version": "3.11.7", "platform_machine": "arm64"}})");
  EXPECT_EQ(marker(o, MarkerVar::PlatformRelease), "6.1.0");
  EXPECT_EQ(marker(o, MarkerVar::PythonFullVersion), "3.11.7");
  EXPECT_EQ(marker(o, MarkerVar::ImplementationVersion), "3.11.7");  // follows the overridden full version
  EXPECT_EQ(marker(o, MarkerVar::PlatformMachine), "arm64");
  EXPECT_EQ(o.platforms, (Strings{"linux_aarch64"}));
}

TEST(TargetJson, ExplicitListsAreUsedAsGiven) {
  Target t = Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_17_x86_64",
      "platforms": ["manylinux_2_17_x86_64", "linux_x86_64"], "abis": ["cp311d", "cp311"]})");
  EXPECT_EQ(t.platforms, (Strings{"manylinux_2_17_x86_64", "linux_x86_64"}));
  EXPECT_EQ(t.abis, (Strings{"cp311d", "cp311"}));
  EXPECT_EQ(tag_strings(t.tags)[0], "cp311-cp311d-manylinux_2_17_x86_64");
  EXPECT_EQ(tag_strings(t.tags)[2], "cp311-cp311-manylinux_2_17_x86_64");
  // Without "platform", markers come from the first of "platforms".
  Target u = Target::from_json(R"({"python_version": "3.9", "platforms": ["win_arm64"]})");
  EXPECT_EQ(marker(u, MarkerVar::PlatformMachine), "ARM64");
}

TEST(TargetJson, Errors) {
  expect_json_error(R"({"platform": "win_amd64"})", "\"python_version\" is missing");
  expect_json_error(R"({"python_version": "3.11"})", "\"platform\" (or \"platforms\") is missing");
  expect_json_error(R"({"python_version": "three", "platform": "win_amd64"})", "\"three\"");
  expect_json_error(R"({"python_version": 3.11, "platform": "win_amd64"})", "must be a string");
  expect_json_error(R"({"python_version": "3.11", "platform": "win-amd64"})", "invalid tag part \"win-amd64\"");
  expect_json_error(R"({"python_version": "3.11", "platforms": []})", "\"platforms\" is empty");
  expect_json_error(R"({"python_version": "3.11", "platform": "win_amd64", "plattform": 1})", "unknown key \"plattform\"");
  expect_json_error(R"({"python_version": "3.11", "platform": "win_amd64", "markers": {"extra": "x"}})",
                    "unknown variable \"extra\"");
  expect_json_error(R"({"python_version": "3.11", "platform": "win_amd64", "markers": {"os_name": 1}})",
                    "must be a string");
  expect_json_error(R"({"python_version": "3.11", "platform": "freebsd_13_0_amd64"})",
                    "cannot tell os_name from platform \"freebsd_13_0_amd64\"");
  expect_json_error(R"({"python_version": "3.11", "platform": "macosx_11_0_universal2"})", "platform_machine");
  expect_json_error(R"({"python_version": "3.11", )", "offset");
  expect_json_error("[]", "expected a JSON object");
  // Issue 19 defect 1: a deeply nested document is an error, not a stack overflow.
  expect_json_error(std::string(150'000, '[') + std::string(150'000, ']'), "JSON nested deeper than 64 levels");
  // Everything that cannot be derived may be given.
  Target t = Target::from_json(R"({"python_version": "3.11", "platform": "freebsd_13_0_amd64", "markers":
      {"os_name": "posix", "sys_platform": "freebsd13", "platform_system": "FreeBSD", "platform_machine": "amd64"}})");
  EXPECT_EQ(marker(t, MarkerVar::SysPlatform), "freebsd13");
  EXPECT_EQ(t.platforms, (Strings{"freebsd_13_0_amd64"}));
}

TEST(TargetJson, RoundTrip) {
  for (const char* doc : {
           R"({"python_version": "3.10", "platform": "manylinux_2_28_x86_64"})",
           R"({"python_version": "3.7", "platform": "macosx_10_9_x86_64", "markers": {"platform_release": "19.6.0"}})",
           R"({"python_version": "3.9", "implementation": "pp", "abis": ["pypy39_pp73"], "platform": "win_amd64"})",
           R"({"python_version": "3.11", "implementation": "graalpy", "abis": [], "platform": "linux_x86_64"})",
       }) {
    Target t = Target::from_json(doc);
    std::string json = t.to_json();
    Target back = Target::from_json(json);
    EXPECT_EQ(back, t) << json;
    EXPECT_EQ(back.to_json(), json);
  }
}

TEST(TargetJson, DocumentShape) {
  Target t = Target::from_json(R"({"python_version": "3.11", "platform": "win_amd64"})");
  std::string json = t.to_json();
  std::size_t impl = json.find("\"implementation\": \"cp\"");
  std::size_t version = json.find("\"python_version\": \"3.11\"");
  std::size_t markers = json.find("\"markers\": {");
  std::size_t abis = json.find("\"abis\": [");
  std::size_t platforms = json.find("\"platforms\": [");
  std::size_t tags = json.find("\"tags\": [");
  ASSERT_NE(tags, std::string::npos) << json;
  EXPECT_LT(impl, version);
  EXPECT_LT(version, markers);
  EXPECT_LT(markers, abis);
  EXPECT_LT(abis, platforms);
  EXPECT_LT(platforms, tags);
  EXPECT_LT(json.find("\"implementation_name\""), json.find("\"sys_platform\""));
  EXPECT_EQ(json.find("\"extra\""), std::string::npos);
  EXPECT_NE(json.find("\"cp311-cp311-win_amd64\""), std::string::npos);
  EXPECT_EQ(json.back(), '\n');
  // "tags" is output only: a stale list is recomputed, not trusted.
  Target again = Target::from_json(R"({"python_version": "3.11", "platform": "win_amd64", "tags": ["x-y-z"]})");
  EXPECT_EQ(again, t);
}

Target base_311() {
  return Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_36_x86_64",
      "markers": {"python_full_version": "3.11.2", "platform_release": "6.1.0", "platform_version": "#1 SMP"}})");
}

TEST(TargetOptionsTest, NothingSetIsTheBase) {
  TargetOptions o;
  o.base = base_311();
  EXPECT_EQ(Target::from_options(o), *o.base);
  EXPECT_THROW(Target::from_options(TargetOptions{}), TagError);
}

TEST(TargetOptionsTest, PythonVersionSpellings) {
  for (const char* spelling : {"3.8", "38"}) {
    TargetOptions o;
    o.base = base_311();
    o.python_version = spelling;
    Target t = Target::from_options(o);
    EXPECT_EQ(t.python_version, Version::parse("3.8")) << spelling;
    EXPECT_EQ(t.abis, (Strings{"cp38"}));
    EXPECT_EQ(marker(t, MarkerVar::PythonVersion), "3.8");
    EXPECT_EQ(marker(t, MarkerVar::PythonFullVersion), "3.8.0");
    EXPECT_EQ(marker(t, MarkerVar::ImplementationVersion), "3.8.0");
    EXPECT_EQ(t.platforms, o.base->platforms);
  }
  TargetOptions full;
  full.base = base_311();
  full.python_version = "3.11.4";
  Target t = Target::from_options(full);
  EXPECT_EQ(marker(t, MarkerVar::PythonFullVersion), "3.11.4");
  EXPECT_EQ(t.tags, full.base->tags);

  TargetOptions same;
  same.base = base_311();
  same.python_version = "3.11";
  EXPECT_EQ(marker(Target::from_options(same), MarkerVar::PythonFullVersion), "3.11.2");  // base's micro kept

  TargetOptions major;
  major.base = base_311();
  major.python_version = "3";
  Target m = Target::from_options(major);
  EXPECT_TRUE(m.abis.empty());  // packaging: no abi for a major-only version
  EXPECT_EQ(tag_strings(m.tags).front(), "cp3-none-manylinux_2_36_x86_64");
  EXPECT_EQ(tag_strings(m.tags).back(), "py3-none-any");

  for (const char* bad : {"", "3.x", "3.11.4.1", "abc"}) {
    TargetOptions o;
    o.base = base_311();
    o.python_version = bad;
    EXPECT_THROW(Target::from_options(o), TagError) << bad;
  }
}

TEST(TargetOptionsTest, AbiFlagsComeFromTheBase) {
  TargetOptions o;
  o.base = Target::from_json(R"({"python_version": "3.11", "abis": ["cp311d", "cp311"], "platform": "linux_x86_64"})");
  o.python_version = "3.7";
  EXPECT_EQ(Target::from_options(o).abis, (Strings{"cp37dm"}));
  o.abis = {"abi3", "none"};
  Target explicit_abis = Target::from_options(o);
  EXPECT_EQ(explicit_abis.abis, (Strings{"abi3", "none"}));
  EXPECT_EQ(tag_strings(explicit_abis.tags)[0], "cp37-abi3-linux_x86_64");
}

TEST(TargetOptionsTest, PlatformAndImplementation) {
  TargetOptions o;
  o.base = base_311();
  o.platforms = {"win_amd64"};
  o.implementation = "pp";
  o.abis = {"pypy311_pp73"};
  Target t = Target::from_options(o);
  EXPECT_EQ(t.platforms, (Strings{"win_amd64"}));
  EXPECT_EQ(marker(t, MarkerVar::SysPlatform), "win32");
  EXPECT_EQ(marker(t, MarkerVar::PlatformRelease), "");  // a different system: unknown
  EXPECT_EQ(marker(t, MarkerVar::ImplementationName), "pypy");
  EXPECT_EQ(marker(t, MarkerVar::PlatformPythonImplementation), "PyPy");
  EXPECT_EQ(tag_strings(t.tags)[0], "pp311-pypy311_pp73-win_amd64");
  EXPECT_NE(std::find(t.tags.tags().begin(), t.tags.tags().end(), Tag{"pp3", "none", "any"}), t.tags.tags().end());

  TargetOptions same_system;
  same_system.base = base_311();
  same_system.platforms = {"manylinux2014_x86_64"};
  Target s = Target::from_options(same_system);
  EXPECT_EQ(s.platforms, (Strings{"manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"}));
  EXPECT_EQ(marker(s, MarkerVar::PlatformRelease), "6.1.0");

  TargetOptions unknown;
  unknown.base = base_311();
  unknown.platforms = {"any"};
  EXPECT_EQ(marker(Target::from_options(unknown), MarkerVar::SysPlatform), "linux");  // base kept
  unknown.platforms = {"bad-platform"};
  EXPECT_THROW(Target::from_options(unknown), TagError);
}

TEST(BestRank, PicksTheMostSpecificCompatibleWheel) {
  Target t = Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_28_x86_64"})");
  auto rank = [&](std::string_view file) { return t.tags.best_rank(WheelName::parse(file)); };

  auto specific = rank("numpy-1.26.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  auto abi3 = rank("cryptography-41.0.0-cp37-abi3-manylinux_2_28_x86_64.whl");
  auto abi3_same = rank("foo-1.0-cp311-abi3-manylinux_2_28_x86_64.whl");
  auto pure = rank("six-1.16.0-py2.py3-none-any.whl");
  auto pure3 = rank("six-1.16.0-py3-none-any.whl");
  ASSERT_TRUE(specific && abi3 && abi3_same && pure && pure3);
  EXPECT_EQ(*specific, *t.tags.rank({"cp311", "cp311", "manylinux_2_17_x86_64"}));
  EXPECT_LT(*t.tags.rank({"cp311", "cp311", "manylinux_2_17_x86_64"}), *t.tags.rank({"cp311", "cp311", "manylinux2014_x86_64"}));
  EXPECT_LT(*specific, *abi3_same);
  EXPECT_LT(*abi3_same, *abi3);
  EXPECT_LT(*abi3, *pure);
  EXPECT_EQ(*pure, *pure3);

  EXPECT_FALSE(rank("foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl").has_value());
  EXPECT_FALSE(rank("foo-1.0-cp311-cp311-manylinux_2_31_x86_64.whl").has_value());  // glibc too new
  EXPECT_FALSE(rank("foo-1.0-cp311-cp311-win_amd64.whl").has_value());
  EXPECT_FALSE(rank("foo-1.0-py2-none-any.whl").has_value());
  EXPECT_FALSE(rank("foo-1.0-cp311-cp311-linux_x86_64.whl").has_value());  // not implied by manylinux

  // The selection itself: the wheel with the smallest rank wins.
  std::vector<std::string> files = {"pkg-1.0-py3-none-any.whl", "pkg-1.0-cp311-abi3-manylinux2014_x86_64.whl",
                                    "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
                                    "pkg-1.0-cp311-cp311-win_amd64.whl"};
  std::optional<std::size_t> best;
  std::string chosen;
  for (const std::string& f : files) {
    auto r = rank(f);
    if (r && (!best || *r < *best)) {
      best = r;
      chosen = f;
    }
  }
  EXPECT_EQ(chosen, "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");
}

TEST(BestRank, DuplicateTagsKeepTheirFirstPosition) {
  TagSet s({{"a", "b", "c"}, {"x", "y", "z"}, {"a", "b", "c"}});
  EXPECT_EQ(s.rank({"a", "b", "c"}), 0u);
  EXPECT_EQ(s.rank({"x", "y", "z"}), 1u);
  EXPECT_FALSE(s.rank({"a", "b", "z"}).has_value());
  EXPECT_EQ(s.tags().size(), 3u);
}

}  // namespace
}  // namespace thoth
