// Which package the solver decides next. The answer does not change whether a solution is found, only
// which one: to give the same pins as pip wherever pip's search needs no backtracking, the order is
// pip's (pip 23.0 resolvelib provider, PipProvider.get_preference), translated to PubGrub's state:
//
//   1. known before unknown: a package some decided version (or the root) states a requirement on; a
//      package derived only through an extra or a learned incompatibility comes last (pip has no
//      criterion for it yet);
//   2. setuptools last among the known ones (pip delays it);
//   3. direct: a `name @ url` requirement, or a decided extra whose project this is (pip's
//      ExplicitRequirement from an ExtrasCandidate to its base);
//   4. pinned: some requirement has an == or === clause;
//   5. a cause of the most recent conflict (pip's backtrack_causes);
//   6. depth: 1 for root requirements, else one more than the shallowest decided dependent;
//   7. the order of the root requirements;
//   8. "unfree": some requirement has a version clause;
//   9. the name (for an extra, "name[extra]").
#include <tuple>

#include "resolve/solver.hpp"

namespace thoth::resolve {

void Information::add(bool is_direct, bool is_pinned, bool is_unfree, double depth_of_parent) {
  known = true;
  direct = direct || is_direct;
  pinned = pinned || is_pinned;
  unfree = unfree || is_unfree;
  if (depth_of_parent < parent_depth) parent_depth = depth_of_parent;
}

void Solver::inform(PkgId d) {
  // A decided package's depth no longer changes (pick() updates undecided ones only).
  const Package& pkg = packages_[d];
  double depth = d == kRoot ? 0.0 : pkg.depth;
  if (info_.size() < packages_.size()) info_.resize(packages_.size());
  if (d != pkg.base) info_[pkg.base].add(true, true, true, depth);
  for (const Edge& e : tried(d, pkg.decision)->edges) info_[e.target].add(e.direct, e.pinned, e.unfree, depth);
}

void Solver::set_preference_fields(Package& pkg) const {
  auto requested = requested_order_.find(pkg.name);
  if (requested != requested_order_.end()) pkg.requested_order = requested->second;
  pkg.is_setuptools = pkg.name == "setuptools";
}

std::optional<PkgId> Solver::pick() {
  if (info_stale_) {
    info_.assign(packages_.size(), Information{});
    for (PkgId d = 0; d < packages_.size(); ++d) {
      if (packages_[d].decided) inform(d);
    }
    info_stale_ = false;
  }
  info_.resize(packages_.size());  // packages added since know nothing yet
  const std::vector<Information>& info = info_;

  using Key = std::tuple<bool, bool, bool, bool, bool, double, std::size_t, bool, const std::string&>;
  std::optional<PkgId> best;
  std::optional<Key> best_key;
  for (PkgId p = 0; p < packages_.size(); ++p) {
    Package& pkg = packages_[p];
    if (pkg.decided || pkg.trail.empty()) continue;
    const VersionSet& a = trail_[pkg.trail.back()].acc;
    if (!a.size() || a.test(a.size() - 1)) continue;  // not (yet) required
    const Information& i = info[p];
    const std::size_t order = pkg.requested_order;
    if (i.known) pkg.depth = order != SIZE_MAX ? 1.0 : i.parent_depth + 1.0;
    Key key{!i.known,  pkg.is_setuptools, !i.direct, !i.pinned, !pkg.backtrack_cause,
            pkg.depth, order,             !i.unfree, pkg.name};
    if (!best_key || key < *best_key) {
      best = p;
      best_key.emplace(key);
    }
  }
  return best;
}

void Solver::note_backtrack_causes(IncompatId learned) {
  for (Package& pkg : packages_) pkg.backtrack_cause = false;
  for (const Term& t : incompats_[learned].terms) {
    packages_[t.pkg].backtrack_cause = true;
    packages_[packages_[t.pkg].base].backtrack_cause = true;
  }
}

}  // namespace thoth::resolve
