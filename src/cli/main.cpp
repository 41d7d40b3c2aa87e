// The entry of the `thoth` executable (also installed as `thoth-install`): hands argv, the standard
// streams and the environment to thoth::cli::run().
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/context.hpp"
#include "cli/resident_heap.hpp"
#include "cli/small_blocks.hpp"

// The program's allocations go through here: small ones to the pool of cli/small_blocks.hpp, the
// others to malloc, whose heap is made resident as it grows (cli/resident_heap.hpp). Not under
// AddressSanitizer, whose own operators check every allocation.
#if !defined(__SANITIZE_ADDRESS__)
void* operator new(std::size_t size) {
  if (size <= thoth::cli::kSmallBlockMax) {
    if (void* p = thoth::cli::small_block_alloc(size)) return p;
  }
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  thoth::cli::note_allocation(reinterpret_cast<std::uintptr_t>(p), size);
  return p;
}
void operator delete(void* p) noexcept {
  if (!thoth::cli::small_block_free(p)) std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  if (!thoth::cli::small_block_free(p)) std::free(p);
}

namespace {
// Address space for small blocks (cli/small_blocks.hpp): only what is used becomes memory.
constexpr std::size_t kSmallBlockRange = std::size_t{1} << 30;
}  // namespace
#endif

int main(int argc, char** argv) {
#if !defined(__SANITIZE_ADDRESS__)
  // The sanitizer's allocator neither grows the heap with brk nor goes through these operators.
  thoth::cli::start_resident_heap();
  thoth::cli::start_small_blocks(kSmallBlockRange);
#endif
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv, argv + argc);
  thoth::cli::Context ctx{std::cin, std::cout, std::cerr, thoth::cli::environment_snapshot(environ)};
  ctx.process_exits_after_run = true;
  ctx.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  int rc = thoth::cli::run(args, ctx);
  std::cout.flush();
  if (!std::cout && rc == 0) {
    // The output went nowhere (e.g. a full disk behind a redirection): the run did not succeed.
    std::cerr << "thoth: error: cannot write to standard output\n";
    return 2;
  }
  return rc;
}
