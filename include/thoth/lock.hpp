// Lock files: a Resolution written out as requirements.txt in pip-compile's layout, as PEP 751
// pylock.toml, or as pip's installation report JSON; and each of those read back into a Lock for the
// installer.
//
// Writers are pure functions of a Lock (to_lock() makes one of a Resolution): the same input gives the
// same bytes (no clock, no environment, no unordered iteration). Readers accept what the writers produce and what
// pip-compile, other PEP 751 lockers and `pip install --report` write.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/index.hpp"
#include "thoth/inputs.hpp"
#include "thoth/metadata.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"
#include "thoth/pipfile.hpp"
#include "thoth/resolve.hpp"
#include "thoth/target.hpp"

namespace thoth {

// Thrown for a lock that cannot be written (e.g. --generate-hashes and a file without a sha256) or a
// lock file that cannot be read back (bad TOML/JSON, an unpinned requirement, a missing field). The
// message names the file and, where there is one, the package or line.
class LockError : public Error {
 public:
  using Error::Error;
};

enum class LockFormat : std::uint8_t {
  requirements,  // requirements.txt as pip-compile writes it
  pylock,        // PEP 751 pylock.toml
  report,        // pip install --report JSON, version "1"
  pipfile,       // pipenv's Pipfile.lock (written from a Pipfile: write_pipfile_lock)
};

// "requirements" / "pylock" / "report"; nullopt otherwise.
std::optional<LockFormat> parse_lock_format(std::string_view text);
std::string_view lock_format_name(LockFormat format);

// ---- The lock model ------------------------------------------------------------------------------
//
// Every lock, whatever its format, is a Lock: writers take one, readers produce one, and the installer
// installs one. A fresh resolution becomes a Lock through to_lock(); a lock file read back is one
// already (with what its format records: a requirements file has no files, only hashes).

// One file a locked package may be installed from.
struct LockedFile {
  std::string filename;  // may be empty when only a URL or path is known
  std::string url;       // absolute URL, or "" when `path` is set
  std::string path;      // local path (pylock "path"), as written
  std::map<std::string, std::string> hashes;  // algorithm -> lower-case hex
  std::optional<std::uint64_t> size;
  std::optional<std::string> upload_time;
  bool is_wheel = false;

  std::string sha256() const {
    auto it = hashes.find("sha256");
    return it == hashes.end() ? std::string() : it->second;
  }
  // An index's file as a lock records it.
  static LockedFile of(const DistFile& f);
};

struct LockedPackage {
  std::string name;          // normalised
  std::string display_name;  // as the lock (or the metadata) spells it
  std::optional<Version> version;  // absent only for a direct reference without one
  std::vector<std::string> extras;  // the extras installed with it, normalised, sorted
  // Install only where it holds. to_lock() sets the roots' marker on a package that only marked roots
  // require (a package another pinned one needs has none: it must be there wherever they are).
  std::optional<Marker> marker;
  std::string requires_python;      // "" when not recorded
  // Acceptable hashes ("sha256:<hex>", as pip's --hash), sorted: a requirements file lists them without
  // saying which file has which; to_lock() lists every file of the pinned version when the inputs give
  // them (pip-compile's --generate-hashes: one lock installs from any of them). Else empty, and the
  // files carry the hashes.
  std::vector<std::string> hashes;
  std::vector<LockedFile> files;  // known files, best first for the target (wheels first in readers)
  std::string direct_url;         // set for a direct reference (`name @ url`, pylock archive, is_direct)
  bool editable = false;
  bool requested = false;         // a root requirement names it
  std::vector<std::string> requested_extras;  // the extras the roots wrote, as written, sorted
  std::string index;              // the simple index its files come from, "" when unknown / find-links
  std::vector<std::string> dependencies;  // normalised names of the pinned packages it requires
  // Why it is in the lock, as pip-compile's `# via` says it: dependents' normalised names, "-r FILE"
  // for roots read from FILE, "-c FILE" for constraints of FILE; sorted as Python sorts strings.
  std::vector<std::string> via;
  std::vector<Requirement> requires_dist;  // its dependencies as they apply to the target
  std::shared_ptr<const CoreMetadata> metadata;  // its core metadata, when known

  // A local source tree (a directory), not an archive: no version is recorded for it (PEP 751).
  bool is_source_tree() const;
};

struct Lock {
  LockFormat format = LockFormat::requirements;
  std::vector<LockedPackage> packages;  // sorted by normalised name
  // Index options and the binary policy the lock was made with (a requirements file's --index-url
  // etc.), to install from the same places.
  FileOptions options;
  std::string requires_python;       // pylock
  std::vector<Marker> environments;  // pylock: the lock applies where one of these holds
  // pylock (PEP 751 "extras", "dependency-groups", "default-groups"): the extras and dependency groups
  // the lock offers, and the groups installed when none are asked for (as written).
  std::vector<std::string> extras, dependency_groups, default_groups;
  // pylock: markers are evaluated as in a lock file (PEP 751 "packages.marker", packaging's "lock_file"
  // context), with `extras` and `dependency_groups` these sets. read_pylock sets no extras and the
  // default groups; select_from_lock() sets what the user asked for.
  std::optional<LockSelection> selection;
  MarkerEnv environment;             // the environment resolved for (report; to_lock)
  bool has_environment = false;
  std::string python;                // the target's Python, major.minor ("3.11"), when known
  std::string tool_version;          // thoth's version when thoth made it

  const LockedPackage* find(std::string_view normalized_name) const;
};

// What a lock is made from besides the resolution itself.
struct LockInputs {
  std::string tool_version;  // thoth's version ("0.1.0")

  // The root requirements as the user gave them (those whose marker is false for the target are
  // ignored): roots are "requested", their markers are copied onto pins that only marked roots require,
  // direct URL roots are recorded as direct references.
  std::vector<UserRequirement> requirements;
  // The constraints (-c lines): as pip-compile does, "-c FILE" joins the `via` of the pins they name
  // (unless the constraint's marker is false for the target).
  std::vector<UserRequirement> constraints;

  IndexConfig index;  // the index options to record
  // Base URL of each source of the PackageSource, in DistFile::index_position order; "" for a source
  // that is not a simple index (a find-links location).
  std::vector<std::string> source_urls;
  BinaryPolicy binary;

  // Every file the sources list for each pinned version (normalised name -> files), whatever the
  // target: the hashes of all of them become the package's `hashes`. Each must have a sha256.
  std::map<std::string, std::vector<DistFile>> release_files;
  // Core metadata of each pin (normalised name -> metadata, never null).
  std::map<std::string, std::shared_ptr<const CoreMetadata>> metadata;
};

// The lock of a resolution. Throws LockError when a release file has no sha256.
Lock to_lock(const Resolution& resolution, const LockInputs& inputs);

// pip-compile's options for the requirements format.
struct RequirementsStyle {
  // The command that made the lock, as the user typed it (already shell-quoted), for the header, e.g.
  // "thoth lock --generate-hashes -o requirements.txt requirements.in".
  std::string command;
  bool generate_hashes = false;  // --hash lines
  // --allow-unsafe: pin the unsafe packages instead of listing them commented out.
  bool allow_unsafe = false;
  // --unsafe-package (normalised names): replaces pip-compile's default setuptools, distribute, pip.
  std::vector<std::string> unsafe_packages;
  bool header = true;           // --no-header: no comment block naming the command
  bool annotate = true;         // --no-annotate: no "# via" comments
  bool strip_extras = false;    // --strip-extras: `name==version` without [extras]
  bool emit_index_url = true;   // --no-emit-index-url: no --index-url / --extra-index-url lines
  enum class AnnotationStyle : std::uint8_t {
    split,  // "# via x" on the next line, several sources each on a line of their own
    line,   // "  # via x, y" after the requirement, at column 24
  };
  AnnotationStyle annotation_style = AnnotationStyle::split;
};

// requirements.txt exactly in pip-compile's (pip-tools 7) layout: the header naming the command, the
// index/find-links/trusted-host/binary options, `name[extras]==version` lines sorted by normalised name
// with ` \` + `    --hash=sha256:...` lines under generate_hashes and `# via` annotations, then the
// "unsafe" packages; the header, annotations, extras and index lines as the style says. Throws
// LockError when generate_hashes is set and a package's file has no sha256.
std::string write_requirements(const Lock& lock, const RequirementsStyle& style);

// PEP 751 pylock.toml: lock-version, environments (the target), requires-python, created-by, then one
// [[packages]] table per package with name, version, requires-python, dependencies, index, sdist and
// wheels (name, upload-time, url, size, hashes). Throws LockError for a file without any hash.
std::string write_pylock(const Lock& lock);

// pip's installation report (`pip install --report`, version "1"), formatted as pip's json.dump with
// indent=2 and ensure_ascii=False, plus a final newline.
std::string write_report(const Lock& lock);

// The format's writer (requirements with `style`).
std::string write_lock(LockFormat format, const Lock& lock, const RequirementsStyle& style = {});

// ---- Pipfile.lock ---------------------------------------------------------------------------------

// One category of a Pipfile.lock and what was locked for it.
struct PipfileLockCategory {
  std::string name;  // lock name: "default", "develop", or a custom category's
  Lock lock;
};

// Pipfile.lock exactly as pipenv writes it: json.dumps(indent=4, sort_keys=True) plus a newline, with
// _meta {hash {sha256: the Pipfile's hash of `variant`}, pipfile-spec 6, requires: [requires] as
// written, sources: [[source]] as written (verify_ssl filled in as pipenv's populate_source does)},
// then one object per category keyed by normalised name: "version" "==X", "hashes" (sorted), and
// "markers", "index" and "extras" as pipenv records them: a package the Pipfile names in that category
// gets the markers and extras of its entry and the name of its index (the entry's `index`, else the
// first source); a dependency gets the markers it is needed under; path, file and VCS entries are
// written with their key instead of a version. As pipenv does, a package of another category that
// default also locks is written as default's entry. Throws LockError for a package without any hash.
std::string write_pipfile_lock(const Pipfile& pipfile, PipfileHash variant,
                               const std::vector<PipfileLockCategory>& categories);

// ---- Reading locks back ------------------------------------------------------------------------

// `path` names the file in messages (and resolves nested -r lines of requirements files).
Lock read_requirements_lock(std::string_view text, const std::string& path);
Lock read_pylock(std::string_view text, const std::string& path);
Lock read_report(std::string_view text, const std::string& path);

// Pipfile.lock (pipfile-spec 6) as pipenv reads it: the packages of `categories` (lock names such as
// "default", "develop", "docs"; a package in several has one entry, and they must agree on its
// version), each `"version": "==X"` with its `hashes` (the acceptable sha256 of any file of that
// version), `markers`, `extras` and `index`; `file` / `path` / VCS entries as direct references. The
// index options are _meta.sources (the first the index URL, the others extra index URLs, ${VAR}
// expanded through `environ`; verify_ssl = false trusts the host). Throws LockError naming the file
// and the entry.
Lock read_pipfile_lock(std::string_view text, const std::string& path, const std::vector<std::string>& categories,
                       const EnvironLookup& environ);

// PEP 751: install these extras and dependency groups of a pylock (none given: the default groups). Each
// must be one the lock lists in "extras" / "dependency-groups" (compared normalised); otherwise, or
// for a lock of another format, throws LockError naming the lock and what it offers.
void select_from_lock(Lock& lock, const std::vector<std::string>& extras, const std::vector<std::string>& groups,
                      const std::string& lock_name);

// The format of a lock file from its name (pylock.toml, pylock.NAME.toml, *.json, Pipfile.lock) and
// content.
LockFormat detect_lock_format(std::string_view text, std::string_view path);
Lock read_lock(std::string_view text, const std::string& path);

// ---- Re-locking ----------------------------------------------------------------------------------

// pip-compile's incremental model (pip-tools 7, "Updating requirements"): when the output file exists,
// the versions it pins are kept as long as they still satisfy the inputs; `--upgrade` ignores them,
// `--upgrade-package NAME` ignores those of NAME.
//
// The versions `existing` pins (normalised name -> version): every package with a version that is not
// a direct reference, minus the names in `upgrade`. A name listed twice (under different markers)
// keeps its first entry.
std::map<std::string, Version> pinned_versions(const Lock& existing, const std::set<std::string>& upgrade);

// Chooses the preferred version of a project when it is still acceptable, else the newest: a
// preference, not a constraint, so a pin that no longer fits the inputs (or conflicts with another
// one) moves instead of failing the resolution.
class PreferPinnedPolicy : public Policy {
 public:
  explicit PreferPinnedPolicy(const std::map<std::string, Version>& preferred)
      : preferred_(preferred.begin(), preferred.end()) {}
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const override;

 private:
  std::map<std::string, Version, std::less<>> preferred_;
};

}  // namespace thoth
