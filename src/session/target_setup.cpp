// Which environment a command resolves for (see resolve_target in thoth/session.hpp).
#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "thoth/session.hpp"

namespace thoth {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execvp()'s search: each $PATH entry in order, an empty entry meaning the current directory.
std::optional<std::string> find_on_path(const std::string& name, const std::string& path_var) {
  std::string_view rest = path_var;
  for (;;) {
    auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    std::string candidate = dir.empty() ? name : dir + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(colon + 1);
  }
}

}  // namespace

std::string default_python(const Environment& env) {
  auto get = [&env](const char* name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  if (std::string venv = get("VIRTUAL_ENV"); !venv.empty()) return venv + "/bin/python";
  if (auto found = find_on_path("python3", get("PATH"))) return *found;
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
  std::string python = args.python.empty() ? default_python(env.env) : args.python;
  if (env.messages != nullptr) env.messages->note("probing the interpreter " + python);
  Target probed = probe_interpreter(python, cache_dir, meanwhile);
  if (!args.has_overrides()) return probed;

  // pip download semantics: the options replace those facts of the probed interpreter.
  TargetOptions options;
  if (!args.python_version.empty()) options.python_version = args.python_version;
  options.platforms = args.platforms;
  if (!args.implementation.empty()) options.implementation = args.implementation;
  options.abis = args.abis;
  options.base = std::move(probed);
  return Target::from_options(options);
}

}  // namespace thoth
