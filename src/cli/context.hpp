// What every command receives: the standard streams, the global flags and a snapshot of the process
// environment. Commands read these instead of std::cout or getenv(), so there is no global state and a
// test can run a command against string streams and a made-up environment.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/session.hpp"

namespace thoth::cli {

enum class Verbosity { Quiet, Normal, Verbose };

struct Context {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  std::map<std::string, std::string> env;  // the process environment when the program started
  Verbosity verbosity = Verbosity::Normal;
  // Standard error is a terminal (set by main()): tables and progress for people go there, nothing of
  // the kind in pipes and CI.
  bool err_is_terminal = false;
  // Set by main(): the process ends when the command returns. keep_until_exit() then leaves a run's
  // big structures to the operating system instead of freeing them one by one (clang's -disable-free:
  // tearing down every parsed listing of a warm lock costs more than a tenth of the run). Tests that
  // call run() in-process leave it false and everything is destroyed as usual.
  bool process_exits_after_run = false;
  // Set by main(): the program's arguments as given (argv, the program first). Empty when run()
  // is called in-process; what depends on the whole command line (the resolution memo) is then off.
  std::vector<std::string> command_line = {};

  // Takes `object` out of normal destruction when process_exits_after_run, else leaves it alone. Kept
  // objects stay reachable from a static list (so leak checkers do not report them) and are never
  // destroyed: only objects whose destructors merely release memory belong here.
  template <typename T>
  void keep_until_exit(std::unique_ptr<T>& object) const {
    if (process_exits_after_run && object) keep(std::shared_ptr<void>(std::move(object)));
  }
  // The same for objects a session hands out (Session::release_for_exit).
  void keep_until_exit(std::vector<std::shared_ptr<void>> objects) const {
    if (!process_exits_after_run) return;
    for (std::shared_ptr<void>& o : objects) keep(std::move(o));
  }

  // The value of an environment variable, or nullopt when it is unset.
  std::optional<std::string> getenv(const std::string& name) const;

  // A progress or diagnostic line on stderr, shown only with -v.
  void note(const std::string& line) const;
  // "thoth: warning: ..." on stderr, unless -q.
  void warning(std::string_view text) const;

 private:
  static void keep(std::shared_ptr<void> object);
};

// A display drawn at the bottom of standard error and redrawn in place (cli/progress_display.hpp):
// the command's messages are written above it, so that a redraw never erases or splits them.
class BottomDisplay {
 public:
  virtual ~BottomDisplay() = default;
  // Takes the display off the screen, calls `write` (which writes whole lines to standard error) and
  // draws the display again below them.
  virtual void write_above(const std::function<void()>& write) = 0;
};

// What a command hands its Session: the context's environment snapshot and standard input, and its
// messages printed as the context says (warnings unless -q, notes with -v). Lives as long as the
// command runs.
class CommandEnvironment final : public Messages {
 public:
  explicit CommandEnvironment(const Context& ctx) : ctx_(ctx) {
    session_.env = ctx.env;
    session_.in = &ctx.in;
    session_.messages = this;
    session_.verbose = ctx.verbosity == Verbosity::Verbose;
  }
  CommandEnvironment(const CommandEnvironment&) = delete;
  CommandEnvironment& operator=(const CommandEnvironment&) = delete;

  const SessionEnvironment& session() const { return session_; }
  // A progress display for the session's downloads and builds, which the messages are written above
  // (it must outlive the session's use of it).
  void set_progress(DownloadProgress* downloads, BuildProgress* builds, BottomDisplay* display) {
    session_.progress = downloads;
    session_.build_progress = builds;
    display_ = display;
  }
  void warning(std::string_view text) override {
    ++warnings_;
    above([&] { ctx_.warning(text); });
  }
  // How many warnings were given so far.
  std::size_t warnings() const { return warnings_; }
  void note(std::string_view text) override {
    if (ctx_.verbosity == Verbosity::Verbose) above([&] { ctx_.note(std::string(text)); });
  }

 private:
  void above(const std::function<void()>& write) {
    if (display_ != nullptr) {
      display_->write_above(write);
    } else {
      write();
    }
  }

  const Context& ctx_;
  SessionEnvironment session_;
  BottomDisplay* display_ = nullptr;
  std::size_t warnings_ = 0;
};

// Snapshot of `environ` (name=value pairs).
std::map<std::string, std::string> environment_snapshot(const char* const* environ_ptr);

}  // namespace thoth::cli
