// Marker evaluation against a MarkerEnv, with the outcomes of packaging 25.0's Marker.evaluate
// (every row of kCases was checked against /usr/bin/python3's packaging with the same environment).
#include <gtest/gtest.h>

#include <string>

#include "thoth/pep508.hpp"

using namespace thoth;

namespace {

// CPython 3.11.2 on Linux x86_64.
MarkerEnv linux_env() {
  MarkerEnv env;
  env.set(MarkerVar::PythonVersion, "3.11");
  env.set(MarkerVar::PythonFullVersion, "3.11.2");
  env.set(MarkerVar::OsName, "posix");
  env.set(MarkerVar::SysPlatform, "linux");
  env.set(MarkerVar::PlatformRelease, "6.1.0-9-amd64");
  env.set(MarkerVar::PlatformSystem, "Linux");
  env.set(MarkerVar::PlatformVersion, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.27-1 (2023-05-08)");
  env.set(MarkerVar::PlatformMachine, "x86_64");
  env.set(MarkerVar::PlatformPythonImplementation, "CPython");
  env.set(MarkerVar::ImplementationName, "cpython");
  env.set(MarkerVar::ImplementationVersion, "3.11.2");
  return env;
}

enum class Out { False, True, Throws };

struct Case {
  const char* marker;
  const char* extra;
  Out expected;
};

// clang-format off
constexpr Case kCases[] = {
    // Version comparisons: `op + value` is a PEP 440 specifier.
    {"python_version >= '3.8'", "", Out::True},
    {"python_version < '3.8'", "", Out::False},
    {"python_version <= '3.11'", "", Out::True},
    {"python_version > '3.11'", "", Out::False},
    {"python_version == '3.11'", "", Out::True},
    {"python_version != '3.11'", "", Out::False},
    {"python_version == '3.11.0'", "", Out::True},
    {"python_version == '03.11'", "", Out::True},
    {"python_version == 'v3.11'", "", Out::True},
    {"python_version == 'V3.11'", "", Out::True},
    {"python_version >= '3.08'", "", Out::True},
    {"python_version ~= '3.8'", "", Out::True},
    {"python_version ~= '3.11'", "", Out::True},
    {"python_full_version ~= '3.11.0'", "", Out::True},
    {"python_version == '3.*'", "", Out::True},
    {"python_version == '3.1.*'", "", Out::False},
    {"python_version != '3.11.*'", "", Out::False},
    {"python_version === '3.11'", "", Out::True},
    {"python_full_version === '3.11.2'", "", Out::True},
    {"python_full_version < '3.8.10'", "", Out::False},
    {"python_full_version >= '3.11.2'", "", Out::True},
    {"python_version > '3.11.dev0'", "", Out::True},
    {"python_version >= '1!0'", "", Out::False},
    {"python_version == '3.11+local'", "", Out::False},
    {"python_version >= '3.8 '", "", Out::True},
    {"python_version >= ' 3.8'", "", Out::True},
    {"python_version < '=3.8'", "", Out::False},   // "<=3.8" is the specifier
    {"python_version == '=3.11'", "", Out::True},  // "===3.11"
    {"implementation_version >= '3.11'", "", Out::True},
    // The environment value on the right: `op + environment value` decides.
    {"'3.1' < python_version", "", Out::True},
    {"'3.12' > python_version", "", Out::True},
    {"'3.11.0' == python_version", "", Out::True},
    {"'3.11' === python_version", "", Out::True},
    {"'3' ~= python_version", "", Out::False},  // "~=3.11" does not contain 3
    // String comparisons (Python str ordering).
    {"os_name == 'posix'", "", Out::True},
    {"os_name != 'posix'", "", Out::False},
    {"os_name < 'posix'", "", Out::False},
    {"os_name <= 'posix'", "", Out::True},
    {"os_name > 'nt'", "", Out::True},
    {"os_name >= 'q'", "", Out::False},
    {"sys_platform == 'linux'", "", Out::True},
    {"platform_machine == 'x86_64'", "", Out::True},
    {"platform_system == 'Linux'", "", Out::True},
    {"platform_python_implementation == 'CPython'", "", Out::True},
    {"python_implementation == 'CPython'", "", Out::True},
    {"implementation_name == 'cpython'", "", Out::True},
    {"os.name == 'posix'", "", Out::True},
    {"sys.platform != 'win32'", "", Out::True},
    {"platform.machine == 'x86_64'", "", Out::True},
    {"platform_release == '6.1.0-9-amd64'", "", Out::True},
    {"platform_release != '6.1.0'", "", Out::Throws},  // a version comparison on a non-version
    {"platform_release >= '5.0'", "", Out::Throws},
    {"os_name == '2'", "", Out::Throws},
    {"os_name === 'posix'", "", Out::Throws},
    {"os_name ~= 'posix'", "", Out::Throws},  // ~= has no string meaning
    {"os_name ~= '1.0'", "", Out::Throws},
    {"'os_name' == os_name", "", Out::False},
    // in / not in are substring tests.
    {"os_name in 'posix'", "", Out::True},
    {"os_name not in 'posix'", "", Out::False},
    {"'os' in os_name", "", Out::True},
    {"'os' not in os_name", "", Out::False},
    {"'SMP' in platform_version", "", Out::True},
    {"platform_version in '#1 SMP'", "", Out::False},
    {"python_version in '3.11'", "", Out::True},
    {"'3.1' not in python_version", "", Out::False},
    {"'' in os_name", "", Out::True},
    // `and` binds tighter than `or`; every comparison is evaluated.
    {"os_name == 'nt' and python_version < '3' or sys_platform == 'linux'", "", Out::True},
    {"sys_platform == 'linux' or os_name == 'nt' and python_version < '3'", "", Out::True},
    {"os_name == 'nt' and (python_version < '3' or sys_platform == 'linux')", "", Out::False},
    {"(os_name == 'nt' or os_name == 'posix') and python_version >= '3.6'", "", Out::True},
    {"python_version >= '2.7' and python_version < '3.0' or python_version >= '3.6'", "", Out::True},
    {"os_name == 'a' and ((os_name == 'b' or os_name == 'posix'))", "", Out::False},
    {"python_version > '3.1' or 'x' == 'y'", "", Out::Throws},
    {"os_name == 'posix' or os_name ~= 'x'", "", Out::Throws},
    // Two literals: the right one names an environment entry.
    {"'3.8' == 'python_version'", "", Out::False},
    {"'3.11' == 'python_version'", "", Out::True},
    {"'posix' == 'os_name'", "", Out::True},
    {"'a' == 'b'", "", Out::Throws},
    {"'x' == 'os.name'", "", Out::Throws},
    // Two variables: the right one stands for its own name.
    {"python_version == python_full_version", "", Out::False},
    {"os_name == os_name", "", Out::False},
    // `extra`: both sides normalised (PEP 685).
    {"extra == 'test'", "test", Out::True},
    {"extra == 'test'", "", Out::False},
    {"extra == 'Test'", "TEST", Out::True},
    {"extra == 'test_x'", "Test.X", Out::True},
    {"extra == 'te.st'", "te-st", Out::True},
    {"extra != 'test'", "test", Out::False},
    {"'Foo' == extra", "foo", Out::True},
    {"python_version > '3' and extra == 'Foo_Bar'", "foo-bar", Out::True},
    {"extra in 'test'", "es", Out::True},
    {"'a' in extra", "abc", Out::True},
    {"extra < 'z'", "test", Out::True},
    {"extra == '1.0'", "1_0", Out::True},     // "==1-0" is a specifier: 1.post0
    {"extra == '1.0'", "1.0.post0", Out::Throws},  // "1-0-post0" is no version
    {"extra == '1.0'", "test", Out::Throws},  // ... and "test" is not a version
    {"extra ~= 'x'", "x", Out::Throws},
    {"extra === '1.0'", "1.0", Out::False},   // "1-0" normalises to 1.post0
    {"'x' == 'extra'", "X", Out::True},
    {"extra == python_version", "python_version", Out::True},
    {"os_name == extra", "os-name", Out::True},
    {"os_name == 'x' and os_name == extra", "os-name", Out::False},
    {"extra == extra", "Extra", Out::True},
};
// clang-format on

std::string describe(Out o) { return o == Out::True ? "True" : o == Out::False ? "False" : "an error"; }

}  // namespace

TEST(MarkerEval, MatchesPackaging) {
  MarkerEnv env = linux_env();
  int checked = 0;
  for (const Case& c : kCases) {
    Marker m = Marker::parse(c.marker);
    Out got;
    try {
      got = m.evaluate(env, c.extra) ? Out::True : Out::False;
    } catch (const RequirementError&) {
      got = Out::Throws;
    }
    EXPECT_EQ(got, c.expected) << c.marker << " with extra=\"" << c.extra << "\" gave " << describe(got)
                               << ", expected " << describe(c.expected);
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(MarkerEval, PreReleasesAreAdmitted) {
  MarkerEnv env = linux_env();
  env.set(MarkerVar::PythonVersion, "3.12a1");
  env.set(MarkerVar::PythonFullVersion, "3.12.0rc1");
  EXPECT_TRUE(Marker::parse("python_version > '3.11'").evaluate(env));
  EXPECT_FALSE(Marker::parse("python_version < '3.12'").evaluate(env));
  EXPECT_TRUE(Marker::parse("python_version == '3.*'").evaluate(env));
  EXPECT_TRUE(Marker::parse("python_full_version >= '3.12.0rc1'").evaluate(env));
  EXPECT_FALSE(Marker::parse("python_full_version >= '3.12.0'").evaluate(env));
}

TEST(MarkerEval, EnvironmentIsAPlainValue) {
  Marker m = Marker::parse("sys_platform == 'win32' and python_version < '3.9'");
  MarkerEnv win;
  win.set(MarkerVar::SysPlatform, "win32");
  win.set(MarkerVar::PythonVersion, "3.8");
  EXPECT_TRUE(m.evaluate(win));
  win.set(MarkerVar::PythonVersion, "3.10");
  EXPECT_FALSE(m.evaluate(win));
  EXPECT_FALSE(m.evaluate(linux_env()));
  // An empty environment value is not a version: a version comparison on it fails.
  EXPECT_THROW(Marker::parse("python_version >= '3'").evaluate(MarkerEnv{}), RequirementError);
}

TEST(MarkerEval, ErrorMessagesNameTheComparison) {
  MarkerEnv env = linux_env();
  try {
    Marker::parse("os_name ~= 'posix'").evaluate(env);
    FAIL();
  } catch (const RequirementError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot evaluate marker 'os_name ~= \"posix\"': the operator ~= is undefined between the "
                 "strings \"posix\" and \"posix\"");
  }
  try {
    Marker::parse("platform_release >= '5.0'").evaluate(env);
    FAIL();
  } catch (const RequirementError& e) {
    EXPECT_NE(std::string(e.what()).find("\"6.1.0-9-amd64\" is not a valid version"), std::string::npos) << e.what();
  }
  try {
    Marker::parse("'a' == 'b'").evaluate(env);
    FAIL();
  } catch (const RequirementError& e) {
    EXPECT_NE(std::string(e.what()).find("\"b\" is not the name of a marker variable"), std::string::npos) << e.what();
  }
}

TEST(MarkerEval, CopiesShareTheParsedTree) {
  Marker a = Marker::parse("python_version >= '3.8'");
  Marker b = a;
  EXPECT_EQ(&a.root(), &b.root());
  EXPECT_TRUE(b.evaluate(linux_env()));
}

// PEP 751 lock files (packaging 25.0's "lock_file" context, #885): `extras` and `dependency_groups`
// are sets of normalised names; `extra` is undefined there, and the sets are undefined elsewhere.
TEST(MarkerEval, ExtrasAndDependencyGroupsInALockFile) {
  const MarkerEnv env = linux_env();
  const LockSelection selection{{"Dev_Tools", "socks"}, {"docs"}};
  auto lock = [&](const char* text) { return Marker::parse(text).evaluate_in_lock(env, selection); };
  EXPECT_TRUE(lock("'dev-tools' in extras"));
  EXPECT_TRUE(lock("'DEV.tools' in extras and 'docs' in dependency_groups"));
  EXPECT_FALSE(lock("'test' in extras"));
  EXPECT_TRUE(lock("'test' not in dependency_groups"));
  EXPECT_FALSE(lock("'socks' == extras"));  // a string is never equal to a set
  EXPECT_TRUE(lock("'socks' != extras"));
  EXPECT_TRUE(lock("'docs' in 'dependency_groups'"));  // two literals: the right one names the variable
  EXPECT_TRUE(lock("python_version >= '3.8' and 'socks' in extras"));
  EXPECT_TRUE(Marker::parse("'x' not in extras").evaluate_in_lock(env, LockSelection{}));
  for (const char* bad : {"extras == 'x'", "extras in 'x'", "'x' < extras", "'x' ~= extras", "extra == 'x'"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(lock(bad), RequirementError);
  }
  try {
    Marker::parse("'dev' in dependency_groups").evaluate(env, "");
    FAIL();
  } catch (const RequirementError& e) {
    EXPECT_NE(std::string(e.what()).find("dependency_groups is only defined in a PEP 751 lock file"),
              std::string::npos) << e.what();
  }
}

// packaging 24.1 and later (#802, #825): an untagged CPython build's python_full_version ends in '+'
// (not a PEP 440 version), and is read as "+local".
TEST(MarkerEval, UntaggedPythonBuildReadsAsLocal) {
  MarkerEnv env = linux_env();
  env.set(MarkerVar::PythonFullVersion, "3.12.0+");
  EXPECT_TRUE(Marker::parse("python_full_version >= '3.12'").evaluate(env));
  EXPECT_TRUE(Marker::parse("python_full_version == '3.12.0+local'").evaluate(env));
  EXPECT_FALSE(Marker::parse("python_full_version < '3.12'").evaluate(env));
  EXPECT_EQ(env.get(MarkerVar::PythonFullVersion), "3.12.0+");  // the environment itself is unchanged
}
