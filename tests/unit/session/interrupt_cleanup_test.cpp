// The temporary beside an -o file: removed by SIGINT/SIGTERM/SIGHUP while registered, and swept on a
// later run when the process that made it is gone.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "session/interrupt_cleanup.hpp"

namespace thoth::session_detail {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/thoth-interrupt-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path); }
};

void touch(const fs::path& p) { std::ofstream(p) << "partial"; }

// A child registers `file` and is killed by `sig` while it is registered: the file is gone and the
// child ended by that signal (the default action, as without the handler).
void expect_removed_by(int sig) {
  TempDir dir;
  const fs::path file = dir.path / ".out.txt.tmp.1.2";
  touch(file);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RemovedOnSignal guard(file.string());
    ::raise(sig);
    ::_exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), sig);
  EXPECT_FALSE(fs::exists(file)) << sig;
}

TEST(InterruptCleanup, SignalRemovesTheRegisteredFile) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) expect_removed_by(sig);
}

TEST(InterruptCleanup, UnregisteredFileStays) {
  TempDir dir;
  const fs::path file = dir.path / "kept";
  touch(file);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    { RemovedOnSignal guard(file.string()); }
    ::raise(SIGTERM);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_TRUE(fs::exists(file));
}

TEST(InterruptCleanup, StaleTemporariesOfDeadProcessesAreSwept) {
  TempDir dir;
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);  // reaped: no such process any more
  const std::string mine = std::to_string(::getpid());
  const fs::path stale = dir.path / (".lock.txt.tmp." + std::to_string(dead) + ".123");
  const fs::path live = dir.path / (".lock.txt.tmp." + mine + ".456");
  const fs::path other_file = dir.path / (".other.txt.tmp." + std::to_string(dead) + ".1");
  const fs::path not_ours = dir.path / (".lock.txt.tmp." + std::to_string(dead) + ".x");
  for (const fs::path& p : {stale, live, other_file, not_ours}) touch(p);
  remove_stale_temporaries(dir.path.string(), "lock.txt");
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));        // its process runs
  EXPECT_TRUE(fs::exists(other_file));  // another output's: swept when that one is written
  EXPECT_TRUE(fs::exists(not_ours));    // not the pattern thoth writes
}

}  // namespace
}  // namespace thoth::session_detail
