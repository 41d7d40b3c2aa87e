// Which versions of each project one resolution excludes: the catalog's static skips, the policy's
// forbids, and pip's rules over the merged specifier of every requirement seen on the project
// (pre-releases, yanked pins). One VersionFilter lives for one resolve() call, across solver
// restarts; the next call starts a new one, so no resolution depends on what an earlier call saw.
#pragma once

#include <cstddef>
#include <vector>

#include "resolve/catalog.hpp"
#include "resolve/version_set.hpp"
#include "thoth/pep508.hpp"
#include "thoth/resolve.hpp"

namespace thoth::resolve {

struct Exclusion {
  Reason reason;
  VersionSet versions;  // positive set (size()+1 bits, "not selected" clear)
};

class VersionFilter {
 public:
  VersionFilter(const Policy& policy, bool allow_prereleases)
      : policy_(policy), allow_prereleases_(allow_prereleases) {}

  // Records what pip's merged-specifier rules need to know about a requirement on `p`. True when
  // this changes which versions exclusions() returns.
  bool note_requirement(const Project& p, const Requirement& req);

  // Every reason some versions of `p` cannot be used in this resolution, grouped, in a fixed order.
  std::vector<Exclusion> exclusions(const Project& p) const;

  const Policy& policy() const { return policy_; }

 private:
  // pip merges the specifiers of every requirement on a project before filtering versions, so
  // these depend on all requirements seen so far.
  struct Seen {
    bool prereleases_named = false;         // a specifier names a pre-release
    bool specifier_seen = false;            // a requirement with a non-empty specifier
    std::vector<std::size_t> yanked_pinned;  // yanked versions pinned by == / ===
  };
  const Seen* seen(const Project& p) const { return p.id < seen_.size() ? &seen_[p.id] : nullptr; }

  const Policy& policy_;
  bool allow_prereleases_;
  std::vector<Seen> seen_;  // by Project::id
};

}  // namespace thoth::resolve
