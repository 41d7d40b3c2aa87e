#include "resolve/filter.hpp"

#include <algorithm>

namespace thoth::resolve {

bool VersionFilter::note_requirement(const Project& p, const Requirement& req) {
  if (p.direct) return false;  // no pre-release or yanked filtering of explicit candidates
  if (seen_.size() <= p.id) seen_.resize(p.id + 1);
  Seen& s = seen_[p.id];
  bool changed = false;
  if (!req.specifier.empty() && !s.specifier_seen) {
    s.specifier_seen = true;
    // Only matters for a project without final releases (see exclusions()).
    if (!p.has_final && !allow_prereleases_ && !s.prereleases_named) changed = true;
  }
  if (req.specifier.admits_prereleases() && !s.prereleases_named) {
    s.prereleases_named = true;
    if (!allow_prereleases_) changed = true;
  }
  for (const Specifier& spec : req.specifier.specifiers()) {
    // PEP 592: a yanked version stays usable for a requirement pinning it with == or ===.
    bool pin = spec.op() == Specifier::Op::Arbitrary || (spec.op() == Specifier::Op::Equal && !spec.wildcard());
    if (!pin) continue;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!p.facts[i].yanked() || !spec.matches(p.candidates[i].version)) continue;
      auto& pinned = s.yanked_pinned;
      if (std::find(pinned.begin(), pinned.end(), i) != pinned.end()) continue;
      pinned.push_back(i);
      changed = true;
    }
  }
  return changed;
}

std::vector<Exclusion> VersionFilter::exclusions(const Project& p) const {
  std::vector<Exclusion> out;
  auto add = [&](const Reason& r, std::size_t v) {
    for (Exclusion& e : out) {
      if (e.reason.why == r.why && e.reason.detail == r.detail) {
        e.versions.set(v);
        return;
      }
    }
    out.push_back({r, VersionSet(p.size() + 1)});
    out.back().versions.set(v);
  };
  static const Seen kNothing;
  const Seen& s = seen(p) ? *seen(p) : kNothing;
  // pip filters with the intersection of every specifier on the project (packaging's
  // SpecifierSet.filter): pre-releases only with --pre or when a specifier names one (PEP 440
  // "Handling of pre-releases"), or, for an empty specifier, when no final release exists.
  bool prereleases_ok = allow_prereleases_ || s.prereleases_named || p.direct || (!p.has_final && !s.specifier_seen);
  auto pinned = [&](std::size_t i) {
    return std::find(s.yanked_pinned.begin(), s.yanked_pinned.end(), i) != s.yanked_pinned.end();
  };
  const Reason forbidden{Why::Forbidden, ""};
  for (std::size_t i = 0; i < p.size(); ++i) {
    const VersionFacts& f = p.facts[i];
    if (policy_.forbids(p.name, p.candidates[i].version)) {
      add(forbidden, i);
    } else if (const Reason* skip = p.skip(i)) {
      add(*skip, i);
    } else if (f.yanked() && !p.direct && !pinned(i)) {
      add(*p.yank(i), i);
    } else if (f.prerelease && !prereleases_ok) {
      add(Reason{Why::PreRelease, ""}, i);
    }
  }
  return out;
}

}  // namespace thoth::resolve
