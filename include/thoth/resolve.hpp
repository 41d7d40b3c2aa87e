// The exact resolver: given root requirements, constraints and a target environment, finds one version
// of every needed project such that all requirements hold (PubGrub-style conflict-driven search), or
// explains why none exists. Which versions to prefer is delegated to a Policy, so the advisor can steer
// the search without knowing its internals.
#pragma once

#include <chrono>
#include <cstddef>
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
// the multi-line derivation a person can act on ("Because a 2.0 depends on b<2 and ...").
class ResolutionError : public Error {
 public:
  ResolutionError(std::string summary, std::string explanation)
      : Error(std::move(summary)), explanation_(std::move(explanation)) {}
  const std::string& explanation() const { return explanation_; }

 private:
  std::string explanation_;
};

// Chooses among acceptable versions. The resolver calls it only with versions that already satisfy every
// derived constraint, so any answer leads to a correct (if different) resolution.
class Policy {
 public:
  virtual ~Policy() = default;

  // Versions of `name` the policy refuses outright (e.g. vetoed by a knowledge base). Default: none.
  virtual bool forbids(std::string_view /*name*/, const Version& /*version*/) const { return false; }

  // Index into `versions` (newest first, already filtered) of the version to try next; versions.size()
  // means "none of these" (the resolver then treats the package as unsatisfiable here).
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
  std::optional<std::chrono::milliseconds> timeout;
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
};

struct Resolution {
  std::vector<Pin> pins;  // sorted by name
  Target target;

  const Pin* find(std::string_view normalized_name) const;
};

class Resolver {
 public:
  Resolver(PackageSource& source, const Policy& policy, ResolveOptions options);

  // Throws ResolutionError when unsatisfiable, IndexError when the source fails.
  Resolution resolve(const std::vector<Requirement>& roots, const std::vector<Requirement>& constraints);

 private:
  PackageSource& source_;
  const Policy& policy_;
  ResolveOptions options_;
};

}  // namespace thoth
