// Core metadata of a candidate, cheapest way first:
//   1. the PEP 658 sidecar "<file url>.metadata", verified against the hash the index gives for it
//      (kept in the HTTP cache's blob store under that hash);
//   2. a wheel's .dist-info/METADATA: read in place for file:// wheels, else by HTTP range requests
//      (the zip central directory from the tail, then the member) and kept in the on-disk cache under
//      the wheel's sha256 when the index gives one;
//   3. an sdist's PKG-INFO (downloaded, hash verified, or read in place), trusted only when PEP 643
//      says its dependencies are static.
// The result must name the candidate's project and version. Results, failures included, are kept in
// memory per (project, version): one METADATA per version of an index is assumed, as pip and uv do.
#pragma once

#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <string>

#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace thoth::idx {

class MetadataFetcher {
 public:
  explicit MetadataFetcher(HttpClient& client) : client_(client) {}
  ~MetadataFetcher();
  MetadataFetcher(const MetadataFetcher&) = delete;
  MetadataFetcher& operator=(const MetadataFetcher&) = delete;

  // Submits the first request `get` will need and returns at once. Never throws.
  void prefetch(const Candidate& candidate, const DistFile& file);
  // Throws IndexError.
  CoreMetadata get(const Candidate& candidate, const DistFile& file);

 private:
  enum class Step { sidecar, wheel_tail, sdist };
  struct Pending {
    Step step;
    std::shared_future<HttpResponse> future;
    std::filesystem::path saved;  // sdist download target
  };

  CoreMetadata fetch(const Candidate& candidate, const DistFile& file);
  std::optional<std::string> from_sidecar(const DistFile& file, std::optional<Pending> pending);
  std::string from_wheel(const DistFile& file, std::optional<Pending> pending);
  CoreMetadata from_sdist(const DistFile& file, std::optional<Pending> pending);

  HttpRequest sidecar_request(const DistFile& file) const;
  HttpRequest sdist_request(const DistFile& file);
  std::filesystem::path temp_dir();
  std::optional<Pending> take_pending(const std::string& key, Step step);

  HttpClient& client_;
  std::map<std::string, CoreMetadata> done_;
  std::map<std::string, std::string> failed_;  // key -> IndexError message
  std::map<std::string, Pending> pending_;
  std::filesystem::path temp_;  // created on first sdist download, removed with the fetcher
  unsigned downloads_ = 0;
};

}  // namespace thoth::idx
