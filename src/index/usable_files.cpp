// Which files of a release a target can use, best first, as pip's LinkEvaluator filters links and its
// CandidateEvaluator._sort_key orders the files of one version.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "thoth/index.hpp"

namespace thoth {
namespace {

// A project's releases nearly all repeat a handful of Requires-Python values, and a resolution looks
// at every release of every project: remember the last few answers instead of parsing again.
bool python_allowed_cached(std::string_view requires_python, const Version& python) {
  if (requires_python.empty()) return true;
  struct Answer {
    std::string requires_python;
    Version python;
    bool allowed;
  };
  constexpr std::size_t kKept = 16;
  thread_local std::vector<Answer> answers;
  thread_local std::size_t next = 0;
  for (const Answer& a : answers) {
    // Same release tuple too: 3.11 and 3.11.0 are equal versions but "===" tells them apart.
    if (a.requires_python == requires_python && a.python == python && std::ranges::equal(a.python.release(), python.release()))
      return a.allowed;
  }
  Answer fresh{std::string(requires_python), python, python_matches(requires_python, python)};
  const bool allowed = fresh.allowed;
  if (answers.size() < kKept) {
    answers.push_back(std::move(fresh));
  } else {
    answers[next] = std::move(fresh);
    next = (next + 1) % kKept;
  }
  return allowed;
}

// Ranking a wheel hashes each of its tags (three strings) into the target's table of a thousand tags,
// and a resolution ranks every file of every release of every project. The files of a listing read
// from its digest name their tags by id (FileTraits::tag_set_id: the page, then the set's position in
// the page's table of distinct tag sets): rank each set of the page once. Other files: a project's
// releases list the same tag sets in the same order, file after file, so remember per file position
// the tags last ranked there and their rank, and compare before hashing.
class RankMemo {
 public:
  std::optional<std::size_t> best_rank(const TagSet& set, std::size_t position, const std::vector<Tag>& tags,
                                       std::uint64_t id) {
    if (!set_.same_set_as(set)) {
      set_ = set;  // a copy keeps the set alive, so same_set_as cannot mistake a new set for it
      slots_.clear();
      page_ = 0;
    }
    if (id != 0) return by_id(set, tags, id);
    if (position >= kPositions) return set.best_rank(tags);
    if (position >= slots_.size()) slots_.resize(position + 1);
    Slot& slot = slots_[position];
    if (slot.tags != tags) {  // an unused slot's empty list never matches: wheels have tags
      slot.tags = tags;
      slot.rank = set.best_rank(tags);
    }
    return slot.rank;
  }

 private:
  std::optional<std::size_t> by_id(const TagSet& set, const std::vector<Tag>& tags, std::uint64_t id) {
    const std::uint64_t page = id >> kSetBits;
    const std::size_t index = static_cast<std::size_t>(id & ((std::uint64_t{1} << kSetBits) - 1));
    if (page != page_) {
      page_ = page;
      by_set_.clear();
    }
    if (index >= by_set_.size()) by_set_.resize(index + 1, kUnranked);
    std::int64_t& known = by_set_[index];
    if (known == kUnranked) {
      std::optional<std::size_t> rank = set.best_rank(tags);
      known = rank ? static_cast<std::int64_t>(*rank) : kNoRank;
    }
    if (known == kNoRank) return std::nullopt;
    return static_cast<std::size_t>(known);
  }

  static constexpr std::size_t kPositions = 64;
  static constexpr int kSetBits = FileTraits::kIdPositionBits;
  static constexpr std::int64_t kUnranked = -2, kNoRank = -1;
  std::uint64_t page_ = 0;
  std::vector<std::int64_t> by_set_;  // rank of each tag set of page_, by position + 1 in its table
  struct Slot {
    std::vector<Tag> tags;
    std::optional<std::size_t> rank;
  };
  TagSet set_;
  std::vector<Slot> slots_;
};

thread_local RankMemo rank_memo;

// Better tag first; for equal tags pip prefers the higher build tag (PEP 427: "acts as a
// tie-breaker"), compared as (number, rest), and a wheel with a build tag over one without.
bool better(const FileChooser::Ranked& a, const FileChooser::Ranked& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  if (a.has_build != b.has_build) return a.has_build;
  if (a.build_number != b.build_number) return a.build_number > b.build_number;
  return a.build_suffix > b.build_suffix;
}

}  // namespace

Version requires_python_version(const Target& target) {
  const auto& full = target.markers.version(MarkerVar::PythonFullVersion);
  if (!full) return target.python_version;
  std::string release;
  for (std::size_t i = 0; i < full->release().size() && i < 3; ++i)
    release += (i ? "." : "") + std::to_string(full->release()[i]);
  return release.empty() ? target.python_version : Version::parse(release);
}

bool python_matches(std::string_view requires_python, const Version& python) {
  if (requires_python.empty()) return true;
  try {
    return SpecifierSet::parse(requires_python).contains(python, /*prereleases=*/true);
  } catch (const VersionError&) {
    return true;
  }
}

FileChooser::FileChooser(std::string_view project, const Target& target, const BinaryPolicy& policy)
    : target_(target),
      python_(requires_python_version(target)),
      wheels_(policy.wheels_allowed(project)),
      sdists_(policy.sdists_allowed(project)) {}

bool FileChooser::python_allowed(std::string_view requires_python, std::uint64_t id) {
  if (id != 0 && id == last_requires_id_) return last_allowed_;
  if (!last_requires_ || *last_requires_ != requires_python) {
    last_requires_ = std::string(requires_python);
    last_allowed_ = python_allowed_cached(requires_python, python_);
  }
  last_requires_id_ = id;
  return last_allowed_;
}

std::optional<std::size_t> FileChooser::rank(std::uint32_t position, const std::vector<Tag>& tags,
                                             std::uint64_t tag_set_id) {
  return rank_memo.best_rank(target_.tags, position, tags, tag_set_id);
}

std::optional<FileChooser::Ranked> FileChooser::ranked(const FileTraits& f, std::uint32_t position) {
  if (!python_allowed(f.requires_python, f.requires_python_id)) return std::nullopt;
  if (f.kind == DistFile::Kind::Wheel) {
    if (!wheels_ || !f.tags) return std::nullopt;
    auto rank = this->rank(position, *f.tags, f.tag_set_id);
    if (!rank) return std::nullopt;  // PEP 425: no supported tag
    return Ranked{position, *rank, f.build_number, f.build_suffix, f.has_build};
  }
  if (!sdists_) return std::nullopt;
  return Ranked{position, SIZE_MAX, 0, {}, false};
}

std::vector<std::uint32_t> FileChooser::usable(const std::vector<FileTraits>& files) {
  thread_local std::vector<Ranked> order;
  order.clear();
  for (std::uint32_t position = 0; position < files.size(); ++position) {
    if (auto r = ranked(files[position], position)) order.push_back(*r);
  }
  // A release has a few files: a stable insertion sort, without std::stable_sort's buffer.
  for (std::size_t i = 1; i < order.size(); ++i) {
    Ranked r = order[i];
    std::size_t j = i;
    for (; j > 0 && better(r, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = r;
  }
  std::vector<std::uint32_t> out;
  out.reserve(order.size());
  for (const auto& r : order) out.push_back(r.position);
  return out;
}

std::optional<std::uint32_t> FileChooser::best(const std::vector<FileTraits>& files) {
  // usable().front() without building and sorting the list: the first of the strictly better ones
  // (the sort is stable).
  std::optional<Ranked> top;
  for (std::uint32_t position = 0; position < files.size(); ++position) {
    std::optional<Ranked> r = ranked(files[position], position);
    if (r && (!top || better(*r, *top))) top = r;
  }
  if (!top) return std::nullopt;
  return top->position;
}

std::vector<const DistFile*> usable_files(const Candidate& candidate, const Target& target,
                                          const BinaryPolicy& policy) {
  std::vector<FileTraits> traits;
  candidate.files.traits(traits);
  std::vector<const DistFile*> out;
  for (std::uint32_t position : FileChooser(candidate.name, target, policy).usable(traits))
    out.push_back(&candidate.files[position]);
  return out;
}

}  // namespace thoth
