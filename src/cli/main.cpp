// The entry of the `thoth` executable (also installed as `thoth-install`): hands argv, the standard
// streams and the environment to thoth::cli::run().
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/context.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv, argv + argc);
  thoth::cli::Context ctx{std::cin, std::cout, std::cerr, thoth::cli::environment_snapshot(environ)};
  int rc = thoth::cli::run(args, ctx);
  std::cout.flush();
  if (!std::cout && rc == 0) {
    // The output went nowhere (e.g. a full disk behind a redirection): the run did not succeed.
    std::cerr << "thoth: error: cannot write to standard output\n";
    return 2;
  }
  return rc;
}
