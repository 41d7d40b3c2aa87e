// Character-level helpers shared by the version and specifier parsers.
//
// packaging matches with Python's `re` on str objects, so `\s` and str.strip() mean Unicode
// whitespace, and IGNORECASE lets four non-ASCII letters match [a-z]. Input here is UTF-8; these
// helpers recognise those code points by their UTF-8 bytes so the accepted language is the same.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace thoth::pep440 {

using base::ascii_lower;
inline bool is_separator(char c) { return c == '.' || c == '-' || c == '_'; }

// Length in bytes of the Unicode whitespace character (Python's str.isspace) starting at text[i],
// or 0 if there is none there.
std::size_t space_length(std::string_view text, std::size_t i);

// First index >= i that does not start a whitespace character.
std::size_t skip_space(std::string_view text, std::size_t i);

// text without leading and trailing Unicode whitespace (Python's str.strip()).
std::string_view strip_space(std::string_view text);

// The text quoted for an error message: control bytes escaped so the message stays on one line.
std::string quote(std::string_view text);

// "unexpected "x" at position N" or "unexpected end at position N".
std::string unexpected_at(std::string_view text, std::size_t pos);

}  // namespace thoth::pep440
