// What the resolver knows about each project: its candidates (fetched once per resolve() and kept
// across solver restarts), why a version cannot be used, its dependencies once its metadata has been
// read, and the pip rules that depend on every requirement seen for the project (pre-releases,
// yanked pins).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/version_set.hpp"
#include "thoth/index.hpp"
#include "thoth/pep508.hpp"
#include "thoth/resolve.hpp"

namespace thoth::resolve {

// Why versions cannot be used. Each kind becomes one "unavailable" incompatibility per project and
// detail, so a failure explanation can say "foo>=2.0 requires Python >=3.12".
enum class Why : std::uint8_t {
  RequiresPython,  // the files' data-requires-python or the metadata's Requires-Python
  NoFile,          // no file usable on the target (tags, --only-binary / --no-binary)
  Yanked,          // PEP 592, not pinned with == / ===
  PreRelease,      // pip's pre-release rules
  Forbidden,       // Policy::forbids
  Rejected,        // Policy::choose declined every version offered
  Metadata,        // metadata that does not match the candidate or cannot be evaluated
  NeedsBuild,      // an sdist whose dependencies are known only after a build (PEP 643)
};

struct Reason {
  Why why = Why::NoFile;
  std::string detail;  // ">=3.12", "no wheel for cp311-... and no sdist", the yank reason, ...
};

// Facts about one candidate. The static ones are computed when the project is first needed; the
// metadata ones when the resolver first considers the version.
struct VersionFacts {
  std::vector<std::uint32_t> usable;    // FileChooser::usable() in the candidate's files, best first
  bool best_is_wheel = false;           // the first usable file is a wheel (--prefer-binary)
  std::optional<Reason> skip;           // static reason the version cannot be used
  bool prerelease = false;
  bool yanked = false;
  std::string yank_reason;

  bool prefetched = false;
  bool loaded = false;                  // metadata read
  std::optional<Reason> problem;        // from the metadata (Requires-Python, inconsistent name)
  std::string display_name;             // Name as the metadata spells it
  // The metadata read (the source's own copy), unless its name, version or Requires-Python ruled the
  // version out.
  std::shared_ptr<const CoreMetadata> metadata;
  std::vector<std::size_t> base_deps;   // indexes into requires_dist() that apply without extras

  const std::vector<Requirement>& requires_dist() const;
  const std::vector<std::string>& provides_extra() const;  // Provides-Extra, normalised (PEP 685)
};

struct Project {
  std::string name;                     // normalised
  bool direct = false;                  // only the caller's direct URL candidates
  std::span<const Candidate> candidates;  // newest first: the source's list (not copied), or `own`
  std::vector<Candidate> own;             // direct URL candidates, or the source's list re-sorted
  std::vector<VersionFacts> facts;
  bool has_final = false;               // some version without a static skip is a final release

  // pip merges the specifiers of every requirement on a project before filtering versions, so
  // these depend on all requirements seen so far (see Catalog::note_requirement).
  bool prereleases_named = false;       // a specifier names a pre-release
  bool specifier_seen = false;          // a requirement with a non-empty specifier
  VersionSet yanked_pinned;             // yanked versions pinned by == / ===

  std::size_t size() const { return candidates.size(); }
};

struct Exclusion {
  Reason reason;
  VersionSet versions;  // positive set (size()+1 bits, "not selected" clear)
};

class Catalog {
 public:
  Catalog(PackageSource& source, const Policy& policy, const ResolveOptions& options);

  // The project of a normalised name, its candidates fetched on first use (IndexError propagates).
  Project& project(const std::string& name);
  bool known(const std::string& name) const { return projects_.count(name) != 0; }
  void prefetch_candidates(const std::string& name);

  // Reads the metadata of version `v` once (IndexError propagates) and returns its facts.
  const VersionFacts& metadata(Project& p, std::size_t v);
  void prefetch_metadata(Project& p, std::size_t v);

  // Requirements of `extra` of version `v` (already read), beyond those of the base. None for an extra
  // the metadata does not provide (pip's ExtrasCandidate uses only Provides-Extra's extras).
  std::vector<const Requirement*> extra_deps(const Project& p, std::size_t v, std::string_view extra) const;
  // Whether version `v` (already read) lists `extra` (normalised) in Provides-Extra.
  bool provides(const Project& p, std::size_t v, std::string_view extra) const;
  // Adds a line for the user (once).
  void note(std::string line);

  // The versions `req` accepts, by clause matching alone (pre-releases and yanked versions are
  // excluded separately, per project): size()+1 bits, "not selected" clear.
  VersionSet match(const Project& p, const Requirement& req) const;

  // Records what pip's merged-specifier rules need to know about a requirement on `p`. True when
  // this changes which versions exclusions() returns.
  bool note_requirement(Project& p, const Requirement& req);

  // Every reason some versions of `p` cannot be used, grouped, in a fixed order.
  std::vector<Exclusion> exclusions(const Project& p) const;

  const ResolveOptions& options() const { return options_; }
  // What the user should know about the resolution beyond its result (versions passed over).
  const std::vector<std::string>& notes() const { return notes_; }
  const Version& python() const { return python_; }

 private:
  void classify(Project& p);

  PackageSource& source_;
  const Policy& policy_;
  const ResolveOptions& options_;
  Version python_;  // the target's full Python version, for Requires-Python
  std::map<std::string, std::unique_ptr<Project>> projects_;
  std::vector<std::string> notes_;
};

// Why no file of a version of `project` is usable on the target, for one FileChooser::usable() left empty.
// `chooser` ranks the wheels (it remembers ranks).
Reason describe_unusable(std::string_view project, const std::vector<FileTraits>& files, FileChooser& chooser,
                         const Target& target, const BinaryPolicy& binary, const Version& python);

// True if a (possibly invalid) Requires-Python text admits `python`; pip ignores invalid values.
bool python_matches(std::string_view requires_python, const Version& python);

}  // namespace thoth::resolve
