// Ranking of tags by an interpreter's preference order.
#include "thoth/tags.hpp"

namespace thoth {

TagSet::TagSet(std::vector<Tag> ordered) {
  auto table = std::make_shared<Table>();
  table->tags = std::move(ordered);
  table->rank.reserve(table->tags.size());
  // try_emplace keeps the first (best) position of a tag that appears twice.
  for (std::size_t i = 0; i < table->tags.size(); ++i) table->rank.try_emplace(table->tags[i], i);
  table_ = std::move(table);
}

const std::vector<Tag>& TagSet::tags() const {
  static const std::vector<Tag> kNone;
  return table_ ? table_->tags : kNone;
}

std::optional<std::size_t> TagSet::rank(const Tag& tag) const {
  if (!table_) return std::nullopt;
  auto it = table_->rank.find(tag);
  if (it == table_->rank.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> TagSet::best_rank(const WheelName& wheel) const { return best_rank(wheel.tags); }

std::optional<std::size_t> TagSet::best_rank(const std::vector<Tag>& tags) const {
  std::optional<std::size_t> best;
  for (const Tag& tag : tags) {
    std::optional<std::size_t> r = rank(tag);
    if (r && (!best || *r < *best)) best = r;
  }
  return best;
}

}  // namespace thoth
