// Names of the marker variables (PEP 508 "Environment Markers") and packaging's aliases.
#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "thoth/pep508.hpp"

namespace thoth {

namespace {

constexpr std::array<std::string_view, kMarkerVarCount> kCanonical = {
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "extras",
    "dependency_groups",
};

// Spellings packaging's tokenizer accepts besides the canonical ones: the dotted names of
// the older PEP 345 markers (only where its VARIABLE rule admits them: there is no
// "platform.release" or "platform.system") and "python_implementation".
constexpr std::array<std::pair<std::string_view, MarkerVar>, 6> kAliases = {{
    {"os.name", MarkerVar::OsName},
    {"sys.platform", MarkerVar::SysPlatform},
    {"platform.version", MarkerVar::PlatformVersion},
    {"platform.machine", MarkerVar::PlatformMachine},
    {"platform.python_implementation", MarkerVar::PlatformPythonImplementation},
    {"python_implementation", MarkerVar::PlatformPythonImplementation},
}};

}  // namespace

std::string_view marker_var_name(MarkerVar v) { return kCanonical[static_cast<std::size_t>(v)]; }

std::optional<MarkerVar> marker_var_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kCanonical.size(); ++i) {
    if (kCanonical[i] == name) return static_cast<MarkerVar>(i);
  }
  for (const auto& [alias, var] : kAliases) {
    if (alias == name) return var;
  }
  return std::nullopt;
}

}  // namespace thoth
