// The small-block pool behind the program's operator new (cli/small_blocks.hpp). The pool is one per
// process, so the tests run in order: off, started with a small range, used up, shared by threads.
#include "cli/small_blocks.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace thoth::cli {
namespace {

constexpr std::size_t kRange = 4 << 20;  // 64 spans of 64 KiB

// What operator new and delete do with the pool.
void* take(std::size_t size) {
  if (size <= kSmallBlockMax)
    if (void* p = small_block_alloc(size)) return p;
  return std::malloc(size == 0 ? 1 : size);
}
void give_back(void* p) {
  if (!small_block_free(p)) std::free(p);
}

// CTest runs each test in a process of its own, gtest all of them in one: each test but the first
// starts the pool if this process has not yet.
bool started = false;
void ensure_started() {
  if (!started) {
    ASSERT_TRUE(start_small_blocks(kRange));
  }
  started = true;
}

TEST(SmallBlocks, OffUntilStarted) {
  if (started) GTEST_SKIP() << "started by an earlier test of this process";
  EXPECT_EQ(small_block_alloc(16), nullptr);
  void* p = std::malloc(16);
  EXPECT_FALSE(small_block_free(p));
  EXPECT_FALSE(small_block_free(nullptr));
  std::free(p);
}

TEST(SmallBlocks, EverySizeIsAlignedDistinctAndReused) {
  ensure_started();
  EXPECT_FALSE(start_small_blocks(kRange));  // once per process
  std::vector<std::pair<unsigned char*, std::size_t>> blocks;
  for (std::size_t size = 0; size <= kSmallBlockMax; ++size) {
    auto* p = static_cast<unsigned char*>(small_block_alloc(size));
    ASSERT_NE(p, nullptr) << size;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 16, 0u) << size;
    std::memset(p, static_cast<int>(size & 0xff), size);
    blocks.emplace_back(p, size);
  }
  EXPECT_EQ(small_block_alloc(kSmallBlockMax + 1), nullptr);
  // No block overlaps another: each still holds its own pattern.
  for (const auto& [p, size] : blocks) {
    for (std::size_t i = 0; i < size; ++i) ASSERT_EQ(p[i], size & 0xff) << size;
  }
  // Freed without its size, a block returns to its own class, and comes back first.
  for (const auto& [p, size] : blocks) EXPECT_TRUE(small_block_free(p));
  EXPECT_EQ(small_block_alloc(80), blocks[80].first);
  EXPECT_EQ(small_block_alloc(65), blocks[79].first);  // 65..80 bytes: the same class; last freed first
  void* other = small_block_alloc(96);
  EXPECT_NE(other, blocks[80].first);
  EXPECT_NE(other, blocks[79].first);
}

TEST(SmallBlocks, UsedUpRangeFallsBackToMalloc) {
  ensure_started();
  // 64 KiB spans of 256-byte blocks: the 4 MiB range holds at most 16,384 of them.
  std::vector<void*> blocks;
  std::size_t from_pool = 0;
  for (int i = 0; i < 20000; ++i) {
    void* p = small_block_alloc(256);
    if (p == nullptr) break;
    ++from_pool;
    blocks.push_back(p);
  }
  EXPECT_LE(from_pool, kRange / 256);
  EXPECT_GT(from_pool, 0u);
  EXPECT_EQ(small_block_alloc(256), nullptr);
  void* fallback = take(256);
  ASSERT_NE(fallback, nullptr);
  EXPECT_FALSE(small_block_free(fallback));  // not the pool's: freed by the caller
  std::free(fallback);
  // Blocks freed back are handed out again even now.
  for (void* p : blocks) EXPECT_TRUE(small_block_free(p));
  EXPECT_NE(small_block_alloc(256), nullptr);
}

// Threads allocate, hand blocks to each other and free them; every block keeps its contents until
// freed (no block is ever given to two owners).
TEST(SmallBlocks, ThreadsShareThePool) {
  ensure_started();
  constexpr int kThreads = 4;
  constexpr int kRounds = 20000;
  std::vector<std::vector<std::pair<unsigned char*, std::size_t>>> handed(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> corrupt{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &handed, &corrupt] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::vector<std::pair<unsigned char*, std::size_t>> mine;
      for (int i = 0; i < kRounds; ++i) {
        const std::size_t size = rng() % (kSmallBlockMax + 1);
        auto* p = static_cast<unsigned char*>(take(size));
        std::memset(p, t + 1, size);
        mine.emplace_back(p, size);
        if (mine.size() > 200) {
          const auto [q, n] = mine[rng() % mine.size()];
          for (std::size_t k = 0; k < n; ++k)
            if (q[k] != t + 1) ++corrupt;
          give_back(q);
          mine.erase(std::find(mine.begin(), mine.end(), std::make_pair(q, n)));
        }
      }
      handed[static_cast<std::size_t>(t)] = std::move(mine);
    });
  }
  for (auto& th : threads) th.join();
  // Blocks made by the other threads are checked and freed here.
  std::set<unsigned char*> seen;
  for (int t = 0; t < kThreads; ++t) {
    for (const auto& [p, n] : handed[static_cast<std::size_t>(t)]) {
      EXPECT_TRUE(seen.insert(p).second) << "a block given twice";
      for (std::size_t k = 0; k < n; ++k)
        if (p[k] != t + 1) ++corrupt;
      give_back(p);
    }
  }
  EXPECT_EQ(corrupt.load(), 0);
}

}  // namespace
}  // namespace thoth::cli
