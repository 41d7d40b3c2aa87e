// advise(): the plain and the sieved resolutions, the search, and the justification of the stacks kept.
#include <array>

#include "advise/names.hpp"
#include "advise/search.hpp"
#include "thoth/advise.hpp"

namespace thoth {
namespace {

constexpr std::array<std::string_view, 2> kMethods = {"hill-climbing", "annealing"};

}  // namespace

std::string_view search_method_name(SearchMethod m) { return kMethods[static_cast<std::size_t>(m)]; }

std::optional<SearchMethod> search_method_from_name(std::string_view name) {
  return advisor::enum_from_name<SearchMethod>(kMethods, name);
}

Advice advise(const ResolveFn& resolve, const VersionsFn& versions, const KnowledgeBase& kb, Recommendation r,
              const SearchOptions& options) {
  if (options.count == 0) throw AdviseError("the number of stacks to keep must be at least 1");
  if (options.iterations == 0 && options.time.count() <= 0)
    throw AdviseError("the search needs a budget: a number of iterations or a time");
  const auto started = std::chrono::steady_clock::now();
  Advice out;
  out.recommendation = r;
  out.options = options;

  // The plain resolution first: what `thoth lock` gives, and the one error a user must see.
  std::optional<Resolution> plain = resolve(LatestPolicy());
  if (!plain) throw ResolutionError("the requirements have no resolution", "");
  out.locked = std::move(*plain);

  Scorer scorer(kb, r, out.locked.target);
  std::size_t resolutions = 1, infeasible = 0;
  std::optional<Resolution> start;
  if (scorer.sieves_anything()) {
    ++resolutions;
    start = advisor::resolve_or_nullopt(resolve, advisor::StackPolicy(scorer, true, false, nullptr, std::nullopt));
    if (!start) ++infeasible;
  } else {
    start = out.locked;
  }
  out.sieved = start.has_value();
  if (!out.sieved) {
    out.warnings.push_back("no resolution avoids every version the " + std::string(recommendation_name(r)) +
                           " recommendation vetoes: the search keeps the fewest vetoed facts");
    // Vetoed versions offered last: the nearest thing to the sieves.
    ++resolutions;
    start = advisor::resolve_or_nullopt(resolve, advisor::StackPolicy(scorer, false, false, nullptr, std::nullopt));
    if (!start) ++infeasible;
  }
  advisor::Search search(resolve, versions, scorer, options, out.sieved);
  search.run(start ? *start : out.locked);

  out.stats = search.stats();
  out.stats.resolutions += resolutions;
  out.stats.infeasible += infeasible;
  out.stats.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::vector<advisor::BestStacks::Kept>& kept_stacks = search.best().kept();
  // No returned stack keeps more vetoed facts than the best one needs (kept stacks are best first).
  const std::size_t fewest = kept_stacks.front().scored.total.vetoes;
  std::erase_if(kept_stacks, [&](const advisor::BestStacks::Kept& k) { return k.scored.total.vetoes > fewest; });
  for (advisor::BestStacks::Kept& kept : kept_stacks) {
    std::vector<std::optional<Version>> newest;
    for (const Pin& p : kept.stack.pins) {
      const std::vector<Version>& list = search.versions_of(p.name);
      newest.push_back(list.empty() ? std::nullopt : std::optional<Version>(list.front()));
    }
    AdvisedStack stack;
    stack.justification = scorer.justify(kept.stack, kept.scored, &out.locked, &newest);
    stack.justification.warnings.insert(stack.justification.warnings.begin(), out.warnings.begin(), out.warnings.end());
    stack.resolution = std::move(kept.stack);
    stack.score = std::move(kept.scored);
    out.stacks.push_back(std::move(stack));
  }
  return out;
}

}  // namespace thoth
