// The public Resolver: runs the solver (again from scratch when pip's merged-specifier rules change
// for a package already in use), and turns its decisions into a Resolution or a ResolutionError.
#include <algorithm>
#include <string_view>

#include "resolve/report.hpp"
#include "resolve/solver.hpp"
#include "thoth/resolve.hpp"

namespace thoth {
namespace {

using resolve::kRoot;
using resolve::PkgId;
using resolve::Solver;

std::vector<std::string> sorted_unique(std::vector<std::string_view>& names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return {names.begin(), names.end()};
}

Resolution build(const Solver& s, const resolve::Catalog& catalog, const Target& target) {
  // By the PkgId of a project's own package.
  std::vector<std::vector<std::string_view>> via(s.package_count());
  std::vector<std::vector<std::string_view>> extras(s.package_count());
  std::vector<std::vector<const resolve::Dependency*>> applied(s.package_count());
  std::vector<PkgId> pinned;

  for (PkgId p = 0; p < s.package_count(); ++p) {
    const resolve::Package& pkg = s.package(p);
    if (!pkg.decided) continue;
    const std::vector<resolve::Dependency>& stated = *s.stated(p, pkg.decision);
    for (std::size_t k = 0; k < stated.size(); ++k) {
      PkgId dep = s.package_of(*stated[k].project);
      if (p == kRoot) {
        // pip-compile's "-r file" for a root requirement, from the caller.
        const std::string& label = *s.call().root_labels[k];
        if (!label.empty()) via[dep].push_back(label);
        continue;
      }
      if (dep != pkg.base) via[dep].push_back(s.package(pkg.base).name);
      // A requirement stated twice (by the project and an extra, or twice in the metadata) is listed
      // once; requirements on different projects never compare equal.
      const resolve::Dependency& d = stated[k];
      auto& list = applied[pkg.base];
      auto same = [&](const resolve::Dependency* x) { return x->name == d.name && *x->requirement == *d.requirement; };
      if (std::none_of(list.begin(), list.end(), same)) list.push_back(&d);
    }
    if (p == kRoot) continue;
    if (p != pkg.base) {
      extras[pkg.base].push_back(pkg.extra);
    } else {
      pinned.push_back(p);
    }
  }
  std::sort(pinned.begin(), pinned.end(), [&](PkgId a, PkgId b) { return s.package(a).name < s.package(b).name; });

  Resolution out;
  out.target = target;
  out.pins.reserve(pinned.size());
  for (PkgId p : pinned) {
    const resolve::Package& pkg = s.package(p);
    const resolve::Project& project = *pkg.project;
    const Candidate& c = project.candidates[pkg.decision];
    const std::unique_ptr<resolve::LoadedFacts>& read = project.facts[pkg.decision].loaded;
    Pin& pin = out.pins.emplace_back();
    pin.name = pkg.name;
    pin.display_name = read && !read->display_name.empty() ? read->display_name : pkg.name;
    pin.version = c.version;
    pin.extras = sorted_unique(extras[p]);
    const std::vector<std::uint32_t> usable = catalog.usable(project, pkg.decision);
    pin.files.reserve(usable.size());
    for (std::uint32_t position : usable) pin.files.push_back(c.files[position]);
    pin.via = sorted_unique(via[p]);
    pin.requires_dist.reserve(applied[p].size());
    for (const resolve::Dependency* d : applied[p]) pin.requires_dist.push_back(*d->requirement);
    if (project.direct && !c.files.empty()) pin.direct_url = c.files.front().url;
  }
  return out;
}

}  // namespace

const Pin* Resolution::find(std::string_view normalized_name) const {
  auto it = std::lower_bound(pins.begin(), pins.end(), normalized_name,
                             [](const Pin& p, std::string_view n) { return p.name < n; });
  return it != pins.end() && it->name == normalized_name ? &*it : nullptr;
}

ResolutionError ResolutionError::timeout(std::chrono::milliseconds limit) {
  // "0.001", "2", "1500.25": seconds of a millisecond count, without an exponent or trailing zeros.
  std::string seconds = std::to_string(limit.count() / 1000);
  if (long long frac = limit.count() % 1000; frac != 0) {
    std::string digits = std::to_string(1000 + frac).substr(1);  // three digits, leading zeros kept
    while (digits.back() == '0') digits.pop_back();
    seconds += "." + digits;
  }
  return ResolutionError("resolution timed out after " + seconds + " s", "", true);
}

Resolver::Resolver(PackageSource& source, const Policy& policy, ResolveOptions options)
    : source_(source), policy_(policy), options_(std::move(options)),
      catalog_(std::make_unique<resolve::Catalog>(source_, options_)) {}

Resolver::Resolver(PackageSource& source, ResolveOptions options) : Resolver(source, latest_, std::move(options)) {}

Resolver::~Resolver() = default;

Resolution Resolver::resolve(const std::vector<Requirement>& roots, const std::vector<Requirement>& constraints) {
  std::vector<RootRequirement> labelled;
  labelled.reserve(roots.size());
  for (const Requirement& r : roots) labelled.push_back({r, ""});
  return resolve(labelled, constraints);
}

Resolution Resolver::resolve(const std::vector<RootRequirement>& roots, const std::vector<Requirement>& constraints) {
  return resolve(roots, constraints, policy_);
}

Resolution Resolver::resolve(const std::vector<RootRequirement>& roots, const std::vector<Requirement>& constraints,
                             const Policy& policy) {
  resolve::Call call(roots, constraints, policy, options_);
  for (;;) {
    Solver solver(*catalog_, call);
    try {
      solver.run();
      Resolution out = build(solver, *catalog_, options_.target);
      out.warnings = call.notes();
      return out;
    } catch (const Solver::Restart&) {
      continue;  // a flag of the call's filter changed; it only ever changes once per project and rule
    } catch (const Solver::TimedOut&) {
      throw ResolutionError::timeout(*options_.timeout);
    } catch (const Solver::TooManyCandidates&) {
      throw ResolutionError("resolution gave up after considering " + std::to_string(options_.max_candidates) +
                                " candidate versions without finding a solution: pin or constrain the projects "
                                "it backtracks over, so that fewer versions need trying, or allow more with "
                                "--max-candidates",
                            "");
    } catch (const Solver::NoSolution& e) {
      std::string explanation = options_.explain ? resolve::explain(solver, e.incompat) : std::string();
      throw ResolutionError(resolve::summarize(solver, e.incompat), std::move(explanation));
    }
  }
}

std::vector<const Candidate*> Resolver::acceptable_versions(std::string_view name) {
  return catalog_->acceptable(catalog_->project(normalize_name(name)));
}

}  // namespace thoth
