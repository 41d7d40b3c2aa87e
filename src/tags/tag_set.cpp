// Ranking of tags by an interpreter's preference order.
#include "thoth/tags.hpp"

namespace thoth {

TagSet::TagSet(std::vector<Tag> ordered) : tags_(std::move(ordered)) {
  rank_.reserve(tags_.size());
  // try_emplace keeps the first (best) position of a tag that appears twice.
  for (std::size_t i = 0; i < tags_.size(); ++i) rank_.try_emplace(tags_[i], i);
}

std::optional<std::size_t> TagSet::rank(const Tag& tag) const {
  auto it = rank_.find(tag);
  if (it == rank_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> TagSet::best_rank(const WheelName& wheel) const {
  std::optional<std::size_t> best;
  for (const Tag& tag : wheel.tags) {
    std::optional<std::size_t> r = rank(tag);
    if (r && (!best || *r < *best)) best = r;
  }
  return best;
}

}  // namespace thoth
