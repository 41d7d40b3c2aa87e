// What the resolver knows about each project, independent of any policy and of the requirements of
// any one resolution, so that a Resolver keeps it across resolve() calls: the candidates (fetched on
// first use), why a version cannot be used on the target whatever is asked of it, its metadata and
// dependencies once read, and which of them apply on the target (markers evaluated once). What
// depends on a resolution's requirements or policy is in filter.hpp and the Solver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
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
  Forbidden,       // Policy::forbids (applied per resolution, by VersionFilter)
  Rejected,        // Policy::choose declined every version offered
  Metadata,        // metadata that does not match the candidate or cannot be evaluated
  NeedsBuild,      // an sdist whose dependencies are known only after a build (PEP 643), not built
  BuildFailed,     // such an sdist, whose build for its metadata failed
};

struct Reason {
  Why why = Why::NoFile;
  std::string detail;  // ">=3.12", "no wheel for cp311-... and no sdist", the yank reason, ...
};

struct Project;

// A text the explanations quote (how a requirement wrote its versions), interned by the catalog:
// 0 is "no text", 1 the empty text (any version, as written).
using TextId = std::uint32_t;

// One requirement a version (or the root) states, with what the solver needs of it worked out once.
struct Dependency {
  const Requirement* requirement = nullptr;
  std::string name;            // normalised
  bool direct = false;         // `name @ url`
  bool pinned = false;         // an == or === clause
  bool unfree = false;         // any version clause
  Project* project = nullptr;  // the target, once fetched (Catalog::target)
  VersionSet matches;          // Catalog::match of the target, once fetched
  TextId text = 0;             // spec_text(), once fetched

  explicit Dependency(const Requirement& r);
};

// The requirements of one extra of a version, beyond those of the base.
struct ExtraDependencies {
  std::string extra;
  std::vector<Dependency> deps;
};

// What reading a version's metadata taught: allocated for the few versions the resolver reads.
struct LoadedFacts {
  std::optional<Reason> problem;        // from the metadata (Requires-Python, inconsistent name)
  std::string display_name;             // Name as the metadata spells it
  // The metadata read (the source's own copy), unless its name, version or Requires-Python ruled the
  // version out.
  std::shared_ptr<const CoreMetadata> metadata;
  std::vector<Dependency> base_deps;    // the requires_dist() that apply without extras, in order
  // Those of each extra asked for so far (a list: references stay valid, and an empty one allocates
  // nothing, unlike a deque).
  std::list<ExtraDependencies> extras;

  const std::vector<Requirement>& requires_dist() const;
  const std::vector<std::string>& provides_extra() const;  // Provides-Extra, normalised (PEP 685)
};

// Facts about one candidate, computed when the project is first needed. Kept small: a project lists up
// to thousands of versions and a resolution reads the metadata of a few; the reasons are kept once per
// project (Project::reasons) and the files' full ranking is worked out again for the versions pinned
// (Catalog::usable).
struct VersionFacts {
  static constexpr std::uint32_t kNoFile = UINT32_MAX;
  std::uint32_t best = kNoFile;  // position of the best usable file (FileChooser::usable's first)
  std::uint32_t skip = 0;        // 1 + position in Project::reasons of why no file is usable; 0: none
  std::uint32_t yank = 0;        // 1 + position in Project::reasons of the yank (Why::Yanked); 0: not yanked
  bool best_is_wheel = false;    // the best usable file is a wheel (--prefer-binary)
  bool prerelease = false;
  bool prefetched = false;
  std::unique_ptr<LoadedFacts> loaded;  // once the metadata is read

  bool usable() const { return best != kNoFile; }
  bool yanked() const { return yank != 0; }
};

struct Project {
  std::string name;                     // normalised
  std::size_t id = 0;                   // order of first use in the catalog: an index for per-call state
  bool direct = false;                  // only the caller's direct URL candidates
  std::span<const Candidate> candidates;  // newest first: the source's list (not copied), or `own`
  std::vector<Candidate> own;             // direct URL candidates, or the source's list re-sorted
  std::vector<VersionFacts> facts;
  std::vector<Reason> reasons;            // VersionFacts::skip and ::yank point here
  // Some version without a static skip is a final release (pip's pre-release rule; the policy's
  // forbids do not count, as they do not make a release disappear from the index).
  bool has_final = false;

  std::size_t size() const { return candidates.size(); }
  // Why version `v` cannot be used whatever is asked of it, or null.
  const Reason* skip(std::size_t v) const { return facts[v].skip ? &reasons[facts[v].skip - 1] : nullptr; }
  // The yank of version `v` (Why::Yanked, with the first reason a file gives), or null.
  const Reason* yank(std::size_t v) const { return facts[v].yank ? &reasons[facts[v].yank - 1] : nullptr; }
};

class Catalog {
 public:
  Catalog(PackageSource& source, const ResolveOptions& options);

  // The project of a normalised name, its candidates fetched on first use (IndexError propagates).
  Project& project(const std::string& name);
  bool known(const std::string& name) const { return projects_.count(name) != 0; }
  void prefetch_candidates(const std::string& name);

  // Reads the metadata of version `v` once (IndexError propagates) and returns what it taught.
  const LoadedFacts& metadata(Project& p, std::size_t v);
  void prefetch_metadata(Project& p, std::size_t v);

  // Requirements of `extra` of version `v` (already read), beyond those of the base, worked out on the
  // first call. None for an extra the metadata does not provide (pip's ExtrasCandidate uses only
  // Provides-Extra's extras).
  std::vector<Dependency>& extra_dependencies(Project& p, std::size_t v, std::string_view extra);
  // Whether version `v` (already read) lists `extra` (normalised) in Provides-Extra.
  bool provides(const Project& p, std::size_t v, std::string_view extra) const;

  // The positions of the files of version `v` the target can use, best first (FileChooser::usable).
  std::vector<std::uint32_t> usable(const Project& p, std::size_t v) const;

  // The project a dependency names, fetched on first use (IndexError propagates), with `d.matches`
  // and `d.text` filled in.
  Project& target(Dependency& d);
  void prefetch_target(const Dependency& d) {
    if (!d.project) prefetch_candidates(d.name);
  }

  // The versions `req` accepts, by clause matching alone (pre-releases and yanked versions are
  // excluded separately, per project): size()+1 bits, "not selected" clear.
  VersionSet match(const Project& p, const Requirement& req) const;

  // The versions of `p` no static skip rules out that pip's filters admit without any requirement
  // naming them (not yanked; pre-releases only with --pre or when no final release exists), newest
  // first. Direct URL candidates are never filtered.
  std::vector<const Candidate*> acceptable(const Project& p) const;

  const ResolveOptions& options() const { return options_; }
  const Version& python() const { return python_; }

  // The same id for the same text, for the catalog's life.
  TextId intern(std::string_view text);
  const std::string& text(TextId id) const { return texts_[id]; }

 private:
  void classify(Project& p);

  PackageSource& source_;
  const ResolveOptions& options_;
  Version python_;  // the target's full Python version, for Requires-Python
  std::map<std::string, std::unique_ptr<Project>> projects_;
  std::vector<std::string> texts_{"", ""};
  std::map<std::string, TextId, std::less<>> text_ids_;
};

// How the user wrote the versions of a requirement: the specifier as packaging prints it, or " @ url".
std::string spec_text(const Requirement& r);

// Why no file of a version of `project` is usable on the target, for one FileChooser::usable() left empty.
// `chooser` ranks the wheels and checks Requires-Python (it remembers both).
Reason describe_unusable(std::string_view project, const std::vector<FileTraits>& files, FileChooser& chooser,
                         const Target& target, const BinaryPolicy& binary);

}  // namespace thoth::resolve
