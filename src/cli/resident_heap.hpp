// Keeps the heap resident ahead of use, so that a short run does not pay one page fault per page of
// memory it allocates.
//
// A warm `thoth lock` of a 122-package stack allocates about 10 MB and exits; it touches each new page
// of heap once, and the first touch of a page is a page fault. On the virtual machines thoth is built
// and benchmarked on, a 4 KiB page costs about 13 µs the first time it is written (3,000 pages, 40 ms:
// half of that run). Asking the kernel to populate a range (madvise MADV_POPULATE_WRITE) halves that;
// populating it with transparent huge pages (MADV_HUGEPAGE first) makes 10 MB resident in under 1 ms,
// and the first writes then cost nothing. On bare metal the gain is smaller, and the cost bounded: at
// most one step more than the run needs is populated.
//
// How: glibc's malloc grows its main heap with brk. start_resident_heap() makes it grow a step at a
// time, keep big blocks on the heap instead of mapping them afresh, and never give memory back during
// the run; populate_heap_growth(), called after allocations (the program's operator new does),
// populates whatever the heap grew by since the last call. Other allocators (sanitizers, other C
// libraries) leave the break alone, and then nothing happens. The state is the process's: there is
// one heap.
#pragma once

#include <cstddef>
#include <cstdint>

namespace thoth::cli {

// Tunes the allocator as above. Returns false, and changes nothing, when the kernel cannot populate
// memory on request (Linux before 5.14) or the C library is not glibc.
bool start_resident_heap();

// Grows the heap now by `step` bytes (at most 24 MiB), ending it so that the new memory is whole huge
// pages when the kernel gives them, and makes it resident; when an allocation comes near the end of
// it, note_allocation() adds another step the same way. For a command about to allocate a lot. Does
// nothing when start_resident_heap() did not start.
void reserve_resident_heap(std::size_t step);

// What the program's operator new calls after each allocation (the block's address and size):
// extends a reserve that is running out, and populates the heap's other growth
// (populate_heap_growth()). Never fails or changes errno.
void note_allocation(std::uintptr_t address, std::size_t size) noexcept;

// Populates the part of the heap that the allocator obtained since the last call. Without growth it
// makes no system call; it never changes errno and never fails (the memory would be faulted in on
// first use anyway). Safe to call from any thread.
void populate_heap_growth() noexcept;

}  // namespace thoth::cli
