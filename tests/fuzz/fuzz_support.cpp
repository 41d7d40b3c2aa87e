// What every fuzz program shares (see fuzz_target.hpp).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_target.hpp"

namespace thoth::fuzz {

void note_error(const char* message) {
  static const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "error: %s\n", message);
}

void property_failed(const char* target, const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz target %s: property failed: %s\n  %.*s\n", target, what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace thoth::fuzz
