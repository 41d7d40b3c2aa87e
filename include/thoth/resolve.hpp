// The exact resolver: given root requirements, constraints and a target environment, finds one version
// of every needed project such that all requirements hold (PubGrub-style conflict-driven search), or
// explains why none exists. A Policy forbids versions and orders a project's acceptable versions, so
// the advisor can steer the search without knowing its internals; one Resolver can be re-run with a
// different policy per call, keeping what it learnt about the projects.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/index.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"
#include "thoth/target.hpp"

namespace thoth {

// Thrown when the requirements cannot be satisfied. what() is the one-line summary; explanation() is
// the multi-line derivation a person can act on ("Because a 2.0 depends on b<2 and ..."), empty when
// ResolveOptions::explain is off or the resolution timed out.
class ResolutionError : public Error {
 public:
  ResolutionError(std::string summary, std::string explanation, bool timed_out = false)
      : Error(std::move(summary)), explanation_(std::move(explanation)), timed_out_(timed_out) {}
  // "resolution timed out after LIMIT s", timed_out().
  static ResolutionError timeout(std::chrono::milliseconds limit);
  const std::string& explanation() const { return explanation_; }
  // The ResolveOptions::timeout ran out: not a proof that no solution exists.
  bool timed_out() const { return timed_out_; }

 private:
  std::string explanation_;
  bool timed_out_ = false;
};

// How the advisor (or any caller) steers the resolver without knowing its internals. A policy does two
// things, and only these: it forbids versions, and it orders the acceptable versions of the project
// being decided. The resolver asks it:
//
//   forbids(name, version)   once per version of a project, when a resolution first needs the project
//                            (again if the resolution restarts internally). A forbidden version is
//                            never selected; a failure explanation names it ("foo 2.0 is forbidden by
//                            the policy"). Use it to veto versions, or to pin a project (forbid all its
//                            other versions). Forbidden versions still count as releases for pip's
//                            pre-release rule (pre-releases are used only when no final release
//                            exists): forbidding every final release does not admit pre-releases.
//   choose(name, versions)   each time it decides a project: `versions` are the candidates that satisfy
//                            every constraint derived so far, newest first (with --prefer-binary, those
//                            with a usable wheel before the others), none of them forbidden. The
//                            answer is the version to try next. If that choice later proves impossible
//                            the resolver learns why and asks again with the remaining versions, so
//                            returning them in a preferred order (prefer a known-good version, the
//                            oldest, the one already installed, ...) only changes which valid resolution
//                            is found, never its validity. Returning versions.size() declines them all:
//                            they are then treated as forbidden for the rest of this resolution.
//
// `name` is the normalised project name (for an extra, the project's own name). Both methods must be
// deterministic for a deterministic result. Which project to decide next is never the policy's choice:
// the resolver follows pip's order (direct URLs, then == pins, then causes of the last conflict, then
// nearest the root, then the order of the root requirements, then by name; see
// src/resolve/preference.cpp), so the latest policy gives pip's pins wherever pip does not backtrack.
class Policy {
 public:
  virtual ~Policy() = default;

  virtual bool forbids(std::string_view /*name*/, const Version& /*version*/) const { return false; }

  virtual std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const = 0;
};

// Newest acceptable version wins (pip's and uv's default).
class LatestPolicy : public Policy {
 public:
  std::size_t choose(std::string_view, const std::vector<const Candidate*>&) const override { return 0; }
};

struct ResolveOptions {
  Target target;
  BinaryPolicy binary;
  bool allow_prereleases = false;  // pip's --pre
  std::optional<std::chrono::milliseconds> timeout;  // wall clock; ResolutionError when exceeded
  // Candidates for direct URL requirements (`name @ url`), built by the caller (e.g. from a wheel file
  // name); the source is still asked for their metadata. A requirement `name @ url` selects the
  // candidate of that name having a file whose url equals `url` (both compared without "#fragment").
  // A project with direct candidates is not looked up on the indexes: version requirements on it are
  // matched against these candidates only.
  std::vector<Candidate> direct;
  // Whether a failure's ResolutionError carries its explanation. Off, a failure costs no more than
  // finding it (explanation() is empty; what() is the same summary): for callers that only need to
  // know whether a resolution exists, such as the advisor rejecting a move.
  bool explain = true;
  // pip's --no-deps: only the root requirements are resolved; the dependencies of what they select
  // (extras' included) are not followed. Their Requires-Python and metadata still count.
  bool ignore_dependencies = false;
  // The most candidates (versions of projects) one resolve() may consider before it gives up with a
  // ResolutionError, whatever the time it took: a bound on the work (and the metadata fetched) that a
  // hostile or pathological index can cause. pip's resolver gives up after 200,000 rounds. 0: no bound.
  // The command line sets it with --max-candidates.
  std::size_t max_candidates = 200'000;
};

// A root requirement and how the `via` of its pin names it (pip-compile's "-r requirements.in");
// an empty label adds nothing to `via`.
struct RootRequirement {
  Requirement requirement;
  std::string label;
};

// One pinned project of a resolution.
struct Pin {
  std::string name;  // normalised
  std::string display_name;  // as the metadata spells it
  Version version;
  std::vector<std::string> extras;       // extras requested of it, normalised, sorted
  std::vector<DistFile> files;           // usable files for the target, best first
  std::vector<std::string> via;          // normalised names of dependents, sorted; "-r file" roots as given
  std::vector<Requirement> requires_dist;  // its dependencies as applicable to the target
  std::string direct_url;  // set when pinned to a direct URL requirement (`name @ url`)
};

struct Resolution {
  std::vector<Pin> pins;  // sorted by name
  Target target;
  // For the user, beyond the pins: versions passed over because their sdist needs a build.
  std::vector<std::string> warnings;

  const Pin* find(std::string_view normalized_name) const;
};

namespace resolve {
class Catalog;
}

// Resolves requirements against one source for one target. A Resolver can be called many times (the
// advisor re-runs it with one changed preference per move), and each call's result is the one a new
// Resolver with the same source, options and policy would give.
//
// Kept between calls, because it depends on neither the requirements nor the policy: each project's
// candidates, which of its files are usable on the target and why a version cannot be used there
// (tags, --only-binary / --no-binary, data-requires-python), its metadata once read, and its
// dependencies with their markers evaluated for the target and the versions they match. So the
// source must not change between calls (its candidate lists are read in place); a changed index needs
// a new Resolver. Not kept: the policy's forbids and choices, pip's rules over the specifiers of the
// requirements seen (pre-releases, yanked pins), the warnings, the search itself.
//
// Not thread-safe: one call at a time.
class Resolver {
 public:
  // Resolutions use `policy` unless a call names another; it must outlive the Resolver.
  Resolver(PackageSource& source, const Policy& policy, ResolveOptions options);
  // Resolutions use the latest policy unless a call names another.
  Resolver(PackageSource& source, ResolveOptions options);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Throws ResolutionError when unsatisfiable or out of time, IndexError when the source fails.
  // Constraints (pip's -c) restrict the versions of a project that is needed; they never add one.
  Resolution resolve(const std::vector<RootRequirement>& roots, const std::vector<Requirement>& constraints);
  // The same with unlabelled roots.
  Resolution resolve(const std::vector<Requirement>& roots, const std::vector<Requirement>& constraints);
  // The same with `policy` for this call only.
  Resolution resolve(const std::vector<RootRequirement>& roots, const std::vector<Requirement>& constraints,
                     const Policy& policy);

  // The versions of a project the resolver may choose on the target whatever the policy, newest first:
  // those with a usable file (tags, --only-binary / --no-binary, data-requires-python), not yanked,
  // and pre-releases only with allow_prereleases or when the project has no final release. For a
  // project with direct URL candidates, those candidates. The first is "the newest acceptable
  // version". A requirement can admit more (an == pin of a yanked version, a specifier naming a
  // pre-release), and a version's metadata can still rule it out (its Requires-Python, an sdist that
  // needs a build): only a resolution tells. `name` in any spelling; fetched on first use like any
  // project (IndexError propagates; an unknown project has none). The candidates stay valid as long
  // as the Resolver and the source.
  std::vector<const Candidate*> acceptable_versions(std::string_view name);

 private:
  LatestPolicy latest_;
  PackageSource& source_;
  const Policy& policy_;
  ResolveOptions options_;
  // What the calls learnt about each project (see above); thoth lock leaves it to the OS with the
  // resolver rather than freeing it before it exits.
  std::unique_ptr<resolve::Catalog> catalog_;
};

}  // namespace thoth
