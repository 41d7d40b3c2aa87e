// pip's installation report (pip 23 models/installation_report.py): one object per package to
// install with its PEP 610 download_info, whether it was requested, and its core metadata in the JSON
// form of PEP 566 ("JSON-compatible Metadata").
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lock/hash_names.hpp"
#include "lock/json_out.hpp"
#include "base/ascii.hpp"
#include "thoth/lock.hpp"
#include "base/link.hpp"
#include "base/trim.hpp"

namespace thoth {

namespace {

using lock_detail::JsonWriter;

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

// PEP 566: Keywords becomes a list, split on commas when there are any, else on whitespace.
void write_keywords(JsonWriter& w, std::string_view value) {
  w.begin_array();
  if (value.find(',') != std::string_view::npos) {
    for (;;) {
      auto comma = value.find(',');
      w.string(base::trim(value.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  } else {
    std::size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      std::size_t start = i;
      while (i < value.size() && !std::isspace(static_cast<unsigned char>(value[i]))) ++i;
      if (i > start) w.string(value.substr(start, i - start));
    }
  }
  w.end_array();
}

// Which of kMetadataFields a header field is (names compare case-insensitively, as
// CoreMetadata::all does); kFieldCount for the fields PEP 566 does not list.
constexpr std::size_t kFieldCount = std::size(kMetadataFields);
std::size_t field_index(std::string_view name) {
  for (std::size_t i = 0; i < kFieldCount; ++i)
    if (base::ascii_iequals(kMetadataFields[i].name, name)) return i;
  return kFieldCount;
}

void write_metadata(JsonWriter& w, const CoreMetadata& md) {
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
  w.begin_object();
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const FieldSpec& spec = kMetadataFields[i];
    const std::vector<std::string_view>& found = values[i];
    if (spec.name == "Description") {
      // The message body (Metadata-Version 2.1+) is the description; pip puts it where the field
      // would be.
      if (!md.description.empty()) {
        w.key(keys[i]);
        w.string(md.description);
      } else if (!found.empty()) {
        w.key(keys[i]);
        w.string(found.front());
      }
      continue;
    }
    if (found.empty()) continue;
    w.key(keys[i]);
    if (spec.multiple) {
      w.begin_array();
      for (std::string_view v : found) w.string(v);
      w.end_array();
    } else if (spec.name == "Keywords") {
      write_keywords(w, found.front());
    } else {
      w.string(found.front());
    }
  }
  w.end_object();
}

// A package whose metadata the lock does not carry: what the resolution itself knows.
void write_minimal_metadata(JsonWriter& w, const LockedPackage& p) {
  w.begin_object();
  w.key("metadata_version");
  w.string("2.1");
  w.key("name");
  w.string(p.display_name.empty() ? p.name : p.display_name);
  w.key("version");
  w.string(p.version ? p.version->str() : std::string());
  if (!p.requires_dist.empty()) {
    w.key("requires_dist");
    w.begin_array();
    for (const Requirement& r : p.requires_dist) w.string(r.str());
    w.end_array();
  }
  w.end_object();
}

// PEP 610 archive_info: pip records one hash ("algo=value") and the same as a "hashes" table.
void write_archive_info(JsonWriter& w, const std::map<std::string, std::string>& hashes) {
  w.begin_object();
  std::string algo;
  for (std::string_view preferred : {"sha256", "sha512", "sha384", "sha224", "sha1", "md5"})
    if (algo.empty() && hashes.count(std::string(preferred))) algo = preferred;
  // Another lock's odd key ("", "a=b") would not read back from "algo=value".
  for (const auto& [name, value] : hashes)
    if (algo.empty() && lock_detail::is_hash_algorithm_name(name)) algo = name;
  if (!algo.empty()) {
    const std::string& value = hashes.at(algo);
    w.key("hash");
    w.string(algo + "=" + value);
    w.key("hashes");
    w.begin_object();
    w.key(algo);
    w.string(value);
    w.end_object();
  }
  w.end_object();
}

void write_download_info(JsonWriter& w, const LockedPackage& p) {
  w.begin_object();
  const std::string& direct = p.direct_url;
  if (p.is_source_tree()) {
    // PEP 610 dir_info: a local source tree.
    w.key("url");
    w.string(base::strip_credentials(base::without_fragment(direct)));
    w.key("dir_info");
    w.begin_object();
    if (p.editable) {
      w.key("editable");
      w.boolean(true);
    }
    w.end_object();
    w.end_object();
    return;
  }
  std::map<std::string, std::string> hashes;
  std::string url;
  if (!direct.empty()) {
    url = direct;
    hashes = base::link_hashes(direct);
    for (const LockedFile& f : p.files)
      if (base::without_fragment(f.url) == base::without_fragment(direct))
        for (const auto& [a, v] : f.hashes) hashes[a] = v;
  } else if (!p.files.empty()) {
    // The file pip would download: the best usable one.
    url = p.files.front().url;
    hashes = p.files.front().hashes;
  }
  w.key("url");
  w.string(base::strip_credentials(base::without_fragment(url)));
  w.key("archive_info");
  write_archive_info(w, hashes);
  w.end_object();
}

// The target's marker environment, keyed and ordered as packaging's default_environment().
void write_environment(JsonWriter& w, const MarkerEnv& env) {
  constexpr MarkerVar kOrder[] = {
      MarkerVar::ImplementationName, MarkerVar::ImplementationVersion, MarkerVar::OsName,
      MarkerVar::PlatformMachine,    MarkerVar::PlatformRelease,       MarkerVar::PlatformSystem,
      MarkerVar::PlatformVersion,    MarkerVar::PythonFullVersion,     MarkerVar::PlatformPythonImplementation,
      MarkerVar::PythonVersion,      MarkerVar::SysPlatform,
  };
  w.begin_object();
  for (MarkerVar v : kOrder) {
    w.key(marker_var_name(v));
    w.string(env.get(v));
  }
  w.end_object();
}

}  // namespace

std::string write_report(const Lock& lock) {
  std::vector<const LockedPackage*> packages;
  for (const LockedPackage& p : lock.packages) packages.push_back(&p);
  std::sort(packages.begin(), packages.end(),
            [](const LockedPackage* a, const LockedPackage* b) { return a->name < b->name; });

  std::string text;
  // Most of a report is the packages' metadata, descriptions above all: start near its size.
  std::size_t expected = 4096;
  for (const LockedPackage* p : packages)
    if (p->metadata) expected += p->metadata->description.size() + 2048;
  text.reserve(expected);
  JsonWriter w(text);
  w.begin_object();
  w.key("version");
  w.string("1");
  w.key("pip_version");
  w.string("thoth " + lock.tool_version);
  w.key("install");
  w.begin_array();
  for (const LockedPackage* p : packages) {
    w.begin_object();
    w.key("download_info");
    write_download_info(w, *p);
    // is_direct: a direct URL reference (including editables), not found on an index or find-links.
    w.key("is_direct");
    w.boolean(!p->direct_url.empty());
    w.key("requested");
    w.boolean(p->requested);
    w.key("metadata");
    if (p->metadata) {
      write_metadata(w, *p->metadata);
    } else {
      write_minimal_metadata(w, *p);
    }
    if (!p->requested_extras.empty()) {
      w.key("requested_extras");
      w.begin_array();
      for (const std::string& e : p->requested_extras) w.string(e);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array();
  w.key("environment");
  write_environment(w, lock.environment);
  w.end_object();
  text += '\n';
  return text;
}

}  // namespace thoth
