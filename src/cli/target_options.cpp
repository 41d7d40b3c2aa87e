#include "cli/target_options.hpp"

#include <string>

namespace thoth::cli {

void add_target_options(CLI::App& cmd, TargetSettings& args) {
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

}  // namespace thoth::cli
