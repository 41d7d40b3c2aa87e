// The options of every command that resolves requirements: what to resolve (REQ..., -r, -c) and how
// (pip's --pre, --only-binary, --no-binary, --prefer-binary), bound to the session's structs.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "thoth/session.hpp"

namespace thoth::cli {

// REQ... arguments, -r FILE and -c FILE (repeatable), bound to `inputs`.
void add_requirement_options(CLI::App& cmd, RequirementInputs& inputs);

// -C/--config-settings KEY=VALUE (repeatable), bound to `inputs`: pip's option of the commands that
// build (install, wheel), for the builds of the requirements named on the command line.
void add_config_settings_option(CLI::App& cmd, RequirementInputs& inputs);

// --pre, --only-binary, --no-binary, --prefer-binary and --max-candidates in `group`, bound to
// `settings`. The binary options are kept in command-line order: pip applies them in the order it reads
// them, so the last one given for a project wins.
void add_resolve_options(CLI::App& cmd, ResolveSettings& settings, const std::string& group);

}  // namespace thoth::cli
