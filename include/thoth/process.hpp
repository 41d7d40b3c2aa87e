// Running a program without a shell and collecting what it prints: the interpreter probes (tags/) and
// the installer's runs of the target interpreter (install/) go through it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace thoth {

struct ProcessResult {
  std::string spawn_error;  // non-empty: the program could not be started (then nothing else is set)
  bool timed_out = false;   // killed after the timeout
  int exit_status = 0;      // when it exited
  int signal = 0;           // non-zero when a signal ended it
  std::string out, err;

  bool ok() const { return spawn_error.empty() && !timed_out && signal == 0 && exit_status == 0; }
  // What went wrong, as one clause: "cannot run it: ...", "it exited with status 1 (KeyError: 'x')",
  // "killed by signal 9", "no answer within 30 seconds". Empty when ok().
  std::string failure(int timeout_seconds) const;
};

// Each piece of output as it is read, from either stream (for showing it live).
using OutputEcho = std::function<void(std::string_view chunk)>;

// Runs argv (argv[0] looked up on PATH if it has no '/') with stdin from /dev/null and both output
// streams collected (and handed to `echo` as they come, when given), killing it after
// `timeout_seconds`. Never throws for the child's failures.
ProcessResult run_process(const std::vector<std::string>& argv, int timeout_seconds, const OutputEcho& echo = {});

// One line of a failed process's stderr worth quoting: for a Python traceback its last line (the
// exception), otherwise its first.
std::string stderr_summary(std::string_view text);

}  // namespace thoth
