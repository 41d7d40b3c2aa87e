// The recommendation types and their weighting of facts: the formulas of thoth/scoring.hpp.
#include <array>
#include <cmath>

#include "advise/names.hpp"
#include "thoth/scoring.hpp"

namespace thoth {
namespace {

constexpr std::array<std::string_view, 4> kNames = {"latest", "security", "stable", "performance"};

}  // namespace

std::string_view recommendation_name(Recommendation r) { return kNames[static_cast<std::size_t>(r)]; }

std::optional<Recommendation> recommendation_from_name(std::string_view name) {
  return advisor::enum_from_name<Recommendation>(kNames, name);
}

FactWeight weigh(Recommendation r, const Fact& f) {
  switch (r) {
    case Recommendation::Latest:
      return {0.0, f.veto};
    case Recommendation::Security:
      if (f.kind == FactKind::Security) return {-std::abs(f.score), true};
      return {0.0, f.veto};
    case Recommendation::Stable:
      switch (f.kind) {
        case FactKind::Security:
          return {-(1.0 + std::abs(f.score)), f.veto};
        case FactKind::Other:
          return {f.score, f.veto};
        case FactKind::Broken:
        case FactKind::InstallFailure:
          return {0.0, true};
        case FactKind::Performance:
          return {0.0, f.veto};
      }
      break;
    case Recommendation::Performance:
      return {f.score, f.veto};
  }
  return {0.0, f.veto};
}

bool better(const StackScore& a, const StackScore& b) {
  if (a.vetoes != b.vetoes) return a.vetoes < b.vetoes;
  return a.score > b.score + kScoreTolerance;
}

}  // namespace thoth
