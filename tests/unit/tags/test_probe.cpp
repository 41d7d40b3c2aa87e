// Target::probe against real interpreters: the tags must equal packaging.tags.sys_tags() run inside
// the same interpreter, the markers packaging.markers.default_environment().
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "expected_data.hpp"
#include "thoth/process.hpp"
#include "thoth/target.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;
using test::tag_strings;

// Runs a shell command (test code only) and returns its stdout, or nullopt if it failed.
std::optional<std::string> run(const std::string& command) {
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  if (status != 0) return std::nullopt;
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// packaging's answer inside `python`; PYTHONPATH lends Debian's packaging 23.0 to other interpreters.
std::optional<std::vector<std::string>> packaging_sys_tags(const std::string& python, const std::string& pythonpath) {
  std::string env = pythonpath.empty() ? "" : "PYTHONPATH=" + pythonpath + " ";
  auto out = run(env + python +
                 " -c 'import packaging.tags as t; print(\"\\n\".join(str(x) for x in t.sys_tags()))'");
  if (!out) return std::nullopt;
  return lines(*out);
}

std::optional<std::string> packaging_markers(const std::string& python, const std::string& pythonpath) {
  std::string env = pythonpath.empty() ? "" : "PYTHONPATH=" + pythonpath + " ";
  return run(env + python +
             " -c 'import json, packaging.markers as m; print(json.dumps(m.default_environment()))'");
}

void expect_markers_match(const Target& t, const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  ASSERT_TRUE(d.IsObject());
  int compared = 0;
  // Read through a const reference: clang calls `!=` on rapidjson 1.1.0's mutable member iterators
  // ambiguous in C++20 (its reversed form matches as well).
  const rapidjson::Value& object = d;
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    auto var = marker_var_from_name(it->name.GetString());
    ASSERT_TRUE(var.has_value()) << it->name.GetString();
    EXPECT_EQ(t.markers.get(*var), it->value.GetString()) << it->name.GetString();
    ++compared;
  }
  EXPECT_EQ(compared, 11);
}

// A working python3.<minor>: on PATH (pyenv shims answer only for the selected version), or in a
// pyenv installation.
std::optional<std::string> find_python(int minor) {
  std::string name = "python3." + std::to_string(minor);
  std::vector<fs::path> candidates;
  if (const char* path = std::getenv("PATH")) {
    for (std::string_view rest = path; !rest.empty();) {
      std::size_t colon = rest.find(':');
      candidates.push_back(fs::path(std::string(rest.substr(0, colon))) / name);
      rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    }
  }
  std::vector<fs::path> roots;
  if (const char* root = std::getenv("PYENV_ROOT")) roots.emplace_back(root);
  if (const char* home = std::getenv("HOME")) roots.push_back(fs::path(home) / ".pyenv");
  for (const fs::path& root : roots) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root / "versions", ec)) {
      if (entry.path().filename().string().starts_with("3." + std::to_string(minor) + ".")) {
        candidates.push_back(entry.path() / "bin" / name);
      }
    }
  }
  for (const fs::path& c : candidates) {
    std::error_code ec;
    if (fs::exists(c, ec) && run(c.string() + " -c 'import sys'")) return c.string();
  }
  return std::nullopt;
}

TEST(Probe, SystemPythonMatchesPackagingSysTags) {
  auto expected = packaging_sys_tags("/usr/bin/python3", "");
  if (!expected) GTEST_SKIP() << "/usr/bin/python3 has no packaging";
  Target t = Target::probe("/usr/bin/python3");
  EXPECT_EQ(tag_strings(t.tags), *expected);
  EXPECT_GT(expected->size(), 100u);
  auto markers = packaging_markers("/usr/bin/python3", "");
  ASSERT_TRUE(markers.has_value());
  expect_markers_match(t, *markers);
  // The `thoth env` document reproduces the same target.
  EXPECT_EQ(Target::from_json(t.to_json()), t);
}

void check_pyenv_python(int minor) {
  auto python = find_python(minor);
  if (!python) GTEST_SKIP() << "no python3." << minor;
  Target t = Target::probe(*python);
  EXPECT_EQ(t.python_version, Version::parse("3." + std::to_string(minor)));
  EXPECT_EQ(t.markers.get(MarkerVar::PythonVersion), "3." + std::to_string(minor));
  EXPECT_EQ(t.implementation, "cp");
  EXPECT_EQ(t.abis.front(), "cp3" + std::to_string(minor));
  // Debian's packaging 23.0 runs on 3.7+; lent to this interpreter it gives the reference list.
  if (auto expected = packaging_sys_tags(*python, "/usr/lib/python3/dist-packages")) {
    EXPECT_EQ(tag_strings(t.tags), *expected);
    auto markers = packaging_markers(*python, "/usr/lib/python3/dist-packages");
    ASSERT_TRUE(markers.has_value());
    expect_markers_match(t, *markers);
  }
}

TEST(Probe, Python38) { check_pyenv_python(8); }
TEST(Probe, Python312) { check_pyenv_python(12); }

void expect_probe_error(const std::string& python, std::string_view fragment) {
  try {
    Target::probe(python);
    ADD_FAILURE() << "probed " << python;
  } catch (const TagError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(python), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::string(fragment)), std::string::npos) << msg;
  }
}

// The probe is on the critical path of every first run: it must not import json or platform, which
// pull in re and enum (half of its time on Python 3.11); and what it writes instead of json.dumps
// must be exactly what json.dumps writes.
TEST(Probe, StaysLightAndWritesWhatJsonDumpsWrites) {
  const std::string script(Target::probe_script());
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/probe_script.py";
  std::ofstream(path) << script;
  auto imports = run("/usr/bin/python3 -I -S -X importtime " + path + " 2>&1 >/dev/null || true");
  ASSERT_TRUE(imports);
  // "import time: <self> | <cumulative> | <name, indented by depth>", one line per module.
  std::set<std::string> imported;
  for (const std::string& line : lines(*imports)) {
    const std::size_t bar = line.rfind('|');
    if (line.rfind("import time:", 0) != 0 || bar == std::string::npos) continue;
    std::string name = line.substr(bar + 1);
    name.erase(0, name.find_first_not_of(' '));
    imported.insert(name);
  }
  EXPECT_TRUE(imported.count("sysconfig")) << *imports;  // the listing is read at all
  for (const char* heavy : {"json", "platform", "re", "enum"}) EXPECT_FALSE(imported.count(heavy)) << heavy;
  // The definitions only (the facts start at "system, release"), then a comparison with json.dumps.
  const std::size_t facts = script.find("\nsystem, release");
  ASSERT_NE(facts, std::string::npos);
  const std::string check = script.substr(0, facts) + R"PY(
import json
values = ['', 'plain', 'quote " and \\ backslash', 'tab\there\nnewline', '\x00\x1f\x7f', 'caf\u00e9 \u4e2d',
          '\U0001f600', None, True, False, 0, -7, 2 ** 70, [], ['a', [1, None]], {}, {'k': {'n': [True]}}]
for v in values + [values, {str(i): x for i, x in enumerate(values)}]:
    assert to_json(v) == json.dumps(v), (v, to_json(v), json.dumps(v))
print('ok')
)PY";
  const std::string check_path = dir + "/probe_check.py";
  std::ofstream(check_path) << check;
  EXPECT_EQ(run("/usr/bin/python3 -I -S " + check_path).value_or("failed"), "ok\n");
}

// A program that closes its output and then hangs: the timeout still ends it (the pipes closing is
// not the end of the process).
TEST(Probe, TimeoutAlsoCoversAProcessThatClosedItsOutput) {
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process({"/bin/sh", "-c", "exec >&- 2>&-; sleep 30"}, 1);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.failure(1), "no answer within 1 seconds");
  EXPECT_LT(took, std::chrono::seconds(10));
  r = run_process({"/bin/sh", "-c", "sleep 30"}, 1);
  EXPECT_TRUE(r.timed_out);
}

// A program that answers and exits, leaving a process behind that holds its output open: the answer
// counts, without waiting out the timeout for the pipes to close.
TEST(Probe, ExitedProgramIsNotWaitedForItsLeftovers) {
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process({"/bin/sh", "-c", "echo answer; sleep 30 & exit 0"}, 20);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.ok()) << r.failure(20);
  EXPECT_EQ(r.out, "answer\n");
  EXPECT_LT(took, std::chrono::seconds(10));
}

// The echo sees every byte of both streams as they are read (for build output shown live under -v),
// and the result still holds them.
TEST(Probe, EchoSeesBothStreamsAsTheyCome) {
  std::string echoed;
  ProcessResult r = run_process({"/bin/sh", "-c", "echo one; echo two >&2; echo three"}, 20,
                                [&echoed](std::string_view chunk) { echoed.append(chunk); });
  EXPECT_TRUE(r.ok()) << r.failure(20);
  EXPECT_EQ(r.out, "one\nthree\n");
  EXPECT_EQ(r.err, "two\n");
  std::string sorted_echo = echoed;
  std::sort(sorted_echo.begin(), sorted_echo.end());
  std::string sorted_all = r.out + r.err;
  std::sort(sorted_all.begin(), sorted_all.end());
  EXPECT_EQ(sorted_echo, sorted_all);
}

TEST(Probe, FailuresNameTheInterpreter) {
  expect_probe_error("/nonexistent/python3", "cannot run it");
  expect_probe_error("thoth-no-such-python-on-path", "cannot run it");
  expect_probe_error("/bin/false", "exited with status 1");

  // Something that runs but answers nonsense.
  fs::path dir = fs::path(THOTH_BINARY_DIR) / "tags-probe-test";
  fs::create_directories(dir);
  fs::path liar = dir / "liar-python";
  {
    std::ofstream out(liar);
    out << "#!/bin/sh\necho 'not json'\n";
  }
  fs::permissions(liar, fs::perms::owner_all);
  expect_probe_error(liar.string(), "not JSON");
  // Issue 19 defect 1: an answer nested 150,000 deep is an error, not a stack overflow.
  fs::path deep = dir / "deep-python";
  {
    std::ofstream out(deep);
    out << "#!/bin/sh\nexec python3 -c \"print('[' * 150000)\"\n";
  }
  fs::permissions(deep, fs::perms::owner_all);
  expect_probe_error(deep.string(), "nested deeper than 64 levels");
  EXPECT_THROW(Target::from_probe_facts(std::string(150'000, '{'), "p"), TagError);

  fs::path crasher = dir / "crashing-python";
  {
    std::ofstream out(crasher);
    out << "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho '  File x' >&2\n"
        << "echo 'RuntimeError: boom' >&2\nexit 3\n";
  }
  fs::permissions(crasher, fs::perms::owner_all);
  expect_probe_error(crasher.string(), "exited with status 3 (RuntimeError: boom)");

  fs::path shim = dir / "shim-python";
  {
    std::ofstream out(shim);
    out << "#!/bin/sh\necho 'shim: python3.8: command not found' >&2\necho >&2\necho 'Note: see help' >&2\nexit 127\n";
  }
  fs::permissions(shim, fs::perms::owner_all);
  expect_probe_error(shim.string(), "exited with status 127 (shim: python3.8: command not found)");

  fs::path partial = dir / "partial-python";
  {
    std::ofstream out(partial);
    out << "#!/bin/sh\necho '{\"executable\": \"x\"}'\n";
  }
  fs::permissions(partial, fs::perms::owner_all);
  expect_probe_error(partial.string(), "lacks \"markers\"");

  // Not interpreters at all: said so, not exec()'s "Permission denied".
  expect_probe_error(dir.string(), "it is a directory, not a Python interpreter");
  fs::path text = dir / "not-executable";
  std::ofstream(text) << "print(1)\n";
  fs::permissions(text, fs::perms::owner_read | fs::perms::owner_write);
  expect_probe_error(text.string(), "it is not executable, so not a Python interpreter");
}

}  // namespace
}  // namespace thoth
