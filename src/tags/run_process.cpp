// Runs one program without a shell and collects its output (used once per probe).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <vector>

#include "tags/interpreter_facts.hpp"

extern char** environ;

namespace thoth::probe_detail {

namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

[[noreturn]] void fail(const std::string& program, const std::string& why) {
  throw TagError("cannot probe interpreter " + program + ": " + why);
}

std::string errno_text(int err) { return std::strerror(err); }

// One line of a failed process's stderr to quote: for a Python traceback its last line (the
// exception), otherwise its first (e.g. a pyenv shim's "pyenv: python3.8: command not found").
std::string stderr_summary(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    std::size_t b = line.find_first_not_of(" \t\r");
    if (b != std::string_view::npos) lines.push_back(line.substr(b, line.find_last_not_of(" \t\r") - b + 1));
    start = nl + 1;
  }
  if (lines.empty()) return "";
  return std::string(lines.front().starts_with("Traceback") ? lines.back() : lines.front());
}

}  // namespace

std::string run_capture(const std::vector<std::string>& argv, int timeout_seconds) {
  const std::string& program = argv.at(0);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) fail(program, "pipe: " + errno_text(errno));
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) fail(program, "pipe: " + errno_text(errno));
  Fd err_r{err_pipe[0]}, err_w{err_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) fail(program, "cannot run it: " + errno_text(rc));
  out_w.reset();
  err_w.reset();

  // Read both pipes until they close, so a chatty stderr cannot block the child.
  std::string out, err;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[8192];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        (i == 0 ? out_r : err_r).reset();
      } else {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(got));
      }
    }
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) fail(program, "no answer within " + std::to_string(timeout_seconds) + " seconds");
  if (WIFSIGNALED(status)) fail(program, "killed by signal " + std::to_string(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = "it exited with status " + std::to_string(WEXITSTATUS(status));
    std::string detail = stderr_summary(err);
    if (!detail.empty()) why += " (" + detail + ")";
    fail(program, why);
  }
  return out;
}

}  // namespace thoth::probe_detail
