// What the writers need to know about the user's root requirements, looked up by project.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "thoth/lock.hpp"

namespace thoth::lock_detail {

struct RootInfo {
  bool requested = false;                   // named by a root requirement (not only a constraint)
  std::vector<std::string> written_extras;  // union of the roots' extras as written, sorted
  // Set only when every root of the project carries a marker: their distinct markers joined with `or`
  // (one marker, the usual case, as written). A root without a marker requires the project
  // unconditionally, and then no marker is right.
  std::optional<Marker> marker;
  std::string link;  // a direct URL or path the root names, "" if none
  bool editable = false;
};

// Whether a root or constraint line takes part on `target`, as the resolver decides it: no marker, or
// one that holds without an extra.
bool applies(const Requirement& r, const MarkerEnv& target);

// Normalised project name -> what its roots say, from the roots whose marker holds for `target` only:
// the resolver ignores the others, as pip does ("Ignoring x: markers ... don't match your
// environment") and pip-compile too (compile.py drops them before resolving, PEP 496). Roots without a
// name (an unresolved bare link) are matched to pins by the resolution's direct_url instead and are not
// in the map.
std::map<std::string, RootInfo> root_info(const std::vector<UserRequirement>& requirements, const MarkerEnv& target);

// Whether a requirements file lists the package in its "unsafe" section: one of `chosen` (pip-compile's
// --unsafe-package), or when none are chosen one of pip-compile's UNSAFE_PACKAGES (setuptools,
// distribute, pip).
bool is_unsafe_package(const std::string& normalized_name, const std::vector<std::string>& chosen);

}  // namespace thoth::lock_detail
