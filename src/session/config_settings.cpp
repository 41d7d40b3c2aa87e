// Which build each -C/--config-settings reaches: pip's scope since pip 23.1, applied by name to every
// build of the project (its metadata at resolution, its wheel at install).
#include <algorithm>

#include "thoth/build.hpp"
#include "thoth/session.hpp"

namespace thoth {

std::map<std::string, std::vector<std::string>> config_settings_by_project(const RequirementSet& inputs) {
  std::map<std::string, std::vector<std::string>> out;
  std::map<std::string, const UserRequirement*> given_by;
  for (const UserRequirement& r : inputs.requirements) {
    if (r.config_settings.empty() || r.requirement.name.empty()) continue;
    const std::string name = normalize_name(r.requirement.name);
    auto [it, added] = out.emplace(name, r.config_settings);
    if (added) {
      given_by[name] = &r;
      continue;
    }
    // pip builds one candidate per project and takes the first requirement's settings; two different
    // sets would leave one silently unused.
    if (canonical_config_settings(it->second) == canonical_config_settings(r.config_settings)) continue;
    const UserRequirement& first = *given_by[name];
    throw SessionError(where(r) + ": " + r.requirement.name + " is given other --config-settings than " +
                       (first.origin.empty() ? std::string("on the command line") : "at " + where(first)) +
                       "; a project is built once: give its settings once");
  }
  return out;
}

}  // namespace thoth
