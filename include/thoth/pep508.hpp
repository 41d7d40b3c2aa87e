// PEP 508 dependency specifiers: project names (PEP 503 normalisation), extras (PEP 685), environment
// markers and the marker environment, and whole requirement lines such as
//   requests[security,socks] >=2.8.1, ==2.8.* ; python_version < "2.7"
//   pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/pep440.hpp"

namespace thoth {

// Thrown for an invalid requirement, marker or name. The message quotes the text and marks the
// position where parsing failed, e.g.  invalid requirement "foo >= ": expected a version at column 7
class RequirementError : public Error {
 public:
  using Error::Error;
  RequirementError(const std::string& message, std::size_t column) : Error(message), column_(column) {}
  // 0-based character offset into the parsed text where parsing failed, when known.
  std::optional<std::size_t> column() const { return column_; }

 private:
  std::optional<std::size_t> column_;
};

// PEP 503 "Normalized names": lower-case, runs of '-', '_', '.' become one '-'.
std::string normalize_name(std::string_view name);
// PEP 508 "Names": ASCII letters/digits, '-', '_', '.', starting and ending with a letter or digit.
bool is_valid_name(std::string_view name);
// PEP 685: extras are normalised exactly like project names.
inline std::string normalize_extra(std::string_view extra) { return normalize_name(extra); }

// The marker variables of PEP 508 "Environment Markers".
enum class MarkerVar : std::uint8_t {
  PythonVersion,
  PythonFullVersion,
  OsName,
  SysPlatform,
  PlatformRelease,
  PlatformSystem,
  PlatformVersion,
  PlatformMachine,
  PlatformPythonImplementation,
  ImplementationName,
  ImplementationVersion,
  Extra,
  // PEP 751 "packages.marker" (packaging 25.0, "Add support for extras and dependency_groups markers",
  // #885): the sets of extras and dependency groups asked of a lock file, tested as  "dev" in extras.
  Extras,
  DependencyGroups,
};
inline constexpr std::size_t kMarkerVarCount = 14;
// The variables whose values describe the interpreter and platform (MarkerEnv), before Extra.
inline constexpr std::size_t kMarkerEnvVarCount = static_cast<std::size_t>(MarkerVar::Extra);

// What an installer was asked to install from a PEP 751 lock file: the values of the set-valued
// marker variables `extras` and `dependency_groups` (any spelling; compared normalised, PEP 685).
struct LockSelection {
  std::vector<std::string> extras;
  std::vector<std::string> dependency_groups;
};

// Canonical name ("python_version"), and lookup of a name as written in a marker (accepts packaging's
// legacy aliases such as "os.name" and "python_implementation").
std::string_view marker_var_name(MarkerVar v);
std::optional<MarkerVar> marker_var_from_name(std::string_view name);

// Values of every marker variable for one target environment. `extra`, `extras` and
// `dependency_groups` are not part of it: they are given at evaluation time.
class MarkerEnv {
 public:
  const std::string& get(MarkerVar v) const { return values_[static_cast<std::size_t>(v)]; }
  // The value parsed as a PEP 440 version, or nullopt if it is not one. Parsed once by set(), so
  // evaluating markers such as  python_version >= "3.8"  never re-parses the environment.
  const std::optional<Version>& version(MarkerVar v) const { return versions_[static_cast<std::size_t>(v)]; }
  void set(MarkerVar v, std::string value) {
    versions_[static_cast<std::size_t>(v)] = Version::try_parse(value);
    values_[static_cast<std::size_t>(v)] = std::move(value);
  }
  friend bool operator==(const MarkerEnv&, const MarkerEnv&) = default;

 private:
  std::array<std::string, kMarkerVarCount> values_;
  std::array<std::optional<Version>, kMarkerVarCount> versions_;
};

// A parsed environment marker expression (an immutable tree; copies share it).
class Marker {
 public:
  struct Node;  // defined in src/pep508

  Marker() = default;  // an empty marker: evaluates to true, prints as ""

  // Throws RequirementError. The whole text must be one marker expression: text after it is an error,
  // as in packaging 23.2 and later ("Enforce that the entire marker string is parsed", #687).
  static Marker parse(std::string_view text);

  // PEP 508 evaluation: when the right-hand side parses as a PEP 440 specifier with the operator, the
  // comparison is a version comparison (pre-releases admitted); otherwise a string comparison; `in` and
  // `not in` are substring tests. `extra` compares normalised names (PEP 685). Throws RequirementError
  // for comparisons that PEP 508 leaves undefined (e.g. `~=` between non-versions) and, as packaging
  // 25.0 does, for a version comparison whose other side is not a version (os_name == "2" on
  // "posix"). Every comparison is evaluated (no short circuit), so such an error anywhere throws.
  // This is packaging's "metadata" context: `extras` and `dependency_groups` are undefined (an error).
  // A python_full_version ending in '+' (an untagged CPython build) is read with "local" appended, as
  // packaging 24.1 and later do (#802, #825).
  bool evaluate(const MarkerEnv& env, std::string_view extra = "") const;

  // The same in a PEP 751 lock file (packaging 25.0's "lock_file" context): `extras` and
  // `dependency_groups` are the sets `selection` gives, which a marker can only test for a member
  // ("x" in extras, "x" not in dependency_groups; == and != compare a string with a set: never equal);
  // `extra` is undefined (an error).
  bool evaluate_in_lock(const MarkerEnv& env, const LockSelection& selection) const;

  // True if the result depends on the `extra` given to evaluate(), i.e. some comparison reads the
  // `extra` variable.
  bool mentions_extra() const;

  // Normalised text as packaging prints it: variables by canonical name, values in double quotes,
  // parentheses only where needed, e.g.  python_version >= "3.8" and extra == "test"
  // Unlike packaging (23 and 25), the text always reads back as the same marker: a value that double
  // quotes would change (one holding '"', say) is printed in single quotes, or with backslash escapes
  // when it holds both quotes, a backslash or a line break.
  std::string str() const;

  friend bool operator==(const Marker& a, const Marker& b) { return a.str() == b.str(); }

  const Node& root() const { return *root_; }  // not for an empty marker

 private:
  explicit Marker(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  friend struct Requirement;

  std::shared_ptr<const Node> root_;
};

struct Requirement {
  std::string name;                 // as written
  std::vector<std::string> extras;  // normalised (PEP 685), sorted, without duplicates
  SpecifierSet specifier;
  std::string url;                  // non-empty for `name @ url`
  std::optional<Marker> marker;
  // The extras as written (sorted, exact duplicates removed). str() prints these, as packaging
  // does, as long as they normalise to `extras`; otherwise it prints `extras`.
  std::vector<std::string> written_extras;

  // Parses one PEP 508 line (no pip options, no comments). Throws RequirementError.
  static Requirement parse(std::string_view text);

  // PEP 508 "Extras" with PEP 685: whether `extra` (any spelling) is one of `extras`.
  bool has_extra(std::string_view extra) const;

  std::string normalized_name() const { return normalize_name(name); }

  // packaging's str(Requirement): name[extras]specifier @ url ; marker
  std::string str() const;
  friend bool operator==(const Requirement& a, const Requirement& b) { return a.str() == b.str(); }
};

}  // namespace thoth
