// TOML documents (pyproject.toml, Pipfile, pylock.toml) read with toml++, used header-only (no shared
// library to load at start), with one error form for every reader: "FILE:LINE:COLUMN: invalid TOML: ...".
#pragma once

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <sstream>
#include <string>
#include <string_view>

namespace thoth::base {

// The parsed document; a syntax error throws `Error` (the calling module's error type) naming
// `label`, the line and the column.
template <typename Error>
toml::table parse_toml(std::string_view text, const std::string& label) {
  try {
    return toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << label << ":" << e.source().begin.line << ":" << e.source().begin.column << ": invalid TOML: "
        << e.description();
    throw Error(msg.str());
  }
}

}  // namespace thoth::base
