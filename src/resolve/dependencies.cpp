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

}  // namespace

Call::Call(const std::vector<RootRequirement>& roots_in, const std::vector<Requirement>& constraints_in,
           const Policy& policy_in, const ResolveOptions& options)
    : roots(roots_in), constraints(constraints_in), policy(policy_in), filter(policy_in, options.allow_prereleases) {
  if (options.timeout) deadline = std::chrono::steady_clock::now() + *options.timeout;
  max_candidates = options.max_candidates;
  for (const RootRequirement& r : roots) {
    if (!applies(r.requirement, options.target.markers)) continue;
    root_deps.emplace_back(r.requirement);
    root_labels.push_back(&r.label);
  }
  for (const Requirement& c : constraints) {
    if (applies(c, options.target.markers)) constraints_by_name_.emplace_back(normalize_name(c.name), &c);
  }
  std::stable_sort(constraints_by_name_.begin(), constraints_by_name_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::span<const std::pair<std::string, const Requirement*>> Call::constraints_on(std::string_view name) const {
  auto first = std::lower_bound(constraints_by_name_.begin(), constraints_by_name_.end(), name,
                                [](const auto& c, std::string_view n) { return c.first < n; });
  auto last = first;
  while (last != constraints_by_name_.end() && last->first == name) ++last;
  return {first, last};
}

void Call::note(std::string line) {
  if (std::find(notes_.begin(), notes_.end(), line) == notes_.end()) notes_.push_back(std::move(line));
}

PkgId Solver::ensure_package(Project& project) {
  if (has_package(project)) return by_project_[project.id];
  const std::string& name = project.name;
  // Constraints take part in pip's merged specifier too; they are known before any exclusion.
  auto constraints = call_.constraints_on(name);
  for (const auto& c : constraints) call_.filter.note_requirement(project, *c.second);

  PkgId id = static_cast<PkgId>(packages_.size());
  Package pkg;
  pkg.name = name;
  pkg.project = &project;
  pkg.base = id;
  pkg.versions = project.size();
  pkg.any = VersionSet::full(project.size() + 1);
  // Typically an exclusion or two, a few dependents and its own dependencies, and a derivation or
  // two before its decision: one allocation each.
  pkg.watch.reserve(8);
  pkg.trail.reserve(4);
  set_preference_fields(pkg);
  packages_.push_back(std::move(pkg));
  if (by_project_.size() <= project.id) by_project_.resize(project.id + 1, kNone);
  by_project_[project.id] = id;

  VersionSet usable = VersionSet::full(project.size() + 1);
  for (Exclusion& e : call_.filter.exclusions(project)) {
    usable &= e.versions.complement();
    add_unavailable(id, std::move(e.versions), std::move(e.reason));
  }
  // pip's -c: a constraint restricts the project's versions but does not require it, so the
  // incompatibility forbids the versions outside it and says nothing about "not selected".
  for (const auto& c : constraints) {
    VersionSet outside = catalog_.match(project, *c.second).complement();
    outside.reset(project.size());
    if (outside.none()) continue;
    usable &= outside.complement();
    Incompat i;
    i.terms.push_back(Term{id, std::move(outside), 0});
    i.cause = Cause::Constraint;
    i.note = catalog_.intern(name + spec_text(*c.second));
    add(std::move(i));
  }
  packages_[id].usable = std::move(usable);
  return id;
}

PkgId Solver::ensure_extra(PkgId base, const std::string& extra) {
  for (const auto& [e, id] : packages_[base].extras) {
    if (e == extra) return id;
  }
  PkgId id = static_cast<PkgId>(packages_.size());
  Package pkg;
  pkg.name = packages_[base].name + "[" + extra + "]";
  pkg.project = packages_[base].project;
  pkg.extra = extra;
  pkg.base = base;
  pkg.versions = packages_[base].versions;
  pkg.any = packages_[base].any;
  pkg.usable = packages_[base].usable;
  set_preference_fields(pkg);
  packages_.push_back(std::move(pkg));
  packages_[base].extras.emplace_back(extra, id);
  return id;
}

const Tried* Solver::tried(PkgId p, std::size_t v) const {
  for (const Tried& t : packages_[p].tried) {
    if (t.version == v) return &t;
  }
  return nullptr;
}

const std::vector<IncompatId>* Solver::dependencies(PkgId p, std::size_t v) {
  if (const Tried* t = tried(p, v)) return &t->deps;
  Tried added;
  added.version = v;
  std::vector<Dependency>* stated = &call_.root_deps;
  if (p != kRoot) {
    Package& pkg = packages_[p];
    Project& project = *pkg.project;
    const LoadedFacts& f = catalog_.metadata(project, v);
    if (f.problem && f.problem->why == Why::NeedsBuild) {
      call_.note("skipped " + project.name + " " + project.candidates[v].version.str() + ": " + f.problem->detail +
                 ", and thoth builds sdists to learn their dependencies only for an interpreter's own environment; "
                 "an older version was looked for");
    }
    if (f.problem && f.problem->why == Why::BuildFailed) {
      call_.note("skipped " + project.name + " " + project.candidates[v].version.str() + ": " + f.problem->detail +
                 "; an older version was looked for");
    }
    if (f.problem && p == pkg.base) {
      add_unavailable(p, single(p, v), *f.problem);
      return nullptr;
    }
    if (p == pkg.base) {
      stated = &project.facts[v].loaded->base_deps;
    } else {
      added.deps.push_back(link(p, v));
      // pip warns, and the extra brings nothing (its Requires-Dist lines are not used either).
      if (!catalog_.provides(project, v, pkg.extra)) {
        call_.note(project.name + " " + project.candidates[v].version.str() + " does not provide the extra '" +
                   pkg.extra + "'");
      }
      stated = &catalog_.extra_dependencies(project, v, pkg.extra);
    }
  }
  if (p != kRoot && catalog_.options().ignore_dependencies) stated = &call_.no_deps;
  added.stated = stated;
  // Ask for every new project's candidates at once, so the fetches overlap.
  for (const Dependency& d : *stated) catalog_.prefetch_target(d);
  added.deps.reserve(added.deps.size() + stated->size());
  added.edges.reserve(stated->size());
  for (Dependency& d : *stated) add_dependency(p, v, d, added);
  std::vector<Tried>& tried = packages_[p].tried;
  tried.push_back(std::move(added));
  return &tried.back().deps;
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

void Solver::add_dependency(PkgId p, std::size_t v, Dependency& dep, Tried& added) {
  const Requirement& req = *dep.requirement;
  Project& project = catalog_.target(dep);
  bool changed = call_.filter.note_requirement(project, req);
  if (changed && has_package(project)) throw Restart{};
  PkgId base = ensure_package(project);
  const VersionSet& set = dep.matches;
  TextId text = dep.text;

  std::vector<PkgId>& targets = targets_;
  targets.assign(1, base);
  for (const std::string& e : req.extras) targets.push_back(ensure_extra(base, e));
  record_edges(dep, targets, added.edges);
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
                           : dep.direct        ? Missing::NotDirect
                                               : Missing::NoMatch;
      i.note = static_cast<std::uint32_t>(missing_.size());
      missing_.push_back(Missing{kind, target, text});
    } else {
      i.terms.push_back(Term{p, std::move(depender), 0});
      i.terms.push_back(Term{target, set.complement(), text});
    }
    added.deps.push_back(add(std::move(i)));
  }
  prefetch_likely(base, set);
}

void Solver::record_edges(const Dependency& dep, const std::vector<PkgId>& targets, std::vector<Edge>& edges) {
  // pip's identifiers: a requirement with extras names "name[extra]", not the project itself.
  Edge e;
  e.direct = dep.direct;
  e.pinned = dep.pinned;
  e.unfree = dep.unfree;
  for (std::size_t k = targets.size() > 1 ? 1 : 0; k < targets.size(); ++k) {
    e.target = targets[k];
    edges.push_back(e);
  }
}

void Solver::prefetch_likely(PkgId p, const VersionSet& wanted) {
  // Start reading the metadata of the version the policy would pick now, so the fetch overlaps with
  // the rest of the search.
  Package& pkg = packages_[p];
  VersionSet open = wanted & acc(p) & pkg.usable;
  if (open.none()) return;
  if (std::optional<std::size_t> v = choose(p, open)) catalog_.prefetch_metadata(*pkg.project, *v);
}

}  // namespace thoth::resolve
