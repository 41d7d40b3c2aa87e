// Runs one program without a shell and collects its output (thoth/process.hpp).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <vector>

#include "tags/interpreter_facts.hpp"
#include "thoth/process.hpp"

extern char** environ;

namespace thoth {

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

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

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

std::string ProcessResult::failure(int timeout_seconds) const {
  if (!spawn_error.empty()) return "cannot run it: " + spawn_error;
  if (timed_out) return "no answer within " + std::to_string(timeout_seconds) + " seconds";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  if (exit_status == 0) return "";
  std::string why = "it exited with status " + std::to_string(exit_status);
  std::string detail = stderr_summary(err);
  if (!detail.empty()) why += " (" + detail + ")";
  return why;
}

ProcessResult run_process(const std::vector<std::string>& argv, int timeout_seconds, const OutputEcho& echo) {
  ProcessResult result;
  const std::string& program = argv.at(0);
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.spawn_error = "pipe: " + errno_text(errno);
    return result;
  }
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.spawn_error = "pipe: " + errno_text(errno);
    return result;
  }
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
  if (rc != 0) {
    result.spawn_error = errno_text(rc);
    return result;
  }
  out_w.reset();
  err_w.reset();

  // Read both pipes until they close, so a chatty stderr cannot block the child, and watch the child
  // itself: once it has exited, a process it left holding the pipes (a daemon it started) gets a short
  // grace to end the output, not the rest of the timeout.
  using Clock = std::chrono::steady_clock;
  constexpr auto kGrace = std::chrono::milliseconds(500);
  constexpr auto kCheckEvery = std::chrono::milliseconds(50);
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  bool reaped = false;
  auto reap = [&](int flags) {
    for (;;) {
      const pid_t got = ::waitpid(pid, &status, flags);
      if (got < 0 && errno == EINTR) continue;
      // got < 0: not our child any more, nothing to wait for.
      if (got == pid || got < 0) reaped = true;
      return;
    }
  };
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    if (!reaped) {
      reap(WNOHANG);
      if (reaped) deadline = std::min(deadline, Clock::now() + kGrace);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = !reaped;
      break;
    }
    pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
    int n = ::poll(fds, 2, static_cast<int>(std::min(left, kCheckEvery).count()));
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
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
        if (echo) echo(std::string_view(buf, static_cast<std::size_t>(got)));
      }
    }
  }
  // The pipes may close long before the process ends (it closed its output): its exit is waited for
  // within the same deadline, then it is killed. Without this a program that closes stdout and hangs
  // would keep thoth waiting forever.
  if (result.timed_out) ::kill(pid, SIGKILL);
  while (!reaped) {
    reap(result.timed_out ? 0 : WNOHANG);
    if (reaped) break;
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      continue;
    }
    ::usleep(10'000);
  }
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

}  // namespace thoth

namespace thoth::probe_detail {

std::string run_capture(const std::vector<std::string>& argv, int timeout_seconds) {
  ProcessResult result = run_process(argv, timeout_seconds);
  if (!result.ok())
    throw TagError("cannot probe interpreter " + argv.at(0) + ": " + result.failure(timeout_seconds));
  return std::move(result.out);
}

}  // namespace thoth::probe_detail
