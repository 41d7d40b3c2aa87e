#include "inputs/text_encoding.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>

#include "base/ascii.hpp"
#include "base/trim.hpp"
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

bool is_ascii_alnum(char c) {
  return base::is_ascii_digit(c) || (base::ascii_lower(c) >= 'a' && base::ascii_lower(c) <= 'z');
}

// pip's ENCODING_RE, rb"coding[:=]\s*([-\w.]+)", searched in `line`: the encoding name, or "" for no
// match. A bytes pattern: \s and \w are ASCII only.
std::string_view coding_name(std::string_view line) {
  for (std::size_t at = line.find("coding"); at != std::string_view::npos; at = line.find("coding", at + 1)) {
    std::size_t i = at + 6;
    if (i >= line.size() || (line[i] != ':' && line[i] != '=')) continue;
    ++i;
    while (i < line.size() && base::is_ascii_whitespace(line[i])) ++i;
    const std::size_t begin = i;
    while (i < line.size() && (is_ascii_alnum(line[i]) || line[i] == '_' || line[i] == '-' || line[i] == '.')) ++i;
    if (i > begin) return line.substr(begin, i - begin);
  }
  return {};
}

// PEP 263 as pip's auto_decode applies it (after the byte order marks): the first of the first two
// lines (split at '\n') that starts with '#' and matches ENCODING_RE names the file's encoding.
std::string_view declared_encoding(std::string_view bytes) {
  for (int n = 0; n < 2; ++n) {
    const std::size_t nl = bytes.find('\n');
    const std::string_view line = bytes.substr(0, nl);
    if (line.starts_with('#'))
      if (std::string_view name = coding_name(line); !name.empty()) return name;
    if (nl == std::string_view::npos) break;
    bytes.remove_prefix(nl + 1);
  }
  return {};
}

// The encodings thoth reads, named by the module of Python's `encodings` package a name finds.
enum class Codec { Utf8, Ascii, Latin1, Latin9, Cp1252 };

// Python's codecs.lookup: the name lower-cased, each run of characters other than letters, digits and
// '.' made one '_' (encodings.normalize_encoding), then looked up in encodings.aliases (as it is, then
// with '.' as '_'), else taken as the name of a module of the encodings package. The aliases are
// CPython 3.11's for the five modules thoth decodes.
std::optional<Codec> find_codec(std::string_view name) {
  std::string norm;
  bool punct = false;
  for (char c : name) {
    if (is_ascii_alnum(c) || c == '.') {
      if (punct && !norm.empty()) norm += '_';
      norm += base::ascii_lower(c);
      punct = false;
    } else {
      punct = true;
    }
  }
  struct Name {
    std::string_view name;
    Codec codec;
  };
  static constexpr Name kModules[] = {
      {"utf_8", Codec::Utf8},     {"utf_8_sig", Codec::Utf8},    {"ascii", Codec::Ascii},
      {"latin_1", Codec::Latin1}, {"iso8859_15", Codec::Latin9}, {"cp1252", Codec::Cp1252},
  };
  static constexpr Name kAliases[] = {
      {"cp65001", Codec::Utf8}, {"u8", Codec::Utf8}, {"utf", Codec::Utf8}, {"utf8", Codec::Utf8},
      {"utf8_ucs2", Codec::Utf8}, {"utf8_ucs4", Codec::Utf8},
      {"646", Codec::Ascii}, {"ansi_x3.4_1968", Codec::Ascii}, {"ansi_x3.4_1986", Codec::Ascii},
      {"ansi_x3_4_1968", Codec::Ascii}, {"cp367", Codec::Ascii}, {"csascii", Codec::Ascii},
      {"ibm367", Codec::Ascii}, {"iso646_us", Codec::Ascii}, {"iso_646.irv_1991", Codec::Ascii},
      {"iso_ir_6", Codec::Ascii}, {"us", Codec::Ascii}, {"us_ascii", Codec::Ascii},
      {"8859", Codec::Latin1}, {"cp819", Codec::Latin1}, {"csisolatin1", Codec::Latin1}, {"ibm819", Codec::Latin1},
      {"iso8859", Codec::Latin1}, {"iso8859_1", Codec::Latin1}, {"iso_8859_1", Codec::Latin1},
      {"iso_8859_1_1987", Codec::Latin1}, {"iso_ir_100", Codec::Latin1}, {"l1", Codec::Latin1},
      {"latin", Codec::Latin1}, {"latin1", Codec::Latin1},
      {"iso_8859_15", Codec::Latin9}, {"l9", Codec::Latin9}, {"latin9", Codec::Latin9},
      {"1252", Codec::Cp1252}, {"windows_1252", Codec::Cp1252},
  };
  std::string underscored = norm;
  for (char& c : underscored)
    if (c == '.') c = '_';
  for (std::string_view key : {std::string_view(norm), std::string_view(underscored)})
    for (const Name& a : kAliases)
      if (a.name == key) return a.codec;
  for (const Name& m : kModules)
    if (m.name == norm) return m.codec;
  return std::nullopt;
}

// The code point of byte `b` (0x80 and above) in a single-byte codec, or nullopt where the codec
// defines none (Python then raises UnicodeDecodeError). Tables: Python's encodings/cp1252.py and
// iso8859_15.py.
std::optional<char32_t> single_byte(Codec codec, unsigned char b) {
  if (codec == Codec::Ascii) return std::nullopt;
  if (codec == Codec::Cp1252 && b < 0xA0) {
    static constexpr char32_t kHigh[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    const char32_t c = kHigh[b - 0x80];
    return c == 0 ? std::nullopt : std::optional<char32_t>(c);
  }
  if (codec == Codec::Latin9) {
    switch (b) {
      case 0xA4: return 0x20AC;
      case 0xA6: return 0x0160;
      case 0xA8: return 0x0161;
      case 0xB4: return 0x017D;
      case 0xB8: return 0x017E;
      case 0xBC: return 0x0152;
      case 0xBD: return 0x0153;
      case 0xBE: return 0x0178;
      default: break;
    }
  }
  return b;  // Latin-1, and the rest of the other two, map the byte to the same code point
}
}  // namespace

std::string decode_requirements_text(std::string bytes, const std::string& path, bool coding_line) {
  std::string_view s = bytes;
  if (s.starts_with(std::string_view("\xFF\xFE\x00\x00", 4))) return from_utf32(s.substr(4), false, path, "UTF-32-LE");
  if (s.starts_with(std::string_view("\x00\x00\xFE\xFF", 4))) return from_utf32(s.substr(4), true, path, "UTF-32-BE");
  if (s.starts_with("\xFF\xFE")) return from_utf16(s.substr(2), false, path, "UTF-16-LE");
  if (s.starts_with("\xFE\xFF")) return from_utf16(s.substr(2), true, path, "UTF-16-BE");
  if (s.starts_with("\xEF\xBB\xBF")) {
    bytes.erase(0, 3);
    return bytes;
  }
  const std::string_view name = coding_line ? declared_encoding(s) : std::string_view();
  if (name.empty()) return bytes;
  const std::optional<Codec> codec = find_codec(name);
  if (!codec)
    throw InputError("requirements file " + path + " declares the encoding \"" + std::string(name) +
                     "\" in a coding line, which thoth does not read (it reads UTF-8, ASCII, Latin-1, ISO-8859-15 "
                     "and Windows-1252): save the file as UTF-8 and remove the coding line");
  if (*codec == Codec::Utf8) return bytes;
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out += static_cast<char>(b);
    } else if (const std::optional<char32_t> c = single_byte(*codec, b)) {
      append_utf8(out, *c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      throw InputError("requirements file " + path + " declares the encoding \"" + std::string(name) +
                       "\" in a coding line, but byte " + hex + " at offset " + std::to_string(i) +
                       " is not a character of it: correct the coding line, or save the file as UTF-8");
    }
  }
  return out;
}

}  // namespace thoth
