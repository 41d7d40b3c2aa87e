// The advisor's knowledge base (KB): facts about package versions ("numpy 1.21.0 has CVE-...",
// "pillow 8.3.0 breaks with numpy 1.19", "orjson 3.9 is twice as fast"), read from JSON files, indexed
// by normalised project name; OSV advisories converted into facts; test outcomes recorded as facts.
//
// KB format version 1 (thoth-kb(5)). Other tools write it, so these names are fixed; more optional
// fields may follow (unknown fields are ignored; `check` lists them as notes):
//
//   {"kb-version": 1,                     required, the integer 1
//    "facts": [                           required, an array of facts
//      {"package": "numpy",               required, a project name in any spelling (PEP 503 normalised)
//       "versions": ">=1.20,<1.22",       PEP 440 specifier set; "" or absent: every version. It covers
//                                         pre-releases in its range too (an affected range is affected
//                                         whatever the release phase).
//       "marker": "python_version < '3.9'",  optional PEP 508 marker, evaluated on the target
//       "with": ["pillow==8.3.0"],        optional PEP 508 requirements the stack must all satisfy
//       "kind": "security",               security | broken | install-failure | performance | other
//                                         (absent: other)
//       "score": -0.5,                    a number (absent: 0); what it adds depends on the
//                                         recommendation (see thoth/scoring.hpp)
//       "veto": false,                    true: no returned stack contains the fact while a stack
//                                         without it exists (absent: false)
//       "message": "...",                 optional text for people
//       "links": ["https://..."],         optional strings
//       "ids": ["CVE-...", "GHSA-..."]}]} optional strings
//
// A fact applies to a stack (a resolution) when the stack pins `package` to a version `versions`
// covers, the marker holds for the target, and the stack satisfies every `with` requirement: one
// whose marker is false on the target holds trivially; otherwise the stack must pin that project at a
// version its specifier covers (pre-releases included), with at least its extras, and for `name @ url`
// from that URL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/pep440.hpp"
#include "thoth/pep508.hpp"
#include "thoth/target.hpp"

namespace thoth {

// Thrown by the advise module: an invalid KB (the message names the file and the fact, e.g.
// "kb.json: facts[3] (numpy): versions: ..."), an unreadable OSV input, a search without a budget.
class AdviseError : public Error {
 public:
  using Error::Error;
};

enum class FactKind : std::uint8_t { Security, Broken, InstallFailure, Performance, Other };

// "security", "broken", "install-failure", "performance", "other".
std::string_view fact_kind_name(FactKind kind);
std::optional<FactKind> fact_kind_from_name(std::string_view name);

struct Fact {
  std::string package;  // as written
  std::string name;     // normalised (PEP 503)
  SpecifierSet versions;
  std::optional<Marker> marker;
  std::vector<Requirement> with;
  FactKind kind = FactKind::Other;
  double score = 0;
  bool veto = false;
  std::string message;
  std::vector<std::string> links;
  std::vector<std::string> ids;
  // Where it was read: the file (as the caller named it) and the position in its "facts" array.
  std::string origin;
  std::size_t index = 0;

  // Whether `versions` covers `version` (pre-releases included).
  bool covers(const Version& version) const { return versions.contains(version, true); }
  // Whether the marker holds on the target's environment (no marker: true). Throws AdviseError naming
  // the fact for a comparison PEP 508 leaves undefined.
  bool holds_on(const MarkerEnv& env) const;
  // How messages name the fact: "kb.json facts[3] (numpy)", or "numpy" for a fact made in memory.
  std::string where() const;
};

// Facts indexed by normalised project name. Move-only: facts_for() hands out pointers into it.
class KnowledgeBase {
 public:
  KnowledgeBase() = default;
  KnowledgeBase(KnowledgeBase&&) = default;
  KnowledgeBase& operator=(KnowledgeBase&&) = default;
  KnowledgeBase(const KnowledgeBase&) = delete;
  KnowledgeBase& operator=(const KnowledgeBase&) = delete;

  void add(Fact fact);
  // Appends every fact of `other` (several KBs merge by concatenation, in the order given).
  void merge(KnowledgeBase&& other);

  std::size_t size() const { return facts_.size(); }
  bool empty() const { return facts_.empty(); }
  // Every fact in load order.
  const std::deque<Fact>& facts() const { return facts_; }
  // The facts about one project (normalised name), in load order.
  std::span<const Fact* const> facts_for(std::string_view name) const;

 private:
  std::deque<Fact> facts_;  // a deque: adding keeps the addresses the index holds
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Looked up (by string_view too), never iterated.
  std::unordered_map<std::string, std::vector<const Fact*>, NameHash, std::equal_to<>> by_name_;
};

// One KB document; `label` names it in messages. Throws AdviseError at the first error.
KnowledgeBase parse_knowledge_base(std::string_view json, const std::string& label);

// KB files, and directories (every regular *.json file below one, in path order), merged in the order
// given. Throws AdviseError for an unreadable path or the first invalid fact.
KnowledgeBase load_knowledge_bases(const std::vector<std::filesystem::path>& paths);

// What `thoth kb check` reports: every error (not only the first), and notes such as unknown fields.
struct KbCheck {
  std::size_t files = 0;
  std::size_t facts = 0;  // valid facts
  std::vector<std::string> errors;
  std::vector<std::string> notes;
  bool ok() const { return errors.empty(); }
};
KbCheck check_knowledge_base(const std::filesystem::path& path);  // a file or a directory
KbCheck check_knowledge_base_text(std::string_view json, const std::string& label);

// A format-1 document holding `facts`, pretty-printed (2-space indent) with the fields in the order
// above; optional fields only when set. Parsing it back gives the same facts.
std::string knowledge_base_json(std::span<const Fact> facts);
std::string knowledge_base_json(const std::vector<Fact>& facts);

// ---- thoth kb explain --------------------------------------------------------------------------

struct FactMatch {
  const Fact* fact = nullptr;
  // Whether its marker holds on the target; nullopt when it has no marker or no target was given.
  std::optional<bool> marker_holds;
};

// The facts about `name` whose versions cover `version`, in KB order (their `with` conditions are
// not evaluated: they concern a whole stack).
std::vector<FactMatch> explain(const KnowledgeBase& kb, std::string_view name, const Version& version,
                               const Target* target = nullptr);
// The same for "NAME==VERSION"; AdviseError for text of another form.
std::vector<FactMatch> explain(const KnowledgeBase& kb, std::string_view pin, const Target* target = nullptr);
// A readable listing, one block per fact, for a terminal.
std::string format_explanation(std::string_view pin, const std::vector<FactMatch>& matches);

// ---- thoth kb import-osv -----------------------------------------------------------------------

// OSV advisories (https://ossf.github.io/osv-schema/) of ecosystem "PyPI" as security facts. Each
// affected range of type ECOSYSTEM gives one fact per affected interval ("introduced: 0" is from the
// first version; fixed excludes, last_affected includes, limit caps), with versions such as
// ">=1.0,<1.2.3"; versions of an explicit `affected[].versions` list no range covers give one "==V"
// fact each. ids = the record's id and aliases; links = its references; message = summary (else the
// first line of details); score = -(CVSS v3 base score / 10) from the affected entry's or record's
// severity, else from database_specific.severity (LOW -0.2, MODERATE/MEDIUM -0.5, HIGH -0.8,
// CRITICAL -0.95), else -0.5. Facts are not vetoes: the security recommendation forbids them anyway.
struct OsvImport {
  std::vector<Fact> facts;
  std::size_t files = 0;             // JSON documents read (files and archive members)
  std::size_t records = 0;           // well-formed records
  std::size_t imported = 0;          // records that gave at least one fact
  std::size_t withdrawn = 0;         // records with "withdrawn": skipped
  std::size_t malformed = 0;         // documents that are not an OSV record: skipped
  std::size_t other_ecosystems = 0;  // affected entries of another ecosystem: skipped
  std::size_t ignored_ranges = 0;    // GIT and SEMVER ranges: skipped (PyPI versions are not SemVer)
  std::size_t skipped_versions = 0;  // range bounds or listed versions that are not PEP 440
  std::vector<std::string> problems;  // "file: what was skipped and why", in input order
};

// Files, directories (every *.json below, in path order) and .zip archives of them (every *.json
// member, in archive order). Throws AdviseError for a path that cannot be read; a malformed record is
// counted, reported in `problems` and skipped.
OsvImport import_osv(const std::vector<std::filesystem::path>& paths);
// One record's text into `out`; `label` names it in problems.
void import_osv_record(std::string_view json, const std::string& label, OsvImport& out);

// ---- thoth kb observe --------------------------------------------------------------------------

struct PinnedVersion {
  std::string name;  // any spelling
  Version version;
};

enum class Outcome : std::uint8_t { Pass, Fail };

inline constexpr double kObservedFailureScore = -1.0;
inline constexpr double kObservedPassScore = 0.1;

// A fact recording that the stack `pins` (a lock's pins; at least one) was tested with `outcome`: it
// applies to exactly that combination. The fact is anchored on the first pin by normalised name
// ("versions": "==V") with every other pin as a `with` condition ("name==V"). A failure is kind
// broken, score kObservedFailureScore, veto true; a pass is kind other, score kObservedPassScore (a
// known-good fact). With a target, the marker restricts it to the target's python_version,
// sys_platform and platform_machine. `message` defaults to "stack tested: pass|fail".
Fact observe(const std::vector<PinnedVersion>& pins, Outcome outcome, std::string message = "",
             const Target* target = nullptr);

}  // namespace thoth
