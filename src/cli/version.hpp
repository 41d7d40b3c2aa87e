// The program's version, from one place: CMake passes the project() version as THOTH_VERSION.
#pragma once

#include <string_view>

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::cli {

inline constexpr std::string_view kVersion = THOTH_VERSION;

}  // namespace thoth::cli
