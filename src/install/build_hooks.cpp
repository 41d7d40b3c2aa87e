// Running PEP 517 build backends: the hook runner thoth gives the interpreter, the isolated build
// environment, and sdists unpacked into source trees.
#include <algorithm>
#include <system_error>

#include "install/files.hpp"
#include "install/ini.hpp"  // read_small_file
#include "thoth/archive.hpp"
#include "thoth/build.hpp"
#include "thoth/process.hpp"

namespace thoth {

namespace {

// A backend compiling a large extension can take long; one that has not finished after this is stuck.
constexpr int kBuildTimeoutSeconds = 3 * 3600;
constexpr int kVenvTimeoutSeconds = 300;
constexpr std::string_view kAnswerMarker = "thoth-hook";
constexpr std::string_view kErrorPrefix = "thoth-hook-error: ";

// The runner's own complaint (the backend cannot be imported, a hook answered with the wrong type),
// when it made one.
std::string runner_error(std::string_view output) {
  std::size_t at = output.rfind(kErrorPrefix);
  if (at == std::string_view::npos) return "";
  std::string_view rest = output.substr(at + kErrorPrefix.size());
  return std::string(rest.substr(0, rest.find('\n')));
}

// The last line the backend printed: a traceback's exception, or a build tool's final "error: ...".
std::string last_line(std::string_view output) {
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos) return "";
  std::size_t start = output.rfind('\n', end);
  start = start == std::string_view::npos ? 0 : start + 1;
  std::string_view line = output.substr(start, end + 1 - start);
  return std::string(line.substr(std::min(line.find_first_not_of(" \t"), line.size())));
}

}  // namespace

std::vector<std::string> canonical_config_settings(std::vector<std::string> items) {
  // Stable: a repeated key's values keep their order, which is their list's order.
  std::stable_sort(items.begin(), items.end(), [](const std::string& a, const std::string& b) {
    return std::string_view(a).substr(0, a.find('=')) < std::string_view(b).substr(0, b.find('='));
  });
  return items;
}

std::string_view hook_runner_script() {
  // PEP 517 "Build backend interface": the backend is imported in a fresh process whose working
  // directory is the source tree; backend-path entries go first on sys.path ("In-tree build
  // backends") and the backend must come from them. The hook's answer goes to a file as
  // NUL-separated strings after a marker, so that nothing the backend prints can be mistaken for it;
  // what it prints on stdout joins stderr, so the user reads one stream in the order it was written.
  // PEP 517 "Config settings": every hook gets the same config_settings dictionary (or None).
  return R"PY(
import importlib, os, sys, traceback

def complain(text):
    sys.stderr.write('thoth-hook-error: ' + text + '\n')
    sys.stderr.flush()
    os._exit(2)

def backend_object(spec, in_tree):
    module_name, _, attributes = spec.partition(':')
    module_name = module_name.strip()
    sys.path[:0] = in_tree
    try:
        obj = importlib.import_module(module_name)
    except Exception:
        traceback.print_exc()
        complain('cannot import the build backend %r (is it among [build-system] requires?)' % module_name)
    if in_tree:
        where = os.path.realpath(getattr(obj, '__file__', None) or '')
        if not any(where.startswith(os.path.join(d, '')) for d in in_tree):
            complain('the build backend %r was not loaded from its backend-path (%s)' % (module_name, where))
    for name in attributes.strip().split('.') if attributes.strip() else ():
        try:
            obj = getattr(obj, name)
        except AttributeError:
            complain('the build backend %r has no attribute %r' % (spec, name))
    return obj

def config_settings(items):
    # pip's _handle_config_settings: KEY=VALUE split at the first '='; a key given again makes the list
    # of its values in the order given. No items: None, as pip passes it.
    if not items:
        return None
    out = {}
    for item in items:
        key, _, value = item.partition('=')
        if key not in out:
            out[key] = value
        elif isinstance(out[key], list):
            out[key].append(value)
        else:
            out[key] = [out[key], value]
    return out

def main():
    answer, tree, hook, spec, directory, count = sys.argv[1:7]
    settings = config_settings(sys.argv[7:7 + int(count)])
    in_tree = [os.path.realpath(os.path.join(tree, d)) for d in sys.argv[7 + int(count):]]
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if sys.path and sys.path[0] in ('', '.'):
        del sys.path[0]
    os.chdir(tree)
    backend = backend_object(spec, in_tree)
    function = getattr(backend, hook, None)
    status, values = 'ok', []
    if function is None:
        status = 'missing'
    elif hook.startswith('get_requires_for_'):
        values = function(settings)
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
            complain('%s returned %r, not a list of requirement strings' % (hook, values))
        values = list(values)
    elif hook.startswith('prepare_metadata_for_'):
        name = function(directory, settings)
        if not isinstance(name, str):
            complain('%s returned %r, not the basename of the .dist-info directory it wrote' % (hook, name))
        values = [name]
    else:
        name = function(directory, settings, None)
        if not isinstance(name, str):
            complain('%s returned %r, not the basename of the file it wrote' % (hook, name))
        values = [name]
    sys.stderr.flush()
    with open(answer, 'wb') as f:
        f.write(b'\0'.join(os.fsencode(v) for v in ['thoth-hook', status] + values) + b'\0')

main()
)PY";
}

HookResult run_build_hook(const BuildBackend& backend, const std::string& hook, const std::filesystem::path& directory,
                          const std::filesystem::path& scratch) {
  install_detail::make_directories(scratch);
  const std::filesystem::path answer = scratch / ("answer-" + hook);
  std::error_code ec;
  std::filesystem::remove(answer, ec);
  std::vector<std::string> argv = {backend.python};
  // Isolated: the build environment alone, whatever PYTHONPATH or the user's site-packages hold.
  if (backend.isolated) argv.push_back("-I");
  argv.insert(argv.end(), {"-c", std::string(hook_runner_script()), answer.string(), backend.source_dir.string(), hook,
                           backend.system.backend, directory.string(), std::to_string(backend.config_settings.size())});
  argv.insert(argv.end(), backend.config_settings.begin(), backend.config_settings.end());
  argv.insert(argv.end(), backend.system.backend_path.begin(), backend.system.backend_path.end());
  // Live output goes out line by line (both streams interleaved as they come); a last line without
  // its newline is flushed at the end.
  std::string partial;
  OutputEcho echo;
  if (backend.echo_line)
    echo = [&](std::string_view chunk) {
      partial.append(chunk);
      std::size_t start = 0;
      for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1)
        backend.echo_line(std::string_view(partial).substr(start, nl - start));
      partial.erase(0, start);
    };
  ProcessResult result = run_process(argv, kBuildTimeoutSeconds, echo);
  if (backend.echo_line && !partial.empty()) backend.echo_line(partial);
  HookResult out;
  out.output = result.err + result.out;
  const std::string what = backend.label + ": " + hook + " of the build backend " + backend.system.backend;
  if (!result.ok()) {
    std::string why = runner_error(out.output);
    if (why.empty() && result.spawn_error.empty() && !result.timed_out && result.signal == 0) {
      why = "it exited with status " + std::to_string(result.exit_status);
      if (std::string line = last_line(out.output); !line.empty()) why += " (" + line + ")";
    }
    if (why.empty()) why = result.failure(kBuildTimeoutSeconds);
    if (backend.echo_line) throw BuildError(what + " failed: " + why + " (its output is above)", "");
    throw BuildError(what + " failed: " + why, out.output);
  }
  std::optional<std::string> text = install_detail::read_small_file(answer);
  std::vector<std::string> values;
  if (text) {
    std::string_view rest = *text;
    for (std::size_t nul; (nul = rest.find('\0')) != std::string_view::npos; rest.remove_prefix(nul + 1))
      values.emplace_back(rest.substr(0, nul));
  }
  if (values.size() < 2 || values[0] != kAnswerMarker)
    throw BuildError(what + " gave no answer (the interpreter " + backend.python + " did not run thoth's hook runner)",
                     out.output);
  out.missing = values[1] == "missing";
  out.values.assign(values.begin() + 2, values.end());
  return out;
}

std::filesystem::path unpack_sdist(const std::filesystem::path& sdist, const std::filesystem::path& destination) {
  try {
    extract_archive(sdist, destination);
  } catch (const ArchiveError& e) {
    throw InstallError("cannot unpack the sdist " + sdist.filename().string() + ": " + e.what());
  }
  // "Source distribution format": the archive holds one directory, {name}-{version}.
  std::vector<std::filesystem::path> top;
  for (const auto& entry : std::filesystem::directory_iterator(destination)) top.push_back(entry.path());
  std::error_code ec;
  if (top.size() == 1 && std::filesystem::is_directory(top.front(), ec)) return top.front();
  return destination;
}

InstallEnvironment make_build_venv(const std::string& python, const std::filesystem::path& dir) {
  ProcessResult result = run_process({python, "-I", "-m", "venv", "--without-pip", dir.string()}, kVenvTimeoutSeconds);
  if (!result.ok())
    throw InstallError("cannot create an isolated build environment with " + python + " -m venv: " +
                       result.failure(kVenvTimeoutSeconds) +
                       " (install the interpreter's venv module, e.g. Debian's python3-venv, or pass "
                       "--no-build-isolation to build in the target environment)");
  return InstallEnvironment::probe((dir / "bin" / "python").string());
}

}  // namespace thoth
