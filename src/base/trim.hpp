// Trimming, each named for the whitespace rule it follows: the formats thoth reads disagree on what
// whitespace is, and a trim with the wrong set silently changes what a line means.
#pragma once

#include <string_view>

namespace thoth::base {

// C's isspace in the "C" locale; also what Python's str.strip() removes from ASCII text (pip strips
// requirement lines, pip.conf values and RECORD fields with it).
inline constexpr std::string_view kAsciiWhitespace = " \t\n\v\f\r";

// Whitespace inside one line: kAsciiWhitespace without the line feed (pip's requirements-file lines,
// INI lines of entry_points.txt, once split at '\n').
inline constexpr std::string_view kLineWhitespace = " \t\v\f\r";

// Blanks: RFC 9110 section 5.6.3's optional whitespace in HTTP fields, and the folding whitespace that
// starts a continuation line in RFC 822-style headers (core metadata).
inline constexpr std::string_view kBlanks = " \t";

constexpr bool is_ascii_whitespace(char c) { return kAsciiWhitespace.find(c) != std::string_view::npos; }

constexpr std::string_view trim_start(std::string_view s, std::string_view set = kAsciiWhitespace) {
  const auto b = s.find_first_not_of(set);
  return b == std::string_view::npos ? std::string_view() : s.substr(b);
}

constexpr std::string_view trim_end(std::string_view s, std::string_view set = kAsciiWhitespace) {
  const auto e = s.find_last_not_of(set);
  return e == std::string_view::npos ? std::string_view() : s.substr(0, e + 1);
}

constexpr std::string_view trim(std::string_view s, std::string_view set = kAsciiWhitespace) {
  return trim_end(trim_start(s, set), set);
}

}  // namespace thoth::base
