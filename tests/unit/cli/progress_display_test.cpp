// The terminal download display (cli/progress_display.hpp), driven with a fake clock.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/progress_display.hpp"

namespace thoth::cli {
namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  ProgressDisplay::Clock fn() {
    return [this] { return now; };
  }
};

TEST(ProgressDisplay, OneLinePerActiveDownloadThenTotals) {
  std::ostringstream err;
  FakeClock clock;
  ProgressDisplay display(err, clock.fn());
  display.received("a-1.0-py3-none-any.whl", 500'000, 2'000'000);
  display.received("b-2.0.tar.gz", 1'000, 0);
  clock.now += std::chrono::milliseconds(1500);
  const auto lines = display.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("a-1.0-py3-none-any.whl"), std::string::npos);
  EXPECT_NE(lines[0].find("500.0 kB / 2.0 MB"), std::string::npos);
  EXPECT_NE(lines[1].find("b-2.0.tar.gz"), std::string::npos);
  EXPECT_EQ(lines[1].find(" / "), std::string::npos);  // unknown size: no total
  EXPECT_EQ(lines[2], "downloading: 2 active, 0 done, 501.0 kB, 1.5 s");
  for (const auto& l : lines) EXPECT_LE(l.size(), 79u);
}

TEST(ProgressDisplay, RedrawsInPlaceAtMostTenTimesASecondAndErasesWhenDone) {
  std::ostringstream err;
  FakeClock clock;
  {
    ProgressDisplay display(err, clock.fn());
    display.received("a.whl", 1, 10);
    const std::string first = err.str();
    EXPECT_NE(first.find("a.whl"), std::string::npos);
    display.received("a.whl", 2, 10);  // within 100 ms: not drawn
    EXPECT_EQ(err.str(), first);
    clock.now += std::chrono::milliseconds(150);
    display.received("a.whl", 5, 10);
    // Cursor up over the two drawn lines, erase, draw again.
    EXPECT_NE(err.str().find("\x1b[2F\x1b[J", first.size()), std::string::npos);
    display.finished("a.whl");
    EXPECT_TRUE(err.str().ends_with("\x1b[2F\x1b[J"));  // nothing in flight: the block is gone
  }
}

TEST(ProgressDisplay, ManyDownloadsAreSummedUp) {
  std::ostringstream err;
  FakeClock clock;
  ProgressDisplay display(err, clock.fn());
  for (int i = 0; i < 12; ++i) display.received("f" + std::to_string(i) + ".whl", 10, 100);
  display.finished("f0.whl");
  const auto lines = display.lines();
  ASSERT_EQ(lines.size(), 10u);  // 8 files, "... and 3 more", totals
  EXPECT_EQ(lines[8], "  ... and 3 more");
  EXPECT_NE(lines[9].find("11 active, 1 done"), std::string::npos);
}

TEST(ProgressDisplay, NotShownOffATerminalOrWithQuiet) {
  std::istringstream in;
  std::ostringstream out, err;
  Context ctx{in, out, err, {}};
  CommandEnvironment env(ctx);
  std::optional<ProgressDisplay> slot;
  show_download_progress(slot, ctx, env);
  EXPECT_FALSE(slot);
  EXPECT_EQ(env.session().progress, nullptr);
  ctx.err_is_terminal = true;
  ctx.verbosity = Verbosity::Quiet;
  show_download_progress(slot, ctx, env);
  EXPECT_FALSE(slot);
  ctx.verbosity = Verbosity::Normal;
  show_download_progress(slot, ctx, env);
  ASSERT_TRUE(slot);
  EXPECT_EQ(env.session().progress, &*slot);
}

}  // namespace
}  // namespace thoth::cli
