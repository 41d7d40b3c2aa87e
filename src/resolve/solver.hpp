// PubGrub (Natalie Weizenbaum, pub's doc/solver.md; the pubgrub-rs guide): unit propagation over
// incompatibilities, decisions, conflict resolution that learns a root-cause incompatibility and
// backjumps. Terms are VersionSets over each package's known candidates (see version_set.hpp).
//
// Packages are the projects plus one virtual package "name[extra]" per requested extra, whose
// version v depends on "name" at exactly v and on the extra's requirements. Package 0 is the root,
// whose single version depends on the root requirements.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "resolve/catalog.hpp"
#include "resolve/filter.hpp"
#include "resolve/version_set.hpp"
#include "thoth/resolve.hpp"

namespace thoth::resolve {

using PkgId = std::uint32_t;
using IncompatId = std::uint32_t;
inline constexpr std::uint32_t kNone = 0xffffffffu;
inline constexpr PkgId kRoot = 0;

struct Term {
  PkgId pkg = 0;
  VersionSet set;   // versions + "not selected" (the last bit): positive iff that bit is clear
  TextId text = 0;  // how the user wrote the versions of its positive form ("<2"), 0 if derived
  bool positive() const { return !set.test(set.size() - 1); }
};

enum class Cause : std::uint8_t {
  Root,         // {not root}: the root is selected
  Dependency,   // {depender v, not target S}: "depender v depends on target S"
  Unavailable,  // {pkg S}: versions that cannot be used; note = reason index
  Constraint,   // {pkg S}: versions a constraint excludes; note = TextId of the constraint
  Derived,      // learned from cause1 and cause2
};

// Why a dependency's target term was dropped: no version at all matched it, so the incompatibility
// is just {depender v}.
struct Missing {
  enum Kind : std::uint8_t { NoProject, NoMatch, NotDirect, Self } kind = NoMatch;
  PkgId pkg = 0;
  TextId text = 0;
};

struct Incompat {
  std::vector<Term> terms;
  Cause cause = Cause::Derived;
  IncompatId cause1 = kNone, cause2 = kNone;
  std::uint32_t note = kNone;  // see Cause; for a Dependency with its target dropped: Missing index
};

// One requirement a version states, as pip's get_preference sees it (see preference.cpp).
struct Edge {
  PkgId target = 0;     // the project, or for a requirement with extras each "name[extra]"
  bool direct = false;  // `name @ url`
  bool pinned = false;  // an == or === clause
  bool unfree = false;  // any clause at all
};

// A version of a package whose dependencies the solver added.
struct Tried {
  std::size_t version = 0;
  std::vector<IncompatId> deps;  // the incompatibilities of its dependencies
  std::vector<Edge> edges;       // the requirements it states, as pip's preference sees them
  const std::vector<Dependency>* stated = nullptr;  // what they came from
};

struct Package {
  std::string name;           // normalised; "name[extra]" for an extra; "" for the root
  Project* project = nullptr; // null for the root
  std::string extra;
  PkgId base = 0;             // the package itself, or for an extra the project's package
  std::size_t versions = 0;
  VersionSet any;             // every version and "not selected": the term that always holds
  VersionSet usable;          // versions no exclusion or constraint rules out (for prefetching)
  std::vector<IncompatId> watch;       // incompatibilities mentioning it, oldest first
  std::vector<std::uint32_t> trail;    // its assignments, by position in the partial solution
  bool decided = false;
  std::size_t decision = 0;            // version index when decided
  std::vector<Tried> tried;       // the versions whose dependencies were added, in that order
  std::vector<IncompatId> link;  // extras: per version, {extra v, not project v}, once added
  std::vector<std::pair<std::string, PkgId>> extras;   // a project's packages "name[extra]", by extra
  // pip's _known_depths: distance from the root when last considered; kept across backtracking.
  double depth = std::numeric_limits<double>::infinity();
  bool backtrack_cause = false;  // in the most recent conflict (pip's backtrack_causes)
  // Fixed parts of pip's preference (preference.cpp), set when the package is made.
  std::size_t requested_order = SIZE_MAX;  // position of its first root requirement
  bool is_setuptools = false;
};

// What pip's `information` mapping holds for one package: the requirements stated on it by the
// versions currently decided (see preference.cpp).
struct Information {
  bool known = false;
  bool direct = false;
  bool pinned = false;
  bool unfree = false;
  double parent_depth = std::numeric_limits<double>::infinity();

  void add(bool is_direct, bool is_pinned, bool is_unfree, double depth_of_parent);
};

struct Assignment {
  PkgId pkg = 0;
  std::uint32_t level = 0;
  IncompatId cause = kNone;  // kNone for a decision
  VersionSet term;           // this assignment
  VersionSet acc;            // intersection of the package's assignments up to this one
};

// One resolve() call: its inputs, and what it learns that outlives a solver restart, and nothing
// longer (the next call starts again from the catalog alone, which holds no per-call state).
class Call {
 public:
  Call(const std::vector<RootRequirement>& roots, const std::vector<Requirement>& constraints, const Policy& policy,
       const ResolveOptions& options);

  const std::vector<RootRequirement>& roots;
  const std::vector<Requirement>& constraints;
  const Policy& policy;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::size_t max_candidates = 0;  // ResolveOptions::max_candidates
  std::size_t considered = 0;      // candidates considered so far, over restarts too
  std::vector<Dependency> root_deps;  // the root requirements whose markers hold, in order
  std::vector<Dependency> no_deps;    // what a package states under ResolveOptions::ignore_dependencies
  std::vector<const std::string*> root_labels;  // RootRequirement::label of each of root_deps
  VersionFilter filter;

  // The constraints on a project (normalised name) whose markers hold, in the order given.
  std::span<const std::pair<std::string, const Requirement*>> constraints_on(std::string_view name) const;

  // Adds a line for the user (once); they become Resolution::warnings.
  void note(std::string line);
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  std::vector<std::pair<std::string, const Requirement*>> constraints_by_name_;  // stable-sorted by name
  std::vector<std::string> notes_;
};

class Solver {
 public:
  struct NoSolution { IncompatId incompat; };
  struct Restart {};   // pip's merged-specifier rules changed for a package already in use
  struct TimedOut {};
  struct TooManyCandidates {};  // Call::max_candidates were considered

  Solver(Catalog& catalog, Call& call);

  // Runs to a total solution, or throws NoSolution / Restart / TimedOut / TooManyCandidates (IndexError
  // passes through).
  void run();

  std::size_t package_count() const { return packages_.size(); }
  const Package& package(PkgId id) const { return packages_[id]; }
  const Incompat& incompat(IncompatId id) const { return incompats_[id]; }
  const std::string& text(TextId id) const { return catalog_.text(id); }
  const Reason& reason(std::uint32_t id) const { return reasons_[id]; }
  const Missing& missing(std::uint32_t id) const { return missing_[id]; }
  // What version `v` of `pkg` depends on, as applied (root: the root requirements), once its
  // dependencies have been added (a decided version's have); null before.
  const std::vector<Dependency>* stated(PkgId pkg, std::size_t v) const {
    const Tried* t = tried(pkg, v);
    return t ? t->stated : nullptr;
  }
  // The package of a project that is one in this solve.
  PkgId package_of(const Project& project) const { return by_project_[project.id]; }
  const Catalog& catalog() const { return catalog_; }
  const Call& call() const { return call_; }

 private:
  enum class Rel : std::uint8_t { Satisfied, Contradicted, Almost, Inconclusive };

  // --- partial solution
  const VersionSet& acc(PkgId p) const;
  void derive(PkgId p, IncompatId cause);
  void decide(PkgId p, std::size_t v);
  void backtrack(std::uint32_t level);
  Rel relation(IncompatId id, std::size_t* unsatisfied) const;

  // --- algorithm
  void propagate(PkgId start);
  std::pair<PkgId, IncompatId> resolve_conflict(IncompatId id);
  IncompatId prior_cause(IncompatId incompat, IncompatId satisfier_cause, PkgId pkg);
  bool terminal(const Incompat& i) const;
  std::optional<PkgId> pick();  // preference.cpp
  void inform(PkgId decided);   // adds what a decided package states to info_
  void note_backtrack_causes(IncompatId learned);
  PkgId make_decision(PkgId p);
  std::optional<std::uint32_t> repin_level(const std::vector<IncompatId>& deps, PkgId p, std::size_t v) const;
  void check_deadline() const;

  // --- incompatibilities and packages
  IncompatId store(Incompat i);
  void watch(IncompatId id);
  IncompatId add(Incompat i) {
    IncompatId id = store(std::move(i));
    watch(id);
    return id;
  }
  void mark_contradicted(IncompatId id);
  PkgId ensure_package(Project& project);
  bool has_package(const Project& project) const {
    return project.id < by_project_.size() && by_project_[project.id] != kNone;
  }
  PkgId ensure_extra(PkgId base, const std::string& extra);
  const std::vector<IncompatId>* dependencies(PkgId p, std::size_t v);
  const Tried* tried(PkgId p, std::size_t v) const;
  IncompatId link(PkgId extra, std::size_t v);
  bool conflicts(IncompatId id, PkgId p, std::size_t v) const;
  void add_dependency(PkgId p, std::size_t v, Dependency& dep, Tried& added);
  void record_edges(const Dependency& dep, const std::vector<PkgId>& targets, std::vector<Edge>& edges);
  IncompatId add_unavailable(PkgId p, VersionSet versions, Reason reason);
  VersionSet single(PkgId p, std::size_t v) const;
  void prefetch_likely(PkgId p, const VersionSet& wanted);
  // The versions in `allowed` in the order the policy sees them, in offered_; offer_index_ maps them
  // back to version indexes. Then the policy's choice: a version index, or nullopt when it declines.
  std::optional<std::size_t> choose(PkgId p, const VersionSet& allowed);

  Catalog& catalog_;
  Call& call_;
  const Policy& policy_;

  std::vector<Package> packages_;
  std::vector<PkgId> by_project_;  // by Project::id, kNone when not (yet) a package
  std::vector<Incompat> incompats_;
  std::vector<std::uint32_t> contradicted_;     // level at which known contradicted, or kNone
  std::vector<IncompatId> contradicted_stack_;  // for undoing on backtrack, levels ascending
  std::vector<Reason> reasons_;
  std::vector<Missing> missing_;

  std::vector<Assignment> trail_;
  std::uint32_t level_ = 0;
  std::vector<PkgId> queue_;
  std::vector<PkgId> targets_;  // add_dependency's buffer
  // pick()'s view of the decided packages' requirements, by package: updated as decisions are made,
  // worked out again after one is undone.
  std::vector<Information> info_;
  bool info_stale_ = true;
  std::vector<const Candidate*> offered_;  // choose()'s buffers, kept to spare allocations
  std::vector<std::size_t> offer_index_;
  std::unordered_map<std::string, std::size_t> requested_order_;  // root requirements, first by name
  // Sets the fixed preference fields of a new package from its name.
  void set_preference_fields(Package& pkg) const;
  std::size_t steps_ = 0;
  std::size_t repins_ = 0;
};

// A term's versions (the positive form's), i.e. set minus "not selected" for a positive term and the
// complement for a negative one.
VersionSet term_versions(const Term& t);

}  // namespace thoth::resolve
