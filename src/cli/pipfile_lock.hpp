// Locking a Pipfile into Pipfile.lock: shared by `thoth lock --pipfile` and `thoth pipenv lock`.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/advice_options.hpp"
#include "cli/context.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

struct PipfileLockArgs {
  std::string pipfile = "Pipfile";
  std::string output;                   // "": the Pipfile's path + ".lock", as pipenv names it
  std::string hash = "canonical";       // --pipenv-hash
  std::vector<std::string> categories;  // --categories: lock only these (and default)
  bool dry_run = false;
  ResolveSettings resolve;
  TargetSettings target;
  IndexSettings index;
  AdviceArgs advice;  // --recommend TYPE: the advisor's stack per category (no advice by default)
};

// The options `thoth pipenv lock` takes beyond the Pipfile path, resolution, target and index ones:
// --pipenv-hash, --categories, -o, --dry-run.
void add_pipfile_output_options(CLI::App& cmd, PipfileLockArgs& args);

// Reads the Pipfile, locks every category (default first, the others under its pins; with --recommend
// the advisor's best stack of each) and writes Pipfile.lock atomically, or to stdout for --dry-run /
// -o -. --justify gets one JSON object, the justification of each category under its lock name.
int run_pipfile_lock(const PipfileLockArgs& args, Context& ctx);

}  // namespace thoth::cli
