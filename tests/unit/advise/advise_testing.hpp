// Helpers the advise tests share: knowledge bases from inline JSON, the advisor's callbacks over the
// resolver tests' in-memory source, temporary directories.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "thoth/advise.hpp"
#include "unit/resolve/memory_source.hpp"

namespace thoth::testing {

// The target and options of the resolver tests (test_target(), test_options()), made once.
const Target& target();
const ResolveOptions& options();

// A KB document holding these fact objects (JSON text each).
std::string kb_text(const std::vector<std::string>& facts);
KnowledgeBase kb_of(const std::vector<std::string>& facts);

// resolver_callbacks over a KeepingSource of `source` (no release may be added to it afterwards).
ResolverCallbacks callbacks(MemorySource& source, const std::vector<std::string>& roots,
                            const std::vector<std::string>& constraints = {}, const ResolveOptions& o = options());

// An iteration budget (deterministic), no time limit.
SearchOptions iterations(std::size_t n, std::uint64_t seed = 0, SearchMethod method = SearchMethod::Annealing);

Advice advise_on(MemorySource& source, const std::vector<std::string>& roots, const KnowledgeBase& kb,
                 Recommendation r, const SearchOptions& options = iterations(500));

// What a real source does and MemorySource does not (it builds its answers afresh for tests that add
// releases between resolutions): keeps the candidates and metadata it handed out.
class KeepingSource : public PackageSource {
 public:
  explicit KeepingSource(MemorySource& inner) : inner_(inner) {}
  const std::vector<Candidate>& candidates(std::string_view name) override;
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;

 private:
  MemorySource& inner_;
  std::map<std::string, std::vector<Candidate>, std::less<>> candidates_;
  std::map<std::string, std::shared_ptr<const CoreMetadata>> metadata_;  // "name version"
};

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
