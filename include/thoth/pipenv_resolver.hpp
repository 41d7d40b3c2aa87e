// pipenv's resolver protocol, schema version 1 (pipenv/resolver/schema.py, pipenv/resolver/main.py):
// pipenv runs its resolver as a separate program that reads a ResolverRequest JSON file and writes a
// ResolverResponse JSON file. `thoth pipenv-resolver --request-file R --response-file S` is such a
// program, so pipenv can hand its locking to thoth (packaging/pipenv/ registers it as a backend).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/advise.hpp"
#include "thoth/error.hpp"
#include "thoth/session.hpp"

namespace thoth {

inline constexpr int kResolverSchemaVersion = 1;

// A request that cannot be served: not JSON, a field of the wrong type, or another schema version
// (schema_mismatch: pipenv's resolver exits 2 then, 1 for the others).
class ResolverProtocolError : public Error {
 public:
  ResolverProtocolError(std::string message, bool schema_mismatch = false)
      : Error(std::move(message)), schema_mismatch_(schema_mismatch) {}
  bool schema_mismatch() const { return schema_mismatch_; }

 private:
  bool schema_mismatch_ = false;
};

// A locked requirement (schema LockedRequirement): a version, or a VCS pin, a file or a path.
struct ResolverEntry {
  std::string name;
  std::optional<std::string> version;  // "==X"
  std::vector<std::string> extras;
  std::optional<std::string> markers;
  std::vector<std::string> hashes;  // "sha256:<hex>", sorted
  std::optional<std::string> index;  // source name
  std::string vcs_backend;           // "" when not a VCS pin
  std::string vcs_url;
  std::optional<std::string> vcs_ref;
  std::optional<std::string> vcs_subdirectory;
  std::optional<std::string> file;
  std::optional<std::string> path;
  bool editable = false;
  bool no_binary = false;
  std::optional<std::string> subdirectory;
};

struct ResolverRequest {
  std::string category;                       // Pipfile section being resolved ("packages", ...)
  std::map<std::string, std::string> specs;   // package name -> pip requirement line
  bool pre = false;
  bool clear = false;
  bool system = false;
  bool verbose = false;
  std::string backend;                        // options.backend, when given
  std::vector<PipfileSource> sources;         // name, url, verify_ssl
  std::string python_marker_override;         // "3.11.4": resolve for that Python
  std::vector<std::string> extra_pip_args;
  std::vector<ResolverEntry> resolved_default_deps;  // default's pins: constraints for this category
};

// Parses a request. Throws ResolverProtocolError naming the field.
ResolverRequest parse_resolver_request(std::string_view json);

struct ResolverConflict {
  std::string package;
  std::string version;
  std::string requires_;  // "requires" on the wire
};

struct ResolverResponse {
  enum class Kind : std::uint8_t { success, resolution_error, internal_error };
  Kind kind = Kind::internal_error;
  std::vector<ResolverEntry> locked;          // success
  std::vector<ResolverConflict> conflicts;    // resolution_error
  std::string message;                        // resolution_error (pip_message) / internal_error
  std::optional<std::string> traceback;       // internal_error
  // Diagnostics.
  std::vector<std::string> warnings;
  double elapsed_seconds = 0;
  std::string pip_version;                    // "thoth X.Y.Z"
  std::vector<std::string> resolver_log;      // with advice: the score and the justification
};

// json.dump(response, indent=2, sort_keys=True) as pipenv's resolver writes it, plus a newline.
std::string write_resolver_response(const ResolverResponse& response);

// The knowledge-guided search instead of the newest versions (thoth pipenv-resolver --recommend).
struct ResolverAdvice {
  const KnowledgeBase* kb = nullptr;
  Recommendation recommendation = Recommendation::Stable;
  SearchOptions search;
};

// Serves one request: the specs resolved against the request's sources (under `index`'s options)
// for the request's Python (python_marker_override, else `target`), resolved_default_deps as
// constraints, pre-releases as options.pre; each pin with every file hash of its version. A
// resolution failure is a resolution_error response (its explanation in message, the conflicting
// requirements in conflicts); any other failure an internal_error. Never throws for those.
ResolverResponse serve_resolver_request(const ResolverRequest& request, const IndexSettings& index,
                                        const TargetSettings& target, const SessionEnvironment& env,
                                        const ResolverAdvice* advice = nullptr);

}  // namespace thoth
