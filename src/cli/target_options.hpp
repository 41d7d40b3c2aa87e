// The target options shared by every command that resolves for an environment: which interpreter or
// target document to start from, and pip's --python-version/--platform/--implementation/--abi on top.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "thoth/target.hpp"

namespace thoth::cli {

struct TargetArgs {
  std::string python;                  // --python PATH
  std::string target_env;              // --target-env FILE ("-" = stdin)
  std::string python_version;          // --python-version X.Y
  std::vector<std::string> platforms;  // --platform P (repeatable)
  std::string implementation;          // --implementation cp
  std::vector<std::string> abis;       // --abi A (repeatable)

  bool has_overrides() const {
    return !python_version.empty() || !platforms.empty() || !implementation.empty() || !abis.empty();
  }
};

// Adds the options above to `cmd`, in their own help group, bound to `args` (which must outlive the
// parse). --target-env excludes the others: a target document is complete.
void add_target_options(CLI::App& cmd, TargetArgs& args);

// The target the options describe. Without options it is the active interpreter (see default_python).
// An interpreter's facts are kept under `cache_dir` (see probe_cache.hpp); none when it is empty.
// Throws CliError or TagError (both exit code 2). `meanwhile`: see probe_interpreter.
Target resolve_target(const TargetArgs& args, const Context& ctx, const std::filesystem::path& cache_dir = {},
                      const std::function<void()>& meanwhile = {});

// The active interpreter: $VIRTUAL_ENV/bin/python when VIRTUAL_ENV is set, else `python3` found on
// $PATH. Throws CliError when there is none.
std::string default_python(const Context& ctx);

}  // namespace thoth::cli
