// Explaining a failure: pub's error-reporting algorithm (doc/solver.md "Error Reporting") turns the
// derivation graph of the incompatibility {root} into numbered English sentences.
#pragma once

#include <string>

#include "resolve/solver.hpp"

namespace thoth::resolve {

// The derivation of `root` (a terminal incompatibility) followed by hints about skipped versions.
// Lines end with '\n'.
std::string explain(const Solver& solver, IncompatId root);

// One line: what failed and which projects take part.
std::string summarize(const Solver& solver, IncompatId root);

// A term for people: "foo<2" as the user wrote it, or, for derived sets, ranges over the known
// versions ("foo>=1.0,<1.4", "foo 1.2", "foo 1.0 | >=1.2"). `every` turns the set of all versions into
// "every version of foo" instead of "foo".
std::string describe_term(const Solver& solver, const Term& term, bool every = false);

}  // namespace thoth::resolve
