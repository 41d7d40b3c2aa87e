// An in-memory PackageSource for the resolver tests: projects -> releases with requires_dist strings,
// Requires-Python, yanked state and wheel tags, plus counters of what the resolver asked for.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/index.hpp"
#include "thoth/resolve.hpp"

namespace thoth::testing {

struct Release {
  std::string version;
  std::vector<std::string> requires_dist;
  std::string requires_python;                    // metadata Requires-Python
  std::string file_requires_python;               // data-requires-python of every file
  std::optional<std::string> yanked;              // every file yanked, with this reason
  std::vector<std::string> wheels{"py3-none-any"};  // one wheel per (compressed) tag
  bool sdist = false;
  std::string metadata_name;                      // Name in the metadata; "" = the project's
  bool needs_build = false;                       // metadata() throws NeedsBuildError (a dynamic sdist)
  bool build_failed = false;                      // ... with build_failed(): its build for metadata failed
  // Provides-Extra; unset: every extra named by an `extra == '...'` marker of requires_dist.
  std::optional<std::vector<std::string>> provides_extra;
};

// A release that is only an sdist whose dependencies need a build (metadata() throws NeedsBuildError).
Release needs_build(const std::string& version);

class MemorySource : public PackageSource {
 public:
  MemorySource& add(const std::string& name, Release r);
  // The common case: a universal wheel with these dependencies.
  MemorySource& add(const std::string& name, const std::string& version, std::vector<std::string> deps = {}) {
    Release r;
    r.version = version;
    r.requires_dist = std::move(deps);
    return add(name, std::move(r));
  }

  const std::vector<Candidate>& candidates(std::string_view name) override;
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) override;
  void prefetch_candidates(std::string_view) override { ++prefetched_candidates; }
  void prefetch_metadata(const Candidate&, const DistFile&) override { ++prefetched_metadata; }

  // Builds the candidate of one release (for direct URL tests).
  Candidate candidate(const std::string& name, const Release& r) const;

  int candidate_calls = 0;
  int metadata_calls = 0;
  int prefetched_candidates = 0;
  int prefetched_metadata = 0;
  std::chrono::milliseconds delay{0};  // slept in every candidates() call

 private:
  std::map<std::string, std::vector<Release>> projects_;  // normalised name -> releases
  std::map<std::string, std::vector<Candidate>> listed_;  // what candidates() last returned
};

// A target: CPython 3.11 on manylinux_2_28_x86_64.
Target test_target();
ResolveOptions test_options();

// "a==1.0 b[x]==2.0 ..." in pin order.
std::string pins(const Resolution& r);

// Parses requirement strings.
std::vector<Requirement> reqs(const std::vector<std::string>& texts);

Resolution resolve(MemorySource& source, const std::vector<std::string>& roots,
                   const std::vector<std::string>& constraints = {}, ResolveOptions options = test_options(),
                   const Policy* policy = nullptr);

// The explanation of a failing resolution ("" and a test failure if it succeeds).
std::string explain(MemorySource& source, const std::vector<std::string>& roots,
                    const std::vector<std::string>& constraints = {}, ResolveOptions options = test_options(),
                    const Policy* policy = nullptr);

}  // namespace thoth::testing
