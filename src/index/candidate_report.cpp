// The library side of `thoth debug candidates NAME`: what the sources offer, as a target sees it.

#include <algorithm>

#include "thoth/index.hpp"


namespace thoth {

std::vector<CandidateReport> report_candidates(const std::vector<Candidate>& candidates, const Target& target,
                                               const BinaryPolicy& policy) {
  std::vector<CandidateReport> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) {
    CandidateReport r;
    r.version = c.version;
    r.yanked = c.yanked();
    r.file_count = c.files.size();
    for (const auto& f : c.files) {
      if (f.yanked && !f.yanked->empty() && r.yank_reason.empty()) r.yank_reason = *f.yanked;
      if (!f.requires_python.empty() &&
          std::find(r.requires_python.begin(), r.requires_python.end(), f.requires_python) == r.requires_python.end()) {
        r.requires_python.push_back(f.requires_python);
      }
    }
    r.usable = usable_files(c, target, policy);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace thoth
