// Character classes of Python's `re` module as packaging's tokenizer sees them (internal to pep508).
//
// packaging matches str patterns, so `\s` is Unicode whitespace and `\b` a Unicode word boundary.
// The input here is UTF-8: whitespace is recognised exactly (including the non-ASCII spaces), and
// every other non-ASCII character counts as a word character (Python's \w holds all letters and
// digits of every script; treating the rest the same only moves the column of an error).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace thoth::pep508_text {

inline bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
using base::is_ascii_digit;
inline bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
using base::ascii_lower;

// Length in bytes of the Python whitespace character (str.isspace) starting at `pos`, or 0.
inline std::size_t py_space_len(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return 0;
  auto b = [&](std::size_t i) { return pos + i < s.size() ? static_cast<unsigned char>(s[pos + i]) : 0u; };
  unsigned c0 = b(0);
  if ((c0 >= 0x09 && c0 <= 0x0D) || (c0 >= 0x1C && c0 <= 0x20)) return 1;
  if (c0 == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;              // U+0085, U+00A0
  if (c0 == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;                // U+1680
  if (c0 == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) ||     // U+2000..U+200A
                                     b(2) == 0xA8 || b(2) == 0xA9 ||       // U+2028, U+2029
                                     b(2) == 0xAF))                        // U+202F
    return 3;
  if (c0 == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;                // U+205F
  if (c0 == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;                // U+3000
  return 0;
}

// Position after any run of Python whitespace (`\s*`) starting at `pos`.
inline std::size_t skip_py_space(std::string_view s, std::size_t pos) {
  while (std::size_t n = py_space_len(s, pos)) pos += n;
  return pos;
}

// Python's str.strip() with no argument.
inline std::string_view py_strip(std::string_view s) {
  std::size_t begin = skip_py_space(s, 0);
  std::size_t end = s.size();
  // Walk back over whitespace: find the last position after which only whitespace remains.
  std::size_t last = begin;
  for (std::size_t i = begin; i < end;) {
    std::size_t n = py_space_len(s, i);
    if (n != 0) {
      i += n;
    } else {
      ++i;
      last = i;
    }
  }
  return s.substr(begin, last - begin);
}

// `\w` of a Python str pattern, approximated for non-ASCII as described above.
inline bool is_word_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return false;
  char c = s[pos];
  if (static_cast<unsigned char>(c) >= 0x80) return py_space_len(s, pos) == 0;
  return is_ascii_alnum(c) || c == '_';
}

// `\w` for the character that ends just before `pos` (steps back over a UTF-8 sequence).
inline bool is_word_before(std::string_view s, std::size_t pos) {
  if (pos == 0) return false;
  std::size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return is_word_at(s, start);
}

// `\b` at `pos`.
inline bool is_word_boundary(std::string_view s, std::size_t pos) {
  return is_word_before(s, pos) != is_word_at(s, pos);
}

// 1-based column of byte offset `pos`, counting characters (UTF-8 lead bytes) as Python does.
inline std::size_t column_of(std::string_view s, std::size_t pos) {
  std::size_t col = 1;
  for (std::size_t i = 0; i < pos && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

// The text in double quotes for a one-line error message: quotes, backslashes and control
// characters are escaped so the message stays on one line.
inline std::string quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace thoth::pep508_text
