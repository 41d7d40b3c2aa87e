// The two callbacks of the advisor over one thoth::Resolver.
#include <memory>

#include "thoth/advise.hpp"

namespace thoth {

ResolverCallbacks resolver_callbacks(PackageSource& source, ResolveOptions options, std::vector<RootRequirement> roots,
                                     std::vector<Requirement> constraints) {
  struct Kept {
    Kept(PackageSource& s, ResolveOptions o, std::vector<RootRequirement> r, std::vector<Requirement> c)
        : resolver(s, std::move(o)), roots(std::move(r)), constraints(std::move(c)) {}
    Resolver resolver;
    std::vector<RootRequirement> roots;
    std::vector<Requirement> constraints;
  };
  auto kept = std::make_shared<Kept>(source, std::move(options), std::move(roots), std::move(constraints));
  ResolverCallbacks out;
  out.resolve = [kept](const Policy& policy) -> std::optional<Resolution> {
    return kept->resolver.resolve(kept->roots, kept->constraints, policy);
  };
  out.versions = [kept](std::string_view name) {
    std::vector<Version> versions;
    for (const Candidate* c : kept->resolver.acceptable_versions(name)) versions.push_back(c->version);
    return versions;
  };
  return out;
}

}  // namespace thoth
