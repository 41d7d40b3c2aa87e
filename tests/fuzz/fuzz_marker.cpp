// PEP 508 environment markers from any text, evaluated in a few environments. Properties: a parsed
// marker reads back from its str() as a marker that evaluates the same (the same value, or an error in
// both) in every environment and for every extra, and whose str() reads back as itself.
//
// Except where str() follows packaging 23.0 into a spelling that reads back otherwise (see
// marker_values_print_faithfully): such inputs are only parsed and evaluated.
#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "thoth/pep508.hpp"

namespace {

using thoth::MarkerEnv;
using thoth::MarkerVar;

MarkerEnv make_env(std::initializer_list<std::pair<MarkerVar, const char*>> values) {
  MarkerEnv env;
  for (const auto& [var, value] : values) env.set(var, value);
  return env;
}

// A Linux CPython, a Windows PyPy with a pre-release, and one whose values are not versions.
const std::vector<MarkerEnv>& envs() {
  static const std::vector<MarkerEnv> all = {
      make_env({{MarkerVar::PythonVersion, "3.11"}, {MarkerVar::PythonFullVersion, "3.11.4"},
                {MarkerVar::OsName, "posix"}, {MarkerVar::SysPlatform, "linux"},
                {MarkerVar::PlatformRelease, "6.1.0-13-amd64"}, {MarkerVar::PlatformSystem, "Linux"},
                {MarkerVar::PlatformVersion, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)"},
                {MarkerVar::PlatformMachine, "x86_64"}, {MarkerVar::PlatformPythonImplementation, "CPython"},
                {MarkerVar::ImplementationName, "cpython"}, {MarkerVar::ImplementationVersion, "3.11.4"}}),
      make_env({{MarkerVar::PythonVersion, "3.13"}, {MarkerVar::PythonFullVersion, "3.13.0rc1"},
                {MarkerVar::OsName, "nt"}, {MarkerVar::SysPlatform, "win32"}, {MarkerVar::PlatformRelease, "10"},
                {MarkerVar::PlatformSystem, "Windows"}, {MarkerVar::PlatformVersion, "10.0.19045"},
                {MarkerVar::PlatformMachine, "AMD64"}, {MarkerVar::PlatformPythonImplementation, "PyPy"},
                {MarkerVar::ImplementationName, "pypy"}, {MarkerVar::ImplementationVersion, "7.3.17"}}),
      make_env({{MarkerVar::PythonVersion, "x"}, {MarkerVar::PythonFullVersion, ""}}),
  };
  return all;
}

// 1 true, 0 false, -1 an error.
int outcome(const thoth::Marker& m, const MarkerEnv& env, std::string_view extra) {
  try {
    return m.evaluate(env, extra) ? 1 : 0;
  } catch (const thoth::Error&) {
    return -1;
  }
}

}  // namespace

THOTH_FUZZ_TARGET(marker) {
  thoth::fuzz::expect_error_or_value([&] {
    const thoth::Marker m = thoth::Marker::parse(data);
    const std::string s = m.str();
    if (!thoth::fuzz::marker_values_print_faithfully(data)) {
      for (const MarkerEnv& env : envs()) (void)outcome(m, env, "test");
      return;
    }
    const thoth::Marker again = thoth::Marker::parse(s);
    // packaging 23.0 normalises the value facing `extra` only in a marker's first comparison, and a
    // redundant pair of parentheses hides that comparison from the rule: "(extra == 'Te')" prints as
    // extra == "Te", which prints as extra == "te". So the spelling settles at the second print.
    const std::string settled = again.str();
    THOTH_FUZZ_CHECK(marker, thoth::Marker::parse(settled).str() == settled, s + " -> " + settled);
    THOTH_FUZZ_CHECK(marker, again.mentions_extra() == m.mentions_extra(), s);
    for (const MarkerEnv& env : envs())
      for (std::string_view extra : {"", "test", "Test.Extra"})
        THOTH_FUZZ_CHECK(marker, outcome(m, env, extra) == outcome(again, env, extra), s);
  });
}
