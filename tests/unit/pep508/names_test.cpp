// PEP 503 name normalisation, PEP 508 name validity, PEP 685 extras and marker variable names.
#include <gtest/gtest.h>

#include "thoth/pep508.hpp"

using namespace thoth;

TEST(Names, NormalizeLowersAndCollapsesSeparators) {
  EXPECT_EQ(normalize_name("Django"), "django");
  EXPECT_EQ(normalize_name("zope.interface"), "zope-interface");
  EXPECT_EQ(normalize_name("Foo__Bar"), "foo-bar");
  EXPECT_EQ(normalize_name("foo-_.-bar"), "foo-bar");
  EXPECT_EQ(normalize_name("A.B-C_D"), "a-b-c-d");
  EXPECT_EQ(normalize_name("already-normal"), "already-normal");
  EXPECT_EQ(normalize_name("_leading.and.trailing_"), "-leading-and-trailing-");
  EXPECT_EQ(normalize_name(""), "");
}

TEST(Names, NormalizeExtraIsNameNormalisation) {
  EXPECT_EQ(normalize_extra("Test_X"), "test-x");
  EXPECT_EQ(normalize_extra("te.st"), "te-st");
  EXPECT_EQ(normalize_extra("1.0"), "1-0");
}

TEST(Names, ValidNamesPerPep508) {
  EXPECT_TRUE(is_valid_name("a"));
  EXPECT_TRUE(is_valid_name("A"));
  EXPECT_TRUE(is_valid_name("9"));
  EXPECT_TRUE(is_valid_name("requests"));
  EXPECT_TRUE(is_valid_name("zope.interface"));
  EXPECT_TRUE(is_valid_name("Foo_Bar-baz.9"));
  EXPECT_TRUE(is_valid_name("a--b"));
}

TEST(Names, InvalidNamesPerPep508) {
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name("-foo"));
  EXPECT_FALSE(is_valid_name("foo-"));
  EXPECT_FALSE(is_valid_name("foo_"));
  EXPECT_FALSE(is_valid_name(".foo"));
  EXPECT_FALSE(is_valid_name("foo bar"));
  EXPECT_FALSE(is_valid_name("foo+bar"));
  EXPECT_FALSE(is_valid_name("f\xc3\xa9o"));
}

TEST(MarkerVars, CanonicalNamesRoundTrip) {
  for (std::size_t i = 0; i < kMarkerVarCount; ++i) {
    auto v = static_cast<MarkerVar>(i);
    auto back = marker_var_from_name(marker_var_name(v));
    ASSERT_TRUE(back.has_value()) << marker_var_name(v);
    EXPECT_EQ(*back, v);
  }
  EXPECT_EQ(marker_var_name(MarkerVar::PlatformPythonImplementation), "platform_python_implementation");
  EXPECT_EQ(marker_var_name(MarkerVar::Extra), "extra");
}

TEST(MarkerVars, PackagingAliases) {
  EXPECT_EQ(marker_var_from_name("os.name"), MarkerVar::OsName);
  EXPECT_EQ(marker_var_from_name("sys.platform"), MarkerVar::SysPlatform);
  EXPECT_EQ(marker_var_from_name("platform.version"), MarkerVar::PlatformVersion);
  EXPECT_EQ(marker_var_from_name("platform.machine"), MarkerVar::PlatformMachine);
  EXPECT_EQ(marker_var_from_name("platform.python_implementation"), MarkerVar::PlatformPythonImplementation);
  EXPECT_EQ(marker_var_from_name("python_implementation"), MarkerVar::PlatformPythonImplementation);
  // packaging's tokenizer has no dotted form of these two.
  EXPECT_FALSE(marker_var_from_name("platform.release").has_value());
  EXPECT_FALSE(marker_var_from_name("platform.system").has_value());
  EXPECT_FALSE(marker_var_from_name("Python_Version").has_value());
  // PEP 751's set-valued variables (packaging 25.0, #885).
  EXPECT_EQ(marker_var_from_name("extras"), MarkerVar::Extras);
  EXPECT_EQ(marker_var_from_name("dependency_groups"), MarkerVar::DependencyGroups);
  EXPECT_FALSE(marker_var_from_name("dependency-groups").has_value());
}

TEST(MarkerEnv, ValueTypeWithParsedVersions) {
  MarkerEnv a;
  EXPECT_EQ(a.get(MarkerVar::OsName), "");
  EXPECT_FALSE(a.version(MarkerVar::PythonVersion).has_value());
  a.set(MarkerVar::PythonVersion, "3.11");
  a.set(MarkerVar::OsName, "posix");
  EXPECT_EQ(a.get(MarkerVar::PythonVersion), "3.11");
  ASSERT_TRUE(a.version(MarkerVar::PythonVersion).has_value());
  EXPECT_EQ(a.version(MarkerVar::PythonVersion)->str(), "3.11");
  EXPECT_FALSE(a.version(MarkerVar::OsName).has_value());
  MarkerEnv b = a;
  EXPECT_EQ(a, b);
  b.set(MarkerVar::OsName, "nt");
  EXPECT_NE(a, b);
}
