// Pipfile.lock written byte for byte in pipenv's layout (compared with a fixture written by hand from
// pipenv's documented layout and its json.dumps(indent=4, sort_keys=True)), and read back.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fixtures.hpp"

namespace thoth {
namespace {

using lock_test::hex;

const char* kPipfile = R"([[source]]
url = "http://127.0.0.1:8000/simple"
verify_ssl = false
name = "local"

[packages]
requests = {version = "*", extras = ["socks"], sys_platform = "== 'linux'"}
six = "*"

[dev-packages]
pytest = "*"

[requires]
python_version = "3.11"
)";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(THOTH_SOURCE_DIR) + "/tests/unit/lock/fixtures/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

LockedPackage locked(const std::string& name, const std::string& version, std::vector<std::string> hashes,
                     const std::string& marker = "") {
  LockedPackage p;
  p.name = name;
  p.display_name = name;
  p.version = Version::parse(version);
  p.hashes = std::move(hashes);
  if (!marker.empty()) p.marker = Marker::parse(marker);
  return p;
}

std::vector<PipfileLockCategory> sample_categories() {
  Lock defaults;
  // Hashes given out of order: the writer sorts them.
  defaults.packages.push_back(locked("requests", "2.31.0", {"sha256:" + hex('b'), "sha256:" + hex('a')}, "sys_platform == \"linux\""));
  defaults.packages.push_back(locked("six", "1.16.0", {"sha256:" + hex('c')}));
  defaults.packages.push_back(locked("urllib3", "2.0.7", {"sha256:" + hex('d')}, "sys_platform == \"linux\""));
  Lock develop;
  develop.packages.push_back(locked("pytest", "7.4.0", {"sha256:" + hex('e')}));
  // Also in default: written as default's entry (with its index), as pipenv's overwrite_with_default.
  develop.packages.push_back(locked("six", "1.16.0", {"sha256:" + hex('c')}));
  return {{"default", defaults}, {"develop", develop}};
}

TEST(PipfileLockWriter, PipenvLayoutByteForByte) {
  Pipfile pipfile = read_pipfile(kPipfile, "Pipfile");
  EXPECT_EQ(write_pipfile_lock(pipfile, PipfileHash::canonical, sample_categories()), fixture("Pipfile.lock"));
}

TEST(PipfileLockWriter, EmptyCategoriesAndDefaultSource) {
  Pipfile pipfile = read_pipfile("[packages]\n", "Pipfile");
  const std::string expected = std::string(R"({
    "_meta": {
        "hash": {
            "sha256": ")") + pipfile.hash_canonical + R"("
        },
        "pipfile-spec": 6,
        "requires": {},
        "sources": [
            {
                "name": "pypi",
                "url": "https://pypi.org/simple",
                "verify_ssl": true
            }
        ]
    },
    "default": {},
    "develop": {}
}
)";
  EXPECT_EQ(write_pipfile_lock(pipfile, PipfileHash::canonical, {}), expected);
}

TEST(PipfileLockWriter, HashVariantAndPathEntries) {
  Pipfile pipfile = read_pipfile("[packages]\nMy_Pkg = {path = \"./pkg\", editable = true}\n", "Pipfile");
  ASSERT_NE(pipfile.hash_canonical, pipfile.hash_legacy);
  Lock lock;
  LockedPackage p;
  p.name = "my-pkg";
  p.display_name = "My_Pkg";
  p.direct_url = "file:///proj/pkg";
  p.editable = true;
  lock.packages.push_back(p);
  std::string legacy = write_pipfile_lock(pipfile, PipfileHash::legacy, {{"default", lock}});
  EXPECT_NE(legacy.find(pipfile.hash_legacy), std::string::npos);
  EXPECT_NE(legacy.find(R"("my-pkg": {
            "editable": true,
            "path": "./pkg"
        })"), std::string::npos) << legacy;
}

// A dependency no requirement marks gets its Requires-Python as pipenv spells it; a package the
// Pipfile names never does (pipenv: markers of a top-level package come from its Pipfile entry only).
TEST(PipfileLockWriter, RequiresPythonMarkers) {
  Pipfile pipfile = read_pipfile(kPipfile, "Pipfile");
  auto marker_of = [&](const std::string& requires_python, const std::string& name = "dep") {
    Lock lock;
    LockedPackage p = locked(name, "1.0", {"sha256:" + hex('a')});
    p.requires_python = requires_python;
    lock.packages.push_back(p);
    std::string text = write_pipfile_lock(pipfile, PipfileHash::canonical, {{"default", lock}});
    const std::size_t at = text.find("\"markers\": \"");
    if (at == std::string::npos) return std::string();
    const std::size_t start = at + 12;
    return text.substr(start, text.find('"', start) - start);
  };
  EXPECT_EQ(marker_of(">=3.8"), "python_version >= '3.8'");
  EXPECT_EQ(marker_of(">=3.8.1"), "python_full_version >= '3.8.1'");
  EXPECT_EQ(marker_of("<4,>=3.7"), "python_version >= '3.7' and python_version < '4'");
  EXPECT_EQ(marker_of(">=2.7,!=3.0,!=3.1"), "python_version >= '2.7' and python_version not in '3.0, 3.1'");
  EXPECT_EQ(marker_of(""), "");
  // What Debian's pipenv 2022.12.19 writes (requirementslib's marker_from_specifier), quirks included;
  // tests/e2e/test_pipenv.py compares with that pipenv itself.
  EXPECT_EQ(marker_of(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*"),
            "python_version >= '2.7' and python_version not in '3.0, 3.1, 3.2'");
  EXPECT_EQ(marker_of("!=3.0.*"), "python_version != '3.0'");
  EXPECT_EQ(marker_of("==3.*"), "python_version == '3'");
  EXPECT_EQ(marker_of("==3.8.*"), "python_version == '3.8'");
  EXPECT_EQ(marker_of("~=3.7"), "python_version ~= '3.7'");
  EXPECT_EQ(marker_of("~=3.7.1"), "python_full_version ~= '3.7.1'");
  EXPECT_EQ(marker_of("===3.7"), "python_version === '3.7'");
  EXPECT_EQ(marker_of("===3.7.0"), "python_full_version === '3.7.0'");
  EXPECT_EQ(marker_of("~=3"), "");  // packaging refuses it: pipenv fails
  EXPECT_EQ(marker_of(">=3.6,<4.0,!=3.9.*"),
            "python_version >= '3.6' and python_version != '3.9' and python_version < '4.0'");
  EXPECT_EQ(marker_of(">=3.6, ==3.*"), "python_version == '3' and python_version >= '3.6'");
  EXPECT_EQ(marker_of(">=3.8,~=3.8"), "python_version >= '3.8' and python_version ~= '3.8'");
  EXPECT_EQ(marker_of("==3.7,==3.8"), "python_version in '3.7, 3.8'");
  // ">" and "<=" become [x, y) ranges up to the highest minor requirementslib knows (3.11).
  EXPECT_EQ(marker_of(">3.6"), "python_version >= '3.7'");
  EXPECT_EQ(marker_of("<=3.9"), "python_version < '3.10'");
  EXPECT_EQ(marker_of(">3.7.1"), "python_version >= '3.8'");
  EXPECT_EQ(marker_of(">3.11"), "python_version > '3.11'");
  EXPECT_EQ(marker_of("<=3.12"), "python_version <= '3.12'");
  EXPECT_EQ(marker_of(">=3.6.1,>=3.7"), "python_full_version >= '3.6.1' and python_version >= '3.7'");
  EXPECT_EQ(marker_of(">=3.10, >=3.9"), "python_version >= '3.9'");
  EXPECT_EQ(marker_of(">=3.7.0b1"), "python_full_version >= '3.7.0b1'");
  EXPECT_EQ(marker_of(">=3.8", "six"), "");  // six is in [packages]
}

TEST(PipfileLockWriter, RefusesAPinWithoutHashes) {
  Pipfile pipfile = read_pipfile(kPipfile, "Pipfile");
  Lock lock;
  lock.packages.push_back(locked("six", "1.16.0", {}));
  EXPECT_THROW(write_pipfile_lock(pipfile, PipfileHash::canonical, {{"default", lock}}), LockError);
}

TEST(PipfileLockReader, ReadsCategoriesBack) {
  const std::string text = fixture("Pipfile.lock");
  EXPECT_EQ(detect_lock_format(text, "locks/Pipfile.lock"), LockFormat::pipfile);
  EXPECT_EQ(detect_lock_format(text, "other.json"), LockFormat::pipfile);
  Lock defaults = read_pipfile_lock(text, "Pipfile.lock", {"default"}, {});
  EXPECT_EQ(defaults.format, LockFormat::pipfile);
  ASSERT_EQ(defaults.packages.size(), 3u);
  const LockedPackage* requests = defaults.find("requests");
  ASSERT_NE(requests, nullptr);
  EXPECT_EQ(requests->version->str(), "2.31.0");
  EXPECT_EQ(requests->hashes, (std::vector<std::string>{"sha256:" + hex('a'), "sha256:" + hex('b')}));
  EXPECT_EQ(requests->extras, std::vector<std::string>{"socks"});
  EXPECT_EQ(requests->marker->str(), "sys_platform == \"linux\"");
  EXPECT_EQ(requests->index, "http://127.0.0.1:8000/simple");
  EXPECT_EQ(defaults.options.index.index_url.value_or(""), "http://127.0.0.1:8000/simple");
  EXPECT_EQ(defaults.options.index.trusted_hosts, std::vector<std::string>{"127.0.0.1:8000"});

  Lock both = read_pipfile_lock(text, "Pipfile.lock", {"default", "develop"}, {});
  ASSERT_EQ(both.packages.size(), 4u);  // six once
  EXPECT_NE(both.find("pytest"), nullptr);
  EXPECT_EQ(read_lock(text, "Pipfile.lock").packages.size(), 3u);  // default only
}

TEST(PipfileLockReader, ExpandsSourceVariables) {
  const char* text = R"({"_meta": {"pipfile-spec": 6, "sources": [{"name": "m", "url": "https://${TOKEN}@host/simple", "verify_ssl": true}]},
  "default": {"six": {"version": "==1.16.0", "hashes": ["sha256:cc"], "index": "m"}}})";
  Lock lock = read_pipfile_lock(text, "Pipfile.lock", {"default"}, [](std::string_view name) -> std::optional<std::string> {
    if (name == "TOKEN") return std::string("secret");
    return std::nullopt;
  });
  EXPECT_EQ(lock.options.index.index_url.value_or(""), "https://secret@host/simple");
  EXPECT_EQ(lock.packages.at(0).index, "https://secret@host/simple");
}

void expect_lock_error(const std::string& text, const std::string& message) {
  try {
    read_pipfile_lock(text, "Pipfile.lock", {"default", "develop"}, {});
    FAIL() << "no error for " << text;
  } catch (const LockError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(PipfileLockReader, RefusesMalformedLocks) {
  expect_lock_error("[]", "Pipfile.lock: not a Pipfile.lock (expected a JSON object)");
  expect_lock_error("{\"default\": {}}", "Pipfile.lock: \"_meta\" must be an object");
  expect_lock_error(R"({"_meta": {}, "default": {"six": {"version": ">=1"}}})",
                    "Pipfile.lock: default.six: \"version\" must pin one version (\"==X\"), not '>=1'");
  expect_lock_error(R"({"_meta": {}, "default": {"six": {"version": "==1", "index": "x"}}})",
                    "Pipfile.lock: default.six: index 'x' is not one of _meta.sources");
  expect_lock_error(R"({"_meta": {}, "default": {"six": {"version": "==1"}}, "develop": {"six": {"version": "==2"}}})",
                    "Pipfile.lock: develop.six: locked at another version than in an earlier category");
  expect_lock_error(R"({"_meta": {"pipfile-spec": 7}})",
                    "Pipfile.lock: _meta.pipfile-spec must be a number up to 6 (this lock is from a newer pipenv)");
}

}  // namespace
}  // namespace thoth
