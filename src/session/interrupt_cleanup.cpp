#include "session/interrupt_cleanup.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/signals.hpp"

namespace thoth::session_detail {

namespace {

// The registered path, in static storage: a signal handler may read it but not allocate. `armed` is set
// after the path is complete and cleared before it changes, so the handler never sees half a path.
char g_path[PATH_MAX + 1];
std::atomic<bool> g_armed{false};
std::atomic<bool> g_installed{false};

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void on_signal(int sig) {
  // Only async-signal-safe calls here (POSIX 2.4.3): unlink, sigaction, raise.
  if (g_armed.exchange(false)) ::unlink(g_path);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);  // delivered when the handler returns: the process ends with the signal's status
}

void install_handlers() {
  if (g_installed.exchange(true)) return;
  for (int sig : kSignals) base::handle_signal_if_default(sig, on_signal);
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

RemovedOnSignal::RemovedOnSignal(const std::string& path) {
  install_handlers();
  g_armed.store(false);
  if (path.size() > PATH_MAX) return;  // cannot be a path open() accepted
  std::memcpy(g_path, path.c_str(), path.size() + 1);
  g_armed.store(true);
}

RemovedOnSignal::~RemovedOnSignal() { g_armed.store(false); }

void remove_stale_temporaries(const std::string& dir, const std::string& base) {
  namespace fs = std::filesystem;
  const std::string prefix = "." + base + ".tmp.";
  std::error_code ec;
  for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string_view rest = std::string_view(name).substr(prefix.size());
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos || !all_digits(rest.substr(0, dot)) || !all_digits(rest.substr(dot + 1))) continue;
    if (dot > 9) continue;  // not a pid
    const pid_t pid = static_cast<pid_t>(std::stol(std::string(rest.substr(0, dot))));
    // Gone: kill(pid, 0) finds no such process. EPERM means it exists (another user's).
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    if (it->is_regular_file(ignored)) fs::remove(it->path(), ignored);
  }
}

}  // namespace thoth::session_detail
