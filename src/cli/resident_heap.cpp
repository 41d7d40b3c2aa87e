#include "cli/resident_heap.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Linux 5.14 (<linux/mman.h>); older C library headers lack the name.
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace thoth::cli {
namespace {

std::atomic<bool> active{false};
// The end of the heap as far as it has been populated (or was when the process started).
std::atomic<std::uintptr_t> resident_end{0};

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

}  // namespace

bool start_resident_heap(std::size_t step) {
#if defined(__GLIBC__)
  if (!kernel_populates()) return false;
  // Each brk extension is at least `step` (populated at once), not the 128 KiB default.
  mallopt(M_TOP_PAD, static_cast<int>(step));
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
  (void)step;
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
  const std::uintptr_t start = from & ~(page - 1);
  const int saved_errno = errno;
  // A failure (the heap shrank meanwhile, no memory left) only means the pages fault in on first use.
  ::madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_WRITE);
  errno = saved_errno;
}

}  // namespace thoth::cli
