// Which environment a command resolves for (see resolve_target in thoth/session.hpp).
#include "session/path_search.hpp"
#include "thoth/session.hpp"

namespace thoth {

std::string default_python(const Environment& env) {
  auto get = [&env](const char* name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  if (std::string venv = get("VIRTUAL_ENV"); !venv.empty()) return venv + "/bin/python";
  if (auto found = session_detail::find_on_path("python3", get("PATH"))) return *found;
  throw SessionError(
      "no Python interpreter found: python3 is not on PATH and VIRTUAL_ENV is not set "
      "(use --python PATH or --target-env FILE)");
}

Target resolve_target(const TargetSettings& args, const SessionEnvironment& env,
                      const std::filesystem::path& cache_dir, const std::function<void()>& meanwhile) {
  if (!args.target_env.empty()) {
    std::string text = read_input(args.target_env, *env.in, "target file");
    std::string name = args.target_env == "-" ? "<stdin>" : args.target_env;
    try {
      return Target::from_json(text);
    } catch (const TagError& e) {
      throw SessionError("invalid target file '" + name + "': " + e.what());
    }
  }
  // pip download semantics: the options replace those facts of the interpreter.
  TargetOptions options;
  if (!args.python_version.empty()) options.python_version = args.python_version;
  options.platforms = args.platforms;
  if (!args.implementation.empty()) options.implementation = args.implementation;
  options.abis = args.abis;
  // Options that say everything leave nothing for the default interpreter to tell: none is run
  // (python3 on PATH may be a pyenv shim, a quarter of a second). An interpreter named with --python
  // is still asked for what the options leave (platform_release and platform_version).
  if (args.python.empty() && !Target::needs_base(options)) {
    if (env.messages != nullptr) env.messages->note("target from the command line: no interpreter is run");
    return Target::from_options(options);
  }
  std::string python = args.python.empty() ? default_python(env.env) : args.python;
  // A pyenv shim is a script that picks an interpreter at each run: the one it would pick is probed
  // (and its answer cached) instead.
  std::string probe = python;
  if (auto chosen = pyenv_shim_target(python, env.env)) probe = *chosen;
  if (env.messages != nullptr) {
    env.messages->note("probing the interpreter " + python + (probe == python ? "" : " (pyenv: " + probe + ")"));
  }
  Target probed = probe_interpreter(probe, cache_dir, meanwhile);
  if (!args.has_overrides()) return probed;
  options.base = std::move(probed);
  return Target::from_options(options);
}

}  // namespace thoth
