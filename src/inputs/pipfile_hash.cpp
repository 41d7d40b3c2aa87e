// pipenv's Pipfile hash. plette's Pipfile.get_hash (pipenv <= 2025) and pipenv's own
// Project.calculate_pipfile_hash since PR #6609 (issue #4699) build the same projection
//   {"_meta": {"sources": [[source]], "requires": [requires]}, "default": [packages],
//    "develop": [dev-packages], <every other top-level table but scripts, pipenv, pipfile>}
// and hash json.dumps(projection, sort_keys=True, separators=(",", ":")) encoded as UTF-8 with
// sha256; the canonical variant first replaces each package name of every category by its PEP 503
// normalised form.
#include "inputs/pipfile_hash.hpp"

#include "thoth/hash.hpp"
#include "thoth/pep508.hpp"

namespace thoth::pipfile_detail {

namespace {

// A category's packages with their names normalised; of names that normalise alike, the one written
// last wins ({canonicalize_name(k): v for k, v in section.items()}).
JsonValue normalised_category(const JsonValue& category, const std::string& section,
                              const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& key_order) {
  if (category.kind != JsonValue::Kind::object) return category;
  JsonValue out = JsonValue::object();
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> chosen_at;
  for (const auto& [key, value] : category.members) {
    const std::string name = normalize_name(key);
    auto at = key_order.find(section + "." + key);
    const std::pair<std::int64_t, std::int64_t> position = at == key_order.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : at->second;
    auto seen = chosen_at.find(name);
    if (seen != chosen_at.end() && seen->second > position) continue;
    chosen_at[name] = position;
    out.members[name] = value;
  }
  return out;
}

}  // namespace

std::string hash_projection(const JsonValue& doc, const JsonValue& sources, PipfileHash variant,
                            const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& key_order) {
  auto section = [&](const std::string& name) {
    const JsonValue* v = doc.get(name);
    JsonValue value = v == nullptr ? JsonValue::object() : *v;
    return variant == PipfileHash::canonical ? normalised_category(value, name, key_order) : value;
  };
  JsonValue data = JsonValue::object();
  JsonValue meta = JsonValue::object();
  meta.members["sources"] = sources;
  const JsonValue* requires_table = doc.get("requires");
  meta.members["requires"] = requires_table == nullptr ? JsonValue::object() : *requires_table;
  data.members["_meta"] = meta;
  data.members["default"] = section("packages");
  data.members["develop"] = section("dev-packages");
  for (const auto& [name, value] : doc.members) {
    if (name == "source" || name == "packages" || name == "dev-packages" || name == "requires" ||
        name == "default" || name == "develop")
      continue;
    data.members[name] = section(name);
  }
  return sha256_hex(python_json(data, 0));
}

}  // namespace thoth::pipfile_detail
