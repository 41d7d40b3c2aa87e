// Deriving PEP 508 marker values from platform tags and implementation prefixes.
#include "tags/target_markers.hpp"

namespace thoth::target_detail {

namespace {

// The architecture part of "<prefix>_<arch>", "<prefix>_<X>_<Y>_<arch>" linux tags.
std::optional<std::string> linux_arch(std::string_view platform) {
  auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (!platform.starts_with(prefix)) return std::nullopt;
    return platform.substr(prefix.size());
  };
  // Legacy names and plain linux: prefix, '_', arch.
  for (std::string_view prefix : {"linux_", "manylinux1_", "manylinux2010_", "manylinux2014_"}) {
    if (auto rest = after(prefix); rest && !rest->empty()) return std::string(*rest);
  }
  // PEP 600 / PEP 656: prefix, major, minor, arch.
  for (std::string_view prefix : {"manylinux_", "musllinux_"}) {
    std::optional<std::string_view> rest = after(prefix);
    if (!rest) continue;
    std::size_t a = rest->find('_');
    std::size_t b = a == std::string_view::npos ? a : rest->find('_', a + 1);
    if (b == std::string_view::npos || b + 1 >= rest->size()) return std::nullopt;
    return std::string(rest->substr(b + 1));
  }
  return std::nullopt;
}

}  // namespace

std::optional<PlatformMarkers> platform_markers(std::string_view platform) {
  if (std::optional<std::string> arch = linux_arch(platform)) {
    return PlatformMarkers{"posix", "linux", "Linux", *arch};
  }
  // Windows: platform.machine() spells the architecture as the OS does.
  if (platform == "win_amd64") return PlatformMarkers{"nt", "win32", "Windows", "AMD64"};
  if (platform == "win32") return PlatformMarkers{"nt", "win32", "Windows", "x86"};
  if (platform == "win_arm64") return PlatformMarkers{"nt", "win32", "Windows", "ARM64"};
  if (platform.starts_with("macosx_")) {
    // Only single-architecture formats say which machine it is.
    PlatformMarkers mac{"posix", "darwin", "Darwin", std::nullopt};
    for (std::string_view arch : {"x86_64", "arm64", "i386"}) {
      if (platform.ends_with(std::string("_") + std::string(arch))) mac.platform_machine = std::string(arch);
    }
    return mac;
  }
  return std::nullopt;
}

std::optional<ImplementationMarkers> implementation_markers(std::string_view implementation) {
  if (implementation == "cp") return ImplementationMarkers{"cpython", "CPython"};
  if (implementation == "pp") return ImplementationMarkers{"pypy", "PyPy"};
  if (implementation == "ip") return ImplementationMarkers{"ironpython", "IronPython"};
  if (implementation == "jy") return ImplementationMarkers{"jython", "Jython"};
  return std::nullopt;
}

}  // namespace thoth::target_detail
