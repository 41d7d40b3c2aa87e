// The heap made resident as it grows (cli/resident_heap.hpp): memory malloc obtained from the kernel
// is in place before the program first touches it.
#include "cli/resident_heap.hpp"

#include <gtest/gtest.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace thoth::cli {
namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

constexpr std::size_t kBlock = 64 << 10;  // below any mmap threshold: comes from the heap
constexpr std::size_t kBlocks = 512;      // 32 MiB, more than the first steps: the heap must grow

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kOwnAllocator = true;  // the sanitizer's malloc never moves the break
#else
constexpr bool kOwnAllocator = false;
#endif

TEST(ResidentHeap, GrowthIsPopulatedBeforeFirstTouch) {
  if (kOwnAllocator) GTEST_SKIP() << "the sanitizer's allocator does not use brk";
  if (!start_resident_heap()) GTEST_SKIP() << "kernel without MADV_POPULATE_WRITE";
  std::vector<char*> blocks;
  for (std::size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(static_cast<char*>(std::malloc(kBlock)));
    ASSERT_NE(blocks.back(), nullptr);
    populate_heap_growth();
  }
  const long before = minor_faults();
  for (char* b : blocks) std::memset(b, 1, kBlock);
  const long faults = minor_faults() - before;
  for (char* b : blocks) std::free(b);
  // Unpopulated, each of the 8,192 pages would fault once.
  const long pages = static_cast<long>(kBlocks * kBlock / static_cast<std::size_t>(sysconf(_SC_PAGESIZE)));
  EXPECT_LT(faults, pages / 20) << faults << " faults for " << pages << " pages";
}

// A reserve, then more than it holds: allocating as operator new does (note_allocation after each
// block) extends it step by step, and every block is resident before it is first written.
TEST(ResidentHeap, ReserveIsExtendedAndResidentBeforeFirstTouch) {
  if (kOwnAllocator) GTEST_SKIP() << "the sanitizer's allocator does not use brk";
  if (!start_resident_heap()) GTEST_SKIP() << "kernel without MADV_POPULATE_WRITE";
  // Use up what the heap has free, so that the reserve has to grow it.
  std::vector<char*> filler;
  while (mallinfo2().keepcost > kBlock) filler.push_back(static_cast<char*>(std::malloc(kBlock)));
  const std::size_t before_arena = mallinfo2().arena;
  reserve_resident_heap(2 << 20);
  EXPECT_GE(mallinfo2().keepcost, std::size_t{2} << 20);
  std::vector<char*> blocks;
  long faults = 0;
  for (std::size_t i = 0; i < 192; ++i) {  // 12 MiB, six times the step
    char* b = static_cast<char*>(std::malloc(kBlock));
    note_allocation(reinterpret_cast<std::uintptr_t>(b), kBlock);
    const long before = minor_faults();
    std::memset(b, 1, kBlock);
    faults += minor_faults() - before;
    blocks.push_back(b);
  }
  EXPECT_GE(mallinfo2().arena - before_arena, std::size_t{12} << 20);
  for (char* b : blocks) std::free(b);
  for (char* b : filler) std::free(b);
  EXPECT_LT(faults, 150) << faults << " faults for 3,072 pages";
}

TEST(ResidentHeap, KeepsErrno) {
  if (kOwnAllocator) GTEST_SKIP() << "the sanitizer's allocator does not use brk";
  if (!start_resident_heap()) GTEST_SKIP() << "kernel without MADV_POPULATE_WRITE";
  void* grow = std::malloc(4 << 20);
  errno = ENOTDIR;
  populate_heap_growth();
  EXPECT_EQ(errno, ENOTDIR);
  std::free(grow);
}

TEST(ResidentHeap, NothingToDoWithoutGrowth) {
  // Any allocator, started or not: calling it is always safe and changes nothing visible.
  errno = EAGAIN;
  populate_heap_growth();
  populate_heap_growth();
  EXPECT_EQ(errno, EAGAIN);
}

}  // namespace
}  // namespace thoth::cli
