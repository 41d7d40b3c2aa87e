// How the advisor judges a stack (a resolution) against a knowledge base, as a pipeline of small units
// with one job each, after Thoth's adviser:
//
//   sieves  drop candidate versions before resolution: the resolver never sees a version a sieve drops
//           (Policy::forbids);
//   steps   score one pinned package version, and may veto it;
//   strides judge a whole stack (facts with "with" conditions: combinations of packages);
//   wraps   only add to the justification (what the newest version would have cost, warnings).
//
// A recommendation type selects and weights the units. Notation: A(s) is the set of facts that apply to
// stack s (thoth/knowledge_base.hpp says when one applies); for a fact f, |x| is the absolute value and
// sc(f) its score. Under recommendation R each fact f has a weight w_R(f) and vetoes when veto_R(f):
//
//   latest       veto(f) = f.veto                                   w(f) = 0
//   security     veto(f) = f.veto or f.kind = security              w(f) = -|sc(f)| if f.kind = security, else 0
//   stable       veto(f) = f.veto or f.kind in {broken,             w(f) = -(1 + |sc(f)|) if f.kind = security
//                          install-failure}                                sc(f)         if f.kind = other
//                                                                          0             otherwise
//   performance  veto(f) = f.veto                                   w(f) = sc(f) (every kind)
//
//   V_R(s) = { f in A(s) : veto_R(f) }
//   S_R(s) = sum over f in A(s) of w_R(f)   +  (stable only) -0.5 for each pinned pre-release
//
// Stacks compare by fewer vetoes first, then higher score: s is better than t when |V(s)| < |V(t)|, or
// |V(s)| = |V(t)| and S(s) > S(t) (by more than kScoreTolerance). Sieves drop the versions that a fact without "with" conditions vetoes
// (its marker holding on the target); when no resolution avoids them all the advisor resolves without
// sieves and the search minimises |V| (the justification says so, loudly). So: latest is the plain
// resolution with vetoed versions removed (the KB otherwise only annotates); security forbids every
// version with an advisory when a clean resolution exists, else keeps the fewest and the least severe;
// stable vetoes broken and install-failure facts, costs each advisory at least 1 and prefers final
// releases and known-good facts (kind other, positive score); performance sums every applying score.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "thoth/knowledge_base.hpp"
#include "thoth/resolve.hpp"

namespace thoth {

enum class Recommendation : std::uint8_t { Latest, Security, Stable, Performance };

std::string_view recommendation_name(Recommendation r);  // "latest", "security", "stable", "performance"
std::optional<Recommendation> recommendation_from_name(std::string_view name);

// The pre-release cost of the stable recommendation (per pinned pre-release).
inline constexpr double kStablePrereleaseCost = 0.5;

// What one fact does under a recommendation: w_R(f) and veto_R(f) above.
struct FactWeight {
  double score = 0;
  bool veto = false;
};
FactWeight weigh(Recommendation r, const Fact& fact);

// Scores closer than this are equal: the same facts summed in another order may differ by rounding.
inline constexpr double kScoreTolerance = 1e-9;

// A stack's place in the order above.
struct StackScore {
  std::size_t vetoes = 0;
  double score = 0;
};
// True when `a` is strictly better than `b`.
bool better(const StackScore& a, const StackScore& b);

// One contribution to a stack's score: a fact that applies (or, for a unit such as the pre-release
// step, no fact), the unit that counted it, and what it added.
struct Effect {
  std::string_view unit;       // the unit's name, e.g. "facts", "prerelease", "combinations"
  const Fact* fact = nullptr;  // into the KnowledgeBase, which must outlive the effect
  double score = 0;
  bool veto = false;
};

// The score of one pin of a stack, with everything that moved it.
struct PinScore {
  StackScore total;
  std::vector<Effect> effects;
};

// A scored stack: the total and, parallel to Resolution::pins, each pin's share. A stride's effect is
// counted on the pin of its fact's package.
struct ScoredStack {
  StackScore total;
  std::vector<PinScore> pins;
};

// What the justification report says about one package and about the whole stack (built by the
// advisor and its wraps; written by thoth/advise.hpp's writers).
struct PackageJustification {
  std::string name;          // normalised
  std::string display_name;  // as its metadata spells it
  Version version;
  std::optional<Version> newest;  // the newest version a move could choose (not vetoed by a sieve)
  std::optional<Version> locked;  // its pin in the plain resolution (what `thoth lock` gives)
  PinScore score;
  // What choosing this version avoided: the steps' effects (facts without "with" conditions) on
  // `avoided_in` that do not apply to `version`, where avoided_in is `locked` (else `newest`) when it
  // differs from `version`.
  std::optional<Version> avoided_in;
  std::vector<Effect> avoided;
};

struct Justification {
  Recommendation recommendation = Recommendation::Latest;
  StackScore total;
  std::vector<PackageJustification> packages;  // in pin order
  std::vector<std::string> warnings;           // for people, loudly
};

class Scorer;

// ---- units ---------------------------------------------------------------------------------------

class Sieve {
 public:
  virtual ~Sieve() = default;
  virtual std::string_view name() const = 0;
  // Whether the versions this fact covers are dropped. Only asked of facts without "with" conditions
  // whose marker holds on the target.
  virtual bool drops(const Fact& fact) const = 0;
};

class Step {
 public:
  virtual ~Step() = default;
  virtual std::string_view name() const = 0;
  // Appends the effects on one pinned version. `facts` are the facts without "with" conditions that
  // apply to it. Depends on nothing else (the scorer remembers the answer per version).
  virtual void score(std::string_view name, const Version& version, std::span<const Fact* const> facts,
                     std::vector<Effect>& out) const = 0;
};

class Stride {
 public:
  virtual ~Stride() = default;
  virtual std::string_view name() const = 0;
  // Appends the effects on `pin` of the facts with "with" conditions about it; `facts` cover its
  // version and hold on the target; the stride decides whether the stack satisfies their conditions.
  virtual void score(const Resolution& stack, const Pin& pin, std::span<const Fact* const> facts,
                     std::vector<Effect>& out) const = 0;
};

// What a wrap may read besides the stack.
struct WrapContext {
  const Resolution& stack;
  const ScoredStack& scored;
  const Scorer& scorer;
  const Resolution* locked = nullptr;  // the plain resolution, when known
  // Per pin (parallel to stack.pins): the newest version a move could choose, when known.
  const std::vector<std::optional<Version>>* newest = nullptr;
};

class Wrap {
 public:
  virtual ~Wrap() = default;
  virtual std::string_view name() const = 0;
  virtual void wrap(const WrapContext& context, Justification& out) const = 0;
};

// The units a recommendation selects, in the order they run.
struct Pipeline {
  Recommendation recommendation = Recommendation::Latest;
  std::vector<std::unique_ptr<Sieve>> sieves;
  std::vector<std::unique_ptr<Step>> steps;
  std::vector<std::unique_ptr<Stride>> strides;
  std::vector<std::unique_ptr<Wrap>> wraps;

  static Pipeline make(Recommendation r);
};

// Scores stacks for one knowledge base, recommendation and target. Keeps what it works out per
// package version (so not thread-safe); the KnowledgeBase must outlive it.
class Scorer {
 public:
  // Evaluates every marker of the KB (facts' and their conditions') on the target once: throws
  // AdviseError naming the fact for one PEP 508 leaves undefined there.
  Scorer(const KnowledgeBase& kb, Recommendation r, const Target& target);
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  const KnowledgeBase& kb() const { return kb_; }
  const Pipeline& pipeline() const { return pipeline_; }
  const MarkerEnv& environment() const { return env_; }

  // The sieves: whether a version is dropped before resolution.
  bool forbids(std::string_view name, const Version& version) const;
  // True when some sieve could drop some version (there is a fact it drops).
  bool sieves_anything() const;

  // The steps' verdict on one version of a package, alone (no strides): for moves and wraps.
  StackScore step_score(std::string_view name, const Version& version) const;
  // The steps' effects on one version (what the justification lists as avoided).
  std::vector<Effect> step_effects(std::string_view name, const Version& version) const;

  ScoredStack score(const Resolution& stack) const;

  // An upper bound of S_R over all stacks: the sum of the positive weights of the facts whose marker
  // holds. A stack without vetoes that reaches it is optimal.
  double bound() const;

  // The justification of a scored stack: every pin with its effects, then the wraps.
  Justification justify(const Resolution& stack, const ScoredStack& scored, const Resolution* locked,
                        const std::vector<std::optional<Version>>* newest) const;

  // Whether the KB has any fact about the project (normalised name).
  bool knows(std::string_view name) const { return !project(name).facts.empty(); }

  // Whether a fact's marker holds on the target.
  bool holds(const Fact& fact) const { return !fact.marker || !false_markers_.contains(&fact); }

 private:
  struct StepMemo;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // What is known of one project: its facts and what the steps and sieves made of its versions.
  struct ProjectMemo {
    std::span<const Fact* const> facts;
    bool sieved = false;  // some sieve drops one of its facts: forbids() must look at the version
    std::unordered_map<Version, std::unique_ptr<StepMemo>, VersionHash> versions;  // looked up only
  };

  ProjectMemo& project(std::string_view name) const;
  // Whether the sieves drop the versions this fact covers (no conditions, marker holding).
  bool sieves(const Fact& fact) const;
  const StepMemo& step_memo(std::string_view name, const Version& version) const;

  const KnowledgeBase& kb_;
  Pipeline pipeline_;
  MarkerEnv env_;
  // Looked up, never iterated.
  mutable std::unordered_map<std::string, ProjectMemo, NameHash, std::equal_to<>> projects_;
  std::unordered_set<const Fact*> false_markers_;
  mutable std::optional<double> bound_;
};

}  // namespace thoth
