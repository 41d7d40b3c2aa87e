// The policies through which the advisor steers the resolver (thoth/resolve.hpp, Policy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "thoth/resolve.hpp"
#include "thoth/scoring.hpp"

namespace thoth::advisor {

// One pinned version of a stack, the unit of preferences.
struct Choice {
  std::string name;  // normalised
  Version version;
};

// The versions of `stack`, sorted by name as its pins are.
std::vector<Choice> choices_of(const Resolution& stack);

// The start and the moves of the search. Forbids what the sieves drop (when `sieved`) and, for a
// pinned package, every version but the chosen one. Offers each package its preferred version first
// (the current stack's) when it is among the versions offered; otherwise, for a move (`greedy`) and a
// package the KB knows, the version whose steps score best (the newest of equals), so that a package a
// move brings in comes at its best; else the newest, or without sieves the newest no sieve would drop
// (vetoed versions avoided where that costs nothing).
class StackPolicy : public Policy {
 public:
  struct Pinned {
    std::string name;
    Version version;
  };

  // `prefer` sorted by name, may be null.
  StackPolicy(const Scorer& scorer, bool sieved, bool greedy, const std::vector<Choice>* prefer,
              std::optional<Pinned> pinned)
      : scorer_(scorer), sieved_(sieved), greedy_(greedy), prefer_(prefer), pinned_(std::move(pinned)) {}

  bool forbids(std::string_view name, const Version& version) const override;
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const override;

 private:
  const Scorer& scorer_;
  bool sieved_;
  bool greedy_;
  const std::vector<Choice>* prefer_;
  std::optional<Pinned> pinned_;
};

// A random point of the space: each project's versions are tried in an order drawn from (seed, draw,
// project, version), with no state, so a resolver may ask in any order and still get the same answer.
class ShufflePolicy : public Policy {
 public:
  ShufflePolicy(std::uint64_t seed, std::uint64_t draw, const Scorer* sieve = nullptr)
      : seed_(seed), draw_(draw), sieve_(sieve) {}

  bool forbids(std::string_view name, const Version& version) const override {
    return sieve_ && sieve_->forbids(name, version);
  }
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const override;

 private:
  std::uint64_t seed_;
  std::uint64_t draw_;
  const Scorer* sieve_;
};

}  // namespace thoth::advisor
