// Platform-list building blocks shared by platforms.cpp and the interpreter probe (internal).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace thoth::platforms_detail {

// The highest major and minor version a platform ladder may start from (glibc, musl, macOS). packaging
// sets no limit, but each step down the ladder is one more platform tag: manylinux_2_999999 would list a
// million of them (and a tag set times that), so a value far above any real system (glibc 2.41, musl 1.2,
// macOS 26 in 2025) is refused. Throws TagError naming `system` ("glibc", "musl", "macOS").
void check_ladder_version(std::string_view system, int major, int minor);

// packaging._manylinux.platform_tags(linux, arch) for a glibc major.minor, where `compatible(major,
// minor)` may veto single versions (the _manylinux module hook of PEP 600).
std::vector<std::string> manylinux_ladder(std::string_view linux_platform, std::string_view arch,
                                          int glibc_major, int glibc_minor,
                                          const std::function<bool(int, int)>& compatible);

// packaging.tags._mac_arch: a 32-bit interpreter on a 64-bit Mac runs i386 (or ppc) code.
std::string mac_arch(std::string_view machine, bool is_32bit);

// Python's str.replace (every occurrence).
std::string replace_all(std::string_view s, std::string_view from, std::string_view to);

}  // namespace thoth::platforms_detail
