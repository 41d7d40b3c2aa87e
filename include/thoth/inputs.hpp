// What the user asks for: requirements files exactly as pip reads them (nested -r/-c, per-line options,
// continuations, comments, ${VAR} expansion, every pip option allowed in a file) and requirements given
// on the command line.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/index.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

// Thrown for a requirements file that cannot be read or has a bad line. For a bad line, what() is
//   FILE:LINE: MESSAGE
//       THE LINE TEXT
//       ^ (under the offending column)
// (the only multi-line message: the caret needs its own line).
class InputError : public Error {
 public:
  using Error::Error;
};

// One requirement as the user wrote it, wherever it came from.
struct UserRequirement {
  // PEP 508 requirement; for a bare path/URL, the name is filled in later (empty until then) and
  // `url` holds the link.
  Requirement requirement;
  // A local path or URL given without "name @" (e.g. "./pkg", "dist/x-1.0-py3-none-any.whl",
  // "https://host/x-1.0.tar.gz#egg=x"); absolute path or URL with the fragment kept.
  std::string link;
  bool editable = false;
  // --hash options of the line: "sha256:<hex>" strings, algorithm lower-cased.
  std::vector<std::string> hashes;
  // -C/--config-settings of the line (or of the command line for its requirements), "KEY=VALUE" as
  // written: the PEP 517 config_settings of every build of this requirement's project.
  std::vector<std::string> config_settings;
  // Where it came from, for "# via" and messages: "-r requirements.txt" style origin and the position.
  std::string origin;  // e.g. "requirements.txt" or "" for the command line
  int line = 0;
};

// Index and resolution options collected from requirements files (and merged with the command line by
// the caller; the command line wins for single-valued options).
struct FileOptions {
  IndexOptions index;  // --index-url, --extra-index-url, --find-links (absolute paths or URLs), ...
  bool pre = false;
  bool require_hashes = false;
  BinaryPolicy binary;
};

struct RequirementSet {
  std::vector<UserRequirement> requirements;
  std::vector<UserRequirement> constraints;
  FileOptions options;
  // Things read but not acted on, for the user: "FILE:LINE: ..." each.
  std::vector<std::string> warnings;
};

// Reads the text of a file named in a requirements file. Paths only by default; the caller may
// provide one that fetches http(s) URLs (pip allows `-r https://...`).
using FileReader = std::function<std::string(const std::string& path_or_url)>;

// How deep -r/-c files may include each other (the top-level file is level 1).
inline constexpr std::size_t kMaxIncludeDepth = 100;

class RequirementsParser {
 public:
  // `environ` looks up ${VAR} values (pip: only names of upper-case letters, digits and '_').
  RequirementsParser(FileReader reader, std::function<std::optional<std::string>(std::string_view)> environ);

  // Parses `path` (and every file it includes) into `out`. constraint=true for -c files, whose lines
  // become constraints. Throws InputError.
  void parse_file(const std::string& path, bool constraint, RequirementSet& out);

  // Parses one requirement argument from the command line ("name[extra]>=1", "./dir", "x.whl", URL).
  static UserRequirement parse_argument(std::string_view text, const std::filesystem::path& cwd);

 private:
  // parse_file for a file that line `from_line` of `from` includes ("" for a top-level file): errors
  // reading it are prefixed with "FROM:LINE: ".
  void parse_included(const std::string& path, bool constraint, RequirementSet& out, const std::string& from,
                      int from_line);

  FileReader reader_;
  std::function<std::optional<std::string>(std::string_view)> environ_;
  std::vector<std::string> stack_;  // files being read, to refuse include cycles
};

// One pip install line as pipenv writes it for a package, e.g. "name[x]==1; marker --hash=sha256:..
// -i URL --trusted-host HOST", "-e ./dir", "name @ https://..", or options alone ("--pre
// --extra-index-url URL"). Unlike a requirements file, whose index options beside a requirement pip
// ignores, the line's index options are kept: they say where its requirement comes from. Relative
// paths are taken from `cwd`. Throws InputError ("ORIGIN: message" with the line and a caret).
struct InstallLine {
  std::optional<UserRequirement> requirement;  // none for an options-only line
  FileOptions options;
};
InstallLine parse_install_line(std::string_view line, const std::filesystem::path& cwd, std::string_view origin);

// pip's FormatControl rules for one --no-binary / --only-binary value ("a,b", ":all:", ":none:"):
// names go to one list and leave the other; ":all:" resets both; ":none:" empties the target.
void apply_binary_option(BinaryPolicy& policy, std::string_view value, bool no_binary);

// Reads a local file whole; throws InputError naming the path (also for a directory).
std::string read_local_file(const std::string& path);

}  // namespace thoth
