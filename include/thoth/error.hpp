// Base of the per-module error types. Each module boundary throws exactly one type derived from
// thoth::Error whose what() is a complete, one-line message for the user (it names the bad input and,
// where there is one, the fix). The CLI maps the types to exit codes; library code never prints.
#pragma once

#include <stdexcept>
#include <string>

namespace thoth {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace thoth
