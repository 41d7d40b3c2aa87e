// Prefix matching for "==V.*" / "!=V.*" and the prefix clause that "~=V" implies, with packaging
// 25.0's results (PEP 440 "Version matching" and "Compatible release").
#pragma once

#include "thoth/pep440.hpp"

namespace thoth::pep440 {

// packaging's Specifier._compare_equal for a "spec.*" clause: does `spec` (the version before ".*")
// prefix-match the public part of `candidate`?
bool prefix_matches(const Version& candidate, const Version& spec);

// PEP 440 "Compatible release": the version V such that "~=spec" means ">=spec, ==V.*": the epoch and
// the release without its last number (the pre, post and dev parts ignored).
Version compatible_prefix(const Version& spec);

}  // namespace thoth::pep440
