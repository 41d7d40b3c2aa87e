// Core metadata of a candidate, cheapest way first:
//   1. the PEP 658 sidecar "<file url>.metadata", verified against the hash the index gives for it
//      (kept in the HTTP cache's blob store under that hash);
//   2. a wheel's .dist-info/METADATA: read in place for file:// wheels, else by HTTP range requests
//      (the zip central directory from the tail, then the member) and kept in the on-disk cache under
//      the wheel's sha256 when the index gives one. A server that refuses ranges gets one
//      whole download instead (pip's lazy wheel falls back the same way), verified against the
//      index's sha256, and a warning naming it; a server that ignores Range and sends the whole
//      wheel has that body verified too;
//   3. an sdist's PKG-INFO (downloaded, hash verified, or read in place), trusted only when PEP 643
//      says its dependencies are static.
// The result must name the candidate's project and version. Results, failures included, are kept in
// memory per (project, version): one METADATA per version of an index is assumed, as pip and uv do.
#pragma once

#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth::idx {

class MetadataFetcher {
 public:
  explicit MetadataFetcher(HttpClient& client) : client_(client) {}
  MetadataFetcher(const MetadataFetcher&) = delete;
  MetadataFetcher& operator=(const MetadataFetcher&) = delete;

  // Submits the first request `get` will need and returns at once. Never throws.
  void prefetch(const Candidate& candidate, const DistFile& file);
  // Throws IndexError.
  std::shared_ptr<const CoreMetadata> get(const Candidate& candidate, const DistFile& file);
  // Notes since the last call (servers that refused range requests), for PackageSource::take_warnings.
  std::vector<std::string> take_warnings();

 private:
  // What a prefetch started: a request, or (cached) the wheel's METADATA already read from the cache.
  enum class Step { sidecar, wheel_tail, download, cached };
  struct Pending {
    Step step;
    std::shared_future<HttpResponse> future;
    std::filesystem::path saved;  // download target
    std::string text;             // Step::cached
  };

  CoreMetadata fetch(const Candidate& candidate, const DistFile& file);
  std::optional<std::string> from_sidecar(const DistFile& file, std::optional<Pending> pending);
  std::string from_wheel(const DistFile& file, std::optional<Pending> pending);
  std::string from_wheel_ranges(const DistFile& file, std::optional<Pending> pending);
  std::string from_whole_wheel(const DistFile& file, std::optional<Pending> pending);
  CoreMetadata from_sdist(const DistFile& file, std::optional<Pending> pending);
  // Downloads the file (or waits for the prefetched download) into a temporary file and returns its
  // path, which the caller removes. Throws NetError.
  std::filesystem::path download(const DistFile& file, std::optional<Pending> pending);

  HttpRequest sidecar_request(const DistFile& file) const;
  HttpRequest download_request(const DistFile& file);
  std::optional<Pending> take_pending(const std::string& key);
  void note_no_ranges(const DistFile& file, long status);

  HttpClient& client_;
  std::map<std::string, std::shared_ptr<const CoreMetadata>> done_;
  std::map<std::string, std::string> failed_;  // key -> IndexError message
  std::map<std::string, Pending> pending_;
  std::set<std::string> no_ranges_;  // origins that refused a range request: download wheels whole
  std::vector<std::string> warnings_;
};

}  // namespace thoth::idx
