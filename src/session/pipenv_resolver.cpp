// pipenv's resolver protocol, schema version 1 (pipenv/resolver/schema.py): the request read, served
// by the session's pipeline (or the advisor), the response written as pipenv's resolver writes it.
#include "thoth/pipenv_resolver.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "thoth/json_text.hpp"

namespace thoth {

namespace {

using Json = rapidjson::Value;

[[noreturn]] void bad(const std::string& message) { throw ResolverProtocolError("invalid request: " + message); }

std::string string_at(const Json& obj, const char* key, const std::string& where, bool required = false) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    if (required) bad(where + key + " is required");
    return {};
  }
  if (!it->value.IsString()) bad(where + key + " must be a string");
  return {it->value.GetString(), it->value.GetStringLength()};
}

bool bool_at(const Json& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return false;
  if (!it->value.IsBool()) bad(where + key + " must be true or false");
  return it->value.GetBool();
}

std::vector<std::string> strings_at(const Json& obj, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return out;
  if (!it->value.IsArray()) bad(where + key + " must be an array of strings");
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString()) bad(where + key + " must be an array of strings");
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

ResolverEntry entry_of(const Json& e, const std::string& where) {
  if (!e.IsObject()) bad(where + " must be an object");
  ResolverEntry out;
  out.name = string_at(e, "name", where + ".", true);
  std::string version = string_at(e, "version", where + ".");
  if (!version.empty()) out.version = version;
  out.extras = strings_at(e, "extras", where + ".");
  out.hashes = strings_at(e, "hashes", where + ".");
  std::string markers = string_at(e, "markers", where + ".");
  if (!markers.empty()) out.markers = markers;
  std::string index = string_at(e, "index", where + ".");
  if (!index.empty()) out.index = index;
  auto vcs = e.FindMember("vcs");
  if (vcs != e.MemberEnd() && vcs->value.IsObject()) {
    out.vcs_backend = string_at(vcs->value, "backend", where + ".vcs.", true);
    out.vcs_url = string_at(vcs->value, "url", where + ".vcs.", true);
  }
  std::string file = string_at(e, "file", where + ".");
  if (!file.empty()) out.file = file;
  std::string path = string_at(e, "path", where + ".");
  if (!path.empty()) out.path = path;
  out.editable = bool_at(e, "editable", where + ".");
  return out;
}

// One spec: the pip install line pipenv writes for a package (pipenv's dependency_as_pip_install_line):
// "name[x]==1; marker --hash=.. -i URL [--trusted-host HOST]", "-e PATH", "name @ URL" or "PATH[x]".
InstallLine spec_line(const std::string& name, const std::string& line) {
  InstallLine spec;
  try {
    spec = parse_install_line(line, std::filesystem::current_path(), "packages.specs." + name);
  } catch (const Error& e) {
    bad(e.what());
  }
  if (!spec.requirement) bad("packages.specs." + name + ": '" + line + "' names no requirement");
  UserRequirement& r = *spec.requirement;
  r.origin = "";
  if (r.requirement.name.empty()) r.requirement.name = name;
  return spec;
}

// pipenv writes "-i URL" on a package's line for the one source it may come from (the entry's `index`,
// else the first source): that package is then asked of that index only (IndexConfig::project_indexes),
// which is added as an extra index when no source names it.
void restrict_to_line_index(const std::string& name, const FileOptions& line, FileOptions& inputs) {
  IndexOptions& index = inputs.index;
  for (const std::string& host : line.index.trusted_hosts) index.trusted_hosts.push_back(host);
  if (!line.index.index_url) return;
  const std::string& url = *line.index.index_url;
  const bool listed = index.index_url == url ||
                      std::find(index.extra_index_urls.begin(), index.extra_index_urls.end(), url) !=
                          index.extra_index_urls.end();
  if (!listed) index.extra_index_urls.push_back(url);
  index.project_indexes[normalize_name(name)] = url;
}

// Quotes one argument for the shell-like split of an install line, when it needs it (an option must
// stay unquoted: the line's options start at the first word beginning with '-').
std::string shell_quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n\r\f\v'\"\\#") == std::string::npos) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
  return out + "'";
}

// pipenv's extra pip arguments (PIPENV_EXTRA_PIP_ARGS, `pipenv lock --extra-pip-args`): the index and
// resolution options a requirements file accepts (-i, --extra-index-url, -f, --no-index,
// --trusted-host, --pre, --no-binary, --only-binary, --prefer-binary) are applied; any other argument
// (pip's install options such as --no-deps) is left out with a warning naming it. An option and the
// values after it are one group; each group is checked on its own so one unknown option does not hide
// the others.
void apply_extra_pip_args(const std::vector<std::string>& args, FileOptions& inputs, Messages& messages) {
  std::vector<std::vector<std::string>> groups;
  for (const std::string& arg : args) {
    if (groups.empty() || (!arg.empty() && arg[0] == '-')) groups.emplace_back();
    groups.back().push_back(arg);
  }
  std::string accepted;
  for (const auto& group : groups) {
    std::string line;
    for (const std::string& arg : group) line += (line.empty() ? "" : " ") + shell_quoted(arg);
    std::string shown;
    for (const std::string& arg : group) shown += (shown.empty() ? "" : " ") + arg;
    try {
      if (parse_install_line(line, std::filesystem::current_path(), "extra_pip_args").requirement) {
        messages.warning("extra pip argument '" + shown + "' names a requirement: thoth ignores it");
        continue;
      }
    } catch (const Error&) {
      messages.warning("extra pip argument '" + shown + "' is ignored by thoth (not an index or resolution option)");
      continue;
    }
    accepted += (accepted.empty() ? "" : " ") + line;
  }
  if (accepted.empty()) return;
  const FileOptions extra = parse_install_line(accepted, std::filesystem::current_path(), "extra_pip_args").options;
  // pipenv passes them after the sources' options, so a -i here replaces the first source, as in pip.
  if (extra.index.index_url) inputs.index.index_url = extra.index.index_url;
  auto append = [](std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  };
  append(inputs.index.extra_index_urls, extra.index.extra_index_urls);
  append(inputs.index.find_links, extra.index.find_links);
  append(inputs.index.trusted_hosts, extra.index.trusted_hosts);
  if (extra.index.no_index) inputs.index.no_index = true;
  if (extra.pre) inputs.pre = true;
  inputs.binary = extra.binary;  // the sources set no binary policy
}

// Markers as pipenv writes them (packaging's form, single quotes).
std::string pipenv_markers(const Marker& m) {
  std::string text = m.str();
  std::replace(text.begin(), text.end(), '"', '\'');
  return text;
}

// The rows of pip's "The conflict is caused by" table that a PubGrub explanation names: "foo 1.0
// depends on bar>=2" and "you require foo==1.0 which depends on bar>=2" give (foo, 1.0, bar>=2); "you
// require bar<2" gives ("<user>", "", bar<2). A requirement ends at ", ", ". ", " which ", " and ".
std::vector<ResolverConflict> conflicts_of(const std::string& explanation) {
  static const std::string kName = R"([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)";
  static const std::string kRequirement = R"(([^ ]+?(?: ?[;@] ?[^,]+?)?)(?=, |\. |\.?$|\.\n| which | and |\n))";
  static const std::regex depends("(" + kName + ") ([0-9][^ ,]*) depends on " + kRequirement);
  static const std::regex pinned("you require (" + kName + ")===?([0-9][^ ,]*) which depends on " + kRequirement);
  static const std::regex user("you require " + kRequirement);
  std::vector<ResolverConflict> out;
  auto add = [&out](ResolverConflict c) {
    if (std::none_of(out.begin(), out.end(), [&](const ResolverConflict& o) {
          return o.package == c.package && o.version == c.version && o.requires_ == c.requires_;
        }))
      out.push_back(std::move(c));
  };
  for (std::sregex_iterator it(explanation.begin(), explanation.end(), pinned), end; it != end; ++it)
    add({(*it)[1], (*it)[2], (*it)[3]});
  for (std::sregex_iterator it(explanation.begin(), explanation.end(), depends), end; it != end; ++it)
    add({(*it)[1], (*it)[2], (*it)[3]});
  for (std::sregex_iterator it(explanation.begin(), explanation.end(), user), end; it != end; ++it) {
    const std::string req = (*it)[1];
    // "you require foo==1.0 which depends on ..." is the package's row, not a user requirement.
    const std::size_t after = static_cast<std::size_t>(it->position(0) + it->length(0));
    if (explanation.compare(after, 7, " which ") == 0) continue;
    add({"<user>", "", req});
  }
  return out;
}

JsonValue number(double d) {
  JsonValue v;
  v.kind = JsonValue::Kind::real;
  v.real = d;
  return v;
}

JsonValue integer(std::int64_t i) {
  JsonValue v;
  v.kind = JsonValue::Kind::integer;
  v.integer = i;
  return v;
}

JsonValue strings(const std::vector<std::string>& items) {
  JsonValue a = JsonValue::array();
  for (const std::string& s : items) a.items.push_back(JsonValue::of(s));
  return a;
}

// LockedRequirement.to_json_dict: fields that are None, empty or false are left out.
JsonValue entry_json(const ResolverEntry& e) {
  JsonValue o = JsonValue::object();
  o.members["name"] = JsonValue::of(e.name);
  if (e.version) o.members["version"] = JsonValue::of(*e.version);
  if (!e.extras.empty()) {
    std::vector<std::string> extras = e.extras;
    std::sort(extras.begin(), extras.end());
    o.members["extras"] = strings(extras);
  }
  if (e.markers) o.members["markers"] = JsonValue::of(*e.markers);
  if (!e.hashes.empty()) {
    std::vector<std::string> hashes = e.hashes;
    std::sort(hashes.begin(), hashes.end());
    o.members["hashes"] = strings(hashes);
  }
  if (e.index) o.members["index"] = JsonValue::of(*e.index);
  if (!e.vcs_backend.empty()) {
    JsonValue vcs = JsonValue::object();
    vcs.members["backend"] = JsonValue::of(e.vcs_backend);
    vcs.members["url"] = JsonValue::of(e.vcs_url);
    if (e.vcs_ref) vcs.members["ref"] = JsonValue::of(*e.vcs_ref);
    if (e.vcs_subdirectory) vcs.members["subdirectory"] = JsonValue::of(*e.vcs_subdirectory);
    o.members["vcs"] = vcs;
  }
  if (e.file) o.members["file"] = JsonValue::of(*e.file);
  if (e.path) o.members["path"] = JsonValue::of(*e.path);
  if (e.editable) o.members["editable"] = JsonValue::of(true);
  if (e.no_binary) o.members["no_binary"] = JsonValue::of(true);
  if (e.subdirectory) o.members["subdirectory"] = JsonValue::of(*e.subdirectory);
  return o;
}

// Collects the session's warnings for the response's diagnostics (and notes, with verbose).
class Collector final : public Messages {
 public:
  explicit Collector(bool verbose) : verbose_(verbose) {}
  void warning(std::string_view text) override { warnings.emplace_back(text); }
  void note(std::string_view text) override {
    if (verbose_) notes.emplace_back(text);
  }
  std::vector<std::string> warnings;
  std::vector<std::string> notes;

 private:
  bool verbose_;
};

}  // namespace

ResolverRequest parse_resolver_request(std::string_view text) {
  JsonDocument parsed;  // depth-bounded (thoth/json_text.hpp)
  if (std::string error = parse_json(text, parsed); !error.empty())
    throw ResolverProtocolError("request is not JSON (" + error + ")");
  const rapidjson::Document& doc = parsed.doc;
  if (!doc.IsObject()) throw ResolverProtocolError("request is not a JSON object");
  // The schema version first, before anything else of the payload is trusted (schema.py's two-stage parse).
  auto sv = doc.FindMember("schema_version");
  if (sv == doc.MemberEnd() || !sv->value.IsInt() || sv->value.GetInt() != kResolverSchemaVersion) {
    std::string got = sv == doc.MemberEnd() ? "none" : sv->value.IsInt() ? std::to_string(sv->value.GetInt()) : "not a number";
    throw ResolverProtocolError("schema version mismatch: request has " + got + ", thoth speaks " +
                                    std::to_string(kResolverSchemaVersion),
                                true);
  }
  ResolverRequest r;
  r.category = string_at(doc, "category", "", true);
  auto packages = doc.FindMember("packages");
  if (packages == doc.MemberEnd() || !packages->value.IsObject()) bad("packages must be an object with specs");
  auto specs = packages->value.FindMember("specs");
  if (specs != packages->value.MemberEnd()) {
    if (!specs->value.IsObject()) bad("packages.specs must map names to requirement lines");
    for (const auto& m : specs->value.GetObject()) {
      if (!m.value.IsString()) bad("packages.specs." + std::string(m.name.GetString()) + " must be a string");
      r.specs.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                      std::string(m.value.GetString(), m.value.GetStringLength()));
    }
  }
  auto options = doc.FindMember("options");
  if (options == doc.MemberEnd() || !options->value.IsObject()) bad("options must be an object");
  r.pre = bool_at(options->value, "pre", "options.");
  r.clear = bool_at(options->value, "clear", "options.");
  r.system = bool_at(options->value, "system", "options.");
  r.verbose = bool_at(options->value, "verbose", "options.");
  r.backend = string_at(options->value, "backend", "options.");
  auto sources = doc.FindMember("sources");
  if (sources != doc.MemberEnd()) {
    if (!sources->value.IsArray()) bad("sources must be an array");
    std::size_t i = 0;
    for (const auto& s : sources->value.GetArray()) {
      const std::string where = "sources[" + std::to_string(i++) + "].";
      if (!s.IsObject()) bad(where.substr(0, where.size() - 1) + " must be an object");
      PipfileSource source;
      source.name = string_at(s, "name", where, true);
      source.url = string_at(s, "url", where, true);
      auto verify = s.FindMember("verify_ssl");
      if (verify != s.MemberEnd()) {
        if (!verify->value.IsBool()) bad(where + "verify_ssl must be true or false");
        source.verify_ssl = verify->value.GetBool();
      }
      r.sources.push_back(std::move(source));
    }
  }
  r.python_marker_override = string_at(doc, "python_marker_override", "");
  r.extra_pip_args = strings_at(doc, "extra_pip_args", "");
  auto resolved = doc.FindMember("resolved_default_deps");
  if (resolved != doc.MemberEnd() && !resolved->value.IsNull()) {
    if (!resolved->value.IsObject()) bad("resolved_default_deps must be an object with entries");
    auto entries = resolved->value.FindMember("entries");
    if (entries != resolved->value.MemberEnd()) {
      if (!entries->value.IsArray()) bad("resolved_default_deps.entries must be an array");
      std::size_t i = 0;
      for (const auto& e : entries->value.GetArray())
        r.resolved_default_deps.push_back(entry_of(e, "resolved_default_deps.entries[" + std::to_string(i++) + "]"));
    }
  }
  return r;
}

std::string write_resolver_response(const ResolverResponse& response) {
  JsonValue doc = JsonValue::object();
  doc.members["schema_version"] = integer(kResolverSchemaVersion);
  JsonValue result = JsonValue::object();
  switch (response.kind) {
    case ResolverResponse::Kind::success: {
      result.members["kind"] = JsonValue::of(std::string("success"));
      JsonValue locked = JsonValue::array();
      for (const ResolverEntry& e : response.locked) locked.items.push_back(entry_json(e));
      result.members["locked"] = locked;
      break;
    }
    case ResolverResponse::Kind::resolution_error: {
      result.members["kind"] = JsonValue::of(std::string("resolution_error"));
      JsonValue conflicts = JsonValue::array();
      for (const ResolverConflict& c : response.conflicts) {
        JsonValue o = JsonValue::object();
        o.members["package"] = JsonValue::of(c.package);
        o.members["version"] = JsonValue::of(c.version);
        o.members["requires"] = JsonValue::of(c.requires_);
        conflicts.items.push_back(o);
      }
      result.members["conflicts"] = conflicts;
      result.members["pip_message"] = JsonValue::of(response.message);
      break;
    }
    case ResolverResponse::Kind::internal_error:
      result.members["kind"] = JsonValue::of(std::string("internal_error"));
      result.members["message"] = JsonValue::of(response.message);
      if (response.traceback) result.members["traceback"] = JsonValue::of(*response.traceback);
      break;
  }
  doc.members["result"] = result;
  JsonValue diagnostics = JsonValue::object();
  diagnostics.members["elapsed_seconds"] = number(response.elapsed_seconds);
  diagnostics.members["pip_version"] = JsonValue::of(response.pip_version);
  diagnostics.members["resolver_log"] = strings(response.resolver_log);
  diagnostics.members["warnings"] = strings(response.warnings);
  doc.members["diagnostics"] = diagnostics;
  return python_json(doc, 2) + "\n";
}

ResolverResponse serve_resolver_request(const ResolverRequest& request, const IndexSettings& index,
                                        const TargetSettings& target, const SessionEnvironment& env,
                                        const ResolverAdvice* advice) {
  const auto started = std::chrono::steady_clock::now();
  ResolverResponse response;
  response.pip_version = std::string("thoth ") + THOTH_VERSION;
  Collector messages(request.verbose);
  SessionEnvironment quiet = env;
  quiet.messages = &messages;
  try {
    TargetSettings for_request = target;
    // schema.py: python_marker_override "3.11.4" sets python_version 3.11 and python_full_version.
    if (!request.python_marker_override.empty()) for_request.python_version = request.python_marker_override;
    Session session(index, for_request, quiet);

    RequirementSet inputs;
    Pipfile sources;
    sources.sources = request.sources;
    const EnvironLookup environ = [&env](std::string_view name) { return env.getenv(std::string(name)); };
    if (!request.sources.empty()) inputs.options.index = pipfile_index_options(sources, environ);
    for (const auto& [name, line] : request.specs) {
      InstallLine spec = spec_line(name, line);
      restrict_to_line_index(spec.requirement->requirement.name, spec.options, inputs.options);
      inputs.requirements.push_back(std::move(*spec.requirement));
    }
    apply_extra_pip_args(request.extra_pip_args, inputs.options, messages);
    std::vector<Requirement> constraints;
    for (const ResolverEntry& e : request.resolved_default_deps) {
      if (!e.version || e.version->rfind("==", 0) != 0) continue;  // only version pins constrain
      try {
        constraints.push_back(Requirement::parse(e.name + *e.version));
      } catch (const Error& err) {
        bad("resolved_default_deps: " + e.name + ": " + err.what());
      }
    }
    std::vector<std::string> prefetch;
    for (const UserRequirement& r : inputs.requirements)
      if (r.link.empty() && !r.requirement.marker) prefetch.push_back(r.requirement.name);
    session.open(inputs.options.index, prefetch);
    ResolveSettings settings;
    settings.pre = request.pre;
    const ResolveOptions options = session.resolve_options(inputs, settings);
    Resolution resolution;
    if (advice != nullptr) {
      Advice found = session.advise(inputs, options, *advice->kb, advice->recommendation, advice->search, constraints);
      const AdvisedStack& best = found.stacks.front();
      std::ostringstream score;
      score << "thoth advise: recommendation " << recommendation_name(advice->recommendation) << ", score "
            << best.score.total.score << ", vetoed facts " << best.score.total.vetoes << ", "
            << found.stats.states << " stack(s) visited";
      response.resolver_log.push_back(score.str());
      std::istringstream table(justification_table(found));
      for (std::string line; std::getline(table, line);) response.resolver_log.push_back(line);
      response.resolver_log.push_back(justification_json(found));
      resolution = best.resolution;
    } else {
      LatestPolicy latest;
      resolution = session.resolve(inputs, options, latest, constraints);
    }
    LockNeeds needs;
    needs.release_files = true;
    needs.pin_hashes = true;
    const Lock lock = to_lock(resolution, session.lock_inputs(resolution, inputs, options, needs));

    // The source a root package came from, by name: the one its line restricted it to, else the first.
    auto source_of = [&](const std::string& name) -> std::optional<std::string> {
      if (request.sources.empty()) return std::nullopt;
      auto restricted = inputs.options.index.project_indexes.find(name);
      if (restricted != inputs.options.index.project_indexes.end())
        for (const PipfileSource& s : request.sources) {
          Pipfile one;
          one.sources = {s};
          if (pipfile_index_options(one, environ).index_url == restricted->second) return s.name;
        }
      return request.sources.front().name;
    };
    for (const LockedPackage& p : lock.packages) {
      ResolverEntry e;
      e.name = p.name;
      const UserRequirement* root = nullptr;
      for (const UserRequirement& r : inputs.requirements)
        if (normalize_name(r.requirement.name) == p.name) root = &r;
      if (!p.direct_url.empty()) {
        const bool local = p.direct_url.rfind("file://", 0) == 0 && root != nullptr && root->link.rfind("/", 0) == 0;
        if (local) {
          e.path = root->link;
        } else {
          e.file = p.direct_url;
        }
        e.editable = p.editable;
      } else if (p.version) {
        e.version = "==" + p.version->str();
        if (root != nullptr) e.index = source_of(p.name);
      }
      e.hashes = p.hashes;
      if (e.hashes.empty())
        for (const LockedFile& f : p.files)
          if (!f.sha256().empty()) e.hashes.push_back("sha256:" + f.sha256());
      if (root != nullptr) e.extras = root->requirement.written_extras;
      if (p.marker && !p.marker->str().empty()) e.markers = pipenv_markers(*p.marker);
      response.locked.push_back(std::move(e));
    }
    response.kind = ResolverResponse::Kind::success;
  } catch (const ResolverProtocolError&) {
    throw;
  } catch (const ResolutionError& e) {
    response.kind = ResolverResponse::Kind::resolution_error;
    response.message = e.explanation().empty() ? e.what() : std::string(e.what()) + "\n" + e.explanation();
    response.conflicts = conflicts_of(e.explanation());
  } catch (const std::exception& e) {
    response.kind = ResolverResponse::Kind::internal_error;
    response.message = e.what();
  }
  response.warnings = messages.warnings;
  response.resolver_log.insert(response.resolver_log.begin(), messages.notes.begin(), messages.notes.end());
  response.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return response;
}

}  // namespace thoth
