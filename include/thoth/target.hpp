// The target environment: the one interpreter + platform a resolution is made for.
//
// A Target comes from one of three places:
//   * Target::probe(path)         runs that interpreter once and reads its facts;
//   * Target::from_options(opts)  pip's --python-version/--platform/--implementation/--abi on top of
//                                 a base target (the running or probed interpreter);
//   * Target::from_json(text)     a target document, as written by `thoth env` or by hand.
// In every case the supported tags are computed here, in C++, exactly as packaging.tags.sys_tags()
// orders them for those facts (see supported_tags() in tags.hpp).
//
// Target document (JSON object; all keys optional unless noted; an unknown key is an error):
//
//   "python_version"  required. "3.11" (or "3.11.4": then python_full_version defaults to it; "3"
//                     alone gives the major-only tags pip makes of --python-version 3).
//   "platform"        one platform tag describing the system, expanded as pip's --platform does
//                     (see expand_platform() in tags.hpp): e.g. "manylinux_2_28_x86_64" stands for
//                     manylinux_2_28_x86_64 ... manylinux_2_17_x86_64, manylinux2014_x86_64, ...
//                     manylinux1_x86_64; "musllinux_1_2_x86_64" for musllinux_1_2 ... 1_0;
//                     "macosx_11_0_arm64" for the macOS ladder; "manylinux2014_x86_64" for itself,
//                     manylinux2010 and manylinux1 (pip's legacy rule); "win_amd64" for itself.
//                     Required unless "platforms" is given.
//   "platforms"       ordered list of platform tags, most specific first, used as-is (no expansion);
//                     overrides the expansion of "platform".
//   "implementation"  interpreter tag prefix: "cp" (default), "pp", "ip", "jy", or another name.
//   "abis"            ordered list of ABI tags. Default for "cp": derived as CPython spells it for
//                     that version (cp311; cp37m before 3.8; cp32mu before 3.3; abi3 and none are
//                     always added as packaging adds them; none for a major-only version such as
//                     "3"). Default for other implementations: empty (their tags then carry only the
//                     "none" abi, which packaging always adds).
//   "markers"         object: PEP 508 marker variable name -> value, overriding the derived value.
//                     Variables not given are derived:
//                       python_version, python_full_version ("X.Y.0" unless given), from python_version;
//                       implementation_name, platform_python_implementation from implementation
//                         (cp: cpython/CPython, pp: pypy/PyPy, ip: ironpython/IronPython,
//                          jy: jython/Jython; others: the name itself / empty);
//                       implementation_version: python_full_version for cp, else empty;
//                       os_name, sys_platform, platform_system, platform_machine from the platform
//                       ("platform", or the first of "platforms"):
//                         linux_*, manylinux*, musllinux*  -> posix, linux,  Linux,   <arch>
//                         macosx_X_Y_<arch>               -> posix, darwin, Darwin,  <arch>
//                                                            (x86_64, arm64, i386; a multi-arch
//                                                            format such as universal2 leaves
//                                                            platform_machine to be given)
//                         win_amd64 / win32 / win_arm64   -> nt,    win32,  Windows, AMD64/x86/ARM64
//                       an error if such a variable cannot be derived and is not given;
//                       platform_release, platform_version: empty unless given.
//   "tags"            output only (what `thoth env` prints); ignored on input, the tags are always
//                     recomputed from the keys above.
//
// Minimal example:  {"python_version": "3.10", "platform": "manylinux_2_28_x86_64"}
//
// to_json() writes {"implementation", "python_version", "markers" (every variable, by canonical
// name, sorted), "abis", "platforms", "tags"}; from_json(to_json(t)) == t.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"
#include "thoth/tags.hpp"

namespace thoth {

struct TargetOptions;

struct Target {
  MarkerEnv markers;
  std::string implementation;          // interpreter tag prefix: "cp", "pp", ...
  Version python_version;              // major.minor, e.g. 3.11; the markers carry the full one
  std::vector<std::string> abis;       // ordered, e.g. {"cp311"}
  std::vector<std::string> platforms;  // ordered, most specific first
  TagSet tags;                         // computed from the above as packaging.tags.sys_tags()

  // The document described above. Throws TagError.
  static Target from_json(std::string_view json);
  // Pretty-printed (2-space indent), keys in a fixed order, ending with a newline.
  std::string to_json() const;

  // Runs `python_path` (a path, or a name looked up on PATH) once with an embedded script (-I -S,
  // works on CPython 3.8+ and PyPy without any third-party package) and computes the target from the
  // facts it prints. Throws TagError naming the interpreter and what went wrong.
  static Target probe(const std::string& python_path);
  // probe() in two steps, for callers that keep the interpreter's answer (the CLI caches it): the
  // facts document the interpreter prints, and the target computed from it. Both throw TagError.
  static std::string probe_facts(const std::string& python_path);
  static Target from_probe_facts(std::string_view facts_json, const std::string& python_path);
  // The script probe_facts() runs: a cached answer is only valid for the script that produced it.
  static std::string_view probe_script();

  // pip's --python-version / --platform / --implementation / --abi applied to options.base.
  // Throws TagError for a malformed option or a missing base the options need (see needs_base).
  static Target from_options(const TargetOptions& options);
  // Whether the options leave something for an interpreter to say. They do not when they give the
  // whole target: a Python version X.Y or X.Y.Z, the implementation "cp" and a first platform that
  // names its system and machine (manylinux2014_x86_64, win_amd64, macosx_11_0_arm64, ...). The
  // target is then what they say, python_full_version X.Y.0 unless X.Y.Z is given, and
  // platform_release and platform_version empty (as for a platform of another system than the
  // base's); from_options needs no base.
  static bool needs_base(const TargetOptions& options);

  // Recomputes `tags` from implementation, python_version, abis and platforms.
  void recompute_tags();

  friend bool operator==(const Target&, const Target&) = default;
};

struct TargetOptions {
  std::optional<std::string> python_version;  // "3", "3.11", "311", "3.11.4" (pip's spellings)
  std::vector<std::string> platforms;         // each expanded with expand_platform(), in order
  std::optional<std::string> implementation;  // "cp", "pp", "py", ...
  std::vector<std::string> abis;              // used as given; empty = derived
  // Facts for everything not set above (required). When the version or implementation changes and no
  // abis are given, CPython abis are derived with the base's build flags (debug 'd' read from its ABI).
  std::optional<Target> base;
};

}  // namespace thoth
