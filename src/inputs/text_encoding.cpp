#include "inputs/text_encoding.hpp"

#include <cstdint>
#include <string_view>

#include "thoth/inputs.hpp"

namespace thoth {
namespace {

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Code unit `i` of `width` bytes (2 or 4) in the given byte order.
char32_t unit(std::string_view s, std::size_t i, std::size_t width, bool big_endian) {
  char32_t v = 0;
  for (std::size_t k = 0; k < width; ++k) {
    auto byte = static_cast<unsigned char>(s[i * width + (big_endian ? k : width - 1 - k)]);
    v = (v << 8) | byte;
  }
  return v;
}

[[noreturn]] void invalid(const std::string& path, std::string_view encoding, std::string_view why) {
  throw InputError("requirements file " + path + " starts with a " + std::string(encoding) +
                   " byte order mark but is not " + std::string(encoding) + " text (" + std::string(why) +
                   "); save it as UTF-8");
}

// RFC 2781 (UTF-16): surrogate pairs for code points above U+FFFF; a lone surrogate is an error.
std::string from_utf16(std::string_view s, bool big_endian, const std::string& path, std::string_view name) {
  if (s.size() % 2 != 0) invalid(path, name, "an odd number of bytes");
  std::string out;
  out.reserve(s.size() / 2);
  const std::size_t n = s.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    char32_t c = unit(s, i, 2, big_endian);
    if (c >= 0xD800 && c <= 0xDBFF) {
      char32_t low = i + 1 < n ? unit(s, i + 1, 2, big_endian) : 0;
      if (low < 0xDC00 || low > 0xDFFF) invalid(path, name, "a lone surrogate at byte " + std::to_string(2 * i + 2));
      c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
      ++i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      invalid(path, name, "a lone surrogate at byte " + std::to_string(2 * i + 2));
    }
    append_utf8(out, c);
  }
  return out;
}

// UTF-32: one unit per code point, which must be a Unicode scalar value.
std::string from_utf32(std::string_view s, bool big_endian, const std::string& path, std::string_view name) {
  if (s.size() % 4 != 0) invalid(path, name, "a length that is not a multiple of 4 bytes");
  std::string out;
  out.reserve(s.size() / 4);
  for (std::size_t i = 0; i < s.size() / 4; ++i) {
    char32_t c = unit(s, i, 4, big_endian);
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
      invalid(path, name, "no character at byte " + std::to_string(4 * i + 4));
    append_utf8(out, c);
  }
  return out;
}

}  // namespace

std::string decode_requirements_text(std::string bytes, const std::string& path) {
  std::string_view s = bytes;
  if (s.starts_with(std::string_view("\xFF\xFE\x00\x00", 4))) return from_utf32(s.substr(4), false, path, "UTF-32-LE");
  if (s.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) return from_utf32(s.substr(4), true, path, "UTF-32-BE");
  if (s.starts_with("\xFF\xFE")) return from_utf16(s.substr(2), false, path, "UTF-16-LE");
  if (s.starts_with("\xFE\xFF")) return from_utf16(s.substr(2), true, path, "UTF-16-BE");
  if (s.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
  return bytes;
}

}  // namespace thoth
