#include "cli/resident_heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Linux 5.14 (<linux/mman.h>); older C library headers lack the name.
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace thoth::cli {
namespace {

// Unreserved growth comes this much at a time (4 KiB pages, populated as the heap grows).
constexpr std::size_t kSmallStep = 512 << 10;
constexpr std::uintptr_t kHugePage = 2 << 20;  // x86-64 and arm64 (4 KiB base pages) PMD size
// A reserve is extended by another step when less than this is left of it.
constexpr std::uintptr_t kLowWater = 1 << 20;

// glibc's chunk layout (malloc.c): a chunk starts with a size word, user memory is 16-byte aligned,
// the smallest chunk is 32 bytes. Only where the heap ends depends on these; nothing breaks if a
// later glibc differs, the reserve is then merely less well aligned.
constexpr std::uintptr_t kChunkOverhead = sizeof(std::size_t);
constexpr std::uintptr_t kMinChunk = 4 * sizeof(std::size_t);
// Above this, malloc maps blocks instead of growing the heap (M_MMAP_THRESHOLD below).
constexpr std::size_t kMaxStep = 24 << 20;

std::atomic<bool> active{false};
std::atomic<bool> huge{false};
// The end of the heap as far as it has been populated (or was when the process started).
std::atomic<std::uintptr_t> resident_end{0};
// Reserves: the step, and the address past which an allocation extends the reserve (none yet).
std::atomic<std::size_t> reserve_step{0};
std::atomic<std::uintptr_t> extend_at{UINTPTR_MAX};
std::atomic<bool> extending{false};
// The untouched blocks below each reserve, kept allocated (the last one reachable, so that leak
// checkers do not count them; the others leak on purpose, they are never used).
std::atomic<void*> reserve_gap{nullptr};

std::uintptr_t heap_end() { return reinterpret_cast<std::uintptr_t>(::sbrk(0)); }
std::uintptr_t page_size() { return static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE)); }
std::uintptr_t align_up(std::uintptr_t n, std::uintptr_t to) { return (n + to - 1) & ~(to - 1); }

// Whether this kernel knows MADV_POPULATE_WRITE: tried on one private page.
bool kernel_populates() {
  const long page = ::sysconf(_SC_PAGESIZE);
  void* p = ::mmap(nullptr, static_cast<std::size_t>(page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return false;
  const bool ok = ::madvise(p, static_cast<std::size_t>(page), MADV_POPULATE_WRITE) == 0;
  ::munmap(p, static_cast<std::size_t>(page));
  return ok;
}

// Whether memory marked MADV_HUGEPAGE gets transparent huge pages: the kernel's setting is "always"
// or "madvise", not "never" (the brackets mark the one in force).
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

#if defined(__GLIBC__)
std::uintptr_t top_size() { return mallinfo2().keepcost; }  // the free chunk at the end of the heap

// Grows the heap so that it ends one base page past a huge-page boundary, with at least `bytes` of
// whole huge pages, populated, added to its free end. The heap's end E is one page past a boundary
// (after an earlier reserve) or anywhere; the new memory is [A, T) with A = E rounded up to a huge
// page and T = A + bytes + one page:
//  1. what is left of the free chunk at the end is taken (`rest`), so that the next chunk starts at
//     the end of the heap;
//  2. a chunk is allocated that makes malloc grow the heap to exactly T: malloc.c's sysmalloc grows
//     a contiguous heap by request + M_TOP_PAD + MINSIZE - top, rounded up to a page. Its writes
//     past the chunk (the new free chunk's header) land in the base page past the last huge page,
//     so no huge page is split before it is populated;
//  3. [A, T) is populated;
//  4. the chunk is shrunk in place to end at A: [A, T) joins the free chunk at the end, and
//     [E, A) stays allocated, never touched, never resident (address space only);
//  5. `rest` is freed for reuse.
void grow_aligned(std::size_t bytes) {
  populate_heap_growth();  // anything grown before is done with
  const std::uintptr_t page = page_size();
  std::uintptr_t top = top_size();
  void* rest = top >= 4 * kMinChunk ? std::malloc(top - kMinChunk - kChunkOverhead) : nullptr;
  const std::uintptr_t end = heap_end();
  top = top_size();
  if (top > end) {
    std::free(rest);
    return;
  }
  const std::uintptr_t top_start = end - top;
  const std::uintptr_t first = align_up(end, kHugePage);
  const std::uintptr_t target = first + align_up(bytes, kHugePage) + page;
  mallopt(M_TOP_PAD, 0);
  void* block = std::malloc(target - top_start - kMinChunk - kChunkOverhead);
  mallopt(M_TOP_PAD, static_cast<int>(kSmallStep));
  const bool grown = block != nullptr && reinterpret_cast<std::uintptr_t>(block) < first && heap_end() >= target;
  if (grown) {
    resident_end.store(std::max(resident_end.load(std::memory_order_relaxed), first), std::memory_order_relaxed);
    populate_heap_growth();
    block = std::realloc(block, first - reinterpret_cast<std::uintptr_t>(block) - kChunkOverhead);
    reserve_gap.store(block, std::memory_order_relaxed);
  } else {
    std::free(block);  // the heap is not where it was thought to be: no more reserves
  }
  std::free(rest);
  extend_at.store(grown ? heap_end() - std::min<std::uintptr_t>(kLowWater, bytes / 2) : UINTPTR_MAX,
                  std::memory_order_relaxed);
}
#endif

}  // namespace

bool start_resident_heap() {
#if defined(__GLIBC__)
  if (!kernel_populates()) return false;
  huge.store(huge_pages_on_request(), std::memory_order_relaxed);
  // Each brk extension is at least a step (populated at once), not the 128 KiB default.
  mallopt(M_TOP_PAD, static_cast<int>(kSmallStep));
  // Blocks up to glibc's limit (32 MiB on 64-bit) come from the heap: by default anything from
  // 128 KiB up (a cached index page, a parsed document) is a fresh mapping faulted in page by page
  // and unmapped when freed, only for the next one to fault in again.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // The run is short: memory freed in it is reused, not handed back to the kernel and refaulted.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  resident_end.store(heap_end(), std::memory_order_relaxed);
  active.store(true, std::memory_order_release);
  return true;
#else
  return false;
#endif
}

void populate_heap_growth() noexcept {
  if (!active.load(std::memory_order_acquire)) return;
  const std::uintptr_t end = heap_end();
  std::uintptr_t from = resident_end.load(std::memory_order_relaxed);
  if (end <= from) return;
  // One thread populates a given growth; a thread that loses the race has nothing left to do.
  if (!resident_end.compare_exchange_strong(from, end, std::memory_order_relaxed)) return;
  const std::uintptr_t page = page_size();
  void* const start = reinterpret_cast<void*>(from & ~(page - 1));
  const std::size_t length = end - (from & ~(page - 1));
  const int saved_errno = errno;
  // Failures (huge pages refused, the heap shrank meanwhile, no memory left) only mean that pages
  // fault in on first use, as they would have anyway. The 2 MiB-aligned blocks inside the range
  // become huge pages; the ends, and everything when huge pages are off, 4 KiB pages.
  if (huge.load(std::memory_order_relaxed) && length >= kHugePage) ::madvise(start, length, MADV_HUGEPAGE);
  ::madvise(start, length, MADV_POPULATE_WRITE);
  errno = saved_errno;
}

void reserve_resident_heap(std::size_t step) {
#if defined(__GLIBC__)
  if (!active.load(std::memory_order_acquire) || step == 0 || step > kMaxStep) return;
  if (extending.exchange(true)) return;
  const int saved_errno = errno;
  reserve_step.store(step, std::memory_order_relaxed);
  grow_aligned(step);
  errno = saved_errno;
  extending.store(false);
#else
  (void)step;
#endif
}

void note_allocation(std::uintptr_t address, std::size_t size) noexcept {
  if (address + size > extend_at.load(std::memory_order_relaxed)) {
#if defined(__GLIBC__)
    // Only blocks of the heap itself (not mapped ones, not other threads' arenas) count.
    if (address < heap_end() && !extending.exchange(true)) {
      const int saved_errno = errno;
      grow_aligned(reserve_step.load(std::memory_order_relaxed));
      errno = saved_errno;
      extending.store(false);
    }
#endif
  }
  // Looking at the break costs a few dozen instructions, more than most allocations: it is done for
  // every 16th allocation and every big one. At most 15 small blocks land on new pages first.
  thread_local unsigned allocations = 0;
  if (size >= 4096 || ++allocations % 16 == 0) populate_heap_growth();
}

}  // namespace thoth::cli
