// thoth kb import-osv: OSV advisories (https://ossf.github.io/osv-schema/) of ecosystem PyPI as security
// facts. A record is checked whole before any of its facts is kept, so a malformed one adds nothing.
#include <algorithm>

#include "advise/files.hpp"
#include "advise/json_reader.hpp"
#include "advise/osv.hpp"
#include "thoth/archive.hpp"
#include "thoth/knowledge_base.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;
using advisor::OsvEvent;

// A record that is not OSV: the reason, for the problems list.
struct Malformed {
  std::string reason;
};

std::string_view view(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// An optional string member; Malformed when present with another type.
std::optional<std::string_view> string_member(const rapidjson::Value& object, const char* name, const std::string& where) {
  const rapidjson::Value* v = member(object, name);
  if (!v) return std::nullopt;
  if (!v->IsString()) throw Malformed{where + name + " is not a string"};
  return view(*v);
}

// An optional array member; Malformed when present with another type. Empty when absent.
rapidjson::Value::ConstArray array_member(const rapidjson::Value& object, const char* name, const std::string& where) {
  static const rapidjson::Value kEmpty(rapidjson::kArrayType);
  const rapidjson::Value* v = member(object, name);
  if (!v) return kEmpty.GetArray();
  if (!v->IsArray()) throw Malformed{where + name + " is not an array"};
  return v->GetArray();
}

const rapidjson::Value& object_item(const rapidjson::Value& v, const std::string& where) {
  if (!v.IsObject()) throw Malformed{where + " is not an object"};
  return v;
}

// Qualitative severities (GitHub's database_specific.severity; the CVSS v3.1 rating scale's names).
std::optional<double> named_severity(std::string_view name) {
  if (name == "LOW") return -0.2;
  if (name == "MODERATE" || name == "MEDIUM") return -0.5;
  if (name == "HIGH") return -0.8;
  if (name == "CRITICAL") return -0.95;
  return std::nullopt;
}

// The score of a fact from an OSV "severity" list, if it has a CVSS v3 vector.
std::optional<double> cvss_score(const rapidjson::Value& holder, const std::string& where) {
  for (const auto& s : array_member(holder, "severity", where)) {
    const rapidjson::Value& item = object_item(s, where + "severity[]");
    std::optional<std::string_view> type = string_member(item, "type", where + "severity[].");
    std::optional<std::string_view> score = string_member(item, "score", where + "severity[].");
    if (type != "CVSS_V3" || !score) continue;
    if (std::optional<double> base = advisor::cvss3_base_score(*score)) return -*base / 10.0;
  }
  return std::nullopt;
}

std::optional<double> database_severity(const rapidjson::Value& holder) {
  const rapidjson::Value* db = member(holder, "database_specific");
  if (!db || !db->IsObject()) return std::nullopt;
  const rapidjson::Value* severity = member(*db, "severity");
  if (!severity || !severity->IsString()) return std::nullopt;
  return named_severity(view(*severity));
}

// The first line of `text`, at most about 200 bytes (cut at a UTF-8 character boundary).
std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == ' ')) text.remove_prefix(1);
  text = text.substr(0, text.find('\n'));
  if (text.size() <= 200) return std::string(text);
  std::size_t cut = 200;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::vector<OsvEvent> read_events(const rapidjson::Value& range, const std::string& where) {
  std::vector<OsvEvent> events;
  for (const auto& e : array_member(range, "events", where)) {
    const rapidjson::Value& event = object_item(e, where + "events[]");
    if (event.MemberCount() != 1) throw Malformed{where + "events[] must hold exactly one of introduced, fixed, last_affected, limit"};
    const auto& m = *event.MemberBegin();
    const std::string_view key = view(m.name);
    OsvEvent out;
    if (key == "introduced") out.type = OsvEvent::Type::Introduced;
    else if (key == "fixed") out.type = OsvEvent::Type::Fixed;
    else if (key == "last_affected") out.type = OsvEvent::Type::LastAffected;
    else if (key == "limit") out.type = OsvEvent::Type::Limit;
    else throw Malformed{where + "events[] has an unknown event \"" + std::string(key) + "\""};
    if (!m.value.IsString()) throw Malformed{where + "events[]." + std::string(key) + " is not a string"};
    out.version = std::string(view(m.value));
    events.push_back(std::move(out));
  }
  return events;
}

// The facts of one record, with its counts and problems in `counts`, for the caller to keep only when
// the whole record is well-formed.
class RecordReader {
 public:
  explicit RecordReader(const std::string& label) : label_(label) {}

  std::vector<Fact> read(const rapidjson::Value& doc) {
    const rapidjson::Value& record = object_item(doc, "the record");
    std::optional<std::string_view> id = string_member(record, "id", "");
    if (!id) throw Malformed{"id is missing"};
    template_.ids.emplace_back(*id);
    for (const auto& alias : array_member(record, "aliases", "")) {
      if (!alias.IsString()) throw Malformed{"aliases[] is not a string"};
      template_.ids.emplace_back(view(alias));
    }
    for (const auto& r : array_member(record, "references", "")) {
      if (std::optional<std::string_view> url = string_member(object_item(r, "references[]"), "url", "references[]."))
        template_.links.emplace_back(*url);
    }
    std::optional<std::string_view> summary = string_member(record, "summary", "");
    std::optional<std::string_view> details = string_member(record, "details", "");
    template_.message = summary && !summary->empty() ? std::string(*summary) : details ? first_line(*details) : "";
    template_.kind = FactKind::Security;
    const std::optional<double> record_score = cvss_score(record, "");
    const std::optional<double> record_named = database_severity(record);
    withdrawn_ = member(record, "withdrawn") != nullptr;

    std::vector<Fact> facts;
    const auto affected = array_member(record, "affected", "");
    for (rapidjson::SizeType i = 0; i < affected.Size(); ++i) {
      const std::string where = "affected[" + std::to_string(i) + "].";
      const rapidjson::Value& entry = object_item(affected[i], "affected[" + std::to_string(i) + "]");
      const rapidjson::Value* package = member(entry, "package");
      if (!package) continue;  // OSV allows affected entries without a package (GIT ranges only)
      object_item(*package, where + "package");
      std::optional<std::string_view> ecosystem = string_member(*package, "ecosystem", where + "package.");
      std::optional<std::string_view> name = string_member(*package, "name", where + "package.");
      if (!ecosystem || !name) throw Malformed{where + "package needs an ecosystem and a name"};
      if (*ecosystem != "PyPI") {
        ++counts_.other_ecosystems;
        continue;
      }
      if (!is_valid_name(*name)) throw Malformed{where + "package.name \"" + std::string(*name) + "\" is not a PyPI project name"};
      Fact base = template_;
      base.package = std::string(*name);
      base.name = normalize_name(*name);
      base.score = cvss_score(entry, where).value_or(
          record_score.value_or(database_severity(entry).value_or(record_named.value_or(kDefaultScore))));
      read_entry(entry, where, base, facts);
    }
    return facts;
  }

  bool withdrawn() const { return withdrawn_; }
  const OsvImport& counts() const { return counts_; }

 private:
  static constexpr double kDefaultScore = -0.5;  // unknown severity counts as medium

  void problem(const std::string& what) { counts_.problems.push_back(label_ + ": " + what); }

  void read_entry(const rapidjson::Value& entry, const std::string& where, const Fact& base, std::vector<Fact>& facts) {
    std::vector<SpecifierSet> covered;
    const auto ranges = array_member(entry, "ranges", where);
    for (rapidjson::SizeType j = 0; j < ranges.Size(); ++j) {
      const std::string at = where + "ranges[" + std::to_string(j) + "]";
      const rapidjson::Value& range = object_item(ranges[j], at);
      std::optional<std::string_view> type = string_member(range, "type", at + ".");
      if (!type) throw Malformed{at + ".type is missing"};
      std::vector<OsvEvent> events = read_events(range, at + ".");
      if (*type != "ECOSYSTEM") {
        ++counts_.ignored_ranges;  // GIT commits and SemVer versions say nothing in PEP 440 terms
        continue;
      }
      try {
        for (SpecifierSet& s : advisor::ecosystem_range_specifiers(events)) covered.push_back(std::move(s));
      } catch (const VersionError& e) {
        ++counts_.skipped_versions;
        problem(at + " (" + base.package + ") skipped: " + e.what());
      }
    }
    for (const SpecifierSet& s : covered) {
      Fact f = base;
      f.versions = s;
      facts.push_back(std::move(f));
    }
    for (const auto& v : array_member(entry, "versions", where)) {
      if (!v.IsString()) throw Malformed{where + "versions[] is not a string"};
      std::optional<Version> version = Version::try_parse(view(v));
      if (!version) {
        ++counts_.skipped_versions;  // not PEP 440: never a candidate thoth could pin
        continue;
      }
      if (std::any_of(covered.begin(), covered.end(), [&](const SpecifierSet& s) { return s.contains(*version, true); }))
        continue;
      Fact f = base;
      f.versions.add(Specifier::make(Specifier::Op::Equal, *version));
      facts.push_back(std::move(f));
    }
  }

  const std::string& label_;
  OsvImport counts_;
  Fact template_;
  bool withdrawn_ = false;
};

}  // namespace

void import_osv_record(std::string_view json, const std::string& label, OsvImport& out) {
  ++out.files;
  JsonDocument parsed;
  if (std::string error = advisor::parse_json(json, parsed); !error.empty()) {
    ++out.malformed;
    out.problems.push_back(label + ": not an OSV record: " + error);
    return;
  }
  RecordReader reader(label);
  std::vector<Fact> facts;
  try {
    facts = reader.read(parsed.doc);
  } catch (const Malformed& m) {
    ++out.malformed;
    out.problems.push_back(label + ": not an OSV record: " + m.reason);
    return;
  }
  ++out.records;
  if (reader.withdrawn()) {
    ++out.withdrawn;
    return;
  }
  const OsvImport& counts = reader.counts();
  out.other_ecosystems += counts.other_ecosystems;
  out.ignored_ranges += counts.ignored_ranges;
  out.skipped_versions += counts.skipped_versions;
  out.problems.insert(out.problems.end(), counts.problems.begin(), counts.problems.end());
  if (!facts.empty()) ++out.imported;
  for (Fact& f : facts) out.facts.push_back(std::move(f));
}

OsvImport import_osv(const std::vector<fs::path>& paths) {
  OsvImport out;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw AdviseError(path.string() + ": no such file or directory");
    if (!fs::is_directory(path, ec) && path.extension() == ".zip") {
      try {
        for_each_archive_member(
            path, [](std::string_view m) { return m.ends_with(".json"); },
            [&](std::string_view m, std::string data) {
              import_osv_record(data, path.string() + ":" + std::string(m), out);
              return true;
            });
      } catch (const ArchiveError& e) {
        throw AdviseError(e.what());
      }
      continue;
    }
    for (const fs::path& file : advisor::json_files(path)) import_osv_record(advisor::read_whole(file), file.string(), out);
  }
  return out;
}

}  // namespace thoth
