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
// allocation. Figures against glibc's malloc and the pool this replaced are in benches/README.md.
#if !defined(__SANITIZE_ADDRESS__)
#include <mimalloc-new-delete.h>
#endif

int main(int argc, char** argv) {
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
