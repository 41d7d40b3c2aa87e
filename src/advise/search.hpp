// The search of thoth/advise.hpp: hill climbing or annealing over complete resolutions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "advise/policies.hpp"
#include "advise/random.hpp"
#include "thoth/advise.hpp"

namespace thoth::advisor {

// One resolution; nullopt when there is none (the ResolveFn said so or threw ResolutionError).
std::optional<Resolution> resolve_or_nullopt(const ResolveFn& resolve, const Policy& policy);

// A visited stack as the search keeps it (the full Resolution only stays with the best stacks).
struct State {
  std::vector<Choice> pins;  // sorted by name
  StackScore score;
  std::vector<double> blame;  // per pin: vetoes and negative score counted on it
  std::string key;            // "a==1.0 b==2.0", identifies the stack
  std::uint64_t hash = 0;     // of the key
};

// The best distinct stacks seen, best first; equal ones in the order found.
class BestStacks {
 public:
  explicit BestStacks(std::size_t count) : count_(count) {}
  // Keeps `stack` if it is among the best `count` and not already kept. Among stacks that score the
  // same, the one with the smaller `age` (how far its versions are from the newest, see
  // Search::age) comes first: a version no fact concerns is not held back for nothing.
  void offer(const std::string& key, const Resolution& stack, const ScoredStack& scored, std::size_t age);
  const StackScore* best() const { return kept_.empty() ? nullptr : &kept_.front().scored.total; }

  struct Kept {
    std::string key;
    Resolution stack;
    ScoredStack scored;
    std::size_t age = 0;
  };
  std::vector<Kept>& kept() { return kept_; }

 private:
  std::size_t count_;
  std::vector<Kept> kept_;
};

class Search {
 public:
  Search(const ResolveFn& resolve, const VersionsFn& versions, const Scorer& scorer, const SearchOptions& options,
         bool sieved);

  // One resolution; nullopt when infeasible (counted).
  std::optional<Resolution> resolve(const Policy& policy);
  // Searches from `start` until the budget or a proven optimum.
  void run(const Resolution& start);

  BestStacks& best() { return best_; }
  SearchStats& stats() { return stats_; }
  // The versions a move may choose for a project, newest first (what the sieves drop left out).
  const std::vector<Version>& versions_of(const std::string& name);
  // How far a stack's versions are from the newest: the sum over its pins of the version's position in
  // versions_of (0 for the newest acceptable one). Breaks ties between stacks of equal score.
  std::size_t age(const Resolution& stack);

 private:
  struct Move {
    std::size_t pin;
    Version version;
  };

  std::shared_ptr<const State> visit(const Resolution& stack);
  std::optional<Move> pick_move(const State& current);
  std::optional<std::size_t> pick_version(const State& current, std::size_t pin, const std::vector<Version>& list);
  // The state a move leads to (nullptr: infeasible), from the memo when it was made before.
  std::shared_ptr<const State> apply(const State& current, const Move& move);
  // The first move: every package the KB knows offered its best-scoring version first.
  std::shared_ptr<const State> greedy();
  std::shared_ptr<const State> restart();
  bool accept(const State& current, const State& next);
  double progress() const;
  bool out_of_budget() const;
  bool optimal() const;

  const ResolveFn& resolve_;
  const VersionsFn& versions_;
  const Scorer& scorer_;
  SearchOptions options_;
  bool sieved_;
  Rng rng_;
  std::chrono::steady_clock::time_point started_;
  std::size_t stagnation_limit_;
  BestStacks best_;
  SearchStats stats_;
  double worse_sum_ = 0;  // |D| of the worsening moves proposed so far
  std::size_t worse_count_ = 0;
  // Looked up, never iterated.
  std::map<std::string, std::vector<Version>> versions_cache_;
  std::unordered_set<std::uint64_t> seen_;                                  // hashes of visited keys
  std::unordered_map<std::uint64_t, std::shared_ptr<const State>> moves_;  // (state, move) -> result
};

}  // namespace thoth::advisor
