// Reading knowledge-base documents (format version 1, see thoth/knowledge_base.hpp): loading, which
// stops at the first error, and checking, which reports every error and the fields it ignores.
#include <algorithm>
#include <cmath>

#include "advise/files.hpp"
#include "advise/json_reader.hpp"
#include "thoth/knowledge_base.hpp"
#include "thoth/net.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;
using advisor::json_files;
using advisor::read_whole;

// Where problems go: a check collects them all; a load throws the first.
struct Report {
  KbCheck* check = nullptr;

  void error(std::string message) const {
    if (!check) throw AdviseError(std::move(message));
    check->errors.push_back(std::move(message));
  }
  void note(std::string message) const {
    if (check) check->notes.push_back(std::move(message));
  }
};

std::string_view view(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Reads one element of "facts"; every problem is reported with the file, the index and the package.
class FactReader {
 public:
  FactReader(const std::string& label, std::size_t index, const Report& report)
      : label_(label), index_(index), report_(report) {}

  std::optional<Fact> read(const rapidjson::Value& v) {
    if (!v.IsObject()) return fail("a fact must be an object, not " + std::string(advisor::json_type(v)));
    Fact f;
    f.origin = label_;
    f.index = index_;
    auto package = v.FindMember("package");
    if (package == v.MemberEnd()) return fail("\"package\" is missing");
    if (!package->value.IsString()) return fail("package: expected a string");
    f.package = std::string(view(package->value));
    package_ = f.package;
    if (!is_valid_name(f.package)) return fail("package: \"" + f.package + "\" is not a valid project name (PEP 508)");
    f.name = normalize_name(f.package);

    bool ok = true;
    for (const auto& m : v.GetObject()) {
      const std::string_view key = view(m.name);
      const rapidjson::Value& value = m.value;
      if (key == "package") continue;
      if (key == "versions") {
        ok &= read_text(value, key, "expected a PEP 440 specifier set in a string",
                        [&](std::string_view text) { f.versions = SpecifierSet::parse(text); });
      } else if (key == "marker") {
        ok &= read_text(value, key, "expected a PEP 508 marker in a string",
                        [&](std::string_view text) { f.marker = Marker::parse(text); });
      } else if (key == "with") {
        ok &= read_with(value, f);
      } else if (key == "kind") {
        ok &= read_kind(value, f);
      } else if (key == "score") {
        if (!value.IsNumber() || !std::isfinite(value.GetDouble())) ok = fail_field("score", "expected a number");
        else f.score = value.GetDouble();
      } else if (key == "veto") {
        if (!value.IsBool()) ok = fail_field("veto", "expected true or false");
        else f.veto = value.GetBool();
      } else if (key == "message") {
        if (!value.IsString()) ok = fail_field("message", "expected a string");
        else f.message = std::string(view(value));
      } else if (key == "links") {
        ok &= read_strings(value, "links", f.links);
      } else if (key == "ids") {
        ok &= read_strings(value, "ids", f.ids);
      } else {
        report_.note(prefix() + "unknown field \"" + std::string(key) + "\" ignored");
      }
    }
    if (!ok) return std::nullopt;
    return f;
  }

 private:
  std::string prefix() const {
    std::string p = label_ + ": facts[" + std::to_string(index_) + "]";
    if (!package_.empty()) p += " (" + package_ + ")";
    return p + ": ";
  }
  std::nullopt_t fail(const std::string& what) const {
    report_.error(prefix() + what);
    return std::nullopt;
  }
  bool fail_field(std::string_view field, const std::string& what) const {
    report_.error(prefix() + std::string(field) + ": " + what);
    return false;
  }

  // A string field read by `parse`, whose VersionError or RequirementError is the field's error.
  template <typename Parse>
  bool read_text(const rapidjson::Value& v, std::string_view field, const char* expected, Parse parse) const {
    if (!v.IsString()) return fail_field(field, expected);
    try {
      parse(view(v));
    } catch (const Error& e) {
      return fail_field(field, e.what());
    }
    return true;
  }
  bool read_with(const rapidjson::Value& v, Fact& f) const {
    std::vector<std::string> texts;
    if (!read_strings(v, "with", texts)) return false;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      try {
        f.with.push_back(Requirement::parse(texts[i]));
      } catch (const RequirementError& e) {
        return fail_field("with[" + std::to_string(i) + "]", e.what());
      }
    }
    return true;
  }
  bool read_kind(const rapidjson::Value& v, Fact& f) const {
    std::optional<FactKind> kind = v.IsString() ? fact_kind_from_name(view(v)) : std::nullopt;
    if (!kind) return fail_field("kind", "expected one of security, broken, install-failure, performance, other");
    f.kind = *kind;
    return true;
  }
  bool read_strings(const rapidjson::Value& v, std::string_view field, std::vector<std::string>& out) const {
    if (!v.IsArray()) return fail_field(field, "expected an array of strings");
    for (const auto& item : v.GetArray()) {
      if (!item.IsString()) return fail_field(field, "expected an array of strings");
      out.emplace_back(view(item));
    }
    return true;
  }

  const std::string& label_;
  std::size_t index_;
  const Report& report_;
  std::string package_;
};

// Reads one document into `kb`, counting valid facts in `facts`.
void read_document(std::string_view json, const std::string& label, const Report& report, KnowledgeBase& kb,
                   std::size_t& facts) {
  JsonDocument parsed;
  if (std::string error = advisor::parse_json(json, parsed); !error.empty()) return report.error(label + ": " + error);
  const rapidjson::Value& doc = parsed.doc;
  if (!doc.IsObject()) return report.error(label + ": a knowledge base is a JSON object with \"kb-version\" and \"facts\"");
  auto version = doc.FindMember("kb-version");
  if (version == doc.MemberEnd()) return report.error(label + ": \"kb-version\" is missing (this thoth reads version 1)");
  if (!version->value.IsInt() || version->value.GetInt() != 1) {
    return report.error(label + ": kb-version " +
                        (version->value.IsInt() ? std::to_string(version->value.GetInt()) : "of the wrong type") +
                        " is not supported (this thoth reads version 1)");
  }
  auto list = doc.FindMember("facts");
  if (list == doc.MemberEnd() || !list->value.IsArray()) return report.error(label + ": \"facts\" must be an array");
  for (const auto& m : doc.GetObject()) {
    std::string_view key = view(m.name);
    if (key != "kb-version" && key != "facts") report.note(label + ": unknown field \"" + std::string(key) + "\" ignored");
  }
  const auto& array = list->value.GetArray();
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    std::optional<Fact> fact = FactReader(label, i, report).read(array[i]);
    if (!fact) continue;
    kb.add(std::move(*fact));
    ++facts;
  }
}

}  // namespace

KnowledgeBase parse_knowledge_base(std::string_view json, const std::string& label) {
  KnowledgeBase kb;
  std::size_t facts = 0;
  read_document(json, label, Report{}, kb, facts);
  return kb;
}

KnowledgeBase load_knowledge_bases(const std::vector<fs::path>& paths) {
  KnowledgeBase kb;
  std::size_t facts = 0;
  for (const fs::path& path : paths) {
    for (const fs::path& file : json_files(path)) read_document(read_whole(file), file.string(), Report{}, kb, facts);
  }
  return kb;
}

KbCheck check_knowledge_base_text(std::string_view json, const std::string& label) {
  KbCheck check;
  KnowledgeBase kb;
  read_document(json, label, Report{&check}, kb, check.facts);
  check.files = 1;
  return check;
}

KbCheck check_knowledge_base(const fs::path& path) {
  KbCheck check;
  std::vector<fs::path> files;
  try {
    files = json_files(path);
  } catch (const AdviseError& e) {
    check.errors.push_back(e.what());
    return check;
  }
  for (const fs::path& file : files) {
    ++check.files;
    std::optional<std::string> text = read_file(file);
    if (!text) {
      check.errors.push_back(file.string() + ": cannot read the file");
      continue;
    }
    KnowledgeBase kb;
    read_document(*text, file.string(), Report{&check}, kb, check.facts);
  }
  return check;
}

}  // namespace thoth
