// The PubGrub core loop, unit propagation, conflict resolution and decision making.
#include "resolve/solver.hpp"

#include <algorithm>
#include <utility>

namespace thoth::resolve {
namespace {

// Intersection / union of two terms about the same package. The result keeps the user's text of an
// operand when it denotes the same set (sets being equal, their polarity is too).
Term combine(const Term& a, const Term& b, bool intersect) {
  Term t{a.pkg, intersect ? (a.set & b.set) : (a.set | b.set), 0};
  if (t.set == a.set) {
    t.text = a.text;
  } else if (t.set == b.set) {
    t.text = b.text;
  }
  return t;
}

}  // namespace

VersionSet term_versions(const Term& t) {
  VersionSet v = t.positive() ? t.set : t.set.complement();
  v.reset(v.size() - 1);
  return v;
}

Solver::Solver(Catalog& catalog, Call& call) : catalog_(catalog), call_(call), policy_(call.policy) {
  Package root;
  root.versions = 1;
  root.any = VersionSet::full(2);
  packages_.push_back(std::move(root));
  // pip's user_requested: the position of the first root requirement of each identifier.
  for (std::size_t i = 0; i < call.roots.size(); ++i) {
    const Requirement& r = call.roots[i].requirement;
    std::string name = normalize_name(r.name);
    if (r.extras.empty()) requested_order_.emplace(name, i);
    for (const std::string& e : r.extras) requested_order_.emplace(name + "[" + e + "]", i);
  }
}

void Solver::check_deadline() const {
  if (call_.deadline && std::chrono::steady_clock::now() > *call_.deadline) throw TimedOut{};
}

// ---- partial solution ------------------------------------------------------------------------

const VersionSet& Solver::acc(PkgId p) const {
  const Package& pkg = packages_[p];
  return pkg.trail.empty() ? pkg.any : trail_[pkg.trail.back()].acc;
}

void Solver::derive(PkgId p, IncompatId cause) {
  const Incompat& inc = incompats_[cause];
  const Term* t = nullptr;
  for (const Term& term : inc.terms) {
    if (term.pkg == p) t = &term;
  }
  Assignment a{p, level_, cause, t->set.complement(), {}};
  a.acc = acc(p) & a.term;
  packages_[p].trail.push_back(static_cast<std::uint32_t>(trail_.size()));
  trail_.push_back(std::move(a));
}

void Solver::decide(PkgId p, std::size_t v) {
  ++level_;
  Assignment a{p, level_, kNone, single(p, v), {}};
  a.acc = a.term;
  Package& pkg = packages_[p];
  pkg.trail.push_back(static_cast<std::uint32_t>(trail_.size()));
  pkg.decided = true;
  pkg.decision = v;
  trail_.push_back(std::move(a));
  if (!info_stale_) inform(p);
}

void Solver::backtrack(std::uint32_t level) {
  while (!trail_.empty() && trail_.back().level > level) {
    Package& pkg = packages_[trail_.back().pkg];
    pkg.trail.pop_back();
    if (trail_.back().cause == kNone) {
      pkg.decided = false;
      info_stale_ = true;
    }
    trail_.pop_back();
  }
  while (!contradicted_stack_.empty() && contradicted_[contradicted_stack_.back()] > level) {
    contradicted_[contradicted_stack_.back()] = kNone;
    contradicted_stack_.pop_back();
  }
  level_ = level;
}

Solver::Rel Solver::relation(IncompatId id, std::size_t* unsatisfied) const {
  const Incompat& inc = incompats_[id];
  std::size_t open = kNone;
  for (std::size_t i = 0; i < inc.terms.size(); ++i) {
    const Term& t = inc.terms[i];
    const VersionSet& a = acc(t.pkg);
    if (a.subset_of(t.set)) continue;
    if (a.disjoint(t.set)) return Rel::Contradicted;
    if (open != kNone) return Rel::Inconclusive;
    open = i;
  }
  if (open == kNone) return Rel::Satisfied;
  *unsatisfied = open;
  return Rel::Almost;
}

void Solver::mark_contradicted(IncompatId id) {
  if (contradicted_[id] != kNone) return;
  contradicted_[id] = level_;
  contradicted_stack_.push_back(id);
}

// ---- unit propagation --------------------------------------------------------------------------

void Solver::propagate(PkgId start) {
  queue_.clear();
  queue_.push_back(start);
  while (!queue_.empty()) {
    PkgId p = queue_.back();
    queue_.pop_back();
    IncompatId conflict = kNone;
    // Newest first: learned incompatibilities are the most general (pub's solver.md).
    for (std::size_t k = packages_[p].watch.size(); k-- > 0;) {
      IncompatId id = packages_[p].watch[k];
      if (contradicted_[id] != kNone) continue;
      std::size_t open = 0;
      Rel r = relation(id, &open);
      if (r == Rel::Satisfied) {
        conflict = id;
        break;
      }
      if (r == Rel::Almost) {
        PkgId q = incompats_[id].terms[open].pkg;
        derive(q, id);
        mark_contradicted(id);
        if (std::find(queue_.begin(), queue_.end(), q) == queue_.end()) queue_.push_back(q);
      } else if (r == Rel::Contradicted) {
        mark_contradicted(id);
      }
    }
    if (conflict != kNone) {
      auto [q, cause] = resolve_conflict(conflict);
      note_backtrack_causes(cause);
      queue_.clear();
      queue_.push_back(q);
      derive(q, cause);
      mark_contradicted(cause);
    }
  }
}

// ---- conflict resolution ------------------------------------------------------------------------

bool Solver::terminal(const Incompat& i) const {
  return i.terms.empty() || (i.terms.size() == 1 && i.terms[0].pkg == kRoot && i.terms[0].positive());
}

std::pair<PkgId, IncompatId> Solver::resolve_conflict(IncompatId id) {
  IncompatId current = id;
  bool learned = false;
  for (;;) {
    check_deadline();
    const Incompat& inc = incompats_[current];
    if (terminal(inc)) throw NoSolution{current};

    // The satisfier: the earliest assignment after which every term is satisfied, i.e. the latest
    // of each term's first satisfying assignment.
    std::vector<std::uint32_t> first(inc.terms.size());
    std::size_t sat_term = 0;
    for (std::size_t i = 0; i < inc.terms.size(); ++i) {
      const Term& t = inc.terms[i];
      for (std::uint32_t pos : packages_[t.pkg].trail) {
        if (trail_[pos].acc.subset_of(t.set)) {
          first[i] = pos;
          break;
        }
      }
      if (first[i] > first[sat_term]) sat_term = i;
    }
    const Term& term = inc.terms[sat_term];
    const Assignment& satisfier = trail_[first[sat_term]];

    // The previous satisfier: with the satisfier's own term taken for granted, where the term of its
    // package is first satisfied; then the latest of all terms again.
    for (std::uint32_t pos : packages_[term.pkg].trail) {
      if ((trail_[pos].acc & satisfier.term).subset_of(term.set)) {
        first[sat_term] = pos;
        break;
      }
    }
    std::uint32_t previous = *std::max_element(first.begin(), first.end());
    std::uint32_t previous_level = std::max<std::uint32_t>(trail_[previous].level, 1);

    if (satisfier.cause == kNone || previous_level < satisfier.level) {
      PkgId pkg = term.pkg;
      backtrack(previous_level);
      if (learned) watch(current);
      return {pkg, current};
    }
    current = prior_cause(current, satisfier.cause, term.pkg);
    learned = true;
  }
}

IncompatId Solver::prior_cause(IncompatId incompat, IncompatId satisfier_cause, PkgId pkg) {
  const Incompat& a = incompats_[incompat];
  const Incompat& b = incompats_[satisfier_cause];
  std::vector<Term> terms;
  const Term* ta = nullptr;
  const Term* tb = nullptr;
  for (const Term& t : a.terms) {
    if (t.pkg == pkg) {
      ta = &t;
    } else {
      terms.push_back(t);
    }
  }
  for (const Term& t : b.terms) {
    if (t.pkg == pkg) {
      tb = &t;
      continue;
    }
    auto same = std::find_if(terms.begin(), terms.end(), [&](const Term& x) { return x.pkg == t.pkg; });
    if (same == terms.end()) {
      terms.push_back(t);
    } else {
      *same = combine(*same, t, true);
    }
  }
  // Resolution with set terms (solver.md "Conflict Resolution"): from {t1, q} and {t2, r} follows
  // {t1 ∪ t2, q, r}; a term that always holds says nothing and is dropped.
  Term u = combine(*ta, *tb, false);
  if (!(u.set == packages_[pkg].any)) terms.push_back(std::move(u));
  // The root is always selected: a positive root term says nothing either (solver.md
  // "Incompatibility"), except alone, where it means version solving failed.
  if (terms.size() > 1) {
    std::erase_if(terms, [](const Term& t) { return t.pkg == kRoot && t.positive(); });
  }
  Incompat derived;
  derived.terms = std::move(terms);
  derived.cause = Cause::Derived;
  derived.cause1 = incompat;
  derived.cause2 = satisfier_cause;
  return store(std::move(derived));
}

// ---- decision making ----------------------------------------------------------------------------

PkgId Solver::make_decision(PkgId p) {
  const Package& pkg = packages_[p];
  VersionSet allowed = acc(p);
  std::size_t v = 0;
  if (p != kRoot) {
    const Package& base = packages_[pkg.base];
    if (p != pkg.base && base.decided && allowed.test(base.decision)) {
      v = base.decision;  // an extra follows its project's version
    } else {
      std::optional<std::size_t> chosen = choose(p, allowed);
      if (!chosen) {
        allowed.reset(pkg.versions);
        add_unavailable(p, std::move(allowed), Reason{Why::Rejected, ""});
        return p;
      }
      v = *chosen;
    }
  }
  // An extra's version must be its project's: check that before reading any metadata.
  if (p != kRoot && p != packages_[p].base && conflicts(link(p, v), p, v)) return p;
  const std::vector<IncompatId>* deps = dependencies(p, v);
  if (!deps) return p;  // the version proved unusable; propagation excludes it
  // solver.md "Decision Making": do not select a version whose dependencies already conflict;
  // propagation then derives that it is excluded. Unless pip would re-pin instead (repin_level).
  auto conflicting = [&] {
    return std::any_of(deps->begin(), deps->end(), [&](IncompatId id) { return conflicts(id, p, v); });
  };
  if (conflicting()) {
    std::optional<std::uint32_t> level = repin_level(*deps, p, v);
    if (!level) return p;
    ++repins_;
    backtrack(*level);
    if (conflicting()) return p;
  }
  decide(p, v);
  return p;
}

std::optional<std::uint32_t> Solver::repin_level(const std::vector<IncompatId>& deps, PkgId p, std::size_t v) const {
  // pip (resolvelib 0.8, Resolution._attempt_to_pin_criterion) accepts a candidate whose dependencies
  // agree with the requirements stated so far, whatever is already pinned; a pin the new requirement
  // excludes is chosen again in a later round. So where `v` conflicts only with decisions (not with
  // anything derived before them), pip pins `v` and keeps the newest version of p: undo the earliest
  // such decision so that p is decided first. Bounded, so that it cannot cycle.
  if (repins_ >= 64 + 4 * packages_.size()) return std::nullopt;
  std::uint32_t level = kNone;
  for (IncompatId id : deps) {
    if (!conflicts(id, p, v)) continue;
    const Incompat& inc = incompats_[id];
    if (inc.terms.size() != 2) return std::nullopt;  // the version alone is excluded
    const Term& t = inc.terms[0].pkg == p ? inc.terms[1] : inc.terms[0];
    for (PkgId q : {t.pkg, packages_[t.pkg].base}) {
      const Package& pkg = packages_[q];
      if (!pkg.decided) return std::nullopt;
      const VersionSet& before = pkg.trail.size() > 1 ? trail_[pkg.trail[pkg.trail.size() - 2]].acc : pkg.any;
      if (before.subset_of(t.set)) return std::nullopt;  // excluded by more than the decision
      level = std::min(level, trail_[pkg.trail.back()].level);
    }
  }
  if (level == kNone || level < 2) return std::nullopt;
  // p itself must still be needed once those decisions are undone.
  for (std::uint32_t pos : packages_[p].trail) {
    const VersionSet& a = trail_[pos].acc;
    if (!a.test(a.size() - 1)) return trail_[pos].level < level ? std::optional<std::uint32_t>(level - 1) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::size_t> Solver::choose(PkgId p, const VersionSet& allowed) {
  const Package& pkg = packages_[p];
  std::vector<std::size_t>& index = offer_index_;
  index.clear();
  for (std::size_t i = allowed.next(0); i < pkg.versions; i = allowed.next(i + 1)) index.push_back(i);
  if (catalog_.options().binary.prefer_binary) {
    // pip's --prefer-binary: versions with a usable wheel come before newer sdist-only ones.
    std::stable_partition(index.begin(), index.end(), [&](std::size_t i) {
      return pkg.project->facts[i].best_is_wheel;
    });
  }
  offered_.clear();
  for (std::size_t i : index) offered_.push_back(&pkg.project->candidates[i]);
  std::size_t k = policy_.choose(pkg.project->name, offered_);
  if (k >= offered_.size()) return std::nullopt;
  return index[k];
}

bool Solver::conflicts(IncompatId id, PkgId p, std::size_t v) const {
  for (const Term& t : incompats_[id].terms) {
    bool satisfied = t.pkg == p ? t.set.test(v) : acc(t.pkg).subset_of(t.set);
    if (!satisfied) return false;
  }
  return true;
}

void Solver::run() {
  Incompat root;
  VersionSet not_root(2);
  not_root.set(1);
  root.terms.push_back(Term{kRoot, not_root, 0});
  root.cause = Cause::Root;
  add(std::move(root));
  PkgId next = kRoot;
  for (;;) {
    check_deadline();
    propagate(next);
    std::optional<PkgId> p = pick();
    if (!p) return;
    // Each decision considers one candidate (reading its metadata when it is new).
    if (call_.max_candidates != 0 && ++call_.considered > call_.max_candidates) throw TooManyCandidates{};
    next = make_decision(*p);
    ++steps_;
  }
}

// ---- bookkeeping ----------------------------------------------------------------------------------

IncompatId Solver::store(Incompat i) {
  incompats_.push_back(std::move(i));
  contradicted_.push_back(kNone);
  return static_cast<IncompatId>(incompats_.size() - 1);
}

void Solver::watch(IncompatId id) {
  for (const Term& t : incompats_[id].terms) packages_[t.pkg].watch.push_back(id);
}

VersionSet Solver::single(PkgId p, std::size_t v) const {
  VersionSet s(packages_[p].versions + 1);
  s.set(v);
  return s;
}

IncompatId Solver::add_unavailable(PkgId p, VersionSet versions, Reason reason) {
  Incompat i;
  i.terms.push_back(Term{p, std::move(versions), 0});
  i.cause = Cause::Unavailable;
  i.note = static_cast<std::uint32_t>(reasons_.size());
  reasons_.push_back(std::move(reason));
  return add(std::move(i));
}

}  // namespace thoth::resolve
