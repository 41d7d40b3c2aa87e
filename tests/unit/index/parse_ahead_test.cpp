// ParseAhead (index/parse_ahead.hpp): every page queued is parsed exactly once, by the thread or by
// the caller that asks for it first; errors reach the caller; nothing is left running at destruction.
#include "index/parse_ahead.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

namespace thoth::idx {
namespace {

ListingSource::Listing listing_of(int versions) {
  ListingSource::Listing l;
  l.found = true;
  l.candidates.resize(static_cast<std::size_t>(versions));
  return l;
}

TEST(ParseAhead, EveryPageOnceWhoeverParsesIt) {
  std::atomic<int> runs{0};
  ParseAhead ahead;
  for (int i = 0; i < 200; ++i) {
    ahead.add("p" + std::to_string(i), [&runs, i] {
      ++runs;
      return listing_of(i % 7);
    });
  }
  EXPECT_TRUE(ahead.has("p5"));
  // Asked for in another order than queued: some are taken before the thread reaches them.
  for (int i = 199; i >= 0; --i) {
    auto l = ahead.take("p" + std::to_string(i));
    ASSERT_TRUE(l) << i;
    EXPECT_EQ(l->candidates.size(), static_cast<std::size_t>(i % 7));
    EXPECT_FALSE(ahead.has("p" + std::to_string(i)));
    EXPECT_FALSE(ahead.take("p" + std::to_string(i)));  // once
  }
  EXPECT_EQ(runs.load(), 200);
  EXPECT_FALSE(ahead.take("never-added"));
}

TEST(ParseAhead, ATakeWaitsForThePageBeingParsed) {
  ParseAhead ahead;
  std::promise<void> started, release;
  std::shared_future<void> go = release.get_future().share();
  ahead.add("slow", [&started, go] {
    started.set_value();
    go.wait();
    return listing_of(3);
  });
  started.get_future().wait();  // the thread has it now
  std::thread later([&release] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    release.set_value();
  });
  auto l = ahead.take("slow");
  later.join();
  ASSERT_TRUE(l);
  EXPECT_EQ(l->candidates.size(), 3u);
}

TEST(ParseAhead, ErrorsReachTheCaller) {
  ParseAhead ahead;
  ahead.add("bad", []() -> ListingSource::Listing { throw IndexError("the index page x is broken"); });
  EXPECT_THROW(ahead.take("bad"), IndexError);
}

TEST(ParseAhead, DestroyedWithPagesStillQueued) {
  std::atomic<int> runs{0};
  {
    ParseAhead ahead;
    for (int i = 0; i < 50; ++i) {
      ahead.add("p" + std::to_string(i), [&runs] {
        ++runs;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return listing_of(1);
      });
    }
  }
  EXPECT_LE(runs.load(), 50);  // the thread stopped; what it had not started is dropped
}

}  // namespace
}  // namespace thoth::idx
