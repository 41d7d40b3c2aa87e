// The install scheme read from an interpreter's answer, --target, and PEP 668.
#include <gtest/gtest.h>

#include "unit/install/wheel_builder.hpp"

namespace thoth {
namespace {

using namespace install_test;

std::string probe_answer(const std::string& prefix, const std::string& base_prefix, const std::string& stdlib) {
  std::vector<std::string> values{"thoth-install-probe", prefix + "/bin/python", "3.11", "cpython-311", prefix, base_prefix,
                                  prefix + "/lib/python3.11/site-packages", prefix + "/lib/python3.11/site-packages",
                                  prefix + "/bin", prefix, prefix + "/include/site/python3.11", stdlib};
  std::string out = "noise printed by a .pth file\n";
  for (const std::string& v : values) out += v + '\0';
  return out;
}

TEST(Environment, ReadsTheProbesAnswer) {
  InstallEnvironment env = InstallEnvironment::from_probe_output(probe_answer("/v", "/usr", "/usr/lib/python3.11"), "py");
  EXPECT_EQ(env.executable, "/v/bin/python");
  EXPECT_EQ(env.version, "3.11");
  EXPECT_EQ(env.cache_tag, "cpython-311");
  EXPECT_TRUE(env.in_venv);
  EXPECT_EQ(env.removal_root, "/v");
  EXPECT_EQ(env.scheme.purelib, "/v/lib/python3.11/site-packages");
  EXPECT_EQ(env.scheme.scripts, "/v/bin");
  EXPECT_EQ(env.scheme.headers, "/v/include/site/python3.11");
  EXPECT_THROW(InstallEnvironment::from_probe_output("Python 2.7\n", "py"), InstallError);
}

TEST(Environment, Pep668MarkerOutsideAVirtualEnvironment) {
  TempDir stdlib{"stdlib"};
  write_text(stdlib.path / "EXTERNALLY-MANAGED", "[externally-managed]\nError=Use apt\n install python3-xyz.\n");
  InstallEnvironment system = InstallEnvironment::from_probe_output(probe_answer("/usr", "/usr", stdlib.path.string()), "py");
  ASSERT_TRUE(system.externally_managed());
  EXPECT_EQ(system.externally_managed_message, "Use apt\ninstall python3-xyz.");
  try {
    check_not_externally_managed(system);
    FAIL();
  } catch (const InstallError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("externally managed"), std::string::npos) << what;
    EXPECT_NE(what.find("Use apt install python3-xyz."), std::string::npos) << what;
    EXPECT_NE(what.find("--break-system-packages"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  // The marker does not apply inside a virtual environment, nor to --target.
  InstallEnvironment venv = InstallEnvironment::from_probe_output(probe_answer("/v", "/usr", stdlib.path.string()), "py");
  EXPECT_FALSE(venv.externally_managed());
  EXPECT_NO_THROW(check_not_externally_managed(venv));
  EXPECT_FALSE(system.for_target_directory("/t").externally_managed());
  // Without an Error key, pip's default message.
  write_text(stdlib.path / "EXTERNALLY-MANAGED", "[externally-managed]\n");
  system = InstallEnvironment::from_probe_output(probe_answer("/usr", "/usr", stdlib.path.string()), "py");
  EXPECT_NE(system.externally_managed_message.find("The Python environment under /usr is managed externally"), std::string::npos);
}

TEST(Environment, ProbeOfAMissingInterpreterFails) {
  try {
    InstallEnvironment::probe("/nonexistent/python3");
    FAIL();
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/python3"), std::string::npos);
  }
}

TEST(Environment, DebiansSystemPythonIsExternallyManaged) {
  std::error_code ec;
  if (!std::filesystem::exists("/usr/bin/python3", ec)) GTEST_SKIP() << "no /usr/bin/python3";
  InstallEnvironment env = InstallEnvironment::probe("/usr/bin/python3");
  EXPECT_FALSE(env.in_venv);
  EXPECT_EQ(env.removal_root, "/");
  bool marker = false;
  for (const auto& dir : std::filesystem::directory_iterator("/usr/lib", ec))
    marker = marker || std::filesystem::exists(dir.path() / "EXTERNALLY-MANAGED", ec);
  if (!marker) GTEST_SKIP() << "this Python carries no EXTERNALLY-MANAGED marker";
  EXPECT_TRUE(env.externally_managed());
  EXPECT_THROW(check_not_externally_managed(env), InstallError);
}

}  // namespace
}  // namespace thoth
