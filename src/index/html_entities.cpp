#include "index/html_entities.hpp"

#include <cstdint>

namespace thoth::idx {
namespace {

struct Named {
  std::string_view name;
  std::string_view text;  // UTF-8
  bool legacy;            // may appear without the ';' (HTML's ISO-8859-1 legacy set)
};

// Every named reference of HTML5, sorted by name (binary searched): pip reads pages through Python's
// html.unescape, which knows all of them.
constexpr Named kNamed[] = {
#include "index/html_entities_table.inc"
};

const Named* find_named(std::string_view name) {
  std::size_t lo = 0, hi = std::size(kNamed);
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (kNamed[mid].name < name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < std::size(kNamed) && kNamed[lo].name == name ? &kNamed[lo] : nullptr;
}

// HTML §13.2.5.80: C1 references are read as windows-1252, as browsers (and Python's html.unescape) do.
constexpr std::uint16_t kWindows1252[32] = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178,
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes a numeric reference starting at text[i] == '&', text[i+1] == '#'. Returns the number of
// characters consumed, 0 if it is not a numeric reference.
std::size_t numeric(std::string_view text, std::size_t i, std::string& out) {
  std::size_t p = i + 2;
  const bool hex = p < text.size() && (text[p] == 'x' || text[p] == 'X');
  if (hex) ++p;
  const std::size_t digits = p;
  std::uint64_t value = 0;
  while (p < text.size()) {
    char c = text[p];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
      d = (c | 0x20) - 'a' + 10;
    } else {
      break;
    }
    if (value <= 0x10FFFF) value = value * (hex ? 16 : 10) + static_cast<std::uint64_t>(d);
    ++p;
  }
  if (p == digits) return 0;
  if (p < text.size() && text[p] == ';') ++p;
  // §13.2.5.80 "numeric character reference end state".
  std::uint32_t cp;
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    cp = 0xFFFD;
  } else if (value >= 0x80 && value <= 0x9F) {
    cp = kWindows1252[value - 0x80];
  } else {
    cp = static_cast<std::uint32_t>(value);
  }
  // Control characters other than whitespace are dropped (as Python's html.unescape does).
  const bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\f' && cp != '\r') || cp == 0x7F ||
                       (cp >= 0x80 && cp <= 0x9F);
  if (!control) append_utf8(out, cp);
  return p - i;
}

}  // namespace

std::string decode_entities(std::string_view text, bool in_attribute) {
  std::size_t amp = text.find('&');
  if (amp == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (amp != std::string_view::npos) {
    out.append(text.substr(i, amp - i));
    i = amp;
    std::size_t used = 0;
    if (i + 1 < text.size() && text[i + 1] == '#') {
      used = numeric(text, i, out);
    } else {
      std::size_t p = i + 1;
      while (p < text.size() && is_alnum(text[p]) && p - i <= 32) ++p;
      std::string_view name = text.substr(i + 1, p - i - 1);
      if (p < text.size() && text[p] == ';') {
        if (const Named* n = find_named(name)) {
          out.append(n->text);
          used = p + 1 - i;
        }
      }
      if (used == 0) {
        // Legacy references without ';': the longest known prefix of the name (HTML §13.2.5.73).
        for (std::size_t len = name.size(); len > 0 && used == 0; --len) {
          const Named* n = find_named(name.substr(0, len));
          if (n == nullptr || !n->legacy) continue;
          const std::size_t after = i + 1 + len;
          if (in_attribute && after < text.size() && (text[after] == '=' || is_alnum(text[after]))) break;
          out.append(n->text);
          used = len + 1;
        }
      }
    }
    if (used == 0) {
      out.push_back('&');
      used = 1;
    }
    i += used;
    amp = text.find('&', i);
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace thoth::idx
