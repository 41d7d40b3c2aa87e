// BuildingSource: the indexes' metadata, and what a build tells of the sdists whose PKG-INFO does not.
#include "session/building_source.hpp"

namespace thoth::session_detail {

std::shared_ptr<const CoreMetadata> BuildingSource::metadata(const Candidate& candidate, const DistFile& file) {
  if (auto it = built_.find(file.url); it != built_.end()) {
    if (it->second.metadata) return it->second.metadata;
    throw NeedsBuildError(it->second.failure, true);
  }
  try {
    return inner_->metadata(candidate, file);
  } catch (const NeedsBuildError& e) {
    if (e.build_failed()) throw;
    std::shared_ptr<const CoreMetadata> built;
    try {
      built = builder_(candidate, file, e);
    } catch (const NeedsBuildError& failed) {
      built_.insert_or_assign(file.url, Built{nullptr, failed.what()});
      throw;
    }
    if (!built) throw;
    built_.insert_or_assign(file.url, Built{built, {}});
    return built;
  }
}

}  // namespace thoth::session_detail
