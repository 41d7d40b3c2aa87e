// Lock files: a Resolution written out as requirements.txt in pip-compile's layout, as PEP 751
// pylock.toml, or as pip's installation report JSON; and each of those read back into a Lock for the
// installer.
//
// Writers are pure functions of (Resolution, LockContext): the same input gives the same bytes (no
// clock, no environment, no unordered iteration). Readers accept what the writers produce and what
// pip-compile, other PEP 751 lockers and `pip install --report` write.
#pragma once

#include <cstdint>
#include <map>
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
};

// "requirements" / "pylock" / "report"; nullopt otherwise.
std::optional<LockFormat> parse_lock_format(std::string_view text);
std::string_view lock_format_name(LockFormat format);

// What the writers need besides the resolution itself.
struct LockContext {
  // The command that made the lock, as the user typed it (already shell-quoted), for the header of
  // requirements output, e.g. "thoth lock --generate-hashes -o requirements.txt requirements.in".
  std::string command;
  std::string tool_version;  // thoth's version ("0.1.0")

  // The root requirements as the user gave them (those whose marker is false for the target are
  // ignored): roots are "requested" in the report, their markers are copied onto pins that only
  // marked roots require, direct URL roots are written as direct references.
  std::vector<UserRequirement> requirements;
  // The constraints (-c lines): as pip-compile does, "-c FILE" joins the `# via` of the pins they name
  // (unless the constraint's marker is false for the target).
  std::vector<UserRequirement> constraints;

  // Index options to record (requirements output) and the sources files came from (pylock "index").
  IndexConfig index;
  // Base URL of each source of the PackageSource, in DistFile::index_position order; "" for a source
  // that is not a simple index (a find-links location).
  std::vector<std::string> source_urls;
  BinaryPolicy binary;

  bool generate_hashes = false;  // requirements: --hash lines
  // pip-compile's --allow-unsafe: pin the unsafe packages instead of listing them commented out.
  bool allow_unsafe = false;
  // pip-compile's --unsafe-package (normalised names): replaces its default setuptools, distribute, pip.
  std::vector<std::string> unsafe_packages;

  // pip-compile's output options of the requirements format.
  bool header = true;           // --no-header: no comment block naming the command
  bool annotate = true;         // --no-annotate: no "# via" comments
  bool strip_extras = false;    // --strip-extras: `name==version` without [extras]
  bool emit_index_url = true;   // --no-emit-index-url: no --index-url / --extra-index-url lines
  enum class AnnotationStyle : std::uint8_t {
    split,  // "# via x" on the next line, several sources each on a line of their own
    line,   // "  # via x, y" after the requirement, at column 24
  };
  AnnotationStyle annotation_style = AnnotationStyle::split;

  // Every file the sources list for each pinned version (normalised name -> files), whatever the
  // target: pip-compile's --generate-hashes lists all of them so one lock installs from any of them.
  // A pin missing here uses its own (usable) files.
  std::map<std::string, std::vector<DistFile>> release_files;
  // Core metadata of each pin (normalised name -> metadata), for the report's "metadata" objects. A
  // pin missing here is described by its name, version and requirements only.
  std::map<std::string, std::shared_ptr<const CoreMetadata>> metadata;  // never null
};

// requirements.txt exactly in pip-compile's (pip-tools 7) layout: the header naming the command, the
// index/find-links/trusted-host/binary options, `name[extras]==version` lines sorted by normalised name
// with ` \` + `    --hash=sha256:...` lines under generate_hashes and `# via` annotations, then the
// "unsafe" packages; the header, annotations, extras and index lines as the context's pip-compile
// options say. Throws LockError when generate_hashes is set and a file has no sha256.
std::string write_requirements(const Resolution& resolution, const LockContext& context);

// PEP 751 pylock.toml: lock-version, environments (the target), requires-python, created-by, then one
// [[packages]] table per pin with name, version, requires-python, dependencies, index, sdist and
// wheels (name, upload-time, url, size, hashes).
std::string write_pylock(const Resolution& resolution, const LockContext& context);

// pip's installation report (`pip install --report`, version "1"), formatted as pip's json.dump with
// indent=2 and ensure_ascii=False, plus a final newline.
std::string write_report(const Resolution& resolution, const LockContext& context);

std::string write_lock(LockFormat format, const Resolution& resolution, const LockContext& context);

// ---- Reading locks back ------------------------------------------------------------------------

// One file a locked package may be installed from.
struct LockedFile {
  std::string filename;  // may be empty when only a URL or path is known
  std::string url;       // absolute URL, or "" when `path` is set
  std::string path;      // local path (pylock "path"), as written
  std::map<std::string, std::string> hashes;  // algorithm -> lower-case hex
  std::optional<std::uint64_t> size;
  std::optional<std::string> upload_time;
  bool is_wheel = false;
};

struct LockedPackage {
  std::string name;          // normalised
  std::string display_name;  // as the lock spells it
  std::optional<Version> version;  // absent only for a direct reference without one
  std::vector<std::string> extras;  // normalised, sorted
  std::optional<Marker> marker;     // install only where it holds
  std::string requires_python;      // "" when not recorded
  // Acceptable hashes ("sha256:<hex>", as pip's --hash) when the lock lists hashes without saying
  // which file has which (requirements files); else empty and the files carry them.
  std::vector<std::string> hashes;
  std::vector<LockedFile> files;  // known files, wheels first (pylock, report); empty for requirements
  std::string direct_url;         // set for a direct reference (`name @ url`, pylock archive, is_direct)
  bool editable = false;
  bool requested = false;         // report only: a root requirement
  std::string index;              // pylock "index", "" when unknown
  std::vector<std::string> dependencies;  // normalised names, when recorded
};

struct Lock {
  LockFormat format = LockFormat::requirements;
  std::vector<LockedPackage> packages;  // sorted by normalised name
  // Options the lock carries: requirements files' --index-url etc.
  FileOptions options;
  std::string requires_python;       // pylock
  std::vector<Marker> environments;  // pylock: the lock applies where one of these holds
  MarkerEnv environment;             // report: the environment pip resolved for
  bool has_environment = false;

  const LockedPackage* find(std::string_view normalized_name) const;
};

// `path` names the file in messages (and resolves nested -r lines of requirements files).
Lock read_requirements_lock(std::string_view text, const std::string& path);
Lock read_pylock(std::string_view text, const std::string& path);
Lock read_report(std::string_view text, const std::string& path);

// The format of a lock file from its name (pylock.toml, pylock.NAME.toml, *.json) and content.
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
