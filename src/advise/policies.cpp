#include "advise/policies.hpp"

#include <algorithm>

#include "advise/random.hpp"

namespace thoth::advisor {

std::vector<Choice> choices_of(const Resolution& stack) {
  std::vector<Choice> out;
  out.reserve(stack.pins.size());
  for (const Pin& p : stack.pins) out.push_back({p.name, p.version});
  return out;
}

bool StackPolicy::forbids(std::string_view name, const Version& version) const {
  if (pinned_ && pinned_->name == name && pinned_->version != version) return true;
  return sieved_ && scorer_.forbids(name, version);
}

std::size_t StackPolicy::choose(std::string_view name, const std::vector<const Candidate*>& versions) const {
  if (prefer_) {
    auto it = std::lower_bound(prefer_->begin(), prefer_->end(), name,
                               [](const Choice& c, std::string_view n) { return c.name < n; });
    if (it != prefer_->end() && it->name == name) {
      for (std::size_t i = 0; i < versions.size(); ++i) {
        if (versions[i]->version == it->version) return i;
      }
    }
  }
  if (greedy_ && scorer_.knows(name)) {
    std::size_t best = 0;
    StackScore best_score;
    for (std::size_t i = 0; i < versions.size(); ++i) {
      StackScore s = scorer_.step_score(name, versions[i]->version);
      if (i == 0 || better(s, best_score)) {
        best = i;
        best_score = s;
      }
    }
    return best;
  }
  if (!sieved_) {
    for (std::size_t i = 0; i < versions.size(); ++i) {
      if (!scorer_.forbids(name, versions[i]->version)) return i;
    }
  }
  return 0;
}

std::size_t ShufflePolicy::choose(std::string_view name, const std::vector<const Candidate*>& versions) const {
  const std::uint64_t base = hash_text(name, mix64(seed_ ^ mix64(draw_)));
  std::size_t best = 0;
  std::uint64_t best_key = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const std::uint64_t key = mix64(hash_text(versions[i]->version.str(), base));
    if (i == 0 || key < best_key) {
      best = i;
      best_key = key;
    }
  }
  return best;
}

}  // namespace thoth::advisor
