// Temporary files that a signal must not leave behind: while one is registered, SIGINT, SIGTERM and
// SIGHUP remove it and then end the process as the signal would have (default action, re-raised).
// write_output() registers the temporary it renames over an -o file, so an interrupted lock leaves
// neither a partial output nor a ".NAME.tmp.PID.N" file beside it.
#pragma once

#include <string>

namespace thoth::session_detail {

class RemovedOnSignal {
 public:
  // Registers `path` (installing the handlers on first use, for signals not ignored and not already
  // handled by someone else). One file at a time: a second registration replaces the first.
  explicit RemovedOnSignal(const std::string& path);
  // Unregisters it: from here on the caller removes or renames the file.
  ~RemovedOnSignal();
  RemovedOnSignal(const RemovedOnSignal&) = delete;
  RemovedOnSignal& operator=(const RemovedOnSignal&) = delete;
};

// Removes ".BASE.tmp.PID.N" files in `dir` whose process PID no longer exists: left by a thoth killed
// with SIGKILL (or by a version without the handlers) while writing BASE. Best effort, silent.
void remove_stale_temporaries(const std::string& dir, const std::string& base);

}  // namespace thoth::session_detail
