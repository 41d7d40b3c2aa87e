// Turning projects, versions and requirements into packages and incompatibilities, lazily: a
// project is registered when something first depends on it, a version's dependencies when the
// solver first tries it (solver.md "Lazy Formulas").
#include <algorithm>

#include "resolve/solver.hpp"

namespace thoth::resolve {
namespace {

bool applies(const Requirement& r, const MarkerEnv& env) {
  if (!r.marker) return true;
  try {
    return r.marker->evaluate(env, "");
  } catch (const RequirementError&) {
    return false;  // a root marker that cannot be evaluated cannot hold either
  }
}

// How the user wrote the versions: the specifier as packaging prints it, or " @ url".
std::string spec_text(const Requirement& r) {
  if (!r.url.empty()) return " @ " + r.url;
  return r.specifier.str();
}

}  // namespace

PkgId Solver::ensure_package(const std::string& name) {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  Project& project = catalog_.project(name);
  const MarkerEnv& env = catalog_.options().target.markers;
  // Constraints take part in pip's merged specifier too; they are known before any exclusion.
  std::vector<const Requirement*> constraints;
  for (const Requirement& c : input_.constraints) {
    if (normalize_name(c.name) == name && applies(c, env)) {
      constraints.push_back(&c);
      catalog_.note_requirement(project, c);
    }
  }

  PkgId id = static_cast<PkgId>(packages_.size());
  Package pkg;
  pkg.name = name;
  pkg.project = &project;
  pkg.base = id;
  pkg.versions = project.size();
  pkg.any = VersionSet::full(project.size() + 1);
  pkg.deps.resize(project.size());
  pkg.edges.resize(project.size());
  set_preference_fields(pkg);
  packages_.push_back(std::move(pkg));
  by_name_.emplace(name, id);

  VersionSet usable = VersionSet::full(project.size() + 1);
  for (Exclusion& e : catalog_.exclusions(project)) {
    usable &= e.versions.complement();
    add_unavailable(id, std::move(e.versions), std::move(e.reason));
  }
  // pip's -c: a constraint restricts the project's versions but does not require it, so the
  // incompatibility forbids the versions outside it and says nothing about "not selected".
  for (const Requirement* c : constraints) {
    VersionSet outside = catalog_.match(project, *c).complement();
    outside.reset(project.size());
    if (outside.none()) continue;
    usable &= outside.complement();
    Incompat i;
    i.terms.push_back(Term{id, std::move(outside), 0});
    i.cause = Cause::Constraint;
    i.note = intern(name + spec_text(*c));
    add(std::move(i));
  }
  packages_[id].usable = std::move(usable);
  return id;
}

PkgId Solver::ensure_extra(PkgId base, const std::string& extra) {
  std::string name = packages_[base].name + "[" + extra + "]";
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  PkgId id = static_cast<PkgId>(packages_.size());
  Package pkg;
  pkg.name = name;
  pkg.project = packages_[base].project;
  pkg.extra = extra;
  pkg.base = base;
  pkg.versions = packages_[base].versions;
  pkg.any = packages_[base].any;
  pkg.usable = packages_[base].usable;
  pkg.deps.resize(pkg.versions);
  pkg.edges.resize(pkg.versions);
  set_preference_fields(pkg);
  packages_.push_back(std::move(pkg));
  by_name_.emplace(std::move(name), id);
  return id;
}

std::vector<const Requirement*> Solver::requirements(PkgId p, std::size_t v) const {
  std::vector<const Requirement*> out;
  const Package& pkg = packages_[p];
  if (p == kRoot) {
    for (const RootRequirement& r : input_.roots) {
      if (applies(r.requirement, catalog_.options().target.markers)) out.push_back(&r.requirement);
    }
    return out;
  }
  const VersionFacts& f = pkg.project->facts[v];
  if (p != pkg.base) return catalog_.extra_deps(*pkg.project, v, pkg.extra);
  for (std::size_t i : f.base_deps) out.push_back(&f.requires_dist()[i]);
  return out;
}

const std::vector<IncompatId>* Solver::dependencies(PkgId p, std::size_t v) {
  if (packages_[p].deps[v]) return &*packages_[p].deps[v];
  std::vector<IncompatId> out;
  if (p != kRoot) {
    Package& pkg = packages_[p];
    const VersionFacts& f = catalog_.metadata(*pkg.project, v);
    if (f.problem && p == pkg.base) {
      add_unavailable(p, single(p, v), *f.problem);
      return nullptr;
    }
    if (p != pkg.base) {
      out.push_back(link(p, v));
      // pip warns, and the extra brings nothing (its Requires-Dist lines are not used either).
      if (!catalog_.provides(*pkg.project, v, pkg.extra)) {
        catalog_.note(pkg.project->name + " " + pkg.project->candidates[v].version.str() +
                      " does not provide the extra '" + pkg.extra + "'");
      }
    }
  }
  std::vector<const Requirement*> reqs = requirements(p, v);
  // Ask for every new project's candidates at once, so the fetches overlap.
  for (const Requirement* r : reqs) catalog_.prefetch_candidates(normalize_name(r->name));
  for (const Requirement* r : reqs) add_dependency(p, v, *r, out);
  packages_[p].deps[v] = std::move(out);
  return &*packages_[p].deps[v];
}

IncompatId Solver::link(PkgId extra, std::size_t v) {
  Package& pkg = packages_[extra];
  if (pkg.link.empty()) pkg.link.assign(pkg.versions, kNone);
  if (pkg.link[v] != kNone) return pkg.link[v];
  // The extra's version v is the project's version v (pip's ExtrasCandidate).
  Incompat i;
  i.terms.push_back(Term{extra, single(extra, v), 0});
  i.terms.push_back(Term{pkg.base, single(pkg.base, v).complement(), 0});
  i.cause = Cause::Dependency;
  IncompatId id = add(std::move(i));
  packages_[extra].link[v] = id;
  return id;
}

void Solver::add_dependency(PkgId p, std::size_t v, const Requirement& req, std::vector<IncompatId>& out) {
  std::string name = normalize_name(req.name);
  Project& project = catalog_.project(name);
  bool changed = catalog_.note_requirement(project, req);
  if (changed && by_name_.count(name)) throw Restart{};
  PkgId base = ensure_package(name);
  VersionSet set = catalog_.match(project, req);
  TextId text = intern(spec_text(req));

  std::vector<PkgId> targets{base};
  for (const std::string& e : req.extras) targets.push_back(ensure_extra(base, e));
  record_edges(p, v, req, targets);
  for (PkgId target : targets) {
    Incompat i;
    i.cause = Cause::Dependency;
    VersionSet depender = single(p, v);
    if (target == p) {
      // A version depending on its own project: {p v, not p S} is {p v} when v is outside S, and
      // says nothing otherwise.
      if (set.test(v)) continue;
      i.terms.push_back(Term{p, std::move(depender), 0});
      i.note = static_cast<std::uint32_t>(missing_.size());
      missing_.push_back(Missing{Missing::Self, target, text});
    } else if (set.none()) {
      // Nothing can satisfy the requirement: the depender alone is excluded (pubgrub-rs drops the
      // empty target term); the note keeps what it asked for.
      i.terms.push_back(Term{p, std::move(depender), 0});
      Missing::Kind kind = project.size() == 0 ? Missing::NoProject
                           : !req.url.empty()  ? Missing::NotDirect
                                               : Missing::NoMatch;
      i.note = static_cast<std::uint32_t>(missing_.size());
      missing_.push_back(Missing{kind, target, text});
    } else {
      i.terms.push_back(Term{p, std::move(depender), 0});
      i.terms.push_back(Term{target, set.complement(), text});
    }
    out.push_back(add(std::move(i)));
  }
  prefetch_likely(base, set);
}

void Solver::record_edges(PkgId p, std::size_t v, const Requirement& req, const std::vector<PkgId>& targets) {
  // pip's identifiers: a requirement with extras names "name[extra]", not the project itself.
  Edge e;
  e.direct = !req.url.empty();
  for (const Specifier& s : req.specifier.specifiers()) {
    e.unfree = true;
    e.pinned = e.pinned || s.op() == Specifier::Op::Equal || s.op() == Specifier::Op::Arbitrary;
  }
  for (std::size_t k = targets.size() > 1 ? 1 : 0; k < targets.size(); ++k) {
    e.target = targets[k];
    packages_[p].edges[v].push_back(e);
  }
}

void Solver::prefetch_likely(PkgId p, const VersionSet& wanted) {
  // Start reading the metadata of the version the policy would pick now, so the fetch overlaps with
  // the rest of the search.
  Package& pkg = packages_[p];
  VersionSet open = wanted & acc(p) & pkg.usable;
  std::vector<std::size_t> index;
  std::vector<const Candidate*> offered = offer(p, open, index);
  if (offered.empty()) return;
  std::size_t k = policy_.choose(pkg.project->name, offered);
  if (k < offered.size()) catalog_.prefetch_metadata(*pkg.project, index[k]);
}

}  // namespace thoth::resolve
