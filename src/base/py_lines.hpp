// Lines as Python's str.splitlines() finds them: pip splits requirements files with it
// (pip/_internal/req/req_file.py, preprocess), so a form feed or a U+2028 in one starts a new line there,
// and text written into such a file must not hold one (lock/line_text.hpp).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace thoth::base {

// Byte length of the line boundary str.splitlines() sees at text[i] of UTF-8 text, 0 if none starts
// there: "\r\n" (2 bytes, one boundary), \n \r \v \f and the separators \x1c \x1d \x1e (1), U+0085 (2),
// U+2028 and U+2029 (3). (Python's documentation, "str.splitlines", lists the set.)
constexpr std::size_t py_line_break_length(std::string_view text, std::size_t i) {
  if (i >= text.size()) return 0;
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '\r') return i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
  if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E)) return 1;
  const std::string_view rest = text.substr(i);
  if (rest.starts_with("\xC2\x85")) return 2;                                          // U+0085 NEL
  if (rest.starts_with("\xE2\x80\xA8") || rest.starts_with("\xE2\x80\xA9")) return 3;  // U+2028, U+2029
  return 0;
}

// str.splitlines(): the lines without their boundaries; text that ends with a boundary has no empty
// last line, and "" has no line at all.
inline std::vector<std::string_view> py_splitlines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t n = py_line_break_length(text, i)) {
      lines.push_back(text.substr(start, i - start));
      i += n;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace thoth::base
