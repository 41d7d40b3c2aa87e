// PEP 517/518 builds (thoth/build.hpp): [build-system] with its defaults, the hook runner against
// in-tree backends run by Debian's python3 (standard library only), and the cache of built wheels.
#include <gtest/gtest.h>

#include "thoth/build.hpp"
#include "unit/install/wheel_builder.hpp"

namespace thoth {
namespace {

using namespace install_test;

const std::string kPython = "/usr/bin/python3";

TEST(BuildSystem, NoFileOrNoTableIsTheLegacySetuptoolsDefault) {
  TempDir dir("bs");
  BuildSystem legacy = read_build_system(dir.path);
  EXPECT_FALSE(legacy.from_pyproject);
  EXPECT_EQ(legacy.requirements, std::vector<std::string>{"setuptools>=40.8.0"});
  EXPECT_EQ(legacy.backend, "setuptools.build_meta:__legacy__");
  EXPECT_EQ(parse_build_system("[project]\nname = 'x'\n", "p"), legacy);
}

TEST(BuildSystem, ReadsTheTable) {
  BuildSystem s = parse_build_system(
      "[build-system]\nrequires = ['flit_core >=3.2,<4']\nbuild-backend = 'flit_core.buildapi'\n"
      "backend-path = ['_backend', 'tools/b']\n",
      "pyproject.toml");
  EXPECT_TRUE(s.from_pyproject);
  EXPECT_EQ(s.requirements, std::vector<std::string>{"flit_core >=3.2,<4"});
  EXPECT_EQ(s.backend, "flit_core.buildapi");
  EXPECT_EQ(s.backend_path, (std::vector<std::string>{"_backend", "tools/b"}));
  // A table without build-backend: the legacy backend with the table's requires (PEP 517).
  BuildSystem no_backend = parse_build_system("[build-system]\nrequires = ['setuptools', 'cython']\n", "p");
  EXPECT_EQ(no_backend.backend, "setuptools.build_meta:__legacy__");
  EXPECT_EQ(no_backend.requirements, (std::vector<std::string>{"setuptools", "cython"}));
}

TEST(BuildSystem, RefusesWhatThePepsForbid) {
  auto message = [](std::string_view text) {
    try {
      parse_build_system(text, "proj/pyproject.toml");
    } catch (const InstallError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("[build-system]\nbuild-backend = 'x'\n").find("has no requires key"), std::string::npos);
  EXPECT_NE(message("[build-system]\nrequires = 'setuptools'\n").find("array of strings"), std::string::npos);
  EXPECT_NE(message("[build-system]\nrequires = [1]\n").find("array of strings"), std::string::npos);
  EXPECT_NE(message("[build-system]\nrequires = []\nbackend-path = ['../out']\n").find("outside the source tree"),
            std::string::npos);
  EXPECT_NE(message("[build-system]\nrequires = []\nbackend-path = ['/abs']\n").find("outside the source tree"),
            std::string::npos);
  EXPECT_NE(message("[build-system\n").find("proj/pyproject.toml:"), std::string::npos);
}

// A stdlib-only in-tree backend: build_wheel writes a tiny wheel; its hooks print, and "fail" raises.
constexpr std::string_view kBackend = R"PY(
import os, sys, zipfile
def get_requires_for_build_wheel(config_settings=None):
    print('asked for requirements')
    return ['extra-tool>=1']
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, 'demo-1.0.dist-info'))
    with open(os.path.join(metadata_directory, 'demo-1.0.dist-info', 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: extra-tool\n')
    return 'demo-1.0.dist-info'
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    print('to stdout first')
    sys.stderr.write('then to stderr\n')
    if os.path.exists('fail'):
        raise RuntimeError('the build broke here')
    name = 'demo-1.0-py3-none-any.whl'
    with zipfile.ZipFile(os.path.join(wheel_directory, name), 'w') as z:
        z.writestr('demo.py', 'x = 1\n')
    return name
)PY";

class Hooks : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kPython)) GTEST_SKIP() << "needs " << kPython;
    write_text(tree.path / "_b" / "demo_backend.py", kBackend);
    backend.python = kPython;
    backend.source_dir = tree.path;
    backend.system.backend = "demo_backend";
    backend.system.backend_path = {"_b"};
    backend.label = "demo 1.0 (demo-1.0.tar.gz)";
  }
  TempDir tree{"tree"}, out{"out"}, scratch{"scratch"};
  BuildBackend backend;
};

TEST_F(Hooks, RunsTheHooksInTheSourceTree) {
  HookResult requires_ = run_build_hook(backend, "get_requires_for_build_wheel", out.path, scratch.path);
  EXPECT_FALSE(requires_.missing);
  EXPECT_EQ(requires_.values, std::vector<std::string>{"extra-tool>=1"});
  EXPECT_NE(requires_.output.find("asked for requirements"), std::string::npos);
  HookResult built = run_build_hook(backend, "build_wheel", out.path, scratch.path);
  ASSERT_EQ(built.values, std::vector<std::string>{"demo-1.0-py3-none-any.whl"});
  EXPECT_TRUE(std::filesystem::exists(out.path / built.values.front()));
  // One stream, in the order written.
  EXPECT_LT(built.output.find("to stdout first"), built.output.find("then to stderr"));
  // An optional hook the backend lacks.
  HookResult editable = run_build_hook(backend, "build_editable", out.path, scratch.path);
  EXPECT_TRUE(editable.missing);
}

// PEP 517 prepare_metadata_for_build_wheel(metadata_directory, config_settings): the answer is the
// .dist-info directory it wrote there.
TEST_F(Hooks, PrepareMetadataNamesTheDistInfoDirectory) {
  HookResult prepared = run_build_hook(backend, "prepare_metadata_for_build_wheel", out.path, scratch.path);
  EXPECT_FALSE(prepared.missing);
  ASSERT_EQ(prepared.values, std::vector<std::string>{"demo-1.0.dist-info"});
  EXPECT_TRUE(std::filesystem::exists(out.path / "demo-1.0.dist-info" / "METADATA"));
  // A backend without the optional hook says so (the caller then builds the wheel, as pip does).
  write_text(tree.path / "_b" / "plain_backend.py", "def build_wheel(d, c=None, m=None):\n    return 'x.whl'\n");
  backend.system.backend = "plain_backend";
  EXPECT_TRUE(run_build_hook(backend, "prepare_metadata_for_build_wheel", out.path, scratch.path).missing);
}

TEST_F(Hooks, AFailedHookCarriesTheOutputAndNamesThePackage) {
  write_text(tree.path / "fail", "");
  try {
    run_build_hook(backend, "build_wheel", out.path, scratch.path);
    FAIL() << "no error";
  } catch (const BuildError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("demo 1.0 (demo-1.0.tar.gz): build_wheel of the build backend demo_backend failed", 0), 0u)
        << what;
    EXPECT_NE(what.find("RuntimeError: the build broke here"), std::string::npos) << what;
    EXPECT_NE(e.output().find("then to stderr"), std::string::npos);
    EXPECT_NE(e.output().find("Traceback"), std::string::npos);
  }
}

TEST_F(Hooks, ABackendThatCannotBeImportedIsNamed) {
  backend.system.backend = "no_such_backend:thing";
  try {
    run_build_hook(backend, "build_wheel", out.path, scratch.path);
    FAIL() << "no error";
  } catch (const BuildError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot import the build backend 'no_such_backend'"), std::string::npos)
        << e.what();
  }
  // An attribute path after the colon is followed.
  backend.system.backend = "demo_backend:nothing_here";
  EXPECT_THROW(run_build_hook(backend, "build_wheel", out.path, scratch.path), BuildError);
}

// PEP 517 "Config settings": every hook gets the dictionary pip makes of -C KEY=VALUE (a key given again
// makes a list, a value is split at the first '='), or None when there are none.
TEST_F(Hooks, EveryHookGetsTheConfigSettings) {
  write_text(tree.path / "_b" / "echo_backend.py", R"PY(
import json
def _answer(config_settings):
    return json.dumps(config_settings, sort_keys=True)
def get_requires_for_build_wheel(config_settings=None):
    return [_answer(config_settings)]
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _answer(config_settings)
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _answer(config_settings)
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _answer(config_settings)
)PY");
  backend.system.backend = "echo_backend";
  const std::string expected = R"({"empty": "", "eq": "a=b", "k": ["1", "2", "3"], "z": "last"})";
  backend.config_settings = {"z=last", "k=1", "eq=a=b", "k=2", "empty=", "k=3"};
  for (const char* hook : {"get_requires_for_build_wheel", "prepare_metadata_for_build_wheel", "build_wheel",
                           "build_editable"})
    EXPECT_EQ(run_build_hook(backend, hook, out.path, scratch.path).values, std::vector<std::string>{expected})
        << hook;
  backend.config_settings.clear();
  EXPECT_EQ(run_build_hook(backend, "build_wheel", out.path, scratch.path).values, std::vector<std::string>{"null"});
}

TEST(ConfigSettings, CanonicalOrderSortsKeysAndKeepsEachKeysValuesInOrder) {
  EXPECT_EQ(canonical_config_settings({"b=2", "a=x", "b=1", "a=w", "ab=0", "a"}),
            (std::vector<std::string>{"a=x", "a=w", "a", "ab=0", "b=2", "b=1"}));
}

TEST_F(Hooks, IsolatedRunsIgnorePythonPath) {
  // A backend found only through PYTHONPATH is not found in an isolated run (-I).
  TempDir elsewhere("pp");
  write_text(elsewhere.path / "outside_backend.py", kBackend);
  backend.system.backend = "outside_backend";
  backend.system.backend_path.clear();
  ::setenv("PYTHONPATH", elsewhere.path.c_str(), 1);
  EXPECT_THROW(run_build_hook(backend, "build_wheel", out.path, scratch.path), BuildError);
  backend.isolated = false;
  EXPECT_NO_THROW(run_build_hook(backend, "build_wheel", out.path, scratch.path));
  ::unsetenv("PYTHONPATH");
}

TEST(BuiltWheels, StoredEntriesAreFoundByHashAndFit) {
  TempDir cache("cache"), src("src");
  const std::string sha(64, 'a');
  BuiltWheelCache built(cache.path);
  auto any = [](const std::string&) -> std::optional<std::size_t> { return 0; };
  EXPECT_FALSE(built.find(sha, any));
  write_text(src.path / "demo-1.0-cp311-cp311-linux_x86_64.whl", "one");
  write_text(src.path / "demo-1.0-py3-none-any.whl", "two");
  std::filesystem::path stored = built.store(sha, src.path / "demo-1.0-cp311-cp311-linux_x86_64.whl");
  EXPECT_EQ(stored, cache.path / "built-v1" / "aa" / sha / "demo-1.0-cp311-cp311-linux_x86_64.whl");
  built.store(sha, src.path / "demo-1.0-py3-none-any.whl");
  // The best by rank among those that fit.
  auto prefer_pure = [](const std::string& name) -> std::optional<std::size_t> {
    return name.find("none-any") != std::string::npos ? 1 : 2;
  };
  EXPECT_EQ(built.find(sha, prefer_pure)->filename(), "demo-1.0-py3-none-any.whl");
  auto only_cp = [](const std::string& name) -> std::optional<std::size_t> {
    if (name.find("cp311") == std::string::npos) return std::nullopt;
    return 0;
  };
  EXPECT_EQ(built.find(sha, only_cp)->filename(), "demo-1.0-cp311-cp311-linux_x86_64.whl");
  EXPECT_FALSE(built.find(std::string(64, 'b'), any));
}

TEST(BuiltWheels, MetadataIsKeptPerSdistAndInterpreter) {
  TempDir cache("cache");
  const std::string sha(64, 'c');
  BuiltWheelCache built(cache.path);
  EXPECT_FALSE(built.find_metadata(sha, "cp311-cp311-linux_x86_64"));
  built.store_metadata(sha, "cp311-cp311-linux_x86_64", "Metadata-Version: 2.1\nName: demo\n");
  EXPECT_EQ(built.find_metadata(sha, "cp311-cp311-linux_x86_64"), "Metadata-Version: 2.1\nName: demo\n");
  EXPECT_TRUE(std::filesystem::exists(cache.path / "built-v1" / "cc" / sha / "cp311-cp311-linux_x86_64.METADATA"));
  // Another interpreter's, another sdist's: not this entry.
  EXPECT_FALSE(built.find_metadata(sha, "cp312-cp312-linux_x86_64"));
  EXPECT_FALSE(built.find_metadata(std::string(64, 'd'), "cp311-cp311-linux_x86_64"));
  // Nor is it taken for a wheel.
  auto any = [](const std::string&) -> std::optional<std::size_t> { return 0; };
  EXPECT_FALSE(built.find(sha, any));
  // A key that is not a file name is never a path.
  EXPECT_FALSE(built.find_metadata(sha, "../x"));
}

// pip reuses a wheel built with other config settings (pypa/pip#11164); thoth keys its entries by them.
TEST(BuiltWheels, ConfigSettingsHaveEntriesOfTheirOwn) {
  TempDir cache("cache"), src("src");
  const std::string sha(64, 'e');
  EXPECT_EQ(BuiltWheelCache::entry(sha, {}), sha);
  const std::string with = BuiltWheelCache::entry(sha, {"a=1", "b=2"});
  EXPECT_EQ(with.rfind(sha + "/config-", 0), 0u) << with;
  EXPECT_EQ(with.size(), sha.size() + 8 + 64);
  // The same dictionary in another order of keys: the same entry; other values, or their order: not.
  EXPECT_EQ(BuiltWheelCache::entry(sha, {"b=2", "a=1"}), with);
  EXPECT_NE(BuiltWheelCache::entry(sha, {"a=1", "b=3"}), with);
  EXPECT_NE(BuiltWheelCache::entry(sha, {"a=1", "a=2"}), BuiltWheelCache::entry(sha, {"a=2", "a=1"}));
  BuiltWheelCache built(cache.path);
  auto any = [](const std::string&) -> std::optional<std::size_t> { return 0; };
  write_text(src.path / "demo-1.0-py3-none-any.whl", "built with a=1 b=2");
  EXPECT_EQ(built.store(with, src.path / "demo-1.0-py3-none-any.whl"),
            cache.path / "built-v1" / "ee" / sha / with.substr(sha.size() + 1) / "demo-1.0-py3-none-any.whl");
  built.store_metadata(with, "cp311-cp311-linux_x86_64", "with settings");
  EXPECT_TRUE(built.find(with, any));
  EXPECT_EQ(built.find_metadata(with, "cp311-cp311-linux_x86_64"), "with settings");
  // Neither is found for the build without settings.
  EXPECT_FALSE(built.find(sha, any));
  EXPECT_FALSE(built.find_metadata(sha, "cp311-cp311-linux_x86_64"));
}

}  // namespace
}  // namespace thoth
