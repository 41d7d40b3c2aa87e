// Marker values a target implies when nobody measured them (internal): hand-written targets and
// pip-style options only name a platform, an implementation and a Python version.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "thoth/pep508.hpp"

namespace thoth::target_detail {

// os_name, sys_platform, platform_system, platform_machine of a system a platform tag describes.
// platform_machine is nullopt for multi-architecture formats ("macosx_11_0_universal2").
struct PlatformMarkers {
  std::string os_name, sys_platform, platform_system;
  std::optional<std::string> platform_machine;
};
// nullopt when the tag does not say (e.g. "any", "freebsd_13_0_amd64").
std::optional<PlatformMarkers> platform_markers(std::string_view platform);

// implementation_name and platform_python_implementation of an interpreter tag prefix ("cp" ->
// cpython / CPython); nullopt for prefixes without a known interpreter.
struct ImplementationMarkers {
  std::string name, python_implementation;
};
std::optional<ImplementationMarkers> implementation_markers(std::string_view implementation);

}  // namespace thoth::target_detail
