// What exists: the candidates (versions and their files) that package indexes and find-links locations
// offer for a project, and each candidate's core metadata. The resolver sees only the PackageSource
// interface; implementations read PEP 503 HTML / PEP 691 JSON simple pages over HTTP or file://, flat
// find-links directories or pages, and compose several sources.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/metadata.hpp"
#include "thoth/pep440.hpp"
#include "thoth/tags.hpp"

namespace thoth {

// Thrown for a broken index page, a project page that cannot be fetched, metadata whose hash does not
// match, or a file that cannot be read. The message names the (redacted) URL or path.
class IndexError : public Error {
 public:
  using Error::Error;
};

// One file of a release as an index lists it (PEP 503 anchor / PEP 691 file object).
struct DistFile {
  enum class Kind : std::uint8_t { Wheel, Sdist };

  std::string filename;
  std::string url;                           // absolute (http(s)://, file://)
  Kind kind = Kind::Wheel;
  std::optional<WheelName> wheel;            // set for wheels
  std::map<std::string, std::string> hashes; // algorithm -> lower-case hex (PEP 503 fragment / PEP 691 hashes)
  std::string requires_python;               // as given by the index, "" if none (PEP 503 data-requires-python)
  std::optional<std::string> yanked;         // PEP 592: set when yanked; the reason, possibly ""
  // PEP 658/714: the index serves <url>.metadata; value is its hash ("sha256" -> hex) or empty when the
  // index only says "true".
  std::optional<std::map<std::string, std::string>> core_metadata;
  std::optional<std::string> upload_time;    // PEP 700, ISO 8601
  std::optional<std::uint64_t> size;         // PEP 700
  std::size_t index_position = 0;            // which source of a composite offered it (0 = first)

  std::string sha256() const {
    auto it = hashes.find("sha256");
    return it == hashes.end() ? std::string() : it->second;
  }
};

// One version of a project with every file the sources list for it (not yet filtered for a target).
struct Candidate {
  std::string name;  // normalised (PEP 503)
  Version version;
  std::vector<DistFile> files;

  // PEP 592: a version is yanked when all its files are.
  bool yanked() const;
};

// Which distributions may be used (pip's --only-binary / --no-binary / --prefer-binary), per project.
struct BinaryPolicy {
  bool only_binary_all = false;
  bool no_binary_all = false;
  std::vector<std::string> only_binary;  // normalised names
  std::vector<std::string> no_binary;    // normalised names
  bool prefer_binary = false;

  bool wheels_allowed(std::string_view name) const;
  bool sdists_allowed(std::string_view name) const;
};

// The files of `candidate` usable on `target` under `policy`, best first: wheels by the rank of their best
// tag in target.tags (PEP 425 priority), ties broken by build tag (higher first), then sdists. Files whose
// requires_python excludes the target's Python are dropped. Empty means no usable file.
std::vector<const DistFile*> usable_files(const Candidate& candidate, const Target& target,
                                          const BinaryPolicy& policy);

// The resolver's view of the world. Implementations cache what they fetch and are thread-compatible:
// one resolver thread calls them; they may fetch in parallel internally.
class PackageSource {
 public:
  virtual ~PackageSource() = default;

  // Every version the sources offer for the project (normalised or not), newest first. An unknown
  // project gives an empty list, never an error; an unreachable or broken index throws IndexError.
  virtual std::vector<Candidate> candidates(std::string_view name) = 0;

  // Core metadata for one version, read from `file` (one of candidate.files): the PEP 658 sidecar if the
  // index offers one, else the wheel's METADATA (by HTTP range requests when possible), else the sdist's
  // PKG-INFO when PEP 643 says it is static. Throws IndexError (e.g. an sdist that needs a build).
  virtual CoreMetadata metadata(const Candidate& candidate, const DistFile& file) = 0;

  // Hints: start fetching now what the resolver will ask for soon. Never throw; errors surface on the
  // real call.
  virtual void prefetch_candidates(std::string_view /*name*/) {}
  virtual void prefetch_metadata(const Candidate& /*candidate*/, const DistFile& /*file*/) {}
};

}  // namespace thoth
