// Tag order and platform lists against lists computed by python3-packaging (data/expected.json).
#include <gtest/gtest.h>

#include "expected_data.hpp"
#include "tags/interpreter_facts.hpp"
#include "thoth/target.hpp"

namespace thoth {
namespace {

using test::expected_case;
using test::expected_data;
using test::strings;
using test::tag_strings;
using Strings = std::vector<std::string>;

void expect_case(const Target& t, const char* name) {
  test::ExpectedCase want = expected_case(name);
  EXPECT_EQ(t.platforms, want.platforms) << name;
  EXPECT_EQ(t.abis, want.abis) << name;
  EXPECT_EQ(tag_strings(t.tags), want.tags) << name;
}

// ---- generators with explicit arguments -------------------------------------------------------

TEST(TagOrder, CpythonAbisFromBuildFlags) {
  for (const auto& c : expected_data()["cpython_abis"].GetArray()) {
    std::vector<std::uint64_t> version;
    for (const auto& n : c["version"].GetArray()) version.push_back(n.GetUint64());
    // The facts path turns config vars into flags exactly as packaging does.
    probe_detail::InterpreterFacts f;
    f.implementation_name = "cpython";
    f.version = version;
    f.system = "Windows";
    f.sysconfig_platform = "win-amd64";
    auto var = [](const rapidjson::Value& v) {
      probe_detail::ConfigVar out;
      if (v.IsInt()) {
        out.kind = probe_detail::ConfigVar::Kind::Int;
        out.number = v.GetInt();
      }
      return out;
    };
    f.py_debug = var(c["Py_DEBUG"]);
    f.with_pymalloc = var(c["WITH_PYMALLOC"]);
    f.unicode_size = var(c["Py_UNICODE_SIZE"]);
    Target t = probe_detail::target_from_facts(f, "test");
    EXPECT_EQ(t.abis, strings(c["abis"])) << "version " << version[0] << "." << version[1];
  }
}

TEST(TagOrder, MacPlatforms) {
  for (const auto& c : expected_data()["mac_platforms"].GetArray()) {
    int major = c["version"][0].GetInt(), minor = c["version"][1].GetInt();
    std::string arch = c["arch"].GetString();
    EXPECT_EQ(mac_platforms(major, minor, arch), strings(c["platforms"])) << major << "." << minor << " " << arch;
  }
}

TEST(TagOrder, ManylinuxPlatforms) {
  for (const auto& c : expected_data()["manylinux_platforms"].GetArray()) {
    std::string arch = c["arch"].GetString();
    int major = c["glibc"][0].GetInt(), minor = c["glibc"][1].GetInt();
    EXPECT_EQ(manylinux_platforms(arch, major, minor), strings(c["platforms"])) << arch << " " << major << "." << minor;
  }
}

TEST(TagOrder, ExpandPlatformAsPip) {
  for (const auto& c : expected_data()["expand_platform"].GetArray()) {
    std::string p = c["platform"].GetString();
    EXPECT_EQ(expand_platform(p), strings(c["platforms"])) << p;
  }
}

TEST(TagOrder, ExpandPep600AndPep656Ladders) {
  // Beyond pip: a manylinux_X_Y / musllinux_X_Y platform stands for the system packaging describes.
  test::ExpectedCase m = expected_case("json:cp310-manylinux_2_28_x86_64");
  EXPECT_EQ(expand_platform("manylinux_2_28_x86_64"), m.platforms);
  EXPECT_EQ(expand_platform("musllinux_1_2_aarch64"),
            (Strings{"musllinux_1_2_aarch64", "musllinux_1_1_aarch64", "musllinux_1_0_aarch64"}));
  // Below the oldest manylinux baseline nothing is implied, but the platform itself stays.
  EXPECT_EQ(expand_platform("manylinux_2_3_x86_64"), (Strings{"manylinux_2_3_x86_64"}));
  EXPECT_EQ(expand_platform("manylinux_2_5_x86_64"), (Strings{"manylinux_2_5_x86_64", "manylinux1_x86_64"}));
  EXPECT_EQ(expand_platforms({"manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"}),
            (Strings{"manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"}));
}

// A ladder is one platform per version step: an absurd version would list millions (60 s and 8 GB
// for manylinux_2_999999), so it is refused, naming the platform.
TEST(TagOrder, AbsurdPlatformVersionsAreRefused) {
  for (const char* p : {"manylinux_2_999999_x86_64", "manylinux_999999_0_x86_64", "musllinux_1_99999_x86_64",
                        "macosx_10_99999_x86_64", "macosx_99999_0_arm64"}) {
    try {
      expand_platform(p);
      ADD_FAILURE() << p << " was expanded";
    } catch (const TagError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind(std::string("platform \"") + p + "\": ", 0), 0u) << msg;
      EXPECT_NE(msg.find("beyond any real system"), std::string::npos) << msg;
    }
  }
  EXPECT_THROW(manylinux_platforms("x86_64", 2, 1000), TagError);
  EXPECT_THROW(mac_platforms(100, 0, "arm64"), TagError);
  // The bound itself is far above real systems and expands quickly to a bounded list.
  EXPECT_EQ(expand_platform("manylinux_2_999_x86_64").size(), 999u - 4u + 3u);
  EXPECT_LT(expand_platform("macosx_99_0_arm64").size(), 200u);
  EXPECT_EQ(expand_platform("manylinux_2_40_x86_64").front(), "manylinux_2_40_x86_64");
}

TEST(TagOrder, CompatibleTagsLadder) {
  std::vector<std::uint64_t> v{3, 2};
  EXPECT_EQ(tag_strings(compatible_tags(v, "cp32", {"linux_x86_64"})),
            (Strings{"py32-none-linux_x86_64", "py3-none-linux_x86_64", "py31-none-linux_x86_64",
                     "py30-none-linux_x86_64", "cp32-none-any", "py32-none-any", "py3-none-any", "py31-none-any",
                     "py30-none-any"}));
  std::vector<std::uint64_t> major_only{3};
  EXPECT_EQ(tag_strings(cpython_tags(major_only, {}, {"any"})), (Strings{"cp3-none-any"}));
  EXPECT_EQ(tag_strings(cpython_tags(v, {"none", "cp32", "abi3"}, {"p"})),
            (Strings{"cp32-cp32-p", "cp32-abi3-p", "cp32-none-p"}));
  EXPECT_EQ(tag_strings(generic_tags("ip27", {"x"}, {"p"})), (Strings{"ip27-x-p", "ip27-none-p"}));
}

// ---- hand-written targets -----------------------------------------------------------------------

TEST(TagOrder, HandWrittenTargets) {
  expect_case(Target::from_json(R"({"python_version": "3.10", "platform": "manylinux_2_28_x86_64"})"),
              "json:cp310-manylinux_2_28_x86_64");
  expect_case(Target::from_json(R"({"python_version": "3.12", "platform": "macosx_11_0_arm64"})"),
              "json:cp312-macosx_11_0_arm64");
  expect_case(Target::from_json(R"({"python_version": "3.8.10", "platform": "macosx_10_9_x86_64"})"),
              "json:cp38-macosx_10_9_x86_64");
  expect_case(Target::from_json(R"({"python_version": "3.11", "platform": "win_amd64"})"), "json:cp311-win_amd64");
  expect_case(Target::from_json(R"({"python_version": "3.11", "platform": "musllinux_1_2_aarch64"})"),
              "json:cp311-musllinux_1_2_aarch64");
  expect_case(Target::from_json(R"({"python_version": "3.9", "implementation": "pp", "abis": ["pypy39_pp73"],
                                    "platform": "manylinux2014_x86_64",
                                    "markers": {"implementation_version": "7.3.11"}})"),
              "json:pp39-manylinux2014_x86_64");
  expect_case(Target::from_json(R"({"python_version": "2.7", "platform": "linux_x86_64"})"), "json:cp27-linux_x86_64");
}

// ---- pip-style options ------------------------------------------------------------------------

Target linux_base() {
  return Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_36_x86_64",
                               "markers": {"python_full_version": "3.11.2", "platform_release": "6.1"}})");
}

TEST(TagOrder, PipStyleOptions) {
  TargetOptions o;
  o.base = linux_base();
  o.python_version = "37";
  o.platforms = {"manylinux2014_x86_64"};
  expect_case(Target::from_options(o), "options:cp37-manylinux2014_x86_64");

  TargetOptions mixed;
  mixed.base = linux_base();
  mixed.python_version = "3.9";
  mixed.platforms = {"macosx_10_15_x86_64", "manylinux2010_x86_64", "macosx_10_14_x86_64"};
  expect_case(Target::from_options(mixed), "options:cp39-mixed");
}

// ---- probed interpreters, simulated ---------------------------------------------------------

probe_detail::InterpreterFacts linux_facts(std::vector<std::uint64_t> version) {
  probe_detail::InterpreterFacts f;
  f.executable = "/usr/bin/python3";
  f.implementation_name = "cpython";
  f.version = std::move(version);
  f.py_debug = {probe_detail::ConfigVar::Kind::Int, 0, ""};
  f.with_pymalloc = {probe_detail::ConfigVar::Kind::Int, 1, ""};
  f.ext_suffix = {probe_detail::ConfigVar::Kind::String, 0, ".cpython-311-x86_64-linux-gnu.so"};
  f.sysconfig_platform = "linux-x86_64";
  f.system = "Linux";
  f.glibc_version = "2.36";
  f.elf = probe_detail::ElfFacts{2, 1, 62, 0, "/lib64/ld-linux-x86-64.so.2"};
  return f;
}

TEST(TagOrder, ProbedGlibcLinux) {
  expect_case(probe_detail::target_from_facts(linux_facts({3, 11}), "t"), "facts:cp311-glibc236-x86_64");
}

TEST(TagOrder, ProbedMuslLinux) {
  probe_detail::InterpreterFacts f = linux_facts({3, 12});
  f.glibc_version.reset();
  f.elf->interpreter = "/lib/ld-musl-x86_64.so.1";
  f.musl_loader_output = "musl libc (x86_64)\nVersion 1.3.0\nDynamic Program Loader\nUsage: ...\n";
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp312-musl13-x86_64");
}

TEST(TagOrder, Probed32BitInterpreterOn64BitKernel) {
  probe_detail::InterpreterFacts f = linux_facts({3, 9});
  f.is_32bit = true;
  f.glibc_version = "2.31";
  f.elf = probe_detail::ElfFacts{1, 1, 3, 0, "/lib/ld-linux.so.2"};
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp39-32bit-on-x86_64");
  // A 64-bit executable claiming to be 32-bit has no compatible manylinux ABI.
  f.elf = probe_detail::ElfFacts{2, 1, 62, 0, ""};
  EXPECT_EQ(probe_detail::target_from_facts(f, "t").platforms, (Strings{"linux_i686"}));
}

TEST(TagOrder, ProbedArm) {
  probe_detail::InterpreterFacts f = linux_facts({3, 10});
  f.sysconfig_platform = "linux-aarch64";
  f.is_32bit = true;
  f.glibc_version = "2.31-0ubuntu9";  // distribution junk after major.minor is ignored
  f.elf = probe_detail::ElfFacts{1, 1, 40, 0x05000400, "/lib/ld-linux-armhf.so.3"};
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp310-armv7l-hardfloat");
  f.elf->flags = 0x05000000;  // soft float
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp310-armv7l-softfloat");
}

TEST(TagOrder, ProbedManylinuxModuleVeto) {
  probe_detail::InterpreterFacts f = linux_facts({3, 11});
  f.glibc_version = "2.18";
  probe_detail::ManylinuxModule m;
  m.manylinux2014 = false;  // only consulted without manylinux_compatible()
  f.manylinux_module = m;
  Target t = probe_detail::target_from_facts(f, "t");
  EXPECT_EQ(t.platforms.size(), 16u);  // 2_18..2_5, manylinux2010, manylinux1, linux
  EXPECT_EQ(std::count(t.platforms.begin(), t.platforms.end(), "manylinux_2_17_x86_64"), 0);
  EXPECT_EQ(std::count(t.platforms.begin(), t.platforms.end(), "manylinux2014_x86_64"), 0);

  m.compatible.emplace();
  (*m.compatible)[{2, 18}] = false;
  (*m.compatible)[{2, 17}] = std::nullopt;  // None: no opinion, compatible
  f.manylinux_module = m;
  t = probe_detail::target_from_facts(f, "t");
  EXPECT_EQ(t.platforms[0], "manylinux_2_17_x86_64");
  EXPECT_EQ(t.platforms[1], "manylinux2014_x86_64");
}

TEST(TagOrder, ProbedMac) {
  probe_detail::InterpreterFacts f;
  f.implementation_name = "cpython";
  f.version = {3, 11};
  f.system = "Darwin";
  f.sysconfig_platform = "macosx-11.0-arm64";
  f.mac_version = "13.4.1";
  f.mac_machine = "arm64";
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp311-macos13-arm64");

  f.version = {3, 7};
  f.mac_version = "10.15.7";
  f.mac_machine = "x86_64";
  f.is_32bit = true;
  f.with_pymalloc = {probe_detail::ConfigVar::Kind::Int, 1, ""};
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp37-macos1015-32bit");
}

TEST(TagOrder, ProbedWindows) {
  probe_detail::InterpreterFacts f;
  f.implementation_name = "cpython";
  f.version = {3, 11};
  f.system = "Windows";
  f.sysconfig_platform = "win-amd64";
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:cp311-windows");
  // Windows does not set Py_DEBUG; a debug build shows in its extension suffixes.
  f.has_debug_pyd_suffix = true;
  EXPECT_EQ(probe_detail::target_from_facts(f, "t").abis, (Strings{"cp311d", "cp311"}));
}

TEST(TagOrder, ProbedPyPyAndOthersUseGenericTags) {
  probe_detail::InterpreterFacts f = linux_facts({3, 9});
  f.implementation_name = "pypy";
  f.ext_suffix.text = ".pypy39-pp73-x86_64-linux-gnu.so";
  expect_case(probe_detail::target_from_facts(f, "t"), "facts:pypy39-linux");

  probe_detail::InterpreterFacts g;
  g.implementation_name = "graalpy";
  g.version = {3, 10};
  g.system = "Darwin";
  g.mac_version = "12.1";
  g.mac_machine = "x86_64";
  g.ext_suffix = {probe_detail::ConfigVar::Kind::String, 0, ".graalpy-38-native-x86_64-darwin.dylib"};
  expect_case(probe_detail::target_from_facts(g, "t"), "facts:graalpy-macos");

  g.ext_suffix = {probe_detail::ConfigVar::Kind::None, 0, ""};
  EXPECT_THROW(probe_detail::target_from_facts(g, "t"), TagError);
}

TEST(TagOrder, MuslAndGlibcVersionStrings) {
  using probe_detail::parse_glibc_version;
  using probe_detail::parse_musl_version;
  EXPECT_EQ(parse_musl_version("musl libc (x86_64)\nVersion 1.2.2\nDynamic Program Loader"), (std::pair{1, 2}));
  EXPECT_EQ(parse_musl_version("\n  musl libc (aarch64)\n\n  Version 1.1.24\n"), (std::pair{1, 1}));
  EXPECT_FALSE(parse_musl_version("glibc\nVersion 1.2").has_value());
  EXPECT_FALSE(parse_musl_version("musl libc").has_value());
  EXPECT_FALSE(parse_musl_version("musl libc\nversion 1.2").has_value());
  EXPECT_EQ(parse_glibc_version("2.17"), (std::pair{2, 17}));
  EXPECT_EQ(parse_glibc_version("2.20-2014.11"), (std::pair{2, 20}));
  EXPECT_EQ(parse_glibc_version("2"), (std::pair{-1, -1}));
  EXPECT_EQ(parse_glibc_version("x2.3"), (std::pair{-1, -1}));
}

}  // namespace
}  // namespace thoth
