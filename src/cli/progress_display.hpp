// The progress people see on a terminal: one line per active download and one per build under way
// (with its elapsed time), then a line of totals and elapsed time, redrawn in place at most ten times a
// second and erased when done. Only made when standard error is a terminal and -q is not given (pipes,
// logs and CI see nothing). The command's messages are written above it (BottomDisplay).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "cli/context.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

class ProgressDisplay final : public DownloadProgress, public BuildProgress, public BottomDisplay {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `tick`: how often the display is redrawn while a build runs (a build reports nothing until it
  // ends, and its elapsed time must move); zero: never by itself (tests call tick()).
  explicit ProgressDisplay(std::ostream& err, Clock clock = std::chrono::steady_clock::now,
                           std::chrono::milliseconds tick = std::chrono::milliseconds(500));
  ~ProgressDisplay() override;  // erases what it drew
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void received(const std::string& filename, std::uint64_t received, std::uint64_t total) override;
  void finished(const std::string& filename) override;
  void build_started(const std::string& what) override;
  void build_finished(const std::string& what) override;
  void write_above(const std::function<void()>& write) override;

  // Redraws the display if something is under way and the last redraw is old enough (what the
  // ticking thread does).
  void tick();

  // The lines as they would be drawn now (without the cursor movements): for tests.
  std::vector<std::string> lines() const;

 private:
  struct Active {
    std::string name;
    std::uint64_t received = 0, total = 0;
  };
  struct Build {
    std::string what;
    std::chrono::steady_clock::time_point start;
  };

  std::vector<std::string> render_locked() const;
  void draw_locked(bool force);
  void erase_locked();
  bool busy_locked() const { return !active_.empty() || !builds_.empty(); }

  std::ostream& err_;
  Clock clock_;
  std::chrono::milliseconds tick_;
  std::chrono::steady_clock::time_point start_, last_draw_{};
  mutable std::mutex mutex_;
  std::vector<Active> active_;  // in the order they started
  std::size_t done_files_ = 0;
  std::uint64_t done_bytes_ = 0;
  std::vector<Build> builds_;   // in the order they started
  std::size_t builds_done_ = 0;
  std::size_t drawn_lines_ = 0;
  // Redraws while builds run; started by the first build, stopped by the destructor.
  std::thread ticker_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

// Makes `slot` a display for `env`'s downloads and builds, and the messages' place, when standard
// error is a terminal and -q is not given. `slot` must outlive the session that downloads.
void show_progress(std::optional<ProgressDisplay>& slot, const Context& ctx, CommandEnvironment& env);

}  // namespace thoth::cli
