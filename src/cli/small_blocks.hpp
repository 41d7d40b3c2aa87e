// A pool for the program's small allocations (up to 256 bytes): most of what a lock allocates are
// strings, map nodes and vectors of a few dozen bytes, made once and kept until exit (parsed
// listings, metadata, the solver's state). glibc's malloc spends about 160 instructions on each such
// block between malloc and free; the pool hands them out by bumping a pointer or popping a
// per-thread free list, about 15 (a warm lock of 122 packages makes 100,000 of them).
//
// How: one large range of address space, reserved once (it costs nothing until used), is cut into
// 64 KiB spans, each holding blocks of one size class (multiples of 16 bytes). Each thread takes
// whole spans and keeps a free list per class; a block freed by any thread goes on that thread's
// list. Spans are never returned: the pool is for a process that runs one command and exits. The
// range is marked for transparent huge pages and populated 4 MiB ahead of use, as the resident heap
// is (cli/resident_heap.hpp). When the range is used up, or was never reserved, callers fall back
// to malloc.
#pragma once

#include <cstddef>

namespace thoth::cli {

constexpr std::size_t kSmallBlockMax = 256;

// Reserves `bytes` of address space for the pool (rounded to 2 MiB). False, and the pool stays off,
// when the range cannot be mapped. Call once, before other threads start.
bool start_small_blocks(std::size_t bytes);

// A 16-byte aligned block of at least `size` bytes (1 to kSmallBlockMax), or nullptr when the pool
// is off or full.
void* small_block_alloc(std::size_t size) noexcept;

// Takes `block` back when it came from the pool (true); false for any other pointer (nullptr
// included), which the caller then frees itself.
bool small_block_free(void* block) noexcept;

}  // namespace thoth::cli
