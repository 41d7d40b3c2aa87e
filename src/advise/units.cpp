// The scoring units: one sieve, two steps, one stride and two wraps (see units.hpp).
#include "advise/units.hpp"

#include <algorithm>

namespace thoth::advisor {

bool VetoSieve::drops(const Fact& fact) const { return weigh(r_, fact).veto; }

void FactStep::score(std::string_view, const Version&, std::span<const Fact* const> facts,
                     std::vector<Effect>& out) const {
  for (const Fact* f : facts) {
    FactWeight w = weigh(r_, *f);
    out.push_back({name(), f, w.score, w.veto});
  }
}

void PrereleaseStep::score(std::string_view, const Version& version, std::span<const Fact* const>,
                           std::vector<Effect>& out) const {
  // PEP 440 "Pre-releases" (dev releases count as pre-releases).
  if (version.is_prerelease()) out.push_back({name(), nullptr, -kStablePrereleaseCost, false});
}

bool CombinationStride::satisfied(const Resolution& stack, const Requirement& condition, const MarkerEnv& env) {
  // PEP 508: a requirement whose marker is false does not apply.
  if (condition.marker && !condition.marker->evaluate(env)) return true;
  const Pin* pin = stack.find(condition.normalized_name());
  if (!pin || !condition.specifier.contains(pin->version, true)) return false;
  for (const std::string& extra : condition.extras) {
    if (!std::binary_search(pin->extras.begin(), pin->extras.end(), extra)) return false;
  }
  return condition.url.empty() || condition.url == pin->direct_url;
}

void CombinationStride::score(const Resolution& stack, const Pin&, std::span<const Fact* const> facts,
                              std::vector<Effect>& out) const {
  for (const Fact* f : facts) {
    // The Scorer evaluated every condition's marker on the target already.
    const bool applies = std::all_of(f->with.begin(), f->with.end(),
                                     [&](const Requirement& r) { return satisfied(stack, r, stack.target.markers); });
    if (!applies) continue;
    FactWeight w = weigh(r_, *f);
    out.push_back({name(), f, w.score, w.veto});
  }
}

void AvoidedWrap::wrap(const WrapContext& context, Justification& out) const {
  for (PackageJustification& p : out.packages) {
    const std::optional<Version>& reference = p.locked ? p.locked : p.newest;
    if (!reference || *reference == p.version) continue;
    p.avoided_in = reference;
    for (const Effect& e : context.scorer.step_effects(p.name, *reference)) {
      const bool shared = e.fact && std::any_of(p.score.effects.begin(), p.score.effects.end(),
                                                [&](const Effect& mine) { return mine.fact == e.fact; });
      if (!shared && (e.score != 0 || e.veto)) p.avoided.push_back(e);
    }
  }
}

void WarningWrap::wrap(const WrapContext&, Justification& out) const {
  for (const PackageJustification& p : out.packages) {
    for (const Effect& e : p.score.effects) {
      if (!e.fact || (!e.veto && e.fact->kind != FactKind::Security)) continue;
      const Fact& f = *e.fact;
      std::string what = e.veto ? "kept a vetoed fact (no stack without it was found)" : "has an advisory";
      std::string ids;
      for (const std::string& id : f.ids) ids += (ids.empty() ? "" : ", ") + id;
      out.warnings.push_back(p.name + " " + p.version.str() + " " + what + ": " + std::string(fact_kind_name(f.kind)) +
                             (ids.empty() ? "" : " " + ids) + (f.message.empty() ? "" : ": " + f.message) + " [" +
                             f.where() + "]");
    }
  }
}

}  // namespace thoth::advisor
