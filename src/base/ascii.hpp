// ASCII case folding and digit classes. Every name, key and scheme thoth compares case-insensitively is
// ASCII by its grammar (PEP 503 names, header field names, URL schemes and hosts, pip.conf keys), so
// byte-wise folding is exact and, unlike std::tolower/std::isxdigit, independent of the C locale.
#pragma once

#include <string>
#include <string_view>

namespace thoth::base {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

constexpr bool ascii_istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// The value of a hexadecimal digit, or -1 when `c` is not one.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr bool is_ascii_hex_digit(char c) { return hex_digit_value(c) >= 0; }

}  // namespace thoth::base
