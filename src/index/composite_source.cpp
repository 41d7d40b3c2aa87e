#include "index/sources.hpp"

namespace thoth::idx {

CompositeSource::CompositeSource(std::vector<std::unique_ptr<ListingSource>> indexes,
                                 std::vector<std::unique_ptr<ListingSource>> find_links, IndexStrategy strategy,
                                 std::map<std::string, std::size_t> restricted)
    : index_count_(indexes.size()), strategy_(strategy), restricted_(std::move(restricted)) {
  for (auto& s : indexes) sources_.push_back(std::move(s));
  for (auto& s : find_links) sources_.push_back(std::move(s));
}

const std::vector<Candidate>& CompositeSource::candidates(std::string_view name) {
  std::string norm = normalize_name(name);
  if (auto it = merged_.find(norm); it != merged_.end()) return it->second;
  static const std::vector<Candidate> kNone;
  if (auto it = restricted_.find(norm); it != restricted_.end()) {
    // pipenv's `index = "name"`: that index alone, whatever the others offer.
    if (it->second >= index_count_) return kNone;
    return sources_[it->second]->listing(norm).candidates;
  }
  // Every location is asked at once, so the pages of all indexes arrive in one round trip even when
  // the first index will win.
  for (auto& s : sources_) s->prefetch_candidates(norm);

  std::vector<const ListingSource::Listing*> used;
  for (std::size_t i = 0; i < index_count_; ++i) {
    const ListingSource::Listing& listing = sources_[i]->listing(norm);
    used.push_back(&listing);
    // Dependency confusion guard: with the default strategy the first index that knows the project
    // is the only one asked (uv's "first-index"); pip's behaviour, merging all, must be asked for.
    if (listing.found && strategy_ == IndexStrategy::first_index) break;
  }
  // Find-links locations are always merged in, whatever the strategy (pip, uv).
  for (std::size_t i = index_count_; i < sources_.size(); ++i) used.push_back(&sources_[i]->listing(norm));

  std::erase_if(used, [](const ListingSource::Listing* l) { return l->candidates.empty(); });
  // One location with files: its candidates are already grouped and ordered.
  if (used.empty()) return kNone;
  if (used.size() == 1) return used.front()->candidates;
  std::vector<DistFile> files;
  for (const ListingSource::Listing* l : used)
    for (const Candidate& c : l->candidates) files.insert(files.end(), c.files.begin(), c.files.end());
  return merged_.emplace(norm, group_candidates(norm, std::move(files))).first->second;
}

ListingSource& CompositeSource::owner(const DistFile& file) {
  if (file.index_position >= sources_.size()) {
    throw IndexError(file.filename + ": no source at position " + std::to_string(file.index_position));
  }
  return *sources_[file.index_position];
}

std::shared_ptr<const CoreMetadata> CompositeSource::metadata(const Candidate& candidate, const DistFile& file) {
  return owner(file).metadata(candidate, file);
}

void CompositeSource::prefetch_candidates(std::string_view name) {
  std::string norm = normalize_name(name);
  if (auto it = restricted_.find(norm); it != restricted_.end()) {
    if (it->second < index_count_) sources_[it->second]->prefetch_candidates(norm);
    return;
  }
  for (auto& s : sources_) s->prefetch_candidates(norm);
}

void CompositeSource::prefetch_metadata(const Candidate& candidate, const DistFile& file) {
  if (file.index_position < sources_.size()) sources_[file.index_position]->prefetch_metadata(candidate, file);
}

std::vector<std::string> CompositeSource::take_warnings() {
  std::vector<std::string> out;
  for (auto& s : sources_)
    for (auto& w : s->take_warnings()) out.push_back(std::move(w));
  return out;
}

}  // namespace thoth::idx
