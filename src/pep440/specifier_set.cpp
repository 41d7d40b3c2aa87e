// SpecifierSet: a comma-separated conjunction of clauses with packaging 25.0 (as 23.0)'s pre-release policy.
#include <algorithm>
#include <string>

#include "pep440/text.hpp"
#include "thoth/pep440.hpp"

namespace thoth {

SpecifierSet SpecifierSet::parse(std::string_view text) {
  // PEP 440 "Version specifiers": clauses separated by commas; packaging strips each one and skips
  // empty ones, so "" and " , " are the empty set.
  SpecifierSet set;
  for (std::size_t start = 0;;) {
    std::size_t comma = text.find(',', start);
    std::string_view clause =
        pep440::strip_space(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (!clause.empty()) {
      try {
        set.add(Specifier::parse(clause));
      } catch (const VersionError& e) {
        if (clause.size() == text.size()) throw;
        throw VersionError(std::string(e.what()) + " in " + pep440::quote(text));
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

void SpecifierSet::add(Specifier s) {
  if (std::find(specs_.begin(), specs_.end(), s) == specs_.end()) specs_.push_back(std::move(s));
}

SpecifierSet SpecifierSet::intersect(const SpecifierSet& other) const {
  SpecifierSet out = *this;
  for (const Specifier& s : other.specs_) out.add(s);
  return out;
}

bool SpecifierSet::admits_prereleases() const {
  return std::any_of(specs_.begin(), specs_.end(), [](const Specifier& s) { return s.admits_prereleases(); });
}

bool SpecifierSet::contains(const Version& v, std::optional<bool> prereleases) const {
  // PEP 440 "Handling of projects that use pre-releases": pre-releases are excluded unless asked
  // for or named by a clause. packaging applies that once here, then every clause with
  // pre-releases allowed.
  if (v.is_prerelease() && !prereleases.value_or(admits_prereleases())) return false;
  return std::all_of(specs_.begin(), specs_.end(), [&](const Specifier& s) { return s.matches(v); });
}

std::vector<Version> SpecifierSet::filter(const std::vector<Version>& versions,
                                          std::optional<bool> prereleases) const {
  std::vector<Version> out;
  if (!specs_.empty()) {
    // packaging (23.0 and 25.0) passes a definite True/False to each clause's filter, which then never falls
    // back to pre-releases: this is plain contains().
    bool allow = prereleases.value_or(admits_prereleases());
    for (const Version& v : versions) {
      if (contains(v, allow)) out.push_back(v);
    }
    return out;
  }
  // The empty set: final releases only, unless there are none and the policy is unset (PEP 440:
  // pre-releases are accepted when they are the only versions available).
  bool allow = prereleases.value_or(false);
  std::vector<Version> pre_only;
  for (const Version& v : versions) {
    if (v.is_prerelease() && !allow) {
      if (out.empty()) pre_only.push_back(v);
    } else {
      out.push_back(v);
    }
  }
  if (out.empty() && !prereleases.has_value()) return pre_only;
  return out;
}

std::string SpecifierSet::str() const {
  std::vector<std::string> parts;
  parts.reserve(specs_.size());
  for (const Specifier& s : specs_) parts.push_back(s.str());
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ',';
    out += parts[i];
  }
  return out;
}

bool operator==(const SpecifierSet& a, const SpecifierSet& b) {
  // Both hold distinct clauses, so equal sizes and inclusion one way mean set equality.
  if (a.specs_.size() != b.specs_.size()) return false;
  return std::all_of(a.specs_.begin(), a.specs_.end(), [&](const Specifier& s) {
    return std::find(b.specs_.begin(), b.specs_.end(), s) != b.specs_.end();
  });
}

}  // namespace thoth
