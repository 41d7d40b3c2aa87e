// Installing a signal handler without taking a signal from someone else: an ignored signal (nohup)
// stays ignored, and a handler another part of the process (or a sanitizer) set stays theirs.
#pragma once

#include <signal.h>

namespace thoth::base {

// Sets `handler` for `sig` if its disposition is the default one; false when it left it alone.
inline bool handle_signal_if_default(int sig, void (*handler)(int)) {
  struct sigaction old {};
  if (::sigaction(sig, nullptr, &old) != 0) return false;
  if ((old.sa_flags & SA_SIGINFO) != 0 || old.sa_handler != SIG_DFL) return false;
  struct sigaction mine {};
  mine.sa_handler = handler;
  sigemptyset(&mine.sa_mask);
  return ::sigaction(sig, &mine, nullptr) == 0;
}

}  // namespace thoth::base
