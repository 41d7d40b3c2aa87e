// Text from the user's input (file names, URLs, the command line) written into a requirements lock,
// which pip reads line by line: it must not start a line of its own.
#pragma once

#include <string>
#include <string_view>

namespace thoth::lock_detail {

// True when `text` holds a character that ends a line where pip splits a requirements file (Python's
// str.splitlines: \n \r \v \f \x1c \x1d \x1e U+0085 U+2028 U+2029).
bool breaks_line(std::string_view text);

// `text` for a comment: those characters, and the other C0 controls but tab and DEL, spelled as Python
// escapes (\n, \x1b, \u2028), so that a file named "a\n-e evil" stays one comment line.
std::string comment_text(std::string_view text);

}  // namespace thoth::lock_detail
