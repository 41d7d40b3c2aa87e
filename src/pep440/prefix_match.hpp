// Prefix matching for "==V.*" / "!=V.*" and the prefix clause that "~=V" implies, with packaging
// 23.0's exact results (which follow its string algorithm, not only the PEP's prose).
#pragma once

#include <string_view>

#include "thoth/pep440.hpp"

namespace thoth::pep440 {

// packaging's Specifier._compare_equal for a "spec.*" clause: does `spec` (the version before ".*")
// prefix-match the public part of `candidate`?
bool prefix_matches(const Version& candidate, const Version& spec);

// packaging's Specifier._compare_compatible prefix: for the ~= version text as written, the version
// V such that ~= means ">=text, ==V.*".
Version compatible_prefix(std::string_view version_text);

}  // namespace thoth::pep440
