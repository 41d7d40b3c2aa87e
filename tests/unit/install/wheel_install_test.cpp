// Installing small wheels built by the tests into environments laid out in temporary directories.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "install/unpack.hpp"
#include "unit/install/wheel_builder.hpp"

namespace thoth {
namespace {

using namespace install_test;

class WheelInstall : public FakeEnvironmentTest {
 protected:
  std::filesystem::path site() const { return env.scheme.purelib; }
};

WheelSpec demo_spec() {
  WheelSpec spec;
  spec.files = {{"demo/__init__.py", "X = 1\n"},
                {"demo/cli.py", "def main():\n    return 0\n"},
                {"demo-1.0.data/scripts/tool", "#!python\nprint('tool')\n", 0100644},
                {"demo-1.0.data/scripts/shell", "#!/bin/sh\necho hi\n", 0100755},
                {"demo-1.0.data/data/share/demo/readme.txt", "data\n"},
                {"demo-1.0.data/headers/demo.h", "int x;\n"},
                {"demo-1.0.data/platlib/demo_ext.so", "\x7f" "ELF"},
                {"demo-1.0.data/purelib/demo_extra.py", "Y = 2\n"}};
  spec.entry_points = "[console_scripts]\ndemo = demo.cli:main\n[gui_scripts]\ndemo-gui = demo.cli:main\n";
  return spec;
}

TEST_F(WheelInstall, SpreadsDataDirectoriesIntoTheScheme) {
  WheelToInstall wheel = wheel_input(write_wheel(wheels.path, demo_spec()));
  wheel.requested = true;
  InstallReport report = install_wheels(env, {wheel}, options);
  ASSERT_EQ(report.installed.size(), 1u);
  EXPECT_EQ(report.installed[0].name, "demo");
  EXPECT_EQ(report.installed[0].version, "1.0");
  EXPECT_EQ(read_text(site() / "demo" / "__init__.py"), "X = 1\n");
  EXPECT_EQ(read_text(site() / "demo_extra.py"), "Y = 2\n");
  EXPECT_TRUE(std::filesystem::exists(env.scheme.platlib / "demo_ext.so"));
  EXPECT_EQ(read_text(root.path / "share" / "demo" / "readme.txt"), "data\n");
  EXPECT_EQ(read_text(env.scheme.headers / "demo" / "demo.h"), "int x;\n");
  // "#!python" rewritten to the interpreter; other scripts untouched; all executable.
  EXPECT_EQ(read_text(env.scheme.scripts / "tool"), "#!" + env.executable + "\nprint('tool')\n");
  EXPECT_EQ(read_text(env.scheme.scripts / "shell"), "#!/bin/sh\necho hi\n");
  for (const char* script : {"tool", "shell", "demo", "demo-gui"}) {
    struct stat st {};
    ASSERT_EQ(::stat((env.scheme.scripts / script).c_str(), &st), 0) << script;
    EXPECT_EQ(st.st_mode & 0111, 0111u) << script;
  }
  EXPECT_EQ(read_text(env.scheme.scripts / "demo").substr(0, env.executable.size() + 3), "#!" + env.executable + "\n");
  // .dist-info additions.
  std::filesystem::path info = site() / "demo-1.0.dist-info";
  EXPECT_EQ(read_text(info / "INSTALLER"), "thoth\n");
  EXPECT_TRUE(std::filesystem::exists(info / "REQUESTED"));
  EXPECT_FALSE(std::filesystem::exists(info / "direct_url.json"));
  EXPECT_FALSE(std::filesystem::exists(site() / ".thoth-transaction"));
}

TEST_F(WheelInstall, PlatlibRootWhenNotPurelib) {
  WheelSpec spec;
  spec.name = "native";
  spec.purelib = false;
  spec.files = {{"native/__init__.py", ""}};
  install_wheels(env, {wheel_input(write_wheel(wheels.path, spec))}, options);
  EXPECT_TRUE(std::filesystem::exists(env.scheme.platlib / "native" / "__init__.py"));
  EXPECT_TRUE(std::filesystem::exists(env.scheme.platlib / "native-1.0.dist-info" / "RECORD"));
  EXPECT_FALSE(std::filesystem::exists(site() / "native"));
}

TEST_F(WheelInstall, RecordListsEveryFileWithHashAndSize) {
  WheelToInstall wheel = wheel_input(write_wheel(wheels.path, demo_spec()));
  wheel.direct_url = DirectUrl{"file:///w/demo-1.0-py3-none-any.whl", DirectUrl::Kind::Archive, wheel.sha256, false};
  install_wheels(env, {wheel}, options);
  InstalledSet installed = scan_installed(env);
  ASSERT_EQ(installed.distributions.size(), 1u);
  const InstalledDistribution& dist = installed.distributions[0];
  EXPECT_EQ(dist.installer, "thoth");
  EXPECT_FALSE(dist.requested);
  ASSERT_TRUE(dist.direct_url);
  EXPECT_NE(dist.direct_url->find(wheel.sha256), std::string::npos);
  std::set<std::string> paths;
  for (const RecordEntry& e : dist.record) {
    paths.insert(e.path);
    std::filesystem::path file = (site() / e.path).lexically_normal();
    ASSERT_TRUE(std::filesystem::exists(file)) << e.path;
    if (e.path == "demo-1.0.dist-info/RECORD") {
      EXPECT_EQ(e.hash, "");
      continue;
    }
    EXPECT_EQ(e.hash, record_hash(read_text(file))) << e.path;
    EXPECT_EQ(e.size, std::filesystem::file_size(file)) << e.path;
  }
  for (const char* expected : {"../../bin/demo", "../../bin/demo-gui", "../../bin/tool", "../../share/demo/readme.txt",
                               "../../include/site/python3.11/demo/demo.h", "../../lib64/site-packages/demo_ext.so",
                               "demo-1.0.dist-info/INSTALLER", "demo-1.0.dist-info/direct_url.json", "demo/cli.py"})
    EXPECT_TRUE(paths.count(expected)) << expected;
  EXPECT_EQ(paths.size(), dist.record.size());
}

TEST_F(WheelInstall, UpgradeRemovesFilesOfTheOldVersion) {
  WheelSpec old_spec;
  old_spec.files = {{"demo/__init__.py", "old\n"}, {"demo/gone.py", "x\n"}};
  old_spec.entry_points = "[console_scripts]\nold-tool = demo:main\n";
  install_wheels(env, {wheel_input(write_wheel(wheels.path, old_spec))}, options);
  // A stale bytecode file of a removed module goes with it, as pip removes it.
  write_text(site() / "demo" / "__pycache__" / "gone.cpython-311.pyc", "bytecode");
  ASSERT_TRUE(std::filesystem::exists(env.scheme.scripts / "old-tool"));

  WheelSpec new_spec;
  new_spec.version = "2.0";
  new_spec.files = {{"demo/__init__.py", "new\n"}};
  InstallReport report = install_wheels(env, {wheel_input(write_wheel(wheels.path, new_spec))}, options);
  ASSERT_EQ(report.removed.size(), 1u);
  EXPECT_EQ(report.removed[0].version, "1.0");
  EXPECT_EQ(read_text(site() / "demo" / "__init__.py"), "new\n");
  EXPECT_FALSE(std::filesystem::exists(site() / "demo" / "gone.py"));
  EXPECT_FALSE(std::filesystem::exists(site() / "demo" / "__pycache__"));
  EXPECT_FALSE(std::filesystem::exists(env.scheme.scripts / "old-tool"));
  EXPECT_FALSE(std::filesystem::exists(site() / "demo-1.0.dist-info"));
  ASSERT_EQ(scan_installed(env).distributions.size(), 1u);
  EXPECT_EQ(scan_installed(env).distributions[0].version, "2.0");
}

TEST_F(WheelInstall, UpgradeTurnsAModuleIntoAPackage) {
  WheelSpec old_spec;
  old_spec.files = {{"demo/util", "a data file\n"}};
  install_wheels(env, {wheel_input(write_wheel(wheels.path, old_spec))}, options);
  WheelSpec new_spec;
  new_spec.version = "2.0";
  new_spec.files = {{"demo/util/__init__.py", "package\n"}};
  install_wheels(env, {wheel_input(write_wheel(wheels.path, new_spec))}, options);
  EXPECT_EQ(read_text(site() / "demo" / "util" / "__init__.py"), "package\n");
}

TEST_F(WheelInstall, UninstallRemovesEverythingItInstalled) {
  auto before = snapshot(root.path);
  install_wheels(env, {wheel_input(write_wheel(wheels.path, demo_spec()))}, options);
  InstallReport report = uninstall(env, {"DEMO"}, options);
  ASSERT_EQ(report.removed.size(), 1u);
  EXPECT_EQ(snapshot(root.path), before);
  EXPECT_THROW(uninstall(env, {"demo"}, options), InstallError);
}

TEST_F(WheelInstall, ScanReportsBrokenDistInfoAsWarnings) {
  std::filesystem::create_directories(site() / "broken-1.0.dist-info");
  write_text(site() / "norecord-1.0.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: norecord\nVersion: 1.0\n");
  InstalledSet set = scan_installed(env);
  EXPECT_TRUE(set.distributions.empty());
  ASSERT_EQ(set.warnings.size(), 2u);
  EXPECT_NE(set.warnings[0].find("broken-1.0.dist-info"), std::string::npos);
  EXPECT_NE(set.warnings[1].find("no RECORD"), std::string::npos);
}

TEST_F(WheelInstall, WithoutCacheTheWheelIsUnpackedInsideTheEnvironment) {
  options.cache_dir.clear();
  install_wheels(env, {wheel_input(write_wheel(wheels.path, demo_spec()))}, options);
  EXPECT_EQ(read_text(site() / "demo" / "__init__.py"), "X = 1\n");
  EXPECT_FALSE(std::filesystem::exists(site() / ".thoth-transaction"));
  EXPECT_TRUE(std::filesystem::is_empty(cache.path));
}

TEST_F(WheelInstall, TheCacheIsKeyedByTheWheelsHash) {
  WheelToInstall wheel = wheel_input(write_wheel(wheels.path, demo_spec()));
  {
    Transaction t(env, options);
    EXPECT_FALSE(t.cached(wheel.sha256));
    t.add(wheel);
    EXPECT_FALSE(t.commit().installed[0].from_cache);
  }
  EXPECT_TRUE(std::filesystem::exists(install_detail::cache_entry(cache.path, wheel.sha256) / "manifest"));
  uninstall(env, {"demo"}, options);
  // With the hash known and the entry cached, the file is not read again.
  std::filesystem::remove(wheel.file);
  Transaction t(env, options);
  EXPECT_TRUE(t.cached(wheel.sha256));
  t.add(wheel);
  EXPECT_TRUE(t.commit().installed[0].from_cache);
  EXPECT_EQ(read_text(site() / "demo" / "__init__.py"), "X = 1\n");
}

TEST_F(WheelInstall, TargetDirectorySchemeIsPips) {
  InstallEnvironment target = env.for_target_directory(root.path / "target");
  EXPECT_EQ(target.scheme.purelib, root.path / "target");
  EXPECT_EQ(target.scheme.platlib, root.path / "target");
  EXPECT_EQ(target.scheme.scripts, root.path / "target" / "bin");
  EXPECT_EQ(target.removal_root, root.path / "target");
  install_wheels(target, {wheel_input(write_wheel(wheels.path, demo_spec()))}, options);
  EXPECT_TRUE(std::filesystem::exists(root.path / "target" / "demo" / "__init__.py"));
  EXPECT_TRUE(std::filesystem::exists(root.path / "target" / "bin" / "demo"));
  EXPECT_TRUE(std::filesystem::exists(root.path / "target" / "share" / "demo" / "readme.txt"));
}

TEST_F(WheelInstall, AFileInTwoWheelsGoesToTheLastByName) {
  WheelSpec a, b;
  a.name = "alpha";
  b.name = "beta";
  a.files = {{"shared/__init__.py", "from alpha\n"}};
  b.files = {{"shared/__init__.py", "from beta\n"}};
  InstallReport report = install_wheels(env, {wheel_input(write_wheel(wheels.path, b)), wheel_input(write_wheel(wheels.path, a))}, options);
  EXPECT_EQ(read_text(site() / "shared" / "__init__.py"), "from beta\n");
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("in more than one wheel"), std::string::npos);
}

TEST_F(WheelInstall, RecordPathsOutsideTheEnvironmentAreNotRemoved) {
  TempDir outside{"outside"};
  write_text(outside.path / "precious.txt", "keep me");
  install_wheels(env, {wheel_input(write_wheel(wheels.path, demo_spec()))}, options);
  std::filesystem::path record = site() / "demo-1.0.dist-info" / "RECORD";
  std::string escape = std::filesystem::path(outside.path / "precious.txt").lexically_relative(site()).generic_string();
  write_text(record, read_text(record) + escape + ",,\n");
  InstallReport report = uninstall(env, {"demo"}, options);
  EXPECT_EQ(read_text(outside.path / "precious.txt"), "keep me");
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_NE(report.warnings[0].find("outside"), std::string::npos);
}

TEST_F(WheelInstall, RefusesUnknownDataSchemeAndMismatchedNames) {
  WheelSpec unknown = demo_spec();
  unknown.files.push_back({"demo-1.0.data/elsewhere/x", "x"});
  EXPECT_THROW(install_wheels(env, {wheel_input(write_wheel(wheels.path, unknown))}, options), InstallError);
  WheelToInstall renamed = wheel_input(write_wheel(wheels.path, demo_spec()));
  renamed.filename = "other-1.0-py3-none-any.whl";
  try {
    install_wheels(env, {renamed}, options);
    FAIL();
  } catch (const InstallError& e) {
    EXPECT_NE(std::string(e.what()).find("the file name names other"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(scan_installed(env).distributions.empty());
}

}  // namespace
}  // namespace thoth
