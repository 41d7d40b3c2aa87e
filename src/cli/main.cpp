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

// The program's operator new and delete are mimalloc's (Debian's libmimalloc): size-segregated
// thread-local free lists, and freed memory reused by the same thread, which suits a resolver's many
// small, short-lived strings and vectors. Not under AddressSanitizer, whose own operators check every
// allocation. Figures against the pool this replaced are in benches/README.md ("The allocator").
// THOTH_MIMALLOC comes from the build (cmake/modules.cmake), which links mimalloc in the same case.
#if defined(THOTH_MIMALLOC)
#include <mimalloc-new-delete.h>
#include <mimalloc.h>
#endif

namespace {

// mimalloc's segments in transparent huge pages (madvise MADV_HUGEPAGE), unless MIMALLOC_LARGE_OS_PAGES
// says otherwise. By default each 4 KiB page of a fresh segment faults on first write: a warm lock of
// the real-shaped bench (benches/README.md) faulted 9,500 times with mimalloc's defaults and 1,350
// times with this, which took its CPU time from about 70 ms back to the 47 ms of the pool mimalloc
// replaced. A constructor of the first priority, so that it runs before the static constructors that
// allocate: set at the top of main, the segment they had already placed kept 4 KiB pages (8,800 faults).
__attribute__((constructor(101))) void use_huge_pages() {
#if defined(THOTH_MIMALLOC)
  if (std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) mi_option_set(mi_option_large_os_pages, 1);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv, argv + argc);
  thoth::cli::Context ctx{std::cin, std::cout, std::cerr, thoth::cli::environment_snapshot(environ)};
  ctx.process_exits_after_run = true;
  ctx.command_line = args;
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
