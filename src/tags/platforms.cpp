// Platform tag lists: macOS ladder, manylinux (PEP 600 + legacy aliases), musllinux (PEP 656) and
// the expansion of a platform given by the user.
#include <array>
#include <map>
#include <unordered_set>
#include <utility>

#include "tags/platforms.hpp"
#include "tags/text.hpp"
#include "thoth/tags.hpp"

namespace thoth {

namespace platforms_detail {

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    std::size_t pos = s.find(from, start);
    if (pos == std::string_view::npos || from.empty()) break;
    out += s.substr(start, pos - start);
    out += to;
    start = pos + from.size();
  }
  out += s.substr(start);
  return out;
}

void check_ladder_version(std::string_view system, int major, int minor) {
  constexpr int kMaxMajor = 99;
  constexpr int kMaxMinor = 999;
  if (major <= kMaxMajor && minor <= kMaxMinor) return;
  throw TagError(std::string(system) + " " + std::to_string(major) + "." + std::to_string(minor) +
                 " is beyond any real system (at most " + std::to_string(kMaxMajor) + "." +
                 std::to_string(kMaxMinor) + "); give the version the target system has");
}

std::string mac_arch(std::string_view machine, bool is_32bit) {
  if (!is_32bit) return std::string(machine);
  return machine.starts_with("ppc") ? "ppc" : "i386";
}

std::vector<std::string> manylinux_ladder(std::string_view linux_platform, std::string_view arch,
                                          int glibc_major, int glibc_minor,
                                          const std::function<bool(int, int)>& compatible) {
  check_ladder_version("glibc", glibc_major, glibc_minor);
  // PEP 600: glibc 2.17 is the oldest baseline everywhere, 2.5 on x86 (manylinux1 of PEP 513).
  std::pair<int, int> too_old{2, 16};
  if (arch == "x86_64" || arch == "i686") too_old = {2, 4};
  // The legacy names stand for the same glibc versions (PEP 513, 571, 599).
  static constexpr std::array<std::pair<std::pair<int, int>, std::string_view>, 3> kLegacy = {{
      {{2, 17}, "manylinux2014"}, {{2, 12}, "manylinux2010"}, {{2, 5}, "manylinux1"}}};
  // Compatibility is assumed across glibc major versions; for an older major every minor up to a
  // guessed last one (50, as packaging guesses) is listed.
  constexpr int kLastMinorGuess = 50;
  std::vector<std::pair<int, int>> maxima{{glibc_major, glibc_minor}};
  for (int major = glibc_major - 1; major > 1; --major) maxima.emplace_back(major, kLastMinorGuess);

  std::vector<std::string> out;
  for (auto [major, max_minor] : maxima) {
    int min_minor = major == too_old.first ? too_old.second : -1;
    for (int minor = max_minor; minor > min_minor; --minor) {
      if (compatible(major, minor)) {
        out.push_back(replace_all(linux_platform, "linux",
                                  "manylinux_" + std::to_string(major) + "_" + std::to_string(minor)));
      }
      for (const auto& [version, legacy] : kLegacy) {
        if (version == std::pair{major, minor} && compatible(major, minor)) {
          out.push_back(replace_all(linux_platform, "linux", legacy));
        }
      }
    }
  }
  return out;
}

}  // namespace platforms_detail

namespace {

using MacVersion = std::pair<int, int>;

// packaging.tags._mac_binary_formats: which fat/universal formats contain `arch` code that runs on
// that macOS version.
std::vector<std::string> mac_binary_formats(MacVersion version, std::string_view arch) {
  std::vector<std::string> formats{std::string(arch)};
  if (arch == "x86_64") {
    if (version < MacVersion{10, 4}) return {};
    formats.insert(formats.end(), {"intel", "fat64", "fat32"});
  } else if (arch == "i386") {
    if (version < MacVersion{10, 4}) return {};
    formats.insert(formats.end(), {"intel", "fat32", "fat"});
  } else if (arch == "ppc64") {
    if (version > MacVersion{10, 5} || version < MacVersion{10, 4}) return {};
    formats.push_back("fat64");
  } else if (arch == "ppc") {
    if (version > MacVersion{10, 6}) return {};
    formats.insert(formats.end(), {"fat32", "fat"});
  }
  if (arch == "arm64" || arch == "x86_64") formats.push_back("universal2");
  if (arch == "x86_64" || arch == "i386" || arch == "ppc64" || arch == "ppc" || arch == "intel") {
    formats.push_back("universal");
  }
  return formats;
}

std::string mac_tag(int major, int minor, std::string_view format) {
  return "macosx_" + std::to_string(major) + "_" + std::to_string(minor) + "_" + std::string(format);
}

// Reads "<digits>_<digits>_<rest>" (rest non-empty).
struct VersionedArch {
  int major = 0, minor = 0;
  std::string_view arch;
};
std::optional<VersionedArch> parse_versioned_arch(std::string_view s) {
  std::size_t a = s.find('_');
  if (a == std::string_view::npos) return std::nullopt;
  std::size_t b = s.find('_', a + 1);
  if (b == std::string_view::npos || b + 1 >= s.size()) return std::nullopt;
  std::optional<int> major = tags_text::to_int(s.substr(0, a));
  std::optional<int> minor = tags_text::to_int(s.substr(a + 1, b - a - 1));
  if (!major || !minor) return std::nullopt;
  return VersionedArch{*major, *minor, s.substr(b + 1)};
}

// pip's _mac_platforms: "<name>_<major>_<minor>_<arch>" with the longest possible <name> (its regex is
// greedy); the user's prefix is kept on every tag of the ladder.
std::vector<std::string> expand_mac(std::string_view platform) {
  for (std::size_t i = platform.size(); i-- > 1;) {
    if (platform[i] != '_') continue;
    std::optional<VersionedArch> va = parse_versioned_arch(platform.substr(i + 1));
    if (!va) continue;
    std::string_view name = platform.substr(0, i);
    std::vector<std::string> out;
    for (const std::string& tag : mac_platforms(va->major, va->minor, va->arch)) {
      out.push_back(std::string(name) + "_" + tag.substr(std::string_view("macosx_").size()));
    }
    return out;
  }
  return {std::string(platform)};
}

}  // namespace

std::vector<std::string> mac_platforms(int major, int minor, std::string_view arch) {
  platforms_detail::check_ladder_version("macOS", major, minor);
  std::vector<std::string> out;
  MacVersion version{major, minor};
  auto add = [&](int maj, int min) {
    for (const std::string& format : mac_binary_formats({maj, min}, arch)) out.push_back(mac_tag(maj, min, format));
  };
  // Before macOS 11 every yearly release bumped the minor version (10.x).
  if (version >= MacVersion{10, 0} && version < MacVersion{11, 0}) {
    for (int m = minor; m >= 0; --m) add(10, m);
  }
  if (version >= MacVersion{11, 0}) {
    // From macOS 11 on the major version counts the releases.
    for (int maj = major; maj > 10; --maj) add(maj, 0);
    // x86_64 runs code built for 10.x; arm64 only exists from 11 on, but a universal2 binary may
    // declare an older version for its x86_64 half.
    for (int m = 16; m > 3; --m) {
      if (arch == "x86_64") {
        add(10, m);
      } else {
        out.push_back(mac_tag(10, m, "universal2"));
      }
    }
  }
  return out;
}

std::vector<std::string> manylinux_platforms(std::string_view arch, int glibc_major, int glibc_minor) {
  return platforms_detail::manylinux_ladder("linux_" + std::string(arch), arch, glibc_major, glibc_minor,
                                            [](int, int) { return true; });
}

std::vector<std::string> musllinux_platforms(std::string_view arch, int musl_major, int musl_minor) {
  platforms_detail::check_ladder_version("musl", musl_major, musl_minor);
  std::vector<std::string> out;
  for (int minor = musl_minor; minor >= 0; --minor) {
    out.push_back("musllinux_" + std::to_string(musl_major) + "_" + std::to_string(minor) + "_" +
                  std::string(arch));
  }
  return out;
}

namespace {

// expand_platform without naming the platform in its errors.
std::vector<std::string> expand_platform_ladder(std::string_view platform) {
  if (platform.starts_with("macosx")) return expand_mac(platform);

  std::size_t sep = platform.find('_');
  std::string_view prefix = platform.substr(0, sep);
  std::string_view suffix = sep == std::string_view::npos ? std::string_view{} : platform.substr(sep + 1);
  std::vector<std::string> out{std::string(platform)};
  if (sep == std::string_view::npos) return out;

  if (prefix == "manylinux2014") {
    // PEP 599: manylinux2010 and manylinux1 wheels count as manylinux2014 ones (x86 only).
    if (suffix == "i686" || suffix == "x86_64") {
      out.push_back("manylinux2010_" + std::string(suffix));
      out.push_back("manylinux1_" + std::string(suffix));
    }
  } else if (prefix == "manylinux2010") {
    // PEP 571: manylinux1 wheels count as manylinux2010 ones.
    out.push_back("manylinux1_" + std::string(suffix));
  } else if (prefix == "manylinux" || prefix == "musllinux") {
    // PEP 600 / PEP 656: a system with glibc (musl) X.Y also runs wheels for older X.Y.
    std::optional<VersionedArch> va = parse_versioned_arch(suffix);
    if (!va) return out;
    std::vector<std::string> ladder = prefix == "manylinux"
                                          ? manylinux_platforms(va->arch, va->major, va->minor)
                                          : musllinux_platforms(va->arch, va->major, va->minor);
    if (std::find(ladder.begin(), ladder.end(), out[0]) == ladder.end()) {
      ladder.insert(ladder.begin(), out[0]);  // below the oldest baseline: keep what was asked
    }
    return ladder;
  }
  return out;
}

}  // namespace

std::vector<std::string> expand_platform(std::string_view platform) {
  try {
    return expand_platform_ladder(platform);
  } catch (const TagError& e) {
    throw TagError("platform \"" + std::string(platform) + "\": " + e.what());
  }
}

std::vector<std::string> expand_platforms(const std::vector<std::string>& platforms) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const std::string& p : platforms) {
    if (seen.count(p)) continue;
    for (std::string& expanded : expand_platform(p)) {
      if (seen.insert(expanded).second) out.push_back(std::move(expanded));
    }
  }
  return out;
}

}  // namespace thoth
