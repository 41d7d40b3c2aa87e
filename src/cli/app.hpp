// The thoth program: builds the command line from the commands of commands.hpp, parses it, runs the
// selected command and turns every failure into one line on stderr and an exit code (exit_codes.hpp).
#pragma once

#include <string>
#include <vector>

#include "context.hpp"  // relative, so main.cpp can include this header

namespace thoth::cli {

// `args` is the whole argv, program name first. Called as `thoth-install` (the basename of args[0]),
// it behaves as `thoth install ...`. Returns the process exit code; never throws.
int run(const std::vector<std::string>& args, Context& ctx);

}  // namespace thoth::cli
