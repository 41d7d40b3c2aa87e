// The advisor's two callbacks over a thoth::Resolver kept across calls.
#include <memory>

#include "thoth/advise.hpp"

namespace thoth {

ResolverCallbacks resolver_callbacks(Resolver& resolver, std::vector<RootRequirement> roots,
                                     std::vector<Requirement> constraints, std::shared_ptr<void> keep_alive) {
  struct Inputs {
    std::vector<RootRequirement> roots;
    std::vector<Requirement> constraints;
    std::shared_ptr<void> keep_alive;
  };
  auto inputs = std::make_shared<Inputs>(Inputs{std::move(roots), std::move(constraints), std::move(keep_alive)});
  ResolverCallbacks out;
  out.resolve = [&resolver, inputs](const Policy& policy) -> std::optional<Resolution> {
    return resolver.resolve(inputs->roots, inputs->constraints, policy);
  };
  out.versions = [&resolver, inputs](std::string_view name) {
    std::vector<Version> versions;
    for (const Candidate* c : resolver.acceptable_versions(name)) versions.push_back(c->version);
    return versions;
  };
  return out;
}

ResolverCallbacks resolver_callbacks(PackageSource& source, ResolveOptions options, std::vector<RootRequirement> roots,
                                     std::vector<Requirement> constraints) {
  auto resolver = std::make_shared<Resolver>(source, std::move(options));
  Resolver& r = *resolver;
  return resolver_callbacks(r, std::move(roots), std::move(constraints), std::move(resolver));
}

}  // namespace thoth
