#include "cli/advice_options.hpp"

#include <charconv>
#include <filesystem>
#include <ostream>

#include "cli/exit_codes.hpp"
#include "thoth/session.hpp"  // write_output

namespace thoth::cli {

namespace {

// One part of --budget: "500" (moves), "800ms" or "2s" (wall time).
void parse_budget_part(std::string_view part, SearchOptions& search, const std::string& whole) {
  auto bad = [&whole]() {
    return CliError(ExitCode::Usage, "invalid --budget '" + whole +
                                         "' (expected moves, a time such as 2s or 800ms, or both: 500,2s)");
  };
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
  if (ec != std::errc() || end == part.data()) throw bad();
  std::string_view unit(end, static_cast<std::size_t>(part.data() + part.size() - end));
  if (unit.empty()) {
    search.iterations = n;
  } else if (unit == "ms") {
    search.time = std::chrono::milliseconds(n);
  } else if (unit == "s") {
    if (n > 86400) throw bad();
    search.time = std::chrono::milliseconds(n * 1000);
  } else {
    throw bad();
  }
}

}  // namespace

void add_advice_options(CLI::App& cmd, AdviceArgs& args, bool advise) {
  const std::string group = "Advice options (thoth-kb(5))";
  if (advise) args.recommend = "stable";
  cmd.add_option("--recommend", args.recommend,
                 advise ? "latest, stable (default), security or performance"
                        : "Advise instead of taking the newest versions: latest, stable, security or performance")
      ->type_name("TYPE")
      ->group(group);
  cmd.add_option("--kb", args.kb, "Knowledge base: a JSON file or a directory of them (repeatable)")
      ->type_name("PATH")
      ->allow_extra_args(false)
      ->group(group);
  cmd.add_option("--justify", args.justify, "Write the justification report (JSON) to FILE ('-' for stdout)")
      ->type_name("FILE")
      ->group(group);
  cmd.add_option("--search", args.search, "annealing (default) or hill-climbing")->type_name("METHOD")->group(group);
  cmd.add_option("--seed", args.seed, "Seed of the search's random choices (same seed and budget in moves: same result)")
      ->type_name("N")
      ->group(group);
  cmd.add_option("--budget", args.budget, "Moves (500), time (2s, 800ms) or both (500,2s); default 1s")
      ->type_name("BUDGET")
      ->group(group);
  cmd.add_option("--count", args.count, "Keep the best N distinct stacks (the lock is the best one)")
      ->type_name("N")
      ->group(group);
}

AdviceRequest advice_request(const AdviceArgs& args) {
  AdviceRequest out;
  auto r = recommendation_from_name(args.recommend);
  if (!r)
    throw CliError(ExitCode::Usage, "invalid --recommend '" + args.recommend +
                                        "' (expected latest, stable, security or performance)");
  out.recommendation = *r;
  auto method = search_method_from_name(args.search);
  if (!method) throw CliError(ExitCode::Usage, "invalid --search '" + args.search + "' (expected annealing or hill-climbing)");
  out.search.method = *method;
  out.search.seed = args.seed;
  out.search.iterations = 0;
  out.search.time = std::chrono::milliseconds(0);
  std::string_view rest = args.budget;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    parse_budget_part(rest.substr(0, comma), out.search, args.budget);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (out.search.iterations == 0 && out.search.time.count() == 0)
    throw CliError(ExitCode::Usage, "invalid --budget '" + args.budget + "' (give moves or a time above 0)");
  if (args.count == 0) throw CliError(ExitCode::Usage, "invalid --count 0 (keep at least one stack)");
  out.search.count = args.count;
  std::vector<std::filesystem::path> paths(args.kb.begin(), args.kb.end());
  out.kb = load_knowledge_bases(paths);
  return out;
}

void report_justification(const Advice& advice, const AdviceArgs& args, Context& ctx) {
  if (!args.justify.empty()) write_output(args.justify, justification_json(advice), ctx.out);
  if (ctx.err_is_terminal && ctx.verbosity != Verbosity::Quiet && args.justify != "-")
    ctx.err << justification_table(advice);
}

}  // namespace thoth::cli
