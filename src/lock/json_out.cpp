#include "lock/json_out.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace thoth::lock_detail {

JsonValue JsonValue::boolean(bool b) {
  JsonValue v;
  v.kind_ = Kind::Bool;
  v.bool_ = b;
  return v;
}

JsonValue JsonValue::string(std::string s) {
  JsonValue v;
  v.kind_ = Kind::String;
  v.text_ = std::move(s);
  return v;
}

JsonValue JsonValue::number(std::string digits) {
  JsonValue v;
  v.kind_ = Kind::Number;
  v.text_ = std::move(digits);
  return v;
}

JsonValue JsonValue::array() {
  JsonValue v;
  v.kind_ = Kind::Array;
  return v;
}

JsonValue JsonValue::object() {
  JsonValue v;
  v.kind_ = Kind::Object;
  return v;
}

JsonValue& JsonValue::push(JsonValue v) {
  items_.push_back(std::move(v));
  return items_.back();
}

JsonValue& JsonValue::set(std::string key, JsonValue v) {
  members_.emplace_back(std::move(key), std::move(v));
  return members_.back().second;
}

namespace {

bool needs_escape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

// Index of the first character of s[from..] JSON must escape, or s.size(). Reports carry whole README
// descriptions (hundreds of kilobytes) in which such characters are rare: SSE2 checks 16 at a time.
std::size_t next_escape(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Unsigned c < 0x20 is min(c, 0x1f) == c; 0x20 - 1 = 0x1f.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(chunk, _mm_sub_epi8(space, _mm_set1_epi8(1))), chunk);
    const __m128i hits = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < s.size(); ++i) {
    if (needs_escape(s[i])) return i;
  }
  return s.size();
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Runs of plain characters are appended at once; only the characters JSON escapes one by one.
  std::size_t start = 0;
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, start)) {
    const char c = s[i];
    out.append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + start, s.size() - start);  // UTF-8 bytes pass through (ensure_ascii=False)
  out += '"';
}

std::string JsonValue::dump() const {
  std::string out;
  dump_to(out, 0);
  return out;
}

void JsonValue::dump_to(std::string& out, int depth) const {
  auto newline = [&out](int d) {
    out += '\n';
    out.append(static_cast<std::size_t>(d) * 2, ' ');
  };
  switch (kind_) {
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += bool_ ? "true" : "false"; return;
    case Kind::Number: out += text_; return;
    case Kind::String: append_json_string(out, text_); return;
    case Kind::Array:
      // Python prints empty containers as [] and {} even when indenting.
      if (items_.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        items_[i].dump_to(out, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    case Kind::Object:
      if (members_.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        append_json_string(out, members_[i].first);
        out += ": ";
        members_[i].second.dump_to(out, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
  }
}

}  // namespace thoth::lock_detail
