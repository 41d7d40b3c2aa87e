#include "cli/target_options.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "cli/exit_codes.hpp"
#include "cli/io.hpp"
#include "cli/probe_cache.hpp"

namespace thoth::cli {

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

void add_target_options(CLI::App& cmd, TargetArgs& args) {
  const std::string group = "Target options";
  auto* python = cmd.add_option("--python", args.python,
                                "Interpreter to resolve for (probed once); default: the active one")
                     ->type_name("PATH")
                     ->group(group);
  auto* target_env = cmd.add_option("--target-env", args.target_env,
                                    "Target JSON document, as 'thoth env' prints it ('-' for stdin)")
                         ->type_name("FILE")
                         ->group(group);
  auto* version = cmd.add_option("--python-version", args.python_version,
                                 "Python version of the target, e.g. 3.11 (pip's spellings)")
                      ->type_name("X.Y")
                      ->group(group);
  auto* platform = cmd.add_option("--platform", args.platforms,
                                  "Platform tag, e.g. manylinux2014_x86_64 (repeatable, most specific first)")
                       ->type_name("PLATFORM")
                       ->allow_extra_args(false)  // one value per occurrence; repeating the option accumulates
                       ->group(group);
  auto* implementation = cmd.add_option("--implementation", args.implementation,
                                        "Interpreter implementation: cp, pp, ip, jy or py")
                             ->type_name("IMPL")
                             ->group(group);
  auto* abi = cmd.add_option("--abi", args.abis, "ABI tag, e.g. cp311 (repeatable)")
                  ->type_name("ABI")
                  ->allow_extra_args(false)
                  ->group(group);
  for (CLI::Option* other : {python, version, platform, implementation, abi}) target_env->excludes(other);
}

std::string default_python(const Context& ctx) {
  if (auto venv = ctx.getenv("VIRTUAL_ENV"); venv && !venv->empty()) return *venv + "/bin/python";
  if (auto found = find_on_path("python3", ctx.getenv("PATH").value_or(""))) return *found;
  throw CliError(ExitCode::Usage,
                 "no Python interpreter found: python3 is not on PATH and VIRTUAL_ENV is not set "
                 "(use --python PATH or --target-env FILE)");
}

Target resolve_target(const TargetArgs& args, const Context& ctx, const std::filesystem::path& cache_dir,
                      const std::function<void()>& meanwhile) {
  if (!args.target_env.empty()) {
    std::string text = read_input(args.target_env, ctx.in, "target file");
    std::string name = args.target_env == "-" ? "<stdin>" : args.target_env;
    try {
      return Target::from_json(text);
    } catch (const TagError& e) {
      throw CliError(ExitCode::Usage, "invalid target file '" + name + "': " + e.what());
    }
  }
  std::string python = args.python.empty() ? default_python(ctx) : args.python;
  ctx.note("probing the interpreter " + python);
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

}  // namespace thoth::cli
