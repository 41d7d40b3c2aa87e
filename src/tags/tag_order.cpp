// The ordered tag lists of packaging.tags: cpython_tags, generic_tags, compatible_tags, sys_tags.
#include <algorithm>

#include "thoth/tags.hpp"

namespace thoth {

namespace {

std::string nodot_of(std::uint64_t major, std::uint64_t minor) {
  return std::to_string(major) + std::to_string(minor);
}

// PEP 384: the stable ABI abi3 exists from Python 3.2 on.
bool abi3_applies(std::span<const std::uint64_t> v) {
  return v.size() > 1 && (v[0] > 3 || (v[0] == 3 && v[1] >= 2));
}

bool less_than(std::span<const std::uint64_t> v, std::uint64_t major, std::uint64_t minor) {
  if (v.empty()) return true;
  if (v[0] != major) return v[0] < major;
  // Tuple order: (3,) < (3, 0).
  return v.size() < 2 ? true : v[1] < minor;
}

// PEP 425 "Python Tag": py3X from the given minor down to py30, after pyXY and pyX.
std::vector<std::string> py_interpreter_range(std::span<const std::uint64_t> v) {
  std::vector<std::string> out;
  if (v.empty()) return out;
  if (v.size() > 1) out.push_back("py" + nodot_of(v[0], v[1]));
  out.push_back("py" + std::to_string(v[0]));
  if (v.size() > 1) {
    for (std::uint64_t minor = v[1]; minor-- > 0;) out.push_back("py" + nodot_of(v[0], minor));
  }
  return out;
}

}  // namespace

std::string version_nodot(std::span<const std::uint64_t> v) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < 2; ++i) out += std::to_string(v[i]);
  return out;
}

// PEP 3149 ABI suffixes: 'd' debug, 'm' pymalloc (dropped in 3.8), 'u' wide unicode (until 3.3).
std::vector<std::string> cpython_abis(std::span<const std::uint64_t> v, const CpythonAbiFlags& flags) {
  std::vector<std::string> abis;
  std::string version = version_nodot(v);
  std::string debug = flags.debug ? "d" : "";
  std::string pymalloc, ucs4;
  if (less_than(v, 3, 8)) {
    if (flags.pymalloc) pymalloc = "m";
    if (less_than(v, 3, 3) && flags.ucs4) ucs4 = "u";
  } else if (flags.debug) {
    // A debug build also loads ordinary extension modules.
    abis.push_back("cp" + version);
  }
  abis.insert(abis.begin(), "cp" + version + debug + pymalloc + ucs4);
  return abis;
}

std::vector<Tag> cpython_tags(std::span<const std::uint64_t> v, const std::vector<std::string>& abis_in,
                              const std::vector<std::string>& platforms) {
  std::vector<Tag> out;
  std::string interpreter = "cp" + version_nodot(v);
  // 'abi3' and 'none' take their fixed places below, wherever the caller listed them.
  std::vector<std::string> abis;
  bool removed_abi3 = false, removed_none = false;
  for (const std::string& abi : abis_in) {
    // packaging removes only the first occurrence of each.
    if (abi == "abi3" && !removed_abi3) {
      removed_abi3 = true;
    } else if (abi == "none" && !removed_none) {
      removed_none = true;
    } else {
      abis.push_back(abi);
    }
  }
  for (const std::string& abi : abis) {
    for (const std::string& p : platforms) out.push_back({interpreter, abi, p});
  }
  if (abi3_applies(v)) {
    for (const std::string& p : platforms) out.push_back({interpreter, "abi3", p});
  }
  for (const std::string& p : platforms) out.push_back({interpreter, "none", p});
  // PEP 384: abi3 wheels built for older 3.x minors load too.
  if (abi3_applies(v)) {
    for (std::uint64_t minor = v[1]; minor-- > 2;) {
      std::string older = "cp" + nodot_of(v[0], minor);
      for (const std::string& p : platforms) out.push_back({older, "abi3", p});
    }
  }
  return out;
}

std::vector<Tag> generic_tags(std::string_view interpreter, const std::vector<std::string>& abis_in,
                              const std::vector<std::string>& platforms) {
  std::vector<std::string> abis = abis_in;
  if (std::find(abis.begin(), abis.end(), "none") == abis.end()) abis.push_back("none");
  std::vector<Tag> out;
  for (const std::string& abi : abis) {
    for (const std::string& p : platforms) out.push_back({std::string(interpreter), abi, p});
  }
  return out;
}

std::vector<Tag> compatible_tags(std::span<const std::uint64_t> v, std::string_view interpreter,
                                 const std::vector<std::string>& platforms) {
  std::vector<Tag> out;
  std::vector<std::string> range = py_interpreter_range(v);
  for (const std::string& py : range) {
    for (const std::string& p : platforms) out.push_back({py, "none", p});
  }
  if (!interpreter.empty()) out.push_back({std::string(interpreter), "none", "any"});
  for (const std::string& py : range) out.push_back({py, "none", "any"});
  return out;
}

std::vector<Tag> supported_tags(std::string_view implementation, std::span<const std::uint64_t> v,
                                const std::vector<std::string>& abis,
                                const std::vector<std::string>& platforms) {
  std::vector<Tag> out;
  std::string nodot = version_nodot(v);
  if (implementation == "cp") {
    out = cpython_tags(v, abis, platforms);
  } else {
    out = generic_tags(std::string(implementation) + nodot, abis, platforms);
  }
  // sys_tags: the <interpreter>-none-any tag exists for CPython (cpXY) and PyPy (pp3) only.
  std::string interp;
  if (implementation == "pp") {
    interp = "pp3";
  } else if (implementation == "cp") {
    interp = "cp" + nodot;
  }
  std::vector<Tag> compat = compatible_tags(v, interp, platforms);
  out.insert(out.end(), std::make_move_iterator(compat.begin()), std::make_move_iterator(compat.end()));
  return out;
}

}  // namespace thoth
