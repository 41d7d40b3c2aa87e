// Helpers the advise tests share: knowledge bases from inline JSON, the advisor's callbacks over the
// resolver tests' in-memory source, temporary directories.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "thoth/advise.hpp"
#include "unit/resolve/memory_source.hpp"

namespace thoth::testing {

// A KB document holding these fact objects (JSON text each).
std::string kb_text(const std::vector<std::string>& facts);
KnowledgeBase kb_of(const std::vector<std::string>& facts);

ResolveFn resolve_fn(MemorySource& source, const std::vector<std::string>& roots,
                     const std::vector<std::string>& constraints = {});
VersionsFn versions_fn(MemorySource& source);

// An iteration budget (deterministic), no time limit.
SearchOptions iterations(std::size_t n, std::uint64_t seed = 0, SearchMethod method = SearchMethod::Annealing);

Advice advise_on(MemorySource& source, const std::vector<std::string>& roots, const KnowledgeBase& kb,
                 Recommendation r, const SearchOptions& options = iterations(500));

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& bytes) const;

 private:
  std::filesystem::path path_;
};

}  // namespace thoth::testing
