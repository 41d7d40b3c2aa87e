// Splits RFC 822 style text (METADATA, PKG-INFO) into header fields and a body the way Python's
// email parser with the compat32 policy does, which is how pip and packaging read core metadata
// ("Core metadata specifications": the format is that of email.parser with compat32).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace thoth::metadata_detail {

struct RawField {
  std::string_view name;  // as written (a view into the parsed text)
  // The value: the first line's text, then "\n" and each continuation line without its folding
  // whitespace; every line right-trimmed, leading/trailing whitespace of the whole value removed.
  std::string value;
  // The field's source after the colon up to the end of its last continuation line (line breaks
  // as written, no final line break); kept for fields whose folding needs other treatment.
  std::string_view source;
};

struct RawMessage {
  std::vector<RawField> fields;  // in file order
  std::string body;              // everything after the header section, line breaks as "\n"
};

// Never fails: like the email parser, malformed lines are either skipped or end the header
// section (see rfc822.cpp for the exact rules). A leading UTF-8 byte order mark is ignored.
RawMessage split_message(std::string_view text);

// Splits `text` at the next line break ("\r\n", "\r" or "\n", as the email parser does). Returns the
// line without its break and advances `pos` past it; `had_break` tells whether a break ended it.
std::string_view next_line(std::string_view text, std::size_t& pos, bool& had_break);

}  // namespace thoth::metadata_detail
