// pipenv's marker for a package from its Requires-Python (see pipenv_python_marker.cpp).
#pragma once

#include <string>
#include <string_view>

namespace thoth::lock_detail {

// The marker pipenv 2022.12.19 writes for a dependency whose Requires-Python is `requires_python`
// (requirementslib's marker_from_specifier), single-quoted as in Pipfile.lock; "" where pipenv
// writes none ("", "*") or fails (a specifier packaging refuses, a major version requirementslib
// does not know, a minor that is not a number).
std::string pipenv_python_marker(std::string_view requires_python);

}  // namespace thoth::lock_detail
