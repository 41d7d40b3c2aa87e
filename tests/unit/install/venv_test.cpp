// Real interpreters and real wheels: a virtual environment made by Debian's python3 -m venv, the
// wheels of python3-pip-whl, python3-setuptools-whl and python3-wheel-whl, and pip as the reference.
// One venv serves the whole suite (each test leaves it as it found it); pip runs twice.
#include <gtest/gtest.h>

#include <cstdlib>

#include "thoth/process.hpp"
#include "unit/install/wheel_builder.hpp"

extern char** environ;

namespace thoth {
namespace {

using namespace install_test;

const std::filesystem::path kWheels = "/usr/share/python-wheels";

std::filesystem::path real_wheel(std::string_view prefix) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kWheels, ec))
    if (entry.path().filename().string().starts_with(prefix)) return entry.path();
  return {};
}

ProcessResult run(const std::vector<std::string>& argv) { return run_process(argv, 300); }

class Venv : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // pip must not read the developer's configuration, and imports must not leave bytecode behind.
    std::vector<std::string> pip_vars;
    for (char** e = environ; *e; ++e)
      if (std::string_view(*e).starts_with("PIP_")) pip_vars.emplace_back(std::string_view(*e).substr(0, std::string_view(*e).find('=')));
    for (const std::string& v : pip_vars) ::unsetenv(v.c_str());
    ::setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    if (!std::filesystem::exists("/usr/bin/python3") || real_wheel("wheel-").empty()) return;
    dir_ = new TempDir("venv");
    cache_ = new TempDir("cache");
    ProcessResult made = run({"/usr/bin/python3", "-m", "venv", "--without-pip", (dir_->path / "v").string()});
    if (!made.ok()) return;
    env_ = new InstallEnvironment(InstallEnvironment::probe((dir_->path / "v" / "bin" / "python").string()));
  }
  static void TearDownTestSuite() {
    delete env_;
    delete cache_;
    delete dir_;
    env_ = nullptr;
  }
  void SetUp() override {
    if (!env_) GTEST_SKIP() << "needs /usr/bin/python3 with venv and the wheels in " << kWheels;
    options_.cache_dir = cache_->path;
    before_ = snapshot(venv());
  }
  void TearDown() override {
    if (env_) {
      EXPECT_EQ(snapshot(venv()), before_) << "the test must leave the venv as it found it";
    }
  }

  static std::filesystem::path venv() { return dir_->path / "v"; }
  static ProcessResult pip(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/python3", "-m", "pip", "--python", (venv() / "bin" / "python").string(),
                               "--disable-pip-version-check", "--no-input"});
    return run(args);
  }
  std::map<std::string, std::string> record_of(const std::string& dist_info) const {
    std::map<std::string, std::string> rows;
    for (const RecordEntry& e : parse_record(read_text(env_->scheme.purelib / dist_info / "RECORD"), "RECORD"))
      rows[e.path] = e.hash + "," + (e.size ? std::to_string(*e.size) : "");
    return rows;
  }

  static TempDir* dir_;
  static TempDir* cache_;
  static InstallEnvironment* env_;
  InstallOptions options_;
  std::map<std::string, std::string> before_;
};

TempDir* Venv::dir_ = nullptr;
TempDir* Venv::cache_ = nullptr;
InstallEnvironment* Venv::env_ = nullptr;

TEST_F(Venv, ProbeReadsTheVenvScheme) {
  EXPECT_TRUE(env_->in_venv);
  EXPECT_EQ(env_->executable, (venv() / "bin" / "python").string());
  EXPECT_EQ(env_->scheme.scripts, venv() / "bin");
  EXPECT_EQ(env_->scheme.purelib, venv() / "lib" / ("python" + env_->version) / "site-packages");
  EXPECT_EQ(env_->scheme.headers, venv() / "include" / "site" / ("python" + env_->version));
  EXPECT_FALSE(env_->externally_managed());
  EXPECT_EQ(env_->removal_root, venv());
}

// pip installs a real wheel; thoth uninstalls it; thoth installs it; the tree and RECORD are pip's;
// the console script runs; pip uninstalls what thoth installed.
TEST_F(Venv, SameTreeAndRecordAsPipBothWaysRound) {
  const std::filesystem::path wheel = real_wheel("wheel-");
  ProcessResult installed = pip({"install", "--no-deps", "--no-index", wheel.string()});
  ASSERT_TRUE(installed.ok()) << installed.err;
  const std::string dist_info = "wheel-0.38.4.dist-info";
  ASSERT_TRUE(std::filesystem::exists(env_->scheme.purelib / dist_info)) << "expected wheel 0.38.4 in " << kWheels;
  auto pip_tree = snapshot(venv());
  auto pip_record = record_of(dist_info);

  InstallReport removed = uninstall(*env_, {"wheel"}, options_);
  ASSERT_EQ(removed.removed.size(), 1u);
  EXPECT_EQ(removed.removed[0].installer, "pip");
  EXPECT_EQ(snapshot(venv()), before_);

  WheelToInstall input = wheel_input(wheel);
  input.requested = true;
  input.direct_url = DirectUrl{"file://" + wheel.string(), DirectUrl::Kind::Archive, "", false};
  options_.compile = true;
  InstallReport report = install_wheels(*env_, {input}, options_);
  EXPECT_GT(report.compiled_files, 10u);
  auto thoth_tree = snapshot(venv());
  auto thoth_record = record_of(dist_info);
  // The same files with the same content and modes, but for INSTALLER ("thoth" instead of "pip"),
  // the RECORD that lists it and the bytecode (it records the sources' timestamps).
  for (auto* tree : {&pip_tree, &thoth_tree})
    for (auto& [path, what] : *tree)
      if (path.ends_with(".pyc") || path.ends_with("/INSTALLER") || path.ends_with("/RECORD")) what = what.substr(0, what.rfind(' '));
  EXPECT_EQ(thoth_tree, pip_tree);
  EXPECT_EQ(thoth_record.erase(dist_info + "/INSTALLER"), 1u);
  EXPECT_EQ(pip_record.erase(dist_info + "/INSTALLER"), 1u);
  EXPECT_EQ(thoth_record, pip_record);

  ProcessResult version = run({(venv() / "bin" / "wheel").string(), "version"});
  EXPECT_TRUE(version.ok()) << version.err;
  EXPECT_EQ(version.out, "wheel 0.38.4\n");

  ProcessResult removed_by_pip = pip({"uninstall", "-y", "wheel"});
  EXPECT_TRUE(removed_by_pip.ok()) << removed_by_pip.err;
}

// Debian's own pip, setuptools and wheel wheels installed together; pip's versioned launchers work.
TEST_F(Venv, RealWheelsInstallTogetherAndRun) {
  std::vector<WheelToInstall> wheels;
  for (const char* prefix : {"pip-", "setuptools-", "wheel-"}) wheels.push_back(wheel_input(real_wheel(prefix)));
  InstallReport report = install_wheels(*env_, wheels, options_);
  ASSERT_EQ(report.installed.size(), 3u);
  EXPECT_EQ(report.installed[0].name, "pip");
  for (const std::string& script : std::vector<std::string>{"pip", "pip3", "pip" + env_->version}) {
    ProcessResult version = run({(venv() / "bin" / script).string(), "--version"});
    EXPECT_TRUE(version.ok()) << script << ": " << version.err;
    EXPECT_TRUE(version.out.starts_with("pip ")) << version.out;
  }
  ProcessResult imported = run({(venv() / "bin" / "python").string(), "-c", "import setuptools, wheel, pip"});
  EXPECT_TRUE(imported.ok()) << imported.err;
  InstalledSet installed = scan_installed(*env_);
  EXPECT_EQ(installed.distributions.size(), 3u);
  uninstall(*env_, {"pip", "setuptools", "wheel"}, options_);
}

// An upgrade of a real installation that fails on its last wheel leaves the venv byte for byte as
// it was (TearDown compares every file and its hash).
TEST_F(Venv, FailedUpgradeLeavesTheVenvAsItWas) {
  install_wheels(*env_, {wheel_input(real_wheel("setuptools-"))}, options_);
  auto installed = snapshot(venv());
  TempDir copies{"corrupt"};
  std::filesystem::path corrupt = copies.path / real_wheel("wheel-").filename();
  std::string bytes = read_text(real_wheel("wheel-"));
  bytes[bytes.size() / 2] ^= 0x20;
  write_text(corrupt, bytes);
  WheelToInstall bad = wheel_input(corrupt, false);
  EXPECT_THROW(install_wheels(*env_, {wheel_input(real_wheel("setuptools-")), wheel_input(real_wheel("pip-")), bad}, options_),
               InstallError);
  EXPECT_EQ(snapshot(venv()), installed);
  // Failing late, with the old setuptools moved aside and hundreds of new files placed.
  int placed = 0;
  options_.before_place = [&placed](const std::filesystem::path& p) {
    if (++placed == 300) throw InstallError("cannot write " + p.string() + ": No space left on device");
  };
  EXPECT_THROW(install_wheels(*env_, {wheel_input(real_wheel("setuptools-")), wheel_input(real_wheel("pip-"))}, options_),
               InstallError);
  EXPECT_GE(placed, 300);
  EXPECT_EQ(snapshot(venv()), installed);
  options_.before_place = nullptr;
  uninstall(*env_, {"setuptools"}, options_);
}

}  // namespace
}  // namespace thoth
