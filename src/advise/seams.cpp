// The two callbacks of the advisor built from thoth::Resolver and a PackageSource.
#include <map>
#include <memory>

#include "thoth/advise.hpp"

namespace thoth {

ResolveFn resolver_fn(PackageSource& source, ResolveOptions options, std::vector<RootRequirement> roots,
                      std::vector<Requirement> constraints) {
  auto shared = std::make_shared<const std::tuple<ResolveOptions, std::vector<RootRequirement>, std::vector<Requirement>>>(
      std::move(options), std::move(roots), std::move(constraints));
  return [&source, shared](const Policy& policy) -> std::optional<Resolution> {
    const auto& [opts, root_reqs, constraint_reqs] = *shared;
    Resolver resolver(source, policy, opts);
    return resolver.resolve(root_reqs, constraint_reqs);
  };
}

VersionsFn source_versions(PackageSource& source, const ResolveOptions& options) {
  auto cache = std::make_shared<std::map<std::string, std::vector<Version>, std::less<>>>();
  auto shared = std::make_shared<const ResolveOptions>(options);
  return [&source, cache, shared](std::string_view name) -> std::vector<Version> {
    if (auto it = cache->find(name); it != cache->end()) return it->second;
    const ResolveOptions& o = *shared;
    std::vector<Version> out;
    for (const Candidate& c : source.candidates(name)) {
      // PEP 440 "Handling of pre-releases": only when asked for; PEP 592: yanked versions are for
      // == pins only.
      if (c.version.is_prerelease() && !o.allow_prereleases) continue;
      if (c.yanked() || usable_files(c, o.target, o.binary).empty()) continue;
      out.push_back(c.version);
    }
    cache->emplace(std::string(name), out);
    return out;
  };
}

}  // namespace thoth
