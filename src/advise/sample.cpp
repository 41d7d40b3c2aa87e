// Dependency Monkey: distinct resolutions drawn across the space by shuffled preferences.
#include <set>

#include "advise/policies.hpp"
#include "advise/search.hpp"
#include "thoth/advise.hpp"

namespace thoth {

Sample sample(const ResolveFn& resolve, const SampleOptions& options) {
  Sample out;
  const std::size_t attempts = options.attempts ? options.attempts : 10 * options.count + 10;
  std::set<std::vector<std::pair<std::string, std::string>>> seen;
  while (out.resolutions.size() < options.count && out.attempts < attempts) {
    advisor::ShufflePolicy policy(options.seed, out.attempts++);
    std::optional<Resolution> r = advisor::resolve_or_nullopt(resolve, policy);
    if (!r) {
      ++out.infeasible;
      continue;
    }
    std::vector<std::pair<std::string, std::string>> key;
    for (const Pin& p : r->pins) key.emplace_back(p.name, p.version.str());
    if (seen.insert(std::move(key)).second) out.resolutions.push_back(std::move(*r));
  }
  return out;
}

}  // namespace thoth
