// The index and network options shared by every command that reads package indexes (pip's
// --index-url, --extra-index-url, --find-links, --no-index, --trusted-host, --cert, --client-cert,
// --timeout, --retries, --proxy, plus --index-strategy, --exclude-newer, --cache-dir, --no-cache,
// --offline), bound to the session's IndexSettings; thoth/session.hpp says how they combine with pip's
// configuration files and PIP_* variables.
#pragma once

#include <CLI/CLI.hpp>

#include "thoth/session.hpp"

namespace thoth::cli {

// Adds the options to `cmd` in two help groups, bound to `values` (which must outlive the parse).
void add_index_options(CLI::App& cmd, IndexSettings& values);

}  // namespace thoth::cli
