// The install scheme of a target interpreter, read by running it once (pip's computation:
// pip/_internal/locations/_sysconfig.py), and pip's --target scheme.
#include <system_error>

#include "install/ini.hpp"
#include "thoth/install.hpp"
#include "thoth/process.hpp"

namespace thoth {
namespace {

constexpr int kProbeTimeoutSeconds = 60;
constexpr std::string_view kMarker = "thoth-install-probe";

// PEP 668, "Marking an interpreter as using an external package manager": the text pip shows when
// the marker gives no Error= key.
constexpr std::string_view kDefaultExternallyManaged =
    "The Python environment under %s is managed externally, and may not be manipulated by the user. "
    "Please use specific tooling from the distributor of the Python installation to interact with "
    "this Python environment instead.";

std::string default_message(const std::filesystem::path& prefix) {
  std::string text(kDefaultExternallyManaged);
  text.replace(text.find("%s"), 2, prefix.string());
  return text;
}

}  // namespace

std::string_view InstallEnvironment::probe_script() {
  // Run with -I but not -S: before Python 3.12, site.py is what makes sys.prefix a virtual
  // environment's (PEP 405), and sysconfig's preferred scheme follows it. Values are NUL-separated
  // after a marker, so that output from a .pth file cannot be mistaken for them.
  return R"PY(
import os, sys, sysconfig
v = sys.version_info
if hasattr(sysconfig, 'get_preferred_scheme'):
    paths = sysconfig.get_paths(sysconfig.get_preferred_scheme('prefix'))
else:
    paths = sysconfig.get_paths()
xy = '%d.%d' % (v[0], v[1])
if sys.prefix != getattr(sys, 'base_prefix', sys.prefix):
    headers = os.path.join(sys.prefix, 'include', 'site', 'python' + xy)
else:
    headers = paths['include']
out = ['thoth-install-probe', sys.executable, xy, getattr(sys.implementation, 'cache_tag', None) or '',
       sys.prefix, getattr(sys, 'base_prefix', sys.prefix), paths['purelib'], paths['platlib'],
       paths['scripts'], paths['data'], headers, sysconfig.get_path('stdlib')]
sys.stdout.flush()
sys.stdout.buffer.write(b'\0'.join(os.fsencode(x) for x in out) + b'\0')
)PY";
}

InstallEnvironment InstallEnvironment::probe(const std::string& python) {
  ProcessResult result = run_process({python, "-I", "-c", std::string(probe_script())}, kProbeTimeoutSeconds);
  if (!result.ok())
    throw InstallError("cannot read the install scheme of " + python + ": " + result.failure(kProbeTimeoutSeconds) +
                       " (pass a working Python interpreter)");
  return from_probe_output(result.out, python);
}

InstallEnvironment InstallEnvironment::from_probe_output(std::string_view output, const std::string& python) {
  std::size_t start = output.find(std::string(kMarker) + '\0');
  std::vector<std::string> values;
  if (start != std::string_view::npos) {
    std::string_view rest = output.substr(start + kMarker.size() + 1);
    for (std::size_t nul; (nul = rest.find('\0')) != std::string_view::npos; rest.remove_prefix(nul + 1))
      values.emplace_back(rest.substr(0, nul));
  }
  if (values.size() != 11)
    throw InstallError("cannot read the install scheme of " + python +
                       ": its answer is not the probe's (pass a CPython or PyPy interpreter, 3.8 or later)");
  InstallEnvironment env;
  env.python = python;
  env.executable = values[0];
  env.version = values[1];
  env.cache_tag = values[2];
  env.prefix = values[3];
  env.base_prefix = values[4];
  env.scheme = {values[5], values[6], values[7], values[8], values[9]};
  env.in_venv = env.prefix != env.base_prefix;
  if (env.in_venv) env.removal_root = env.prefix;
  // PEP 668: the marker lives in sysconfig.get_path("stdlib") and is ignored inside a virtual
  // environment.
  std::filesystem::path marker = std::filesystem::path(values[10]) / "EXTERNALLY-MANAGED";
  std::error_code ec;
  if (!env.in_venv && std::filesystem::is_regular_file(marker, ec)) {
    env.externally_managed_marker = marker;
    env.externally_managed_message = default_message(env.prefix);
    if (std::optional<std::string> text = install_detail::read_small_file(marker)) {
      install_detail::Ini ini = install_detail::parse_ini(*text);
      if (const std::string* error = ini.find("externally-managed", "error")) env.externally_managed_message = *error;
    }
  }
  return env;
}

InstallEnvironment InstallEnvironment::for_target_directory(const std::filesystem::path& dir) const {
  // pip installs into a temporary "home" scheme and moves lib/python's content and bin/ into DIR
  // (pip/_internal/commands/install.py, _handle_target_dir).
  InstallEnvironment env = *this;
  std::filesystem::path root = std::filesystem::absolute(dir).lexically_normal();
  if (root.has_filename() == false) root = root.parent_path();
  env.scheme = {root, root, root / "bin", root, root / "include" / "site" / ("python" + version)};
  env.externally_managed_marker.reset();
  env.externally_managed_message.clear();
  env.removal_root = root;
  return env;
}

void check_not_externally_managed(const InstallEnvironment& env) {
  if (!env.externally_managed()) return;
  // One line: the marker's paragraphs joined, runs of white space made one space.
  std::string message;
  for (char c : env.externally_managed_message) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (message.empty() || message.back() == ' ')) continue;
    message += space ? ' ' : c;
  }
  if (!message.empty() && message.back() == ' ') message.pop_back();
  throw InstallError(env.python + " is externally managed (PEP 668, " + env.externally_managed_marker->string() +
                     "): " + message + " Use a virtual environment (python3 -m venv DIR), --target DIR, or " +
                     "--break-system-packages to install anyway.");
}

}  // namespace thoth
