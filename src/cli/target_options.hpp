// The target options shared by every command that resolves for an environment: which interpreter or
// target document to start from, and pip's --python-version/--platform/--implementation/--abi on top,
// bound to the session's TargetSettings.
#pragma once

#include <CLI/CLI.hpp>

#include "thoth/session.hpp"

namespace thoth::cli {

// Adds the options to `cmd`, in their own help group, bound to `args` (which must outlive the parse).
// --target-env excludes the others: a target document is complete.
void add_target_options(CLI::App& cmd, TargetSettings& args);

}  // namespace thoth::cli
