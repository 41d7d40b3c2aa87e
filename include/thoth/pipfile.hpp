// Pipfiles as pipenv reads them (pipfile spec, pipenv's "Pipfile & Pipfile.lock" documentation):
// [[source]], [packages], [dev-packages], custom categories, [requires] and [pipenv], turned into
// thoth's own requirement and index structures; and the `_meta.hash.sha256` pipenv stores in
// Pipfile.lock to tell whether the lock still matches the Pipfile.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/inputs.hpp"

namespace thoth {

// A TOML value as Python's json module sees what tomlkit parsed: the Pipfile hash is a JSON
// projection of the Pipfile, and Pipfile.lock's `_meta` copies Pipfile tables verbatim.
struct JsonValue {
  enum class Kind : std::uint8_t { null, boolean, integer, real, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string string;
  std::vector<JsonValue> items;
  // Members in the order Python's sort_keys gives (by code point: UTF-8 byte order is the same).
  std::map<std::string, JsonValue> members;

  static JsonValue of(std::string s);
  static JsonValue of(bool b);
  static JsonValue object();
  static JsonValue array();
  const JsonValue* get(const std::string& key) const;
};

// Python's json.dumps(value, sort_keys=True, ensure_ascii=True) with `indent` (0: separators
// (",", ":") on one line, as pipenv hashes; N: that many spaces per level with (",", ": "), as
// pipenv writes Pipfile.lock). Non-ASCII characters become \uXXXX escapes (surrogate pairs beyond
// the BMP), floats are written as Python's repr() writes them.
std::string python_json(const JsonValue& value, int indent = 0);

// One [[source]] table. `url` is kept as written: ${VAR} references are expanded only where the URL
// is used (pipenv never writes the expanded form back, so credentials stay out of Pipfile.lock).
struct PipfileSource {
  std::string name;
  std::string url;
  bool verify_ssl = true;
  JsonValue table;  // every key as written, for Pipfile.lock's _meta.sources
};

// One package of a category, as its entry says it.
struct PipfilePackage {
  std::string key;   // as written in the Pipfile
  std::string name;  // normalised (PEP 503)
  // What to resolve: name[extras]specifier ; marker, or a link (path, file, VCS URL) with `editable`.
  UserRequirement requirement;
  std::string index;                // [[source]] name the entry restricts it to ("" when none)
  std::vector<std::string> extras;  // as written
  // The entry's markers: `markers` and the marker-variable keys (sys_platform = "== 'linux'", ...)
  // joined with "and", written as pipenv writes them in Pipfile.lock (single quotes); "" for none.
  std::string markers;
  std::string path;  // `path` as written
  std::string file;  // `file` as written
  bool directory = false;  // path or file names a local directory (a project to build; no hashes)
  bool editable = false;
  std::string vcs;      // git, hg, svn or bzr; "" when not a VCS entry
  std::string vcs_url;  // as written
  std::string ref;
  std::string subdirectory;
};

// A package category: [packages] ("default" in Pipfile.lock), [dev-packages] ("develop") or a custom
// one (same name in both files).
struct PipfileCategory {
  std::string section;    // the Pipfile table name
  std::string lock_name;  // the Pipfile.lock key
  std::vector<PipfilePackage> packages;  // in Pipfile order
};

struct Pipfile {
  std::string path;  // for messages
  // [[source]] tables in order; pipenv's default (pypi, https://pypi.org/simple, verify_ssl) when the
  // Pipfile has none.
  std::vector<PipfileSource> sources;
  JsonValue requires_table;  // [requires] as written (object; empty when absent)
  std::string python_version;       // [requires] python_version
  std::string python_full_version;  // [requires] python_full_version
  bool allow_prereleases = false;   // [pipenv] allow_prereleases
  // packages and dev-packages first (always present, maybe empty), then custom categories in file order.
  std::vector<PipfileCategory> categories;
  // _meta.hash.sha256 of each variant (see pipfile_hash).
  std::string hash_canonical;
  std::string hash_legacy;

  const PipfileCategory* category(std::string_view lock_or_section_name) const;
  const PipfileSource* source(std::string_view name) const;
};

// Which Pipfile hash to compute. pipenv hashes a JSON projection of the Pipfile: {"_meta": {"sources":
// [[source]] (pipenv's default one when there is none), "requires": [requires]}, "default": [packages],
// "develop": [dev-packages], and every other top-level table except scripts, pipenv and pipfile},
// dumped with sort_keys and separators (",", ":"), sha256 of its UTF-8. Current pipenv (PR #6609,
// issue #4699) first normalises the package names of each category (PEP 503), so `Sphinx` and `sphinx`
// hash the same; older releases (Debian's 2022.12.19 among them, through plette) hash them as written.
enum class PipfileHash : std::uint8_t { canonical, legacy };

// "canonical" / "legacy"; nullopt otherwise.
std::optional<PipfileHash> parse_pipfile_hash(std::string_view text);

// Looks up an environment variable for ${VAR} expansion.
using EnvironLookup = std::function<std::optional<std::string>(std::string_view)>;

// os.path.expandvars as pipenv applies it to source URLs: $NAME and ${NAME} (NAME of letters, digits
// and '_') are replaced by the variable's value; unset variables are left as written.
std::string expand_pipfile_vars(std::string_view text, const EnvironLookup& environ);

// Parses a Pipfile. `path` names it in messages and is the base for relative `path`/`file` entries.
// Throws InputError with a one-line message naming the file and the key ("Pipfile: packages.requests:
// version must be a string") for invalid TOML, a value of the wrong type, a bad specifier or marker,
// an unknown source name, or a category that is not a table.
Pipfile read_pipfile(std::string_view text, const std::string& path);

// The Pipfile.lock key of a Pipfile category: "packages" is "default", "dev-packages" is "develop",
// another name is itself (pipenv's get_lockfile_section_using_pipfile_category).
std::string pipfile_lock_name(std::string_view section);

// The requirement set of the categories named (lock names or section names), as thoth's
// requirements: each package's requirement, origin "Pipfile" style for messages; index options from
// the sources (the first is the index URL, the others extra index URLs, ${VAR} expanded through
// `environ`; a source with verify_ssl = false makes its host trusted; a package whose entry names an
// `index` may come from that source only); pre-releases from [pipenv] allow_prereleases. Throws
// InputError when two categories restrict one package to different sources.
RequirementSet pipfile_requirements(const Pipfile& pipfile, const std::vector<std::string>& categories,
                                    const EnvironLookup& environ);

// The index options of the Pipfile's sources alone (as pipfile_requirements sets them).
IndexOptions pipfile_index_options(const Pipfile& pipfile, const EnvironLookup& environ);

}  // namespace thoth
