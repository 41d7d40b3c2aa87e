// Target::from_options: pip's --python-version / --platform / --implementation / --abi.
#include <algorithm>
#include <span>

#include "tags/target_markers.hpp"
#include "tags/text.hpp"
#include "thoth/target.hpp"

namespace thoth {

namespace {

[[noreturn]] void fail(const std::string& why) { throw TagError(why); }

// pip's _convert_python_version: "3", "37" (major digit + minor), "3.7", "3.7.3".
std::vector<std::uint64_t> parse_python_version(std::string_view text) {
  auto bad = [&]() -> std::vector<std::uint64_t> {
    fail("invalid --python-version \"" + std::string(text) + "\": expected e.g. 3, 3.11, 311 or 3.11.4");
  };
  std::vector<std::uint64_t> out;
  if (text.find('.') == std::string_view::npos) {
    if (!tags_text::all_digits(text)) return bad();
    std::optional<int> major = tags_text::to_int(text.substr(0, 1));
    out.push_back(static_cast<std::uint64_t>(*major));
    if (text.size() > 1) {
      std::optional<int> minor = tags_text::to_int(text.substr(1));
      if (!minor) return bad();
      out.push_back(static_cast<std::uint64_t>(*minor));
    }
    return out;
  }
  for (std::string_view part : tags_text::split(text, '.')) {
    std::optional<int> n = tags_text::to_int(part);
    if (!n) return bad();
    out.push_back(static_cast<std::uint64_t>(*n));
  }
  if (out.size() > 3) fail("invalid --python-version \"" + std::string(text) + "\": at most three parts");
  return out;
}

std::string join_version(const std::vector<std::uint64_t>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < n; ++i) out += (i ? "." : "") + std::to_string(parts[i]);
  return out;
}

// The base interpreter's CPython build flags, read back from its ABI tag ("cp311d" is a debug build,
// "cp37m" has pymalloc, "cp27mu" is wide-unicode). Flags its ABI cannot show keep their usual value.
CpythonAbiFlags flags_of(const Target& base) {
  CpythonAbiFlags flags;
  if (base.implementation != "cp" || base.abis.empty()) return flags;
  std::span<const std::uint64_t> v = base.python_version.release();
  std::string prefix = "cp" + version_nodot(v);
  const std::string& abi = base.abis.front();
  if (!abi.starts_with(prefix)) return flags;
  std::string_view suffix = std::string_view(abi).substr(prefix.size());
  auto has = [&](char c) { return suffix.find(c) != std::string_view::npos; };
  bool before_38 = v.size() < 2 || (v[0] < 3 || (v[0] == 3 && v[1] < 8));
  bool before_33 = v.size() < 2 || (v[0] < 3 || (v[0] == 3 && v[1] < 3));
  flags.debug = has('d');
  if (before_38) flags.pymalloc = has('m');
  if (before_33) flags.ucs4 = has('u');
  return flags;
}

// What a target given whole by its options (see Target::needs_base) starts from: the CPython of the
// version asked, on no known system, so that the platform's markers and the derived abis apply.
Target whole_base(const TargetOptions& options) {
  std::vector<std::uint64_t> parts = parse_python_version(*options.python_version);
  Target base;
  base.implementation = "cp";
  base.python_version = Version::parse(join_version(parts, 2));
  const std::string full = parts.size() == 3 ? join_version(parts, 3) : join_version(parts, 2) + ".0";
  base.markers.set(MarkerVar::PythonVersion, join_version(parts, 2));
  base.markers.set(MarkerVar::PythonFullVersion, full);
  base.markers.set(MarkerVar::ImplementationName, "cpython");
  base.markers.set(MarkerVar::PlatformPythonImplementation, "CPython");
  base.markers.set(MarkerVar::ImplementationVersion, full);
  base.abis = cpython_abis(base.python_version.release(), CpythonAbiFlags{});
  return base;
}

}  // namespace

bool Target::needs_base(const TargetOptions& options) {
  if (!options.python_version || options.implementation != "cp" || options.platforms.empty()) return true;
  // "3" alone names no minor version (no CPython abi of its own): a base must say which.
  const std::string& v = *options.python_version;
  if (v.find('.') == std::string::npos && v.size() < 2) return true;
  const auto pm = target_detail::platform_markers(options.platforms.front());
  return !pm || !pm->platform_machine;
}

Target Target::from_options(const TargetOptions& options) {
  std::optional<Target> whole;
  if (!options.base) {
    if (needs_base(options)) fail("a target from options needs a base interpreter");
    whole = whole_base(options);
  }
  const Target& base = options.base ? *options.base : *whole;
  Target t = base;

  bool version_changed = false, full_version_set = false;
  if (options.python_version) {
    std::vector<std::uint64_t> parts = parse_python_version(*options.python_version);
    Version major_minor = Version::parse(join_version(parts, 2));
    version_changed = !std::ranges::equal(major_minor.release(), base.python_version.release());
    t.python_version = major_minor;
    if (version_changed || parts.size() == 3) {
      full_version_set = true;
      t.markers.set(MarkerVar::PythonVersion, join_version(parts, 2));
      t.markers.set(MarkerVar::PythonFullVersion,
                    parts.size() == 3 ? join_version(parts, 3) : join_version(parts, 2) + ".0");
    }
  }

  bool implementation_changed = false;
  if (options.implementation) {
    const std::string& impl = *options.implementation;
    if (impl.empty() || impl.find_first_of("-. \t") != std::string::npos) {
      fail("invalid --implementation \"" + impl + "\"");
    }
    implementation_changed = impl != base.implementation;
    t.implementation = impl;
    if (implementation_changed) {
      auto names = target_detail::implementation_markers(impl);
      t.markers.set(MarkerVar::ImplementationName, names ? names->name : impl);
      t.markers.set(MarkerVar::PlatformPythonImplementation, names ? names->python_implementation : "");
      t.markers.set(MarkerVar::ImplementationVersion, "");
    }
  }
  // CPython's implementation version is its Python version.
  if ((full_version_set || implementation_changed) && t.implementation == "cp") {
    t.markers.set(MarkerVar::ImplementationVersion, t.markers.get(MarkerVar::PythonFullVersion));
  }

  if (!options.platforms.empty()) {
    for (const std::string& p : options.platforms) {
      if (p.empty() || p.find_first_of("-. \t") != std::string::npos) fail("invalid --platform \"" + p + "\"");
    }
    t.platforms = expand_platforms(options.platforms);
    // Marker values follow the first platform where it tells them; otherwise the base's stay.
    if (auto pm = target_detail::platform_markers(options.platforms.front())) {
      if (pm->platform_system != base.markers.get(MarkerVar::PlatformSystem)) {
        t.markers.set(MarkerVar::PlatformRelease, "");
        t.markers.set(MarkerVar::PlatformVersion, "");
      }
      t.markers.set(MarkerVar::OsName, pm->os_name);
      t.markers.set(MarkerVar::SysPlatform, pm->sys_platform);
      t.markers.set(MarkerVar::PlatformSystem, pm->platform_system);
      if (pm->platform_machine) t.markers.set(MarkerVar::PlatformMachine, *pm->platform_machine);
    }
  }

  if (!options.abis.empty()) {
    for (const std::string& a : options.abis) {
      if (a.empty() || a.find_first_of("-. \t") != std::string::npos) fail("invalid --abi \"" + a + "\"");
    }
    t.abis = options.abis;
  } else if (version_changed || implementation_changed) {
    // As pip: CPython abis are derived for the requested version with the base's build flags; other
    // implementations keep the base's abis only if they are the base's implementation.
    if (t.implementation == "cp") {
      // packaging: a major-only version has no CPython abi of its own.
      std::span<const std::uint64_t> v = t.python_version.release();
      t.abis = v.size() > 1 ? cpython_abis(v, flags_of(base)) : std::vector<std::string>{};
    } else if (implementation_changed) {
      t.abis.clear();
    }
  }

  t.recompute_tags();
  return t;
}

}  // namespace thoth
