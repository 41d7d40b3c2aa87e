// The terminal progress display of downloads and builds (cli/progress_display.hpp), driven with a fake
// clock.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

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

TEST(ProgressDisplay, OneLinePerBuildWithItsElapsedTime) {
  std::ostringstream err;
  FakeClock clock;
  ProgressDisplay display(err, clock.fn(), std::chrono::milliseconds(0));
  clock.now += std::chrono::seconds(2);
  display.build_started("foo 1.0 (sdist)");
  EXPECT_NE(err.str().find("building foo 1.0 (sdist)"), std::string::npos);  // drawn at once
  clock.now += std::chrono::milliseconds(12'400);
  // A build requirement built inside it: both are under way.
  display.build_started("bar 2.0 (sdist, metadata)");
  clock.now += std::chrono::seconds(3);
  auto lines = display.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("  building foo 1.0 (sdist)  ", 0), 0u) << lines[0];
  EXPECT_TRUE(lines[0].ends_with("  15 s")) << lines[0];
  EXPECT_EQ(lines[0].size(), 79u);  // the seconds flush right, as a download's bytes
  EXPECT_TRUE(lines[1].ends_with(" 3 s")) << lines[1];
  EXPECT_NE(lines[1].find("building bar 2.0 (sdist, metadata)"), std::string::npos);
  EXPECT_EQ(lines[2], "building: 2 active, 0 done, 17.4 s");  // no downloads yet: none in the totals
  display.build_finished("bar 2.0 (sdist, metadata)");
  display.received("a.whl", 1'000, 2'000);
  lines = display.lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("a.whl"), std::string::npos);
  EXPECT_NE(lines[1].find("building foo 1.0 (sdist)"), std::string::npos);
  EXPECT_EQ(lines[2], "downloading: 1 active, 0 done, 1.0 kB; building: 1 active, 1 done, 17.4 s");
  // A long name is cut, the time stays.
  display.build_started(std::string(100, 'x') + " 1.0 (sdist)");
  lines = display.lines();
  EXPECT_TRUE(lines[2].ends_with("...  0 s")) << lines[2];
  EXPECT_LE(lines[2].size(), 79u);
}

TEST(ProgressDisplay, ABuildsTimeMovesOnEachTickAndTheLastBuildErasesTheDisplay) {
  std::ostringstream err;
  FakeClock clock;
  ProgressDisplay display(err, clock.fn(), std::chrono::milliseconds(0));
  display.build_started("foo 1.0 (sdist)");
  const std::size_t drawn = err.str().size();
  display.tick();  // too soon after the last drawing
  EXPECT_EQ(err.str().size(), drawn);
  clock.now += std::chrono::seconds(7);
  display.tick();
  EXPECT_NE(err.str().find("\x1b[2F\x1b[J", drawn), std::string::npos);  // redrawn in place
  EXPECT_NE(err.str().find("  7 s\n", drawn), std::string::npos);
  display.build_finished("foo 1.0 (sdist)");
  EXPECT_TRUE(err.str().ends_with("\x1b[2F\x1b[J"));
  const std::size_t erased = err.str().size();
  display.tick();  // nothing under way: nothing drawn
  EXPECT_EQ(err.str().size(), erased);
}

// A message (a warning, what a backend prints with -v) goes above the display, which is drawn again
// below it: a redraw erases the display's own lines only.
TEST(ProgressDisplay, MessagesAreWrittenAboveIt) {
  std::ostringstream err;
  FakeClock clock;
  ProgressDisplay display(err, clock.fn(), std::chrono::milliseconds(0));
  display.write_above([&] { err << "before anything\n"; });
  EXPECT_EQ(err.str(), "before anything\n");  // nothing drawn: nothing to erase or redraw
  display.build_started("foo 1.0 (sdist)");
  const std::size_t drawn = err.str().size();
  display.write_above([&] { err << "thoth:   compiling foo.c\n"; });
  const std::string after = err.str().substr(drawn);
  EXPECT_EQ(after.rfind("\x1b[2F\x1b[Jthoth:   compiling foo.c\n  building foo 1.0 (sdist)", 0), 0u) << after;
}

TEST(ProgressDisplay, TheTickingThreadRedrawsARunningBuild) {
  std::ostringstream err;
  // Read by the ticking thread while the test moves it.
  std::atomic<std::chrono::steady_clock::rep> now{0};
  auto clock = [&now] { return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(now.load())); };
  {
    ProgressDisplay display(err, clock, std::chrono::milliseconds(1));
    display.build_started("foo 1.0 (sdist)");
    now += std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(5)).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Nobody but the ticking thread has drawn since the build started (read under the display's lock).
    display.write_above([&] { EXPECT_NE(err.str().find("  5 s\n"), std::string::npos) << err.str(); });
    display.build_finished("foo 1.0 (sdist)");
  }
  EXPECT_TRUE(err.str().ends_with("\x1b[2F\x1b[J"));
}

TEST(ProgressDisplay, NotShownOffATerminalOrWithQuiet) {
  std::istringstream in;
  std::ostringstream out, err;
  Context ctx{in, out, err, {}};
  CommandEnvironment env(ctx);
  std::optional<ProgressDisplay> slot;
  show_progress(slot, ctx, env);
  EXPECT_FALSE(slot);
  EXPECT_EQ(env.session().progress, nullptr);
  EXPECT_EQ(env.session().build_progress, nullptr);
  ctx.err_is_terminal = true;
  ctx.verbosity = Verbosity::Quiet;
  show_progress(slot, ctx, env);
  EXPECT_FALSE(slot);
  ctx.verbosity = Verbosity::Normal;
  show_progress(slot, ctx, env);
  ASSERT_TRUE(slot);
  EXPECT_EQ(env.session().progress, &*slot);
  EXPECT_EQ(env.session().build_progress, &*slot);
}

}  // namespace
}  // namespace thoth::cli
