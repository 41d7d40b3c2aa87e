// What the writers need to know about the user's root requirements, looked up by project.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "thoth/lock.hpp"

namespace thoth::lock_detail {

struct RootInfo {
  bool requested = false;                   // named by a root requirement (not only a constraint)
  std::vector<std::string> written_extras;  // union of the roots' extras as written, sorted
  std::optional<Marker> marker;             // of the last root that has one (pip-compile's dict)
  std::string link;                         // a direct URL or path the root names, "" if none
  bool editable = false;
};

// Normalised project name -> what its roots say. Roots without a name (an unresolved bare link) are
// matched to pins by the resolution's direct_url instead and are not in the map.
std::map<std::string, RootInfo> root_info(const std::vector<UserRequirement>& requirements);

// A local path as a file:// URL (percent-encoding what a URL cannot hold); URLs are returned as is.
std::string link_url(const std::string& link);

// pip-compile's set of packages it calls unsafe in a requirements file.
bool is_unsafe_package(const std::string& normalized_name);

}  // namespace thoth::lock_detail
