// The public Resolver: runs the solver (again from scratch when pip's merged-specifier rules change
// for a package already in use), and turns its decisions into a Resolution or a ResolutionError.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "resolve/report.hpp"
#include "resolve/solver.hpp"
#include "thoth/resolve.hpp"

namespace thoth {
namespace {

using resolve::kRoot;
using resolve::PkgId;
using resolve::Solver;

// "0.001", "2", "1500.25": seconds of a millisecond count, without an exponent or trailing zeros.
std::string seconds(std::chrono::milliseconds ms) {
  std::string out = std::to_string(ms.count() / 1000);
  if (long long frac = ms.count() % 1000; frac != 0) {
    std::string digits = std::to_string(1000 + frac).substr(1);  // three digits, leading zeros kept
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

Resolution build(const Solver& s, const Target& target) {
  std::map<std::string, Pin> pins;  // by normalised name: sorted output
  std::map<std::string, std::set<std::string>> via;
  std::map<std::string, std::set<std::string>> extras;
  std::map<std::string, std::vector<Requirement>> applied;

  for (PkgId p = 0; p < s.package_count(); ++p) {
    const resolve::Package& pkg = s.package(p);
    if (!pkg.decided) continue;
    const std::string& base = s.package(pkg.base).name;
    std::vector<const Requirement*> reqs = s.requirements(p, pkg.decision);
    for (std::size_t k = 0; k < reqs.size(); ++k) {
      const Requirement& r = *reqs[k];
      std::string dep = normalize_name(r.name);
      if (p == kRoot) {
        // The root requirements in order; their labels come from the caller.
        const auto& roots = s.call().roots;
        auto it = std::find_if(roots.begin(), roots.end(), [&](const RootRequirement& rr) { return &rr.requirement == &r; });
        if (it != roots.end() && !it->label.empty()) via[dep].insert(it->label);
        continue;
      }
      if (dep != base) via[dep].insert(base);
      auto& list = applied[base];
      if (std::find(list.begin(), list.end(), r) == list.end()) list.push_back(r);
    }
    if (p == kRoot) continue;
    if (p != pkg.base) {
      extras[base].insert(pkg.extra);
      continue;
    }
    const resolve::Project& project = *pkg.project;
    const Candidate& c = project.candidates[pkg.decision];
    const resolve::VersionFacts& f = project.facts[pkg.decision];
    Pin pin;
    pin.name = base;
    pin.display_name = f.display_name.empty() ? base : f.display_name;
    pin.version = c.version;
    for (std::uint32_t position : f.usable) pin.files.push_back(c.files[position]);
    if (project.direct && !c.files.empty()) pin.direct_url = c.files.front().url;
    pins.emplace(base, std::move(pin));
  }

  Resolution out;
  out.target = target;
  for (auto& [name, pin] : pins) {
    pin.extras.assign(extras[name].begin(), extras[name].end());
    pin.via.assign(via[name].begin(), via[name].end());
    pin.requires_dist = std::move(applied[name]);
    out.pins.push_back(std::move(pin));
  }
  return out;
}

}  // namespace

const Pin* Resolution::find(std::string_view normalized_name) const {
  auto it = std::lower_bound(pins.begin(), pins.end(), normalized_name,
                             [](const Pin& p, std::string_view n) { return p.name < n; });
  return it != pins.end() && it->name == normalized_name ? &*it : nullptr;
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
      Resolution out = build(solver, options_.target);
      out.warnings = call.notes();
      return out;
    } catch (const Solver::Restart&) {
      continue;  // a flag of the call's filter changed; it only ever changes once per project and rule
    } catch (const Solver::TimedOut&) {
      throw ResolutionError("resolution timed out after " + seconds(*options_.timeout) + " s", "", true);
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
