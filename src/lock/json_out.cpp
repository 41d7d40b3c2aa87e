#include "lock/json_out.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace thoth::lock_detail {

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

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(items_.size() * 2, ' ');
}

// Python separates items with ",", puts each on its own line indented by its depth, and closes a
// container on a line of its own, except an empty one, written "[]" or "{}" even when indenting.
void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (items_.empty()) return;  // the document itself
  if (items_.back()++ > 0) out_ += ',';
  newline();
}

void JsonWriter::key(std::string_view name) {
  if (items_.back()++ > 0) out_ += ',';
  newline();
  append_json_string(out_, name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  items_.push_back(0);
}

void JsonWriter::close(char bracket) {
  const std::size_t written = items_.back();
  items_.pop_back();
  if (written > 0) newline();
  out_ += bracket;
}

void JsonWriter::string(std::string_view s) {
  before_value();
  append_json_string(out_, s);
}

void JsonWriter::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
}

void JsonWriter::number(std::string_view digits) {
  before_value();
  out_ += digits;
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

}  // namespace thoth::lock_detail
