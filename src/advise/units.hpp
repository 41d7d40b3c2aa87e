// The scoring units (thoth/scoring.hpp) Pipeline::make chooses from.
#pragma once

#include "thoth/scoring.hpp"

namespace thoth::advisor {

// Sieve: drops the versions a fact vetoes under the recommendation (weigh().veto).
class VetoSieve : public Sieve {
 public:
  explicit VetoSieve(Recommendation r) : r_(r) {}
  std::string_view name() const override { return "vetoes"; }
  bool drops(const Fact& fact) const override;

 private:
  Recommendation r_;
};

// Step: every applying fact counts w_R(f), and vetoes when veto_R(f).
class FactStep : public Step {
 public:
  explicit FactStep(Recommendation r) : r_(r) {}
  std::string_view name() const override { return "facts"; }
  void score(std::string_view name, const Version& version, std::span<const Fact* const> facts,
             std::vector<Effect>& out) const override;

 private:
  Recommendation r_;
};

// Step (stable): a pinned pre-release costs kStablePrereleaseCost.
class PrereleaseStep : public Step {
 public:
  std::string_view name() const override { return "prerelease"; }
  void score(std::string_view name, const Version& version, std::span<const Fact* const> facts,
             std::vector<Effect>& out) const override;
};

// Stride: a fact with "with" conditions counts as FactStep counts it when the stack satisfies them all.
class CombinationStride : public Stride {
 public:
  explicit CombinationStride(Recommendation r) : r_(r) {}
  std::string_view name() const override { return "combinations"; }
  void score(const Resolution& stack, const Pin& pin, std::span<const Fact* const> facts,
             std::vector<Effect>& out) const override;

  // Whether the stack satisfies one condition (thoth/knowledge_base.hpp says when).
  static bool satisfied(const Resolution& stack, const Requirement& condition, const MarkerEnv& env);

 private:
  Recommendation r_;
};

// Wrap: what the locked (or newest) version of each package would have cost that the chosen one
// does not (PackageJustification::avoided).
class AvoidedWrap : public Wrap {
 public:
  std::string_view name() const override { return "avoided"; }
  void wrap(const WrapContext& context, Justification& out) const override;
};

// Wrap: a warning for every vetoed fact still in the stack and every advisory that applies.
class WarningWrap : public Wrap {
 public:
  std::string_view name() const override { return "warnings"; }
  void wrap(const WrapContext& context, Justification& out) const override;
};

}  // namespace thoth::advisor
