// The command line a lock's header records, as pip-compile's get_compile_command() rebuilds it.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace thoth::cli {

// "thoth lock" and the options of the parsed `cmd`, sorted, each as --long-name or --long-name=VALUE
// (shell-quoted as shlex.quote does, URL passwords redacted), then the positional arguments. Options
// that do not change the lock (cache, network, timeouts, one-off upgrades) are left out, as pip-compile
// leaves out its COMPILE_EXCLUDE_OPTIONS. Independent of the order the user typed, so two equivalent
// invocations write the same header.
std::string compile_command(const CLI::App& cmd);

}  // namespace thoth::cli
