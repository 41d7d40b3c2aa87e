// Exit codes of the thoth program (documented in man/thoth.1, EXIT STATUS) and the one place that maps
// error types to them.
#pragma once

#include <iosfwd>
#include <string>

#include "thoth/error.hpp"

namespace thoth::cli {

enum class ExitCode : int {
  Success = 0,
  NoSolution = 1,  // the requirements cannot be satisfied together
  Usage = 2,       // bad command line or invalid input (requirement, file, target JSON, ...)
  Index = 3,       // an index or the network failed
  Install = 4,     // installation failed
  Internal = 70,   // a bug: an exception no module was supposed to throw (EX_SOFTWARE)
};

inline int code(ExitCode c) { return static_cast<int>(c); }

// An error raised by the command-line layer itself: bad usage, an input file that cannot be read, a
// command this build does not have. It carries its exit code.
class CliError : public Error {
 public:
  CliError(ExitCode exit_code, const std::string& message) : Error(message), exit_code_(exit_code) {}
  ExitCode exit_code() const { return exit_code_; }

 private:
  ExitCode exit_code_;
};

// Call only inside a catch block: prints the current exception as one line on `err`
// ("thoth: error: ..." or "thoth: internal error: ...") and returns the exit code for its type.
int report_current_exception(std::ostream& err);

// Collapses a message to one line (newlines and tabs become spaces), so that every error the program
// prints is exactly one line whatever a library put in what().
std::string one_line(std::string message);

}  // namespace thoth::cli
