#include "pep440/text.hpp"

namespace thoth::pep440 {

std::size_t space_length(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  unsigned c0 = b(0);
  // ASCII: \t \n \v \f \r, the four information separators 0x1C-0x1F, and space.
  if ((c0 >= 0x09 && c0 <= 0x0D) || (c0 >= 0x1C && c0 <= 0x20)) return 1;
  if (c0 < 0x80) return 0;
  // U+0085 NEL and U+00A0 NO-BREAK SPACE.
  if (c0 == 0xC2 && (b(1) == 0x85 || b(1) == 0xA0)) return 2;
  // U+1680 OGHAM SPACE MARK.
  if (c0 == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return 3;
  if (c0 == 0xE2 && b(1) == 0x80) {
    unsigned c2 = b(2);
    // U+2000-U+200A, U+2028, U+2029, U+202F.
    if ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) return 3;
  }
  // U+205F MEDIUM MATHEMATICAL SPACE.
  if (c0 == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;
  // U+3000 IDEOGRAPHIC SPACE.
  if (c0 == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;
  return 0;
}

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (std::size_t n = space_length(s, i)) i += n;
  return i;
}

std::string_view strip_space(std::string_view s) {
  std::size_t begin = skip_space(s, 0);
  // Trailing whitespace: scan forward remembering where the last non-space character ended, since
  // UTF-8 cannot be decoded backwards without care.
  std::size_t end = begin;
  std::size_t i = begin;
  while (i < s.size()) {
    if (std::size_t n = space_length(s, i)) {
      i += n;
    } else {
      end = ++i;
    }
  }
  return s.substr(begin, end - begin);
}

std::string quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

std::string unexpected_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "unexpected end at position " + std::to_string(text.size());
  // Quote the whole UTF-8 character, not just its first byte.
  std::size_t len = 1;
  auto c = static_cast<unsigned char>(text[pos]);
  if (c >= 0xF0) {
    len = 4;
  } else if (c >= 0xE0) {
    len = 3;
  } else if (c >= 0xC0) {
    len = 2;
  }
  return "unexpected " + quote(text.substr(pos, len)) + " at position " + std::to_string(pos);
}

}  // namespace thoth::pep440
