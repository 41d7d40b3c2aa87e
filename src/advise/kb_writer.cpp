// Writing knowledge-base documents (format version 1): what `thoth kb import-osv` and `thoth kb observe`
// produce, and what the justification report embeds per fact.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "advise/kb_json.hpp"
#include "thoth/knowledge_base.hpp"

namespace thoth {
namespace advisor {

void write_fact_fields(JsonWriter& w, const Fact& f) {
  auto string = [&](std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto strings = [&](std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.StartArray();
    for (const std::string& v : values) w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    w.EndArray();
  };
  string("package", f.package);
  string("versions", f.versions.str());
  if (f.marker) string("marker", f.marker->str());
  std::vector<std::string> with;
  for (const Requirement& r : f.with) with.push_back(r.str());
  strings("with", with);
  string("kind", fact_kind_name(f.kind));
  w.Key("score");
  w.Double(f.score);
  w.Key("veto");
  w.Bool(f.veto);
  if (!f.message.empty()) string("message", f.message);
  strings("links", f.links);
  strings("ids", f.ids);
}

}  // namespace advisor

std::string knowledge_base_json(std::span<const Fact> facts) {
  rapidjson::StringBuffer buffer;
  advisor::JsonWriter w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("kb-version");
  w.Int(1);
  w.Key("facts");
  w.StartArray();
  for (const Fact& f : facts) {
    w.StartObject();
    advisor::write_fact_fields(w, f);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string knowledge_base_json(const std::vector<Fact>& facts) { return knowledge_base_json(std::span<const Fact>(facts)); }

}  // namespace thoth
