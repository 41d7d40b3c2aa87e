// What the probe script reports about an interpreter, and how a Target follows from it (internal;
// the unit tests feed hand-made facts to simulate other systems).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thoth/pep508.hpp"
#include "thoth/target.hpp"

namespace thoth::probe_detail {

// The ELF header fields of sys.executable that packaging looks at (packaging/_elffile.py).
struct ElfFacts {
  int ei_class = 0;          // 1: 32-bit, 2: 64-bit
  int ei_data = 0;           // 1: little endian, 2: big endian
  int machine = 0;           // e_machine
  std::uint64_t flags = 0;   // e_flags
  std::string interpreter;   // PT_INTERP, empty if none
};

// A distribution's `_manylinux` module (PEP 600 "Package installers"), if the interpreter has one.
struct ManylinuxModule {
  // manylinux_compatible(major, minor, arch) for each candidate glibc version; absent key: the
  // function does not exist; nullopt value: it returned None.
  std::optional<std::map<std::pair<int, int>, std::optional<bool>>> compatible;
  std::optional<bool> manylinux1, manylinux2010, manylinux2014;  // the legacy attributes
};

// A sysconfig value: None, a number or a string, judged with Python truthiness where needed.
struct ConfigVar {
  enum class Kind { None, Int, String } kind = Kind::None;
  long long number = 0;
  std::string text;
  bool is_none() const { return kind == Kind::None; }
  bool truthy() const { return kind == Kind::Int ? number != 0 : kind == Kind::String && !text.empty(); }
};

struct InterpreterFacts {
  std::string executable;                 // sys.executable
  MarkerEnv markers;                      // computed as PEP 508 "Environment Markers" shows
  std::string implementation_name;        // sys.implementation.name
  std::vector<std::uint64_t> version;     // sys.version_info[:2]
  ConfigVar py_debug, with_pymalloc, unicode_size, ext_suffix;
  bool has_gettotalrefcount = false;      // sys.gettotalrefcount exists (debug build)
  bool has_debug_pyd_suffix = false;      // "_d.pyd" in EXTENSION_SUFFIXES (Windows debug build)
  std::uint64_t maxunicode = 0x10FFFF;
  std::string sysconfig_platform;         // sysconfig.get_platform()
  std::string system;                     // platform.system()
  bool is_32bit = false;                  // sys.maxsize <= 2**32
  std::optional<std::string> glibc_version;        // "2.36" (Linux only)
  std::optional<std::string> musl_loader_output;   // stderr of the musl loader, if linked to musl
  std::optional<ElfFacts> elf;
  std::optional<ManylinuxModule> manylinux_module;
  std::string mac_version;                // platform.mac_ver()[0], the 10.16 compat answer resolved
  std::string mac_machine;                // platform.mac_ver()[2]
};

// The Python source of the probe; it prints one JSON object (InterpreterFacts) to stdout.
std::string_view probe_script();

// Parses the probe's output; throws TagError mentioning `python`.
InterpreterFacts parse_facts(std::string_view json, std::string_view python);

// Computes abis, platforms and tags as packaging.tags.sys_tags() would inside that interpreter.
// Throws TagError mentioning `python` for facts packaging itself would fail on (e.g. an invalid
// EXT_SUFFIX).
Target target_from_facts(const InterpreterFacts& facts, std::string_view python);

// packaging._musllinux._parse_musl_version: "musl libc (x86_64)\nVersion 1.2.2\n..." -> {1, 2}.
std::optional<std::pair<int, int>> parse_musl_version(std::string_view loader_output);
// packaging._manylinux._parse_glibc_version: leading "<major>.<minor>", otherwise {-1, -1}.
std::pair<int, int> parse_glibc_version(std::string_view text);

// Runs argv (argv[0] looked up on PATH if it has no '/') with stdin from /dev/null, and returns its
// stdout. Throws TagError naming argv[0] if it cannot be started, fails, or exceeds the timeout.
std::string run_capture(const std::vector<std::string>& argv, int timeout_seconds);

}  // namespace thoth::probe_detail
