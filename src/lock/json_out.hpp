// A small JSON document model for the report writer, serialised exactly as Python's
// json.dump(obj, f, indent=2, ensure_ascii=False) does: pip writes its installation report that way.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thoth::lock_detail {

class JsonValue {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  JsonValue() = default;
  static JsonValue boolean(bool b);
  static JsonValue string(std::string s);
  static JsonValue number(std::string digits);  // written as given
  static JsonValue array();
  static JsonValue object();

  // Arrays: append. Objects: append a member (insertion order is output order; Python dicts keep it).
  JsonValue& push(JsonValue v);
  JsonValue& set(std::string key, JsonValue v);

  Kind kind() const { return kind_; }

  // indent=2, separators (",", ": "), non-ASCII kept, no trailing newline.
  std::string dump() const;

 private:
  void dump_to(std::string& out, int depth) const;

  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::string text_;  // string value or number digits
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// A JSON string literal as Python's json module writes it with ensure_ascii=False: '"' and '\\'
// escaped, \n \r \t \b \f by name, other control characters as \u00XX, everything else as is.
void append_json_string(std::string& out, std::string_view s);

}  // namespace thoth::lock_detail
