// thoth kb observe: the outcome of testing one stack, recorded as a fact about that exact combination.
#include <algorithm>

#include "thoth/knowledge_base.hpp"

namespace thoth {

Fact observe(const std::vector<PinnedVersion>& pins, Outcome outcome, std::string message, const Target* target) {
  if (pins.empty()) throw AdviseError("an observation needs at least one pinned package");
  std::vector<PinnedVersion> sorted = pins;
  for (PinnedVersion& p : sorted) p.name = normalize_name(p.name);
  std::sort(sorted.begin(), sorted.end(), [](const PinnedVersion& a, const PinnedVersion& b) { return a.name < b.name; });
  Fact f;
  f.package = sorted.front().name;
  f.name = f.package;
  f.versions.add(Specifier::make(Specifier::Op::Equal, sorted.front().version));
  for (std::size_t i = 1; i < sorted.size(); ++i)
    f.with.push_back(Requirement::parse(sorted[i].name + "==" + sorted[i].version.str()));
  if (target) {
    // Only on the environment it was tested on (PEP 508 marker variables).
    const MarkerEnv& env = target->markers;
    f.marker = Marker::parse("python_version == '" + env.get(MarkerVar::PythonVersion) + "' and sys_platform == '" +
                             env.get(MarkerVar::SysPlatform) + "' and platform_machine == '" +
                             env.get(MarkerVar::PlatformMachine) + "'");
  }
  const bool failed = outcome == Outcome::Fail;
  f.kind = failed ? FactKind::Broken : FactKind::Other;
  f.score = failed ? kObservedFailureScore : kObservedPassScore;
  f.veto = failed;
  f.message = message.empty() ? (failed ? "stack tested: fail" : "stack tested: pass") : std::move(message);
  return f;
}

}  // namespace thoth
