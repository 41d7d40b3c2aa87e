#include "cli/resident_heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <algorithm>
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

// Growth steps: small until a command reserves a large heap (most commands need little memory),
// large afterwards (mostly 2 MiB pages when the kernel gives them, populated for ~0.1 ms each).
constexpr std::size_t kSmallStep = 512 << 10;
constexpr std::size_t kLargeStep = 16 << 20;
constexpr std::uintptr_t kHugePage = 2 << 20;  // x86-64 and arm64 (4 KiB base pages) PMD size

std::atomic<bool> active{false};
std::atomic<bool> huge{false};
// The untouched block below a reserve, kept reachable so that leak checkers do not count it.
std::atomic<void*> reserve_head{nullptr};
// The end of the heap as far as it has been populated (or was when the process started).
std::atomic<std::uintptr_t> resident_end{0};

// glibc's chunk layout (malloc.c): a chunk starts with a size word, user memory is 16-byte aligned,
// the smallest chunk is 32 bytes. Only where the heap ends depends on these; nothing breaks if a
// later glibc differs, the reserve is then merely less well aligned.
constexpr std::uintptr_t kChunkOverhead = sizeof(std::size_t);
constexpr std::uintptr_t kMinChunk = 4 * sizeof(std::size_t);
constexpr std::uintptr_t kChunkSlack = 4 * kMinChunk;
// Above this, malloc maps blocks instead of growing the heap (M_MMAP_THRESHOLD below).
constexpr std::size_t kMaxReserve = 24 << 20;

std::uintptr_t heap_end() { return reinterpret_cast<std::uintptr_t>(::sbrk(0)); }

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

void set_step(std::size_t step) {
#if defined(__GLIBC__)
  mallopt(M_TOP_PAD, static_cast<int>(step));
#else
  (void)step;
#endif
}

}  // namespace

bool start_resident_heap() {
#if defined(__GLIBC__)
  if (!kernel_populates()) return false;
  huge.store(huge_pages_on_request(), std::memory_order_relaxed);
  // Each brk extension is at least a step (populated at once), not the 128 KiB default.
  set_step(kSmallStep);
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
  const std::uintptr_t page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
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

void reserve_resident_heap(std::size_t bytes) {
#if defined(__GLIBC__)
  if (!active.load(std::memory_order_acquire) || bytes == 0 || bytes > kMaxReserve) return;
  populate_heap_growth();  // anything grown before is done with
  const std::uintptr_t end = heap_end();
  const std::uintptr_t top = mallinfo2().keepcost;  // the free chunk at the end of the heap
  if (top >= bytes || top > end) return;
  const std::uintptr_t top_start = end - top;
  const std::uintptr_t page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  // The reserve: whole huge pages from `first` on, then one base page (below). Memory below the
  // heap's end is resident already (in base pages), so the reserve starts above it.
  const std::uintptr_t first = (std::max(top_start + kChunkSlack, end) + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t target = first + ((bytes + kHugePage - 1) & ~(kHugePage - 1)) + page;
  // malloc.c's sysmalloc grows a contiguous heap by request + M_TOP_PAD + MINSIZE - top, rounded up
  // to a page: with no pad, a chunk of target - top_start - MINSIZE bytes ends the heap at `target`.
  // What malloc writes past the chunk (the new top's header) lands in the extra base page, so no
  // huge page is split before it is populated.
  const std::size_t chunk = target - top_start - kMinChunk;
  set_step(0);
  void* block = std::malloc(chunk - kChunkOverhead);
  set_step(kLargeStep);
  if (block == nullptr) return;
  // The part below `first` stays allocated and is never touched: its pages are never made resident.
  resident_end.store(std::max(resident_end.load(std::memory_order_relaxed), first), std::memory_order_relaxed);
  populate_heap_growth();
  // Shrinking in place returns everything from `first` on to the top chunk, now resident.
  reserve_head.store(std::realloc(block, first - reinterpret_cast<std::uintptr_t>(block) - kChunkOverhead));
#else
  (void)bytes;
#endif
}

}  // namespace thoth::cli
