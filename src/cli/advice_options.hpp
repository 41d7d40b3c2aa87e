// The options of the knowledge-guided advisor, shared by `thoth advise` and `thoth lock --recommend`:
// the recommendation, the knowledge bases, the search and its budget, and where the justification
// goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "thoth/advise.hpp"

namespace thoth::cli {

struct AdviceArgs {
  std::string recommend;         // latest | stable | security | performance; "" = no advice (lock)
  std::vector<std::string> kb;   // knowledge base files or directories
  std::string justify;           // --justify FILE (JSON), "-" = stdout
  std::string search = "annealing";
  std::uint64_t seed = 0;
  std::string budget = "1s";     // "500" moves, "2s" / "800ms", or both: "500,2s"
  std::size_t count = 1;
};

// Adds the options in their own help group. `advise` says whether this is `thoth advise` (its default
// recommendation is stable) or `thoth lock` (no advice unless --recommend).
void add_advice_options(CLI::App& cmd, AdviceArgs& args, bool advise);

// What the options ask for, checked: the recommendation, the search options and the merged knowledge
// bases. Throws CliError (exit 2) naming a bad value; AdviseError for a KB that cannot be read.
struct AdviceRequest {
  Recommendation recommendation = Recommendation::Latest;
  SearchOptions search;
  KnowledgeBase kb;
};
AdviceRequest advice_request(const AdviceArgs& args);

// The justification: as JSON to --justify FILE, and as a table on standard error when that is a
// terminal (quiet in pipes and CI, and with -q).
void report_justification(const Advice& advice, const AdviceArgs& args, Context& ctx);

}  // namespace thoth::cli
