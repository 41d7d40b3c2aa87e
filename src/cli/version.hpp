// The program's version, from one place. CMake passes the project() version as THOTH_VERSION when the
// build defines it; the fallback must equal the version in the top-level CMakeLists.txt.
#pragma once

#include <string_view>

#ifndef THOTH_VERSION
#define THOTH_VERSION "0.1.0"
#endif

namespace thoth::cli {

inline constexpr std::string_view kVersion = THOTH_VERSION;

}  // namespace thoth::cli
