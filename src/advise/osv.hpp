// The parts of OSV import that are pure functions: ranges to specifier sets, CVSS v3 base scores.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth::advisor {

struct OsvEvent {
  enum class Type { Introduced, Fixed, LastAffected, Limit };
  Type type = Type::Introduced;
  std::string version;
};

// The versions one ECOSYSTEM range affects, as one specifier set per affected interval, by the OSV
// schema's evaluation ("Evaluation", IsVulnerable): events sorted by version (stable: equal versions
// keep their order; introduced "0" first), an interval opens at an introduced event and closes at the
// next fixed (excluded: "<V") or last_affected (included: "<=V") event; one still open at the end
// is unbounded; the largest limit ("*": none) caps every interval ("<L"). "introduced: 0" gives no
// lower bound, so a range affecting everything is the empty set (every version). Empty intervals are
// dropped. PEP 440's "<V" leaves out the pre-releases of V: they are taken as fixed.
// Throws VersionError for a bound that is not a PEP 440 version.
std::vector<SpecifierSet> ecosystem_range_specifiers(const std::vector<OsvEvent>& events);

// The base score (0.0-10.0) of a CVSS v3.0/v3.1 vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
// by the CVSS v3.1 specification, section 7.1 (Base Metrics Equations) and Appendix A (Roundup);
// nullopt for text that is not a complete v3 vector.
std::optional<double> cvss3_base_score(std::string_view vector);

}  // namespace thoth::advisor
