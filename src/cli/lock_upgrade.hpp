// pip-compile's incremental model for `thoth lock -o FILE`: the pins of the existing FILE are kept
// where they still satisfy the inputs, except those that --upgrade / --upgrade-package release.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"

namespace thoth::cli {

struct UpgradeOptions {
  bool all = false;                       // --upgrade
  std::set<std::string> names;            // normalised names of --upgrade-package
  std::vector<Requirement> constraints;   // --upgrade-package NAME<spec>: the new version's bounds
};

// Parses the --upgrade / --upgrade-package values. pip-compile takes NAME or NAME==VER (any PEP 508
// specifier, as pip's install_req_from_line) and refuses both options together. Throws CliError
// (exit code 2) naming the bad value.
UpgradeOptions parse_upgrade_options(bool upgrade_all, const std::vector<std::string>& packages);

// The versions the existing output file pins (normalised name -> version), as preferences: none for
// standard output, for a path that is not an existing regular file that write_output() replaces (a
// device, FIFO or /proc link is never read), or under --upgrade. A file that cannot be read as a lock is ignored with a warning, as pip-compile
// ignores its lines that are not pins: the new lock replaces it either way.
std::map<std::string, Version> existing_pins(const std::string& output, const UpgradeOptions& upgrade,
                                             const Context& ctx);

}  // namespace thoth::cli
