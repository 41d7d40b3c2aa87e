// `thoth lock` run in-process (cli::run with string streams and a made-up environment) on the example
// mirror: the whole pipeline, from the command line to the lock text, without a child process, so that
// moving the pipeline between modules is checked step by step.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/context.hpp"

namespace thoth::cli {
namespace {

namespace fs = std::filesystem;

const std::string kSource = THOTH_SOURCE_DIR;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class LockCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("thoth-lock-cmd-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The environment of a clean machine: no PIP_* settings, no pip.conf (PIP_CONFIG_FILE=/dev/null),
  // python3 from /usr/bin for the probe that target options start from.
  std::map<std::string, std::string> environment() const {
    return {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.string()}, {"PIP_CONFIG_FILE", "/dev/null"}};
  }

  Outcome run(std::vector<std::string> args, const std::string& stdin_text = "") const {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    Context ctx{in, out, err, environment()};
    args.insert(args.begin(), "thoth");
    Outcome r;
    r.code = cli::run(args, ctx);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  // The example's lock command, with extra arguments.
  Outcome lock(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"lock",
                                     "-r",
                                     kSource + "/examples/requirements.txt",
                                     "--index-url",
                                     "file://" + kSource + "/examples/mirror/simple",
                                     "--python-version",
                                     "3.11",
                                     "--platform",
                                     "manylinux_2_17_x86_64",
                                     "--cache-dir",
                                     (dir_ / "cache").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  fs::path dir_;
};

// The pins the example README promises (pip agrees on the same mirror).
TEST_F(LockCommand, LocksTheExample) {
  Outcome r = lock({"--no-header"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("webapp-kit[dev]==1.1.0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("httpkit[socks]==2.1.1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("templar==3.1.3\n"), std::string::npos) << r.out;
  // The file's own roots are labelled by the file, as pip-compile does.
  EXPECT_NE(r.out.find("# via -r " + kSource + "/examples/requirements.txt"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(LockCommand, SameBytesEveryRunWarmOrCold) {
  Outcome cold = lock({"--generate-hashes"});
  Outcome warm = lock({"--generate-hashes"});
  ASSERT_EQ(cold.code, 0) << cold.err;
  ASSERT_EQ(warm.code, 0) << warm.err;
  EXPECT_EQ(cold.out, warm.out);
  EXPECT_NE(cold.out.find("    --hash=sha256:"), std::string::npos);
}

TEST_F(LockCommand, WritesEveryFormat) {
  Outcome pylock = lock({"--format", "pylock"});
  ASSERT_EQ(pylock.code, 0) << pylock.err;
  EXPECT_EQ(pylock.out.rfind("lock-version = '1.0'\n", 0), 0u) << pylock.out;
  EXPECT_NE(pylock.out.find("name = 'templar'\nversion = '3.1.3'\n"), std::string::npos) << pylock.out;

  Outcome report = lock({"--format", "report"});
  ASSERT_EQ(report.code, 0) << report.err;
  EXPECT_EQ(report.out.rfind("{\n  \"version\": \"1\",\n", 0), 0u) << report.out;
  EXPECT_NE(report.out.find("\"name\": \"templar\""), std::string::npos);
}

TEST_F(LockCommand, WritesTheOutputFileAndKeepsItsPins) {
  const std::string out = (dir_ / "requirements.lock").string();
  Outcome first = lock({"-o", out, "--no-header"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "");
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("templar==3.1.3\n"), std::string::npos) << text.str();
  // An existing -o FILE is read back for its pins (pip-compile's incremental model): same result.
  Outcome again = lock({"-o", out, "--no-header", "--dry-run"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, text.str());
}

TEST_F(LockCommand, ExplainsAConflict) {
  Outcome r = lock({"templar<3", "templar>=3.1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("thoth: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("templar"), std::string::npos) << r.err;
}

TEST_F(LockCommand, RefusesABadOptionValue) {
  Outcome r = lock({"--format", "yaml"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "thoth: error: invalid --format 'yaml' (expected requirements, pylock or report)\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(LockCommand, NamesAMissingRequirementsFile) {
  Outcome r = run({"lock", "-r", (dir_ / "missing.txt").string(), "--python-version", "3.11", "--platform",
               "manylinux_2_17_x86_64", "--no-index"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
}

TEST_F(LockCommand, WarnsOnceAboutAMissingFindLinksDirectory) {
  Outcome r = lock({"--find-links", (dir_ / "no-such-dir").string(), "--no-header"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("thoth: warning: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no-such-dir"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("templar==3.1.3"), std::string::npos);
}

// pip applies --only-binary and --no-binary in the order it reads them: the last one for a project wins,
// and :all: resets what came before it.
TEST_F(LockCommand, BinaryOptionsApplyInCommandLineOrder) {
  Outcome first = lock({"--no-header", "--only-binary", ":all:", "--no-binary", "foo"});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("--only-binary :all:\n--no-binary foo\n"), std::string::npos) << first.out;
  Outcome reversed = lock({"--no-header", "--no-binary", "foo", "--only-binary", ":all:"});
  ASSERT_EQ(reversed.code, 0) << reversed.err;
  EXPECT_NE(reversed.out.find("--only-binary :all:\n"), std::string::npos) << reversed.out;
  EXPECT_EQ(reversed.out.find("--no-binary foo"), std::string::npos) << reversed.out;
}

// A mistyped file name is not looked up as a project on the indexes (a squatter may wait there).
TEST_F(LockCommand, AMissingFileIsNotAProjectName) {
  for (std::string typo : {"requirments.txt", "dist/x-1.0-py3-none-any.whl", "./reqs"}) {
    Outcome r = lock({typo});
    EXPECT_EQ(r.code, 2) << typo;
    EXPECT_EQ(r.err, "thoth: error: '" + typo +
                         "' looks like a file name, but there is no such file (check the name, or give a project name)\n");
  }
}

// pip-compile makes an empty lock of an empty requirements.in; only a command line without any input
// is a mistake.
TEST_F(LockCommand, AnEmptyFileLocksNothing) {
  const std::string empty = (dir_ / "empty.in").string();
  std::ofstream(empty) << "# nothing yet\n";
  Outcome r = run({"lock", "-r", empty, "--no-header", "--python-version", "3.11", "--platform",
                   "manylinux_2_17_x86_64", "--no-index", "--cache-dir", (dir_ / "cache").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  Outcome none = run({"lock", "--no-index"});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("nothing to lock"), std::string::npos) << none.err;
}

// pip checks Requires-Python against sys.version_info[:3]: a release candidate of 3.11 is 3.11.0 there,
// and `>=3.7` admits it (a pre-release comparison would exclude it).
TEST_F(LockCommand, AReleaseCandidateInterpreterMeetsRequiresPython) {
  const std::string target = (dir_ / "rc.json").string();
  std::ofstream(target) << R"({"python_version": "3.11", "platform": "manylinux_2_17_x86_64",
                               "markers": {"python_full_version": "3.11.0rc1"}})";
  Outcome r = run({"lock", "templar", "--no-header", "--target-env", target, "--index-url",
                   "file://" + kSource + "/examples/mirror/simple", "--cache-dir", (dir_ / "cache").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("templar==3.1.3"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace thoth::cli
