// The download progress people see on a terminal: one line per active download, then a line of
// totals and elapsed time, redrawn in place at most ten times a second and erased when done. Only
// made when standard error is a terminal and -q is not given (pipes, logs and CI see nothing).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

class ProgressDisplay final : public DownloadProgress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit ProgressDisplay(std::ostream& err, Clock clock = std::chrono::steady_clock::now);
  ~ProgressDisplay() override;  // erases what it drew
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void received(const std::string& filename, std::uint64_t received, std::uint64_t total) override;
  void finished(const std::string& filename) override;

  // The lines as they would be drawn now (without the cursor movements): for tests.
  std::vector<std::string> lines() const;

 private:
  struct Active {
    std::string name;
    std::uint64_t received = 0, total = 0;
  };

  std::vector<std::string> render_locked() const;
  void draw_locked(bool force);
  void erase_locked();

  std::ostream& err_;
  Clock clock_;
  std::chrono::steady_clock::time_point start_, last_draw_{};
  mutable std::mutex mutex_;
  std::vector<Active> active_;  // in the order they started
  std::size_t done_files_ = 0;
  std::uint64_t done_bytes_ = 0;
  std::size_t drawn_lines_ = 0;
};

// Makes `slot` a display for `env`'s downloads when standard error is a terminal and -q is not given.
// `slot` must outlive the session that downloads.
void show_download_progress(std::optional<ProgressDisplay>& slot, const Context& ctx, CommandEnvironment& env);

}  // namespace thoth::cli
