#include "cli/progress_display.hpp"

#include <algorithm>
#include <cstdio>

namespace thoth::cli {
namespace {

constexpr std::size_t kMaxFileLines = 8;  // more active downloads are summed up in one line
constexpr std::size_t kWidth = 79;        // lines longer than a terminal's width would wrap and break redrawing
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string size_text(std::uint64_t bytes) {
  char buf[32];
  if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  }
  return buf;
}

std::string fit(std::string line) {
  if (line.size() > kWidth) line = line.substr(0, kWidth - 3) + "...";
  return line;
}

// One indented line: `text` (cut with "..." where it is too long) and `amount` flush right.
std::string row(std::string text, const std::string& amount) {
  const std::size_t room = kWidth > amount.size() + 4 ? kWidth - amount.size() - 4 : 0;
  if (text.size() > room) text = text.substr(0, room > 3 ? room - 3 : 0) + "...";
  text.resize(std::max(text.size(), room), ' ');
  return fit("  " + text + "  " + amount);
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& err, Clock clock, std::chrono::milliseconds tick)
    : err_(err), clock_(std::move(clock)), tick_(tick), start_(clock_()) {}

ProgressDisplay::~ProgressDisplay() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  erase_locked();
}

void ProgressDisplay::received(const std::string& filename, std::uint64_t received, std::uint64_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.name == filename; });
  if (it == active_.end()) it = active_.insert(active_.end(), Active{filename, 0, 0});
  it->received = received;
  it->total = total;
  draw_locked(false);
}

void ProgressDisplay::finished(const std::string& filename) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.name == filename; });
  ++done_files_;
  if (it != active_.end()) {
    done_bytes_ += it->received;
    active_.erase(it);
  }
  draw_locked(!busy_locked());
}

void ProgressDisplay::build_started(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  builds_.push_back({what, clock_()});
  if (tick_.count() > 0 && !ticker_.joinable()) {
    ticker_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stopping_) {
        wake_.wait_for(lock, tick_);
        if (!stopping_ && !builds_.empty()) draw_locked(false);
      }
    });
  }
  draw_locked(true);
}

void ProgressDisplay::build_finished(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(builds_.begin(), builds_.end(), [&](const Build& b) { return b.what == what; });
  if (it != builds_.end()) builds_.erase(it);
  ++builds_done_;
  draw_locked(true);
}

void ProgressDisplay::write_above(const std::function<void()>& write) {
  std::lock_guard<std::mutex> lock(mutex_);
  erase_locked();
  write();
  draw_locked(true);
}

void ProgressDisplay::tick() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (busy_locked()) draw_locked(false);
}

std::vector<std::string> ProgressDisplay::lines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return render_locked();
}

std::vector<std::string> ProgressDisplay::render_locked() const {
  std::vector<std::string> out;
  std::uint64_t active_bytes = 0;
  for (std::size_t i = 0; i < active_.size(); ++i) {
    const Active& a = active_[i];
    active_bytes += a.received;
    if (i < kMaxFileLines) {
      std::string amount = size_text(a.received);
      if (a.total != 0) amount += " / " + size_text(a.total);
      out.push_back(row(a.name, amount));
    }
  }
  if (active_.size() > kMaxFileLines) out.push_back("  ... and " + std::to_string(active_.size() - kMaxFileLines) + " more");
  const auto now = clock_();
  for (const Build& b : builds_) {
    // Whole seconds: a build takes seconds to minutes, and a tenth flickering by says nothing.
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.0f s", std::chrono::duration<double>(now - b.start).count());
    out.push_back(row("building " + b.what, seconds));
  }
  // The totals say what has happened: downloads (once there were any), builds (likewise).
  std::string tail;
  char part[96];
  if (!active_.empty() || done_files_ != 0 || builds_.empty()) {
    std::snprintf(part, sizeof part, "downloading: %zu active, %zu done, %s", active_.size(), done_files_,
                  size_text(done_bytes_ + active_bytes).c_str());
    tail = part;
  }
  if (!builds_.empty() || builds_done_ != 0) {
    std::snprintf(part, sizeof part, "building: %zu active, %zu done", builds_.size(), builds_done_);
    tail += (tail.empty() ? "" : "; ") + std::string(part);
  }
  std::snprintf(part, sizeof part, ", %.1f s", std::chrono::duration<double>(now - start_).count());
  out.push_back(fit(tail + part));
  return out;
}

void ProgressDisplay::erase_locked() {
  if (drawn_lines_ == 0) return;
  // ECMA-48: CPL (cursor to the start of the line N lines up), then ED (erase to the end of screen).
  err_ << "\x1b[" << drawn_lines_ << "F\x1b[J" << std::flush;
  drawn_lines_ = 0;
}

void ProgressDisplay::draw_locked(bool force) {
  const auto now = clock_();
  if (!force && drawn_lines_ != 0 && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  erase_locked();
  if (!busy_locked()) return;  // nothing in flight: leave the screen clean
  const std::vector<std::string> block = render_locked();
  for (const std::string& line : block) err_ << line << '\n';
  err_ << std::flush;
  drawn_lines_ = block.size();
}

void show_progress(std::optional<ProgressDisplay>& slot, const Context& ctx, CommandEnvironment& env) {
  if (!ctx.err_is_terminal || ctx.verbosity == Verbosity::Quiet) return;
  slot.emplace(ctx.err);
  env.set_progress(&*slot, &*slot, &*slot);
}

}  // namespace thoth::cli
