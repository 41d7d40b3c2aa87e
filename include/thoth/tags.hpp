// Distribution file names and compatibility tags.
//
//   wheel:  {name}-{version}(-{build})?-{python tag}-{abi tag}-{platform tag}.whl   (PEP 427)
//   sdist:  {name}-{version}.tar.gz                                                  (PEP 625)
//   tags:   PEP 425, with the platform tags of PEP 600 (manylinux_X_Y), PEP 656 (musllinux_X_Y),
//           the legacy manylinux1/2010/2014 aliases, macOS and Windows.
//
// The tag generators below reproduce packaging.tags (python3-packaging 23.0) for explicit arguments;
// the ordered list of a whole interpreter is assembled by supported_tags() (packaging's sys_tags()).
// Facts about a real interpreter are gathered by Target::probe (target.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/pep440.hpp"

namespace thoth {

// Thrown for a bad wheel/sdist file name, a bad tag, a bad target description or an interpreter that
// cannot be probed. what() names the offending input.
class TagError : public Error {
 public:
  using Error::Error;
};

// One (interpreter, abi, platform) triple, lower-cased as packaging.tags.Tag keeps it.
struct Tag {
  std::string interpreter, abi, platform;

  std::string str() const;  // "cp311-cp311-manylinux_2_17_x86_64"
  // Parses one uncompressed tag "py3-none-any" (lower-cases it). Throws TagError.
  static Tag parse(std::string_view text);

  friend bool operator==(const Tag&, const Tag&) = default;
  friend auto operator<=>(const Tag&, const Tag&) = default;
};

struct TagHash {
  std::size_t operator()(const Tag& t) const noexcept;
};

// PEP 425 "Compressed Tag Sets": "py2.py3-none-any" stands for py2-none-any and py3-none-any. The
// result is in expansion order (interpreters, then abis, then platforms), without duplicates.
// Throws TagError for anything but three non-empty '-'-separated parts, and for a set that stands for
// more than kMaxTagSet tags (a wheel name that does is skipped like any invalid one).
inline constexpr std::uint64_t kMaxTagSet = 1024;
std::vector<Tag> parse_tag_set(std::string_view compressed);
// The same with the three parts already split; `whole` names the input in errors.
std::vector<Tag> parse_tag_set(std::string_view interpreters, std::string_view abis, std::string_view platforms,
                               std::string_view whole);

// A parsed wheel file name (PEP 427 "File name convention", as packaging.utils.parse_wheel_filename).
struct WheelName {
  std::string name;  // normalised (PEP 503)
  Version version;
  std::optional<std::pair<std::uint64_t, std::string>> build;  // build tag: leading digits + the rest
  std::vector<Tag> tags;  // the expanded compressed tag set

  // Throws TagError naming the file name and the rule it breaks.
  static WheelName parse(std::string_view filename);

  friend bool operator==(const WheelName&, const WheelName&) = default;
};

// A source distribution file name.
struct SdistName {
  std::string name;  // normalised (PEP 503)
  Version version;

  // PEP 625: "{name}-{version}.tar.gz" (and legacy ".zip"), split at the last '-'. Throws TagError.
  static SdistName parse(std::string_view filename);

  // Names as found on indexes for a known project, e.g. "Foo_Bar-1.0.tar.bz2" for project "foo-bar":
  // any archive extension pip accepts for sources (.tar.gz .tgz .tar .zip .tar.bz2 .tbz .tar.xz .txz
  // .tlz .tar.lz .tar.lzma), the name/version separator being the first '-' whose prefix normalises
  // to the project name (pip's _find_name_version_sep). nullopt when the file is not an sdist of
  // `project` or the version is not PEP 440.
  static std::optional<SdistName> parse_for_project(std::string_view filename, std::string_view project);
};

// An interpreter's supported tags in priority order.
class TagSet {
 public:
  TagSet() = default;
  explicit TagSet(std::vector<Tag> ordered);

  const std::vector<Tag>& tags() const;
  // Position of the first occurrence of `tag`; 0 is the most preferred. nullopt: not supported.
  std::optional<std::size_t> rank(const Tag& tag) const;
  // Best (smallest) rank over the wheel's tags; nullopt: the wheel is incompatible.
  std::optional<std::size_t> best_rank(const WheelName& wheel) const;
  std::optional<std::size_t> best_rank(const std::vector<Tag>& tags) const;

  friend bool operator==(const TagSet& a, const TagSet& b) { return a.tags() == b.tags(); }
  // Whether both are copies of one set (cheap, unlike ==): for callers that remember answers per set.
  bool same_set_as(const TagSet& other) const noexcept { return table_ == other.table_; }

 private:
  // Immutable once built and shared by copies: a target is copied into options, resolver and
  // resolution, and a manylinux interpreter's set holds about a thousand tags.
  struct Table {
    std::vector<Tag> tags;
    std::unordered_map<Tag, std::size_t, TagHash> rank;
  };
  std::shared_ptr<const Table> table_;
};

// ---- Tag generators (packaging.tags with explicit arguments) ----------------------------------
// A python version is a release tuple such as {3, 11}; only its first two parts are used.

// How CPython spells its own ABI: build flags that become the 'd', 'm' and 'u' suffixes.
struct CpythonAbiFlags {
  bool debug = false;     // Py_DEBUG (or a debug build detected otherwise)
  bool pymalloc = true;   // WITH_PYMALLOC; only spelled before 3.8
  bool ucs4 = true;       // Py_UNICODE_SIZE == 4; only spelled before 3.3
};
// packaging.tags._cpython_abis: e.g. {"cp37m"}, {"cp311d", "cp311"} for a debug build.
std::vector<std::string> cpython_abis(std::span<const std::uint64_t> python_version,
                                      const CpythonAbiFlags& flags);

// "311" for {3, 11}.
std::string version_nodot(std::span<const std::uint64_t> python_version);

// packaging.tags.cpython_tags: cpXY-<abi>-<platform> for each abi ('abi3' and 'none' moved to their
// usual place), cpXY-abi3, cpXY-none, then cpX(Y-1..2)-abi3.
std::vector<Tag> cpython_tags(std::span<const std::uint64_t> python_version,
                              const std::vector<std::string>& abis,
                              const std::vector<std::string>& platforms);
// packaging.tags.generic_tags: <interpreter>-<abi>-<platform>, 'none' appended to the abis if absent.
std::vector<Tag> generic_tags(std::string_view interpreter, const std::vector<std::string>& abis,
                              const std::vector<std::string>& platforms);
// packaging.tags.compatible_tags: py*-none-<platform>, <interpreter>-none-any (if interpreter is not
// empty), py*-none-any.
std::vector<Tag> compatible_tags(std::span<const std::uint64_t> python_version,
                                 std::string_view interpreter,
                                 const std::vector<std::string>& platforms);

// packaging.tags.sys_tags for an interpreter described by its implementation short name ("cp",
// "pp", ...), version, abis and ordered platforms.
std::vector<Tag> supported_tags(std::string_view implementation,
                                std::span<const std::uint64_t> python_version,
                                const std::vector<std::string>& abis,
                                const std::vector<std::string>& platforms);

// ---- Platform lists ----------------------------------------------------------------------------

// packaging.tags.mac_platforms((major, minor), arch): "macosx_14_0_arm64", ... down the version
// ladder, with the binary formats (intel, fat*, universal, universal2) each version supports.
std::vector<std::string> mac_platforms(int major, int minor, std::string_view arch);

// packaging._manylinux.platform_tags for a system whose glibc is major.minor: manylinux_X_Y_<arch>
// from that version down to 2_17 (2_5 on x86_64/i686), the legacy aliases manylinux2014/2010/1
// right after 2_17/2_12/2_5. Every version is assumed compatible (no _manylinux module veto).
std::vector<std::string> manylinux_platforms(std::string_view arch, int glibc_major, int glibc_minor);

// packaging._musllinux.platform_tags: musllinux_<major>_<minor..0>_<arch>.
std::vector<std::string> musllinux_platforms(std::string_view arch, int musl_major, int musl_minor);

// The platform list for one platform given by the user, as pip's --platform expands it
// (pip/_internal/utils/compatibility_tags.py): macosx_X_Y_arch -> the mac_platforms ladder;
// manylinux2014 -> + manylinux2010, manylinux1 (x86_64/i686); manylinux2010 -> + manylinux1.
// In addition a PEP 600 manylinux_X_Y_arch (resp. PEP 656 musllinux_X_Y_arch) descends the ladder a
// system with that glibc (musl) accepts, as packaging does. Anything else stands for itself.
std::vector<std::string> expand_platform(std::string_view platform);
// Several --platform values: each expanded, duplicates dropped (pip's _expand_allowed_platforms).
std::vector<std::string> expand_platforms(const std::vector<std::string>& platforms);

}  // namespace thoth
