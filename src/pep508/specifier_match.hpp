// Recognises PEP 440 version specifiers exactly as the regular expression of packaging 25.0 (as 23.0)'s
// Specifier class does (operator, then a version whose shape depends on the operator). The
// requirement tokenizer uses the unanchored form; marker evaluation uses the anchored form to decide
// whether `op + value` is a specifier (then the comparison is a version comparison).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace thoth::pep508_spec {

struct SpecMatch {
  std::string_view op;         // "~=", "==", "!=", "<=", ">=", "<", ">" or "==="
  std::string_view version;    // without the whitespace allowed between operator and version
  std::size_t end = 0;         // offset just past the match
};

// The specifier starting exactly at `pos` (no leading whitespace), as re.match would find it.
std::optional<SpecMatch> match_specifier(std::string_view text, std::size_t pos);

// The whole text is one specifier (`^\s*op version\s*$`, as Specifier(text) accepts it).
std::optional<SpecMatch> full_specifier(std::string_view text);

}  // namespace thoth::pep508_spec
