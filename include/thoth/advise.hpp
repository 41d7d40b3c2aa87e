// The knowledge-guided advisor: searches the valid resolutions of a project for the best stacks under a
// recommendation (thoth/scoring.hpp) and a knowledge base (thoth/knowledge_base.hpp), and samples
// resolutions across the space (Dependency Monkey).
//
// The advisor steers the exact resolver only through a Policy and sees it through two callbacks, so
// any resolver that takes a per-call policy plugs in (resolver_callbacks builds them over one
// thoth::Resolver):
//
//   ResolveFn    resolve once under a policy; nullopt, or a ResolutionError thrown, means no resolution
//                (an infeasible move); any other exception (IndexError, ...) ends the search.
//   VersionsFn   the versions of a project a move may choose, newest first.
//
// Search. The start is the exact resolution with the sieves applied (the plain one when no resolution
// avoids every sieved version). The first move resolves with every package the KB knows offered its
// best-scoring version first (the steps' verdict, the newest of equals). Every later move takes the
// current stack and picks one of its packages, weighted 1 + 2 (if the KB has facts about it) +
// 4 min(blame, 4), where blame is its vetoes plus the negative score counted on it (a stride's cost
// also blames the packages of its conditions); then another of its versions: half the time, when the
// KB knows the package, one whose steps score better than the current one's (weight 1 / distance in
// VersionsFn order); otherwise a nearby one, 1 + G positions newer or older (G geometric with
// p = 1/2). It resolves with a policy that forbids the other versions of that package (and what the
// sieves drop) and offers every other package its current version first; a package that cannot keep
// it, or that the move brings in, gets its best-scoring version first when the KB knows it (the
// newest of equals), else its newest. So the new state is the closest complete resolution with that
// change, and every visited state is a full resolution by the exact resolver; an infeasible move is
// rejected. The outcome of a move from a state is remembered (4,096 of them), not resolved again.
//
// Acceptance. Fewer vetoes is always accepted and more is always rejected; with equal vetoes a change
// D = S(new) - S(current) >= 0 is accepted; a worse one (D < 0) is accepted by hill climbing never and
// by annealing with probability exp(D / T). Schedule: T = T0 * 0.001^p, where p in [0, 1] is the part
// of the budget used (the larger of iterations/limit and time/limit) and T0 the mean |D| of the
// worsening moves proposed so far, this one included: a typical worsening is accepted with
// probability 1/e at the start and practically never at the end.
//
// Restarts. When the best stack has not improved for R moves (R = iteration budget / 10 clamped to
// [32, 256], or 128 with a time budget only), the search restarts from a random resolution (every
// package's versions in a seeded random order): hill climbing every time, annealing every other time
// and from the best stack in between.
//
// Stop: at the budget, when no package has another version, or (keeping one stack) when the best
// stack has no veto and reaches Scorer::bound().
//
// Determinism: the random choices come from std::mt19937_64 seeded with SearchOptions::seed and
// nothing iterates an unordered container to decide, so with an iteration budget the same inputs and
// seed give the same stacks. A time budget stops wherever the clock says.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/index.hpp"
#include "thoth/knowledge_base.hpp"
#include "thoth/resolve.hpp"
#include "thoth/scoring.hpp"

namespace thoth {

using ResolveFn = std::function<std::optional<Resolution>(const Policy& policy)>;
using VersionsFn = std::function<std::vector<Version>(std::string_view normalized_name)>;

// Both callbacks over one thoth::Resolver on `source`, kept across calls (each call gives what a new
// Resolver would, and what it learnt about the projects is reused: thoth/resolve.hpp). `resolve`
// resolves `roots` under `constraints` with the call's policy; `versions` is the resolver's
// acceptable_versions. Copies share the resolver: one call at a time.
struct ResolverCallbacks {
  ResolveFn resolve;
  VersionsFn versions;
};
ResolverCallbacks resolver_callbacks(PackageSource& source, ResolveOptions options, std::vector<RootRequirement> roots,
                                     std::vector<Requirement> constraints = {});
// The same over a resolver the caller keeps (a session's, warm from its own resolutions), which must
// outlive the callbacks; `keep_alive` is held by them (for the overload above).
ResolverCallbacks resolver_callbacks(Resolver& resolver, std::vector<RootRequirement> roots,
                                     std::vector<Requirement> constraints = {}, std::shared_ptr<void> keep_alive = {});

enum class SearchMethod : std::uint8_t { HillClimbing, Annealing };
std::string_view search_method_name(SearchMethod m);  // "hill-climbing", "annealing"
std::optional<SearchMethod> search_method_from_name(std::string_view name);

struct SearchOptions {
  SearchMethod method = SearchMethod::Annealing;
  std::uint64_t seed = 0;
  // The budget of the search proper (after the plain and the sieved resolutions): whichever limit
  // comes first. 0: no limit; one of the two is needed.
  std::size_t iterations = 0;               // moves
  std::chrono::milliseconds time{1000};     // wall time
  std::size_t count = 1;                    // distinct stacks to keep, best first
};

struct SearchStats {
  std::size_t iterations = 0;   // moves proposed
  std::size_t resolutions = 0;  // calls of the ResolveFn (moves whose outcome was known are not repeated)
  std::size_t states = 0;       // distinct stacks seen
  std::size_t infeasible = 0;   // moves with no resolution
  std::size_t restarts = 0;
  std::chrono::milliseconds elapsed{0};
  bool optimal = false;         // stopped at a stack proven optimal
};

struct AdvisedStack {
  Resolution resolution;
  ScoredStack score;
  Justification justification;
};

// The stacks' effects point into the KnowledgeBase: keep it as long as the Advice.
struct Advice {
  Recommendation recommendation = Recommendation::Latest;
  // Best first, distinct (by pinned versions), at least one; none with more vetoed facts than the
  // first (so none with any when a stack without was found).
  std::vector<AdvisedStack> stacks;
  Resolution locked;                 // the plain resolution (LatestPolicy), what `thoth lock` gives
  bool sieved = true;                // false: no resolution avoided every sieved version
  std::vector<std::string> warnings;  // also in each stack's justification
  SearchOptions options;
  SearchStats stats;
};

// Throws ResolutionError when there is no resolution at all (from the plain resolution's call),
// AdviseError for options without a budget or a count of 0.
Advice advise(const ResolveFn& resolve, const VersionsFn& versions, const KnowledgeBase& kb, Recommendation r,
              const SearchOptions& options);

// ---- Dependency Monkey -----------------------------------------------------------------------------

struct SampleOptions {
  std::size_t count = 10;
  std::uint64_t seed = 0;
  std::size_t attempts = 0;  // resolutions tried at most; 0: 10 * count + 10
};

struct Sample {
  std::vector<Resolution> resolutions;  // distinct, in the order found
  std::size_t attempts = 0;
  std::size_t infeasible = 0;
};

// Up to `count` distinct valid resolutions drawn across the space: each attempt resolves with every
// project's versions in an order drawn from (seed, attempt, project, version), so the same seed gives
// the same sample. Fewer when the space (or the attempts) runs out.
Sample sample(const ResolveFn& resolve, const SampleOptions& options);

// ---- justification report --------------------------------------------------------------------------

// The report as JSON (2-space indent):
//   {"recommendation": "security",
//    "search": {"method", "seed", "iterations", "time_ms", "count"},
//    "stats": {"iterations", "resolutions", "states", "infeasible", "restarts", "elapsed_ms", "optimal",
//              "sieved"},
//    "warnings": [...],
//    "stacks": [{"score", "vetoes", "warnings": [...],
//                "packages": [{"name", "version", "newest", "locked" (null when unknown), "score",
//                              "vetoes", "facts": [effect...], "avoided_in" (null: nothing),
//                              "avoided": [effect...]}]}]}
// where an effect is {"unit", "weight", "vetoes", "fact": {the KB fields..., "origin"}} ("fact" absent
// for a unit that reads none, such as the pre-release step).
std::string justification_json(const Advice& advice);
// The same for a terminal: a table per stack (package, version, newest, locked, score, facts), then
// the stack score and the search figures.
std::string justification_table(const Advice& advice);

}  // namespace thoth
