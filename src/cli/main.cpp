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

// The program's allocations go through here so that the heap is made resident as it grows
// (cli/resident_heap.hpp). Not under AddressSanitizer, whose own operators check that new pairs
// with delete.
#if !defined(__SANITIZE_ADDRESS__)
void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  thoth::cli::note_allocation(reinterpret_cast<std::uintptr_t>(p), size);
  return p;
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#endif

int main(int argc, char** argv) {
  thoth::cli::start_resident_heap();
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv, argv + argc);
  thoth::cli::Context ctx{std::cin, std::cout, std::cerr, thoth::cli::environment_snapshot(environ)};
  ctx.process_exits_after_run = true;
  int rc = thoth::cli::run(args, ctx);
  std::cout.flush();
  if (!std::cout && rc == 0) {
    // The output went nowhere (e.g. a full disk behind a redirection): the run did not succeed.
    std::cerr << "thoth: error: cannot write to standard output\n";
    return 2;
  }
  return rc;
}
