// Locks read back: what the writers produce round-trips, and malformed locks are refused with a
// message naming the file and the entry.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace thoth {
namespace {

using namespace lock_test;

void expect_same_pins(const Lock& lock, const Resolution& r) {
  ASSERT_EQ(lock.packages.size(), r.pins.size());
  for (const Pin& pin : r.pins) {
    const LockedPackage* p = lock.find(pin.name);
    ASSERT_NE(p, nullptr) << pin.name;
    ASSERT_TRUE(p->version.has_value());
    EXPECT_EQ(*p->version, pin.version) << pin.name;
  }
}

TEST(RequirementsReader, RoundTripWithHashesAndMarkers) {
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  c.generate_hashes = true;
  c.index.index_url = "file:///srv/mirror/simple";
  r.pins.push_back(pin("beta", "2.0", {"-r more.in"}, {wheel("beta-2.0-py3-none-any.whl", hex('2'))}));
  c.requirements.push_back(root("beta ; python_version >= '3'", "more.in", 4));
  std::string text = write_requirements(r, c);
  Lock lock = read_requirements_lock(text, "requirements.txt");
  EXPECT_EQ(lock.format, LockFormat::requirements);
  expect_same_pins(lock, r);
  EXPECT_EQ(lock.options.index.index_url, "file:///srv/mirror/simple");
  const LockedPackage* httpkit = lock.find("httpkit");
  EXPECT_EQ(httpkit->extras, std::vector<std::string>{"socks"});
  EXPECT_EQ(httpkit->hashes, (std::vector<std::string>{"sha256:" + hex('a'), "sha256:" + hex('b')}));
  const LockedPackage* beta = lock.find("beta");
  ASSERT_TRUE(beta->marker.has_value());
  EXPECT_EQ(beta->marker->str(), "python_version >= \"3\"");
}

TEST(RequirementsReader, RefusesUnpinnedLines) {
  try {
    read_requirements_lock("foo==1.0\nbar>=2\n", "reqs.txt");
    FAIL() << "expected LockError";
  } catch (const LockError& e) {
    EXPECT_EQ(std::string(e.what()), "reqs.txt:2: bar is not pinned to one version (a lock line reads NAME==VERSION)");
  }
  EXPECT_THROW(read_requirements_lock("foo==1.*\n", "reqs.txt"), LockError);
  EXPECT_THROW(read_requirements_lock("foo==1.0\nFoo==1.0\n", "reqs.txt"), LockError);
  // A bad line is reported with the parser's file:line message.
  try {
    read_requirements_lock("foo==1.0\nfoo=== \n", "reqs.txt");
    FAIL() << "expected LockError";
  } catch (const LockError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("reqs.txt:2: ", 0), 0u) << e.what();
  }
  Lock arbitrary = read_requirements_lock("foo===1.0\n", "reqs.txt");
  EXPECT_EQ(arbitrary.packages.at(0).version->str(), "1.0");
}

TEST(PylockReader, RoundTrip) {
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  c.source_urls = {"https://pypi.example/simple"};
  Lock lock = read_pylock(write_pylock(r, c), "/srv/project/pylock.toml");
  EXPECT_EQ(lock.format, LockFormat::pylock);
  expect_same_pins(lock, r);
  EXPECT_EQ(lock.requires_python, "==3.11.*");
  ASSERT_EQ(lock.environments.size(), 1u);
  EXPECT_TRUE(lock.environments[0].evaluate(r.target.markers));
  const LockedPackage* httpkit = lock.find("httpkit");
  EXPECT_EQ(httpkit->index, "https://pypi.example/simple");
  EXPECT_EQ(httpkit->requires_python, ">=3.8");
  EXPECT_EQ(httpkit->dependencies, (std::vector<std::string>{"certbundle", "pysocks-lite"}));
  ASSERT_EQ(httpkit->files.size(), 2u);
  EXPECT_TRUE(httpkit->files[0].is_wheel);
  EXPECT_EQ(httpkit->files[0].size, 1234u);
  EXPECT_EQ(httpkit->files[0].hashes.at("sha256"), hex('b'));
  EXPECT_FALSE(httpkit->files[1].is_wheel);
  EXPECT_EQ(httpkit->files[1].filename, "httpkit-2.1.1.tar.gz");
}

TEST(PylockReader, OtherLockersAndPaths) {
  // Tables written the long way, a relative path, a string upload-time, a marker.
  Lock lock = read_pylock(
      "lock-version = \"1.0\"\n"
      "created-by = \"other\"\n"
      "[[packages]]\n"
      "name = \"Foo_Bar\"\n"
      "version = \"1.0\"\n"
      "marker = \"sys_platform == 'linux'\"\n"
      "[[packages.wheels]]\n"
      "path = \"wheels/foo_bar-1.0-py3-none-any.whl\"\n"
      "upload-time = 2024-01-01T01:00:00+01:00\n"
      "[packages.wheels.hashes]\n"
      "SHA256 = \"ABCDEF\"\n",
      "/srv/lock/pylock.other.toml");
  ASSERT_EQ(lock.packages.size(), 1u);
  const LockedPackage& p = lock.packages[0];
  EXPECT_EQ(p.name, "foo-bar");
  EXPECT_EQ(p.display_name, "Foo_Bar");
  ASSERT_TRUE(p.marker.has_value());
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].path, "/srv/lock/wheels/foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(p.files[0].filename, "foo_bar-1.0-py3-none-any.whl");
  EXPECT_EQ(p.files[0].hashes.at("sha256"), "abcdef");
  EXPECT_EQ(p.files[0].upload_time, "2024-01-01T01:00:00+01:00");
}

// PEP 751 "extras", "dependency-groups", "default-groups": package markers test the sets asked for,
// the default groups when none are (packaging 25.0's lock_file context).
TEST(PylockReader, ExtrasAndDependencyGroupsSelectPackages) {
  const std::string text =
      "lock-version = '1.0'\n"
      "extras = ['Web', 'cli']\n"
      "dependency-groups = ['dev', 'docs']\n"
      "default-groups = ['dev']\n"
      "[[packages]]\nname = 'a'\nversion = '1'\nmarker = \"'web' in extras\"\n"
      "sdist = {url = 'https://x/a-1.tar.gz', hashes = {sha256 = 'aa'}}\n"
      "[[packages]]\nname = 'b'\nversion = '1'\nmarker = \"'dev' in dependency_groups\"\n"
      "sdist = {url = 'https://x/b-1.tar.gz', hashes = {sha256 = 'bb'}}\n";
  Lock lock = read_pylock(text, "pylock.toml");
  EXPECT_EQ(lock.extras, (std::vector<std::string>{"Web", "cli"}));
  EXPECT_EQ(lock.default_groups, (std::vector<std::string>{"dev"}));
  MarkerEnv env;
  auto installs = [&](const Lock& l, std::string_view name) {
    const LockedPackage* p = l.find(name);
    return p->marker->evaluate_in_lock(env, *l.selection);
  };
  EXPECT_FALSE(installs(lock, "a"));  // no extra asked for
  EXPECT_TRUE(installs(lock, "b"));   // a default group

  Lock chosen = lock;
  select_from_lock(chosen, {"WEB"}, {"docs"}, "pylock.toml");
  EXPECT_TRUE(installs(chosen, "a"));
  EXPECT_FALSE(installs(chosen, "b"));  // asking for groups replaces the default ones

  auto message = [&](const std::vector<std::string>& extras, const std::vector<std::string>& groups) {
    Lock l = lock;
    try {
      select_from_lock(l, extras, groups, "pylock.toml");
    } catch (const LockError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({"gui"}, {}), "pylock.toml offers no extra 'gui' (its extras: Web, cli)");
  EXPECT_EQ(message({}, {"test"}), "pylock.toml offers no dependency group 'test' (its dependency groups: dev, docs)");
  Lock requirements;
  EXPECT_THROW(select_from_lock(requirements, {"web"}, {}, "lock.txt"), LockError);
}

TEST(PylockReader, Errors) {
  auto message = [](std::string_view text) {
    try {
      read_pylock(text, "pylock.toml");
    } catch (const LockError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("lock-version = '2.0'\ncreated-by = 'x'\n[[packages]]\nname = 'a'\n"),
            "pylock.toml: lock-version 2.0 is not supported (only 1.x)");
  EXPECT_EQ(message("lock-version = '1.0'\n"), "pylock.toml: a [[packages]] array of tables is required");
  EXPECT_EQ(message("lock-version = '1.0'\n[[packages]]\nname = 'a'\nversion = 'x y'\nsdist = {url = 'u', hashes = {sha256 = 'a'}}\n"),
            "pylock.toml: package a: version x y is not a PEP 440 version");
  EXPECT_EQ(message("lock-version = '1.0'\n[[packages]]\nname = 'a'\nversion = '1'\nsdist = {url = 'u', hashes = {}}\n"),
            "pylock.toml: package a: hashes table of u is empty (PEP 751 requires one)");
  EXPECT_EQ(message("lock-version = '1.0'\n[[packages]]\nname = 'a'\nversion = '1'\n"),
            "pylock.toml: package a: no source (vcs, directory, archive, sdist or wheels)");
  EXPECT_EQ(message("lock-version = '1.0'\nx = [\n").rfind("pylock.toml:2:", 0), 0u) << message("lock-version = '1.0'\nx = [\n");
}

TEST(ReportReader, RoundTripAndEnvironment) {
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  Lock lock = read_report(write_report(r, c), "report.json");
  EXPECT_EQ(lock.format, LockFormat::report);
  expect_same_pins(lock, r);
  EXPECT_TRUE(lock.has_environment);
  EXPECT_EQ(lock.environment, r.target.markers);
  const LockedPackage* webapp = lock.find("webapp-kit");
  EXPECT_TRUE(webapp->requested);
  EXPECT_EQ(webapp->extras, std::vector<std::string>{"dev"});
  EXPECT_FALSE(lock.find("certbundle")->requested);
  // Found by fuzzing (target pipfile_lock): the extras as written survive, so the report of a lock read
  // from a report (install --lock FILE --report OUT) says them again.
  EXPECT_EQ(webapp->requested_extras, std::vector<std::string>{"dev"});
  EXPECT_EQ(thoth::write_report(read_report(thoth::write_report(lock), "again.json")), thoth::write_report(lock));
  ASSERT_EQ(webapp->files.size(), 1u);
  EXPECT_EQ(webapp->files[0].filename, "webapp_kit-1.1.0-py3-none-any.whl");
  EXPECT_EQ(webapp->files[0].hashes.at("sha256"), hex('d'));
}

// Found by fuzzing (target report): a hash named "=x" was written as "hash": "=x=..." and read back as
// another one, so a report of a report changed. Names that are no hashlib name are skipped.
TEST(ReportReader, HashNamesReadBackAsWritten) {
  const std::string text = R"({"version": "1", "install": [{"download_info": {"url": "https://h/a-1.0.tar.gz",
      "archive_info": {"hash": "=x=abc", "hashes": {"=x": "abc", "": "def", "sha256": ")" + hex('a') + R"("}}},
      "is_direct": false, "requested": true, "metadata": {"name": "a", "version": "1.0"}}]})";
  const Lock lock = read_report(text, "r.json");
  ASSERT_EQ(lock.packages.size(), 1u);
  EXPECT_EQ(lock.packages[0].files[0].hashes, (std::map<std::string, std::string>{{"sha256", hex('a')}}));
  const std::string written = thoth::write_report(lock);
  EXPECT_EQ(thoth::write_report(read_report(written, "again.json")), written);
}

// Found by fuzzing (targets pylock, pipfile_lock, report): the report of a lock entry without a version
// (a source tree; a pylock package may omit it) says "version": "", which reads back as no version; a
// direct reference without a URL read back as an index file.
TEST(ReportReader, NoVersionAndDirectReferenceWithoutUrl) {
  auto entry = [](const std::string& info, bool direct, const std::string& version) {
    return R"({"version": "1", "install": [{"download_info": )" + info + R"(, "is_direct": )" +
           (direct ? "true" : "false") + R"(, "requested": true, "metadata": {"name": "a", "version": ")" + version +
           R"("}}]})";
  };
  const Lock lock = read_report(entry(R"({"url": "file:///src/a", "dir_info": {}})", true, ""), "r.json");
  ASSERT_EQ(lock.packages.size(), 1u);
  EXPECT_FALSE(lock.packages[0].version.has_value());
  EXPECT_TRUE(lock.packages[0].is_source_tree());
  const std::string written = thoth::write_report(lock);
  EXPECT_EQ(thoth::write_report(read_report(written, "again.json")), written);
  EXPECT_THROW(read_report(entry(R"({"url": "", "dir_info": {}})", true, "1.0"), "r.json"), LockError);
  EXPECT_THROW(read_report(entry(R"({"url": "", "archive_info": {}})", true, "1.0"), "r.json"), LockError);
  EXPECT_THROW(read_report(entry(R"({"url": "#egg=a", "dir_info": {}})", true, "1.0"), "r.json"), LockError);
  EXPECT_THROW(read_report(entry(R"({"url": "#x", "vcs_info": {}})", false, "1.0"), "r.json"), LockError);
  EXPECT_EQ(read_report(entry(R"({"url": "", "archive_info": {}})", false, "1.0"), "r.json").packages.size(), 1u);
}

TEST(ReportReader, Errors) {
  EXPECT_THROW(read_report("{\"version\": \"2\", \"install\": []}", "r.json"), LockError);
  EXPECT_THROW(read_report("[1, 2", "r.json"), LockError);
  // Issue 19 defect 1: a deeply nested report is an error naming the file, not a stack overflow.
  try {
    read_report("{\"version\": \"1\", \"install\": " + std::string(150'000, '[') + "]}", "deep.json");
    ADD_FAILURE() << "accepted";
  } catch (const LockError& e) {
    EXPECT_NE(std::string(e.what()).find("deep.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nested deeper than 64 levels"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_report("{\"version\": \"1\", \"install\": [{\"metadata\": {\"name\": \"a\"}}]}", "r.json"), LockError);
}

TEST(ReadLock, DetectsTheFormat) {
  EXPECT_EQ(detect_lock_format("", "dir/pylock.toml"), LockFormat::pylock);
  EXPECT_EQ(detect_lock_format("", "pylock.dev.toml"), LockFormat::pylock);
  EXPECT_EQ(detect_lock_format("", "report.json"), LockFormat::report);
  EXPECT_EQ(detect_lock_format("  {\"version\": \"1\"}", "lock"), LockFormat::report);
  EXPECT_EQ(detect_lock_format("# c\nlock-version = '1.0'\n", "lock"), LockFormat::pylock);
  EXPECT_EQ(detect_lock_format("foo==1.0\n", "requirements.txt"), LockFormat::requirements);
  Resolution r = sample_resolution();
  LockContext c = sample_context();
  for (LockFormat f : {LockFormat::requirements, LockFormat::pylock, LockFormat::report}) {
    Lock lock = read_lock(write_lock(f, r, c), "some-lock");
    EXPECT_EQ(lock.format, f);
    expect_same_pins(lock, r);
  }
}

}  // namespace
}  // namespace thoth
