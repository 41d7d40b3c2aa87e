#include "lock/line_text.hpp"

#include <cstdio>

#include "base/py_lines.hpp"

namespace thoth::lock_detail {
namespace {

// Byte length of a line-breaking character that is not ASCII, at text[i] (UTF-8), or 0.
std::size_t unicode_break(std::string_view text, std::size_t i) {
  return static_cast<unsigned char>(text[i]) >= 0x80 ? base::py_line_break_length(text, i) : 0;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7F; }

}  // namespace

bool breaks_line(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i)
    if (base::py_line_break_length(text, i) != 0) return true;
  return false;
}

std::string comment_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[8];
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::size_t n = unicode_break(text, i)) {
      std::snprintf(buf, sizeof buf, "\\u%04x", n == 2 ? 0x85u : (text[i + 2] == '\xA8' ? 0x2028u : 0x2029u));
      out += buf;
      i += n - 1;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (is_control(c) && c != '\t') {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace thoth::lock_detail
