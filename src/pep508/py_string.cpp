// Python string literal escapes, as ast.literal_eval applies them to a marker value (Python
// Language Reference, "String and Bytes literals"). \N{name} needs the Unicode name database and
// is reported as unsupported.
#include "pep508/py_string.hpp"

#include <cstdint>

namespace thoth::pep508_pystr {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  // Lone surrogates (\ud800) are legal in a Python str; they are encoded like any other code point.
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

DecodeResult decode_python_string(std::string_view token) {
  DecodeResult r;
  auto fail = [&](std::string msg, std::size_t at) {
    r.value.clear();
    r.error = std::move(msg);
    r.error_at = at;
    return r;
  };
  // The body between the quotes; offsets below are relative to the token.
  const std::size_t end = token.size() - 1;
  for (std::size_t i = 1; i < end;) {
    char c = token[i];
    if (c == '\n' || c == '\r') return fail("unterminated string literal", i);
    if (c == '\0') return fail("a string cannot contain a null character", i);
    if (c != '\\') {
      r.value += c;
      ++i;
      continue;
    }
    // A backslash right before the closing quote escapes it: the literal never ends.
    if (i + 1 >= end) return fail("unterminated string literal (the closing quote is escaped)", i);
    char e = token[i + 1];
    std::size_t at = i;
    i += 2;
    switch (e) {
      case '\n': break;  // line continuation
      case '\r':
        if (i < end && token[i] == '\n') ++i;
        break;
      case '\\': r.value += '\\'; break;
      case '\'': r.value += '\''; break;
      case '"': r.value += '"'; break;
      case 'a': r.value += '\a'; break;
      case 'b': r.value += '\b'; break;
      case 'f': r.value += '\f'; break;
      case 'n': r.value += '\n'; break;
      case 'r': r.value += '\r'; break;
      case 't': r.value += '\t'; break;
      case 'v': r.value += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        // Up to three octal digits; values above 0o377 are code points, as in a Python str.
        std::uint32_t cp = static_cast<std::uint32_t>(e - '0');
        for (int k = 0; k < 2 && i < end && token[i] >= '0' && token[i] <= '7'; ++k, ++i) {
          cp = cp * 8 + static_cast<std::uint32_t>(token[i] - '0');
        }
        append_utf8(r.value, cp);
        break;
      }
      case 'x': case 'u': case 'U': {
        std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        std::uint32_t cp = 0;
        for (std::size_t k = 0; k < n; ++k, ++i) {
          int h = i < end ? hex_value(token[i]) : -1;
          if (h < 0) return fail(std::string("truncated \\") + e + " escape", at);
          cp = cp * 16 + static_cast<std::uint32_t>(h);
        }
        if (cp > 0x10FFFF) return fail("illegal Unicode character in \\U escape", at);
        append_utf8(r.value, cp);
        break;
      }
      case 'N':
        return fail("\\N{...} escapes are not supported in marker values", at);
      case '\0':
        return fail("a string cannot contain a null character", at + 1);
      default:
        // Unknown escapes keep the backslash (Python warns but accepts them).
        r.value += '\\';
        r.value += e;
        break;
    }
  }
  return r;
}

}  // namespace thoth::pep508_pystr
