// Re-locking: the pins of an existing lock as preferences for the resolver (pip-compile's incremental
// model; see lock.hpp).
#include "thoth/lock.hpp"

namespace thoth {

std::map<std::string, Version> pinned_versions(const Lock& existing, const std::set<std::string>& upgrade) {
  std::map<std::string, Version> out;
  for (const LockedPackage& p : existing.packages) {
    if (!p.version || !p.direct_url.empty() || upgrade.count(p.name) != 0) continue;
    out.emplace(p.name, *p.version);  // emplace keeps the first of a name listed twice
  }
  return out;
}

std::size_t PreferPinnedPolicy::choose(std::string_view name, const std::vector<const Candidate*>& versions) const {
  auto it = preferred_.find(name);
  if (it == preferred_.end()) return 0;
  for (std::size_t i = 0; i < versions.size(); ++i)
    if (versions[i]->version == it->second) return i;
  return 0;  // the pin no longer fits: move on to the newest acceptable version, as pip-compile does
}

}  // namespace thoth
