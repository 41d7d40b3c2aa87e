#include "cli/small_blocks.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <algorithm>
#include <cstdint>
#include <string_view>

// Linux 5.14 (<linux/mman.h>); older C library headers lack the name.
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace thoth::cli {
namespace {

constexpr std::uintptr_t kGranule = 16;                      // size classes and alignment
constexpr std::size_t kClasses = kSmallBlockMax / kGranule;  // class c holds blocks of c * 16 bytes
constexpr std::uintptr_t kSpan = 64 << 10;
constexpr std::uintptr_t kHugePage = 2 << 20;
constexpr std::uintptr_t kPopulateStep = 4 << 20;  // made resident this much ahead of the spans in use
constexpr std::size_t kMaxSpans = (std::size_t{4} << 30) / kSpan;  // ranges up to 4 GiB

// The range, set once by start_small_blocks before any other thread exists.
std::uintptr_t base = 0;
std::uintptr_t limit = 0;  // 0 while the pool is off: no pointer is inside
std::atomic<std::uintptr_t> next_span{0};
std::atomic<std::uintptr_t> resident_end{0};
// The size class of each span handed out, for blocks freed without their size.
std::atomic<std::uint8_t> span_class[kMaxSpans];

// Per thread, per class: the free list (linked through the blocks' first word) and the rest of
// the span being cut. Plain zero-initialised data: no constructor, no guard on access.
struct ThreadCache {
  void* free[kClasses + 1];
  std::uintptr_t bump[kClasses + 1];
  std::uintptr_t end[kClasses + 1];
};
thread_local ThreadCache cache;

// Whether memory marked MADV_HUGEPAGE gets transparent huge pages (setting "always" or "madvise").
bool huge_pages_on_request() {
  const int fd = ::open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[128];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return false;
  const std::string_view setting(buf, static_cast<std::size_t>(n));
  return setting.find("[always]") != std::string_view::npos || setting.find("[madvise]") != std::string_view::npos;
}

// Makes the range resident up to `needed` plus a step, once (one thread does each step).
void populate_to(std::uintptr_t needed) {
  std::uintptr_t done = resident_end.load(std::memory_order_relaxed);
  while (needed > done) {
    const std::uintptr_t to = std::min(limit, ((needed + kPopulateStep) & ~(kHugePage - 1)));
    if (resident_end.compare_exchange_weak(done, to, std::memory_order_relaxed)) {
      const int saved_errno = errno;
      // A failure only means the pages fault in when first written.
      ::madvise(reinterpret_cast<void*>(done), to - done, MADV_POPULATE_WRITE);
      errno = saved_errno;
      return;
    }
  }
}

// A new span for class `c` in this thread's cache; false when the range is used up.
bool refill(ThreadCache& tc, std::size_t c) {
  const std::uintptr_t span = next_span.fetch_add(kSpan, std::memory_order_relaxed);
  if (span + kSpan > limit) return false;
  span_class[(span - base) / kSpan].store(static_cast<std::uint8_t>(c), std::memory_order_release);
  populate_to(span + kSpan);
  tc.bump[c] = span;
  tc.end[c] = span + kSpan;
  return true;
}

}  // namespace

bool start_small_blocks(std::size_t bytes) {
  if (limit != 0 || bytes == 0) return false;
  bytes = std::min<std::size_t>((bytes + kHugePage - 1) & ~(kHugePage - 1), kMaxSpans * kSpan);
  // Address space only: nothing is committed until populated or written.
  void* p = ::mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  const std::uintptr_t start = (reinterpret_cast<std::uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  if (huge_pages_on_request()) ::madvise(reinterpret_cast<void*>(start), bytes, MADV_HUGEPAGE);
  base = start;
  next_span.store(start, std::memory_order_relaxed);
  resident_end.store(start, std::memory_order_relaxed);
  limit = start + bytes;
  return true;
}

void* small_block_alloc(std::size_t size) noexcept {
  if (size > kSmallBlockMax) return nullptr;
  const std::size_t c = size == 0 ? 1 : (size + kGranule - 1) / kGranule;
  ThreadCache& tc = cache;
  if (void* block = tc.free[c]) {
    tc.free[c] = *static_cast<void**>(block);
    return block;
  }
  if (tc.bump[c] + c * kGranule > tc.end[c] && (limit == 0 || !refill(tc, c))) return nullptr;
  void* block = reinterpret_cast<void*>(tc.bump[c]);
  tc.bump[c] += c * kGranule;
  return block;
}

bool small_block_free(void* block) noexcept {
  const auto address = reinterpret_cast<std::uintptr_t>(block);
  if (address < base || address >= limit) return false;
  const std::size_t c = span_class[(address - base) / kSpan].load(std::memory_order_acquire);
  ThreadCache& tc = cache;
  *static_cast<void**>(block) = tc.free[c];
  tc.free[c] = block;
  return true;
}

}  // namespace thoth::cli
