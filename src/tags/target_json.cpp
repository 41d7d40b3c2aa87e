// The target document: Target::from_json and Target::to_json (format in target.hpp).
#include <map>
#include <span>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "tags/target_markers.hpp"
#include "tags/text.hpp"
#include "thoth/json_text.hpp"
#include "thoth/target.hpp"

namespace thoth {

namespace {

using Value = rapidjson::Value;

[[noreturn]] void fail(const std::string& why) { throw TagError("invalid target description: " + why); }

std::string get_string(const Value& v, std::string_view key) {
  if (!v.IsString()) fail("\"" + std::string(key) + "\" must be a string");
  return std::string(v.GetString(), v.GetStringLength());
}

// A tag part: non-empty, without the '-' and '.' that separate tags and compressed sets.
std::string tag_part(const Value& v, std::string_view key) {
  std::string s = get_string(v, key);
  if (s.empty() || s.find_first_of("-. \t") != std::string::npos) {
    fail("\"" + std::string(key) + "\" holds an invalid tag part \"" + s + "\"");
  }
  return s;
}

std::vector<std::string> tag_part_list(const Value& v, std::string_view key) {
  if (!v.IsArray()) fail("\"" + std::string(key) + "\" must be a list of strings");
  std::vector<std::string> out;
  for (const Value& item : v.GetArray()) out.push_back(tag_part(item, key));
  return out;
}

}  // namespace

Target Target::from_json(std::string_view json) {
  JsonDocument parsed;
  if (std::string error = parse_json(json, parsed); !error.empty()) fail(error);
  const rapidjson::Document& doc = parsed.doc;
  if (!doc.IsObject()) fail("expected a JSON object");

  const Value* python_version = nullptr;
  const Value* platform = nullptr;
  const Value* platforms = nullptr;
  const Value* implementation = nullptr;
  const Value* abis = nullptr;
  const Value* markers = nullptr;
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key == "python_version") python_version = &it->value;
    else if (key == "platform") platform = &it->value;
    else if (key == "platforms") platforms = &it->value;
    else if (key == "implementation") implementation = &it->value;
    else if (key == "abis") abis = &it->value;
    else if (key == "markers") markers = &it->value;
    else if (key != "tags") fail("unknown key \"" + std::string(key) + "\"");  // tags: output only
  }

  Target t;
  if (!python_version) fail("\"python_version\" is missing");
  std::string version_text = get_string(*python_version, "python_version");
  std::optional<Version> version = Version::try_parse(version_text);
  if (!version || version->release().size() > 3 || version->epoch() != 0 || version->has_local() ||
      version->has_big_numbers()) {
    fail("\"python_version\" must look like \"3.11\" or \"3.11.4\", not \"" + version_text + "\"");
  }
  std::span<const std::uint64_t> release = version->release();
  std::string major_minor = std::to_string(release[0]);
  if (release.size() > 1) major_minor += "." + std::to_string(release[1]);
  t.python_version = Version::parse(major_minor);

  t.implementation = implementation ? tag_part(*implementation, "implementation") : "cp";

  std::string first_platform;
  if (platform) {
    first_platform = tag_part(*platform, "platform");
    t.platforms = expand_platform(first_platform);
  }
  if (platforms) {
    t.platforms = tag_part_list(*platforms, "platforms");
    if (t.platforms.empty()) fail("\"platforms\" is empty");
    if (!platform) first_platform = t.platforms.front();
  }
  if (!platform && !platforms) fail("\"platform\" (or \"platforms\") is missing");

  if (abis) {
    t.abis = tag_part_list(*abis, "abis");
  } else if (t.implementation == "cp" && t.python_version.release().size() > 1) {
    t.abis = cpython_abis(t.python_version.release(), CpythonAbiFlags{});
  }

  // Marker values: the ones given win, the rest are derived (see target.hpp).
  std::map<MarkerVar, std::string> given;
  if (markers) {
    if (!markers->IsObject()) fail("\"markers\" must be an object");
    for (auto it = markers->MemberBegin(); it != markers->MemberEnd(); ++it) {
      std::string name(it->name.GetString(), it->name.GetStringLength());
      std::optional<MarkerVar> var = marker_var_from_name(name);
      if (!var || static_cast<std::size_t>(*var) >= kMarkerEnvVarCount) fail("\"markers\" names an unknown variable \"" + name + "\"");
      given[*var] = get_string(it->value, name);
    }
  }
  auto value = [&](MarkerVar var, std::string derived) {
    auto it = given.find(var);
    t.markers.set(var, it != given.end() ? it->second : std::move(derived));
  };
  value(MarkerVar::PythonVersion, major_minor);
  value(MarkerVar::PythonFullVersion, release.size() == 3 ? version->str() : major_minor + ".0");
  std::optional<target_detail::ImplementationMarkers> impl = target_detail::implementation_markers(t.implementation);
  value(MarkerVar::ImplementationName, impl ? impl->name : t.implementation);
  value(MarkerVar::PlatformPythonImplementation, impl ? impl->python_implementation : "");
  value(MarkerVar::ImplementationVersion,
        t.implementation == "cp" ? t.markers.get(MarkerVar::PythonFullVersion) : "");
  value(MarkerVar::PlatformRelease, "");
  value(MarkerVar::PlatformVersion, "");
  std::optional<target_detail::PlatformMarkers> plat = target_detail::platform_markers(first_platform);
  std::optional<std::string> from_platform[] = {
      plat ? std::optional(plat->os_name) : std::nullopt,
      plat ? std::optional(plat->sys_platform) : std::nullopt,
      plat ? std::optional(plat->platform_system) : std::nullopt,
      plat ? plat->platform_machine : std::nullopt};
  const MarkerVar platform_vars[] = {MarkerVar::OsName, MarkerVar::SysPlatform, MarkerVar::PlatformSystem,
                                     MarkerVar::PlatformMachine};
  for (std::size_t i = 0; i < std::size(platform_vars); ++i) {
    MarkerVar var = platform_vars[i];
    if (!from_platform[i] && !given.count(var)) {
      fail("cannot tell " + std::string(marker_var_name(var)) + " from platform \"" + first_platform +
           "\"; give it under \"markers\"");
    }
    value(var, from_platform[i].value_or(""));
  }

  t.recompute_tags();
  return t;
}

std::string Target::to_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto list = [&](const std::vector<std::string>& items) {
    w.StartArray();
    for (const std::string& s : items) str(s);
    w.EndArray();
  };
  w.StartObject();
  str("implementation");
  str(implementation);
  str("python_version");
  str(python_version.str());
  str("markers");
  // Every variable but `extra`, `extras` and `dependency_groups` (evaluation-time inputs), sorted by name.
  std::map<std::string_view, MarkerVar> by_name;
  for (std::size_t i = 0; i < kMarkerEnvVarCount; ++i) {
    auto var = static_cast<MarkerVar>(i);
    by_name.emplace(marker_var_name(var), var);
  }
  w.StartObject();
  for (const auto& [name, var] : by_name) {
    str(name);
    str(markers.get(var));
  }
  w.EndObject();
  str("abis");
  list(abis);
  str("platforms");
  list(platforms);
  str("tags");
  w.StartArray();
  for (const Tag& tag : tags.tags()) str(tag.str());
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace thoth
