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

}  // namespace

ProgressDisplay::ProgressDisplay(std::ostream& err, Clock clock) : err_(err), clock_(std::move(clock)), start_(clock_()) {}

ProgressDisplay::~ProgressDisplay() {
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
  draw_locked(active_.empty());
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
      const std::size_t room = kWidth > amount.size() + 4 ? kWidth - amount.size() - 4 : 0;
      std::string name = a.name.size() > room ? a.name.substr(0, room > 3 ? room - 3 : 0) + "..." : a.name;
      name.resize(std::max(name.size(), room), ' ');
      out.push_back(fit("  " + name + "  " + amount));
    }
  }
  if (active_.size() > kMaxFileLines) out.push_back("  ... and " + std::to_string(active_.size() - kMaxFileLines) + " more");
  const double elapsed = std::chrono::duration<double>(clock_() - start_).count();
  char tail[96];
  std::snprintf(tail, sizeof tail, "downloading: %zu active, %zu done, %s, %.1f s", active_.size(), done_files_,
                size_text(done_bytes_ + active_bytes).c_str(), elapsed);
  out.push_back(fit(tail));
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
  if (active_.empty()) return;  // nothing in flight: leave the screen clean
  const std::vector<std::string> block = render_locked();
  for (const std::string& line : block) err_ << line << '\n';
  err_ << std::flush;
  drawn_lines_ = block.size();
}

void show_download_progress(std::optional<ProgressDisplay>& slot, const Context& ctx, CommandEnvironment& env) {
  if (!ctx.err_is_terminal || ctx.verbosity == Verbosity::Quiet) return;
  slot.emplace(ctx.err);
  env.set_progress(&*slot);
}

}  // namespace thoth::cli
