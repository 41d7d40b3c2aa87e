// pip's installation report (pip 23 models/installation_report.py): one object per package to
// install with its PEP 610 download_info, whether it was requested, and its core metadata in the JSON
// form of PEP 566 ("JSON-compatible Metadata").
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "lock/json_out.hpp"
#include "lock/roots.hpp"
#include "lock/urls.hpp"
#include "thoth/lock.hpp"

namespace thoth {

namespace {

using lock_detail::JsonValue;

// The fields PEP 566 converts, in the order pip writes them, and whether each may repeat (then its
// value is a list).
struct FieldSpec {
  std::string_view name;
  bool multiple;
};
constexpr FieldSpec kMetadataFields[] = {
    {"Metadata-Version", false}, {"Name", false},
    {"Version", false},          {"Dynamic", true},
    {"Platform", true},          {"Supported-Platform", true},
    {"Summary", false},          {"Description", false},
    {"Description-Content-Type", false}, {"Keywords", false},
    {"Home-page", false},        {"Download-URL", false},
    {"Author", false},           {"Author-email", false},
    {"Maintainer", false},       {"Maintainer-email", false},
    {"License", false},          {"Classifier", true},
    {"Requires-Dist", true},     {"Requires-Python", false},
    {"Requires-External", true}, {"Project-URL", true},
    {"Provides-Extra", true},    {"Provides-Dist", true},
    {"Obsoletes-Dist", true},
};

// PEP 566: the key is the field name lower-cased with '-' replaced by '_'.
std::string json_name(std::string_view field) {
  std::string out;
  for (char c : field) out += c == '-' ? '_' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// PEP 566: Keywords becomes a list, split on commas when there are any, else on whitespace.
JsonValue keywords(std::string_view value) {
  JsonValue list = JsonValue::array();
  if (value.find(',') != std::string_view::npos) {
    for (;;) {
      auto comma = value.find(',');
      list.push(JsonValue::string(std::string(trim(value.substr(0, comma)))));
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  } else {
    std::size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      std::size_t start = i;
      while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      if (i > start) list.push(JsonValue::string(std::string(value.substr(start, i - start))));
    }
  }
  return list;
}

// Which of kMetadataFields a header field is (names compare case-insensitively, as
// CoreMetadata::all does); kFieldCount for the fields PEP 566 does not list.
constexpr std::size_t kFieldCount = std::size(kMetadataFields);
std::size_t field_index(std::string_view name) {
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const std::string_view spec = kMetadataFields[i].name;
    if (spec.size() != name.size()) continue;
    // Field names are ASCII: letters differ from their other case in bit 0x20 only.
    bool same = true;
    for (std::size_t k = 0; k < spec.size() && same; ++k)
      same = spec[k] == name[k] || (std::isalpha(static_cast<unsigned char>(spec[k])) && (spec[k] ^ 0x20) == name[k]);
    if (same) return i;
  }
  return kFieldCount;
}

JsonValue metadata_json(const CoreMetadata& md) {
  // The fields sorted into kMetadataFields order in one pass (a report has a hundred packages of
  // twenty-odd fields each), values of a repeated field in file order.
  std::array<std::vector<std::string_view>, kFieldCount> values;
  for (const auto& [name, value] : md.fields) {
    const std::size_t i = field_index(name);
    if (i < kFieldCount) values[i].push_back(value);
  }
  static const std::array<std::string, kFieldCount> keys = [] {
    std::array<std::string, kFieldCount> k;
    for (std::size_t i = 0; i < kFieldCount; ++i) k[i] = json_name(kMetadataFields[i].name);
    return k;
  }();
  JsonValue out = JsonValue::object();
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const FieldSpec& spec = kMetadataFields[i];
    const std::vector<std::string_view>& found = values[i];
    const std::string& key = keys[i];
    if (spec.name == "Description") {
      // The message body (Metadata-Version 2.1+) is the description; pip puts it where the field
      // would be.
      if (!md.description.empty()) {
        out.set(key, JsonValue::string(md.description));
      } else if (!found.empty()) {
        out.set(key, JsonValue::string(std::string(found.front())));
      }
      continue;
    }
    if (found.empty()) continue;
    if (spec.multiple) {
      JsonValue list = JsonValue::array();
      for (std::string_view v : found) list.push(JsonValue::string(std::string(v)));
      out.set(key, std::move(list));
    } else if (spec.name == "Keywords") {
      out.set(key, keywords(found.front()));
    } else {
      out.set(key, JsonValue::string(std::string(found.front())));
    }
  }
  return out;
}

// A pin whose metadata the caller did not supply: what the resolution itself knows.
JsonValue minimal_metadata(const Pin& pin) {
  JsonValue out = JsonValue::object();
  out.set("metadata_version", JsonValue::string("2.1"));
  out.set("name", JsonValue::string(pin.display_name.empty() ? pin.name : pin.display_name));
  out.set("version", JsonValue::string(pin.version.str()));
  if (!pin.requires_dist.empty()) {
    JsonValue list = JsonValue::array();
    for (const Requirement& r : pin.requires_dist) list.push(JsonValue::string(r.str()));
    out.set("requires_dist", std::move(list));
  }
  return out;
}

// PEP 610 archive_info: pip records one hash ("algo=value") and the same as a "hashes" table.
JsonValue archive_info(const std::map<std::string, std::string>& hashes) {
  JsonValue info = JsonValue::object();
  std::string algo;
  for (std::string_view preferred : {"sha256", "sha512", "sha384", "sha224", "sha1", "md5"})
    if (algo.empty() && hashes.count(std::string(preferred))) algo = preferred;
  if (algo.empty() && !hashes.empty()) algo = hashes.begin()->first;
  if (!algo.empty()) {
    const std::string& value = hashes.at(algo);
    info.set("hash", JsonValue::string(algo + "=" + value));
    JsonValue table = JsonValue::object();
    table.set(algo, JsonValue::string(value));
    info.set("hashes", std::move(table));
  }
  return info;
}

JsonValue download_info(const Pin& pin, const lock_detail::RootInfo* root) {
  JsonValue info = JsonValue::object();
  std::string direct = pin.direct_url;
  if (direct.empty() && root != nullptr && !root->link.empty()) direct = lock_detail::link_url(root->link);
  if (!direct.empty() && !lock_detail::is_archive_url(direct)) {
    // PEP 610 dir_info: a local source tree.
    info.set("url", JsonValue::string(lock_detail::strip_credentials(lock_detail::without_fragment(direct))));
    JsonValue dir = JsonValue::object();
    if (root != nullptr && root->editable) dir.set("editable", JsonValue::boolean(true));
    info.set("dir_info", std::move(dir));
    return info;
  }
  std::map<std::string, std::string> hashes;
  std::string url;
  if (!direct.empty()) {
    url = direct;
    hashes = lock_detail::fragment_hashes(direct);
    for (const DistFile& f : pin.files)
      if (lock_detail::without_fragment(f.url) == lock_detail::without_fragment(direct))
        for (const auto& [a, v] : f.hashes) hashes[a] = v;
  } else if (!pin.files.empty()) {
    // The file pip would download: the best usable one.
    url = pin.files.front().url;
    hashes = pin.files.front().hashes;
  }
  info.set("url", JsonValue::string(lock_detail::strip_credentials(lock_detail::without_fragment(url))));
  info.set("archive_info", archive_info(hashes));
  return info;
}

// The target's marker environment, keyed and ordered as packaging's default_environment().
JsonValue environment_json(const Target& target) {
  constexpr MarkerVar kOrder[] = {
      MarkerVar::ImplementationName, MarkerVar::ImplementationVersion, MarkerVar::OsName,
      MarkerVar::PlatformMachine,    MarkerVar::PlatformRelease,       MarkerVar::PlatformSystem,
      MarkerVar::PlatformVersion,    MarkerVar::PythonFullVersion,     MarkerVar::PlatformPythonImplementation,
      MarkerVar::PythonVersion,      MarkerVar::SysPlatform,
  };
  JsonValue env = JsonValue::object();
  for (MarkerVar v : kOrder) env.set(std::string(marker_var_name(v)), JsonValue::string(target.markers.get(v)));
  return env;
}

}  // namespace

std::string write_report(const Resolution& resolution, const LockContext& context) {
  auto roots = lock_detail::root_info(context.requirements, resolution.target.markers);
  JsonValue doc = JsonValue::object();
  doc.set("version", JsonValue::string("1"));
  doc.set("pip_version", JsonValue::string("thoth " + context.tool_version));
  JsonValue& install = doc.set("install", JsonValue::array());
  std::vector<const Pin*> pins;
  for (const Pin& p : resolution.pins) pins.push_back(&p);
  std::sort(pins.begin(), pins.end(), [](const Pin* a, const Pin* b) { return a->name < b->name; });
  for (const Pin* pin : pins) {
    auto it = roots.find(pin->name);
    const lock_detail::RootInfo* root = it == roots.end() ? nullptr : &it->second;
    JsonValue item = JsonValue::object();
    item.set("download_info", download_info(*pin, root));
    // is_direct: a direct URL reference (including editables), not found on an index or find-links.
    bool direct = !pin->direct_url.empty() || (root != nullptr && !root->link.empty());
    item.set("is_direct", JsonValue::boolean(direct));
    item.set("requested", JsonValue::boolean(root != nullptr && root->requested));
    auto md = context.metadata.find(pin->name);
    item.set("metadata", md != context.metadata.end() ? metadata_json(md->second) : minimal_metadata(*pin));
    if (root != nullptr && !root->written_extras.empty()) {
      JsonValue extras = JsonValue::array();
      for (const std::string& e : root->written_extras) extras.push(JsonValue::string(e));
      item.set("requested_extras", std::move(extras));
    }
    install.push(std::move(item));
  }
  doc.set("environment", environment_json(resolution.target));
  std::string text = doc.dump();  // hundreds of KB: appended to, not copied into a sum
  text += '\n';
  return text;
}

}  // namespace thoth
