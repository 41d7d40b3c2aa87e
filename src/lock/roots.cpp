#include "lock/roots.hpp"

#include <algorithm>

namespace thoth::lock_detail {

namespace {

bool has_marker(const Requirement& r) { return r.marker && !r.marker->str().empty(); }

}  // namespace

bool applies(const Requirement& r, const MarkerEnv& target) {
  if (!has_marker(r)) return true;
  try {
    return r.marker->evaluate(target, "");
  } catch (const RequirementError&) {
    return false;  // a marker that cannot be evaluated cannot hold either
  }
}

std::map<std::string, RootInfo> root_info(const std::vector<UserRequirement>& requirements, const MarkerEnv& target) {
  std::map<std::string, RootInfo> out;
  std::map<std::string, std::vector<std::string>> markers;  // distinct marker texts, in input order
  std::map<std::string, bool> unconditional;
  for (const UserRequirement& r : requirements) {
    if (r.requirement.name.empty() || !applies(r.requirement, target)) continue;
    std::string name = r.requirement.normalized_name();
    RootInfo& info = out[name];
    info.requested = true;
    for (const std::string& e : r.requirement.written_extras) info.written_extras.push_back(e);
    if (has_marker(r.requirement)) {
      std::vector<std::string>& list = markers[name];
      std::string text = r.requirement.marker->str();
      if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
    } else {
      unconditional[name] = true;
    }
    if (!r.link.empty()) info.link = r.link;
    if (!r.requirement.url.empty()) info.link = r.requirement.url;
    info.editable = info.editable || r.editable;
  }
  for (auto& [name, info] : out) {
    std::sort(info.written_extras.begin(), info.written_extras.end());
    info.written_extras.erase(std::unique(info.written_extras.begin(), info.written_extras.end()),
                              info.written_extras.end());
    const std::vector<std::string>& list = markers[name];
    if (unconditional[name] || list.empty()) continue;
    // The project is needed wherever one of its roots applies. Re-parsing prints the disjunction as
    // packaging would, with parentheses only where an `or` needs them.
    std::string text;
    for (const std::string& m : list) text += (text.empty() ? "(" : " or (") + m + ")";
    info.marker = list.size() == 1 ? Marker::parse(list.front()) : Marker::parse(text);
  }
  return out;
}

bool is_unsafe_package(const std::string& normalized_name, const std::vector<std::string>& chosen) {
  if (!chosen.empty()) return std::find(chosen.begin(), chosen.end(), normalized_name) != chosen.end();
  return normalized_name == "setuptools" || normalized_name == "distribute" || normalized_name == "pip";
}

}  // namespace thoth::lock_detail
