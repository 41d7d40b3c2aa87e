// The header/body split of Python's email.feedparser (policy compat32), which pip and packaging use
// for core metadata. Rules mirrored here, checked against /usr/bin/python3's email package:
//  - A header line is one that starts with "From ", with a space or tab (a continuation), or with
//    a possibly empty run of printable ASCII other than ':' followed by ':' (so "Name : x", a name
//    with non-ASCII bytes, or a line without a colon are not header lines).
//  - The header section ends at the first empty line (consumed) or at the first line that is not a
//    header line; Python records a defect and that line becomes the first line of the body. We do
//    the same, so fields after such a line are not seen, exactly as pip would not see them.
//  - A continuation line belongs to the preceding field; if there is none (first line, or after a
//    skipped line) Python drops it with a defect, and so do we. A whitespace-only line is a
//    continuation, not the separator.
//  - A line starting with ':' (empty field name) is dropped.
//  - "From " lines are mbox envelope lines: dropped, except that one ending the header section
//    (not as the first line) is pushed back to the start of the body.
//  - Line breaks are "\r\n", "\r" or "\n".
#include "metadata/rfc822.hpp"
#include "base/trim.hpp"


namespace thoth::metadata_detail {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Printable ASCII except ':' (octal 041-071 and 073-176), the characters of a field name.
bool is_name_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7E && c != ':';
}

bool starts_with_from(std::string_view line) { return line.starts_with("From "); }
bool is_continuation(std::string_view line) { return !line.empty() && (line[0] == ' ' || line[0] == '\t'); }

// Position of the colon ending the field name, or npos if `line` is not a "name:" line.
std::size_t name_end(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_name_char(line[i])) ++i;
  return (i < line.size() && line[i] == ':') ? i : std::string_view::npos;
}

void append_normalized(std::string& out, std::string_view text) {
  // Copies runs between carriage returns in bulk: bodies are long and usually have none.
  out.reserve(out.size() + text.size());
  for (std::size_t cr = text.find('\r'); cr != std::string_view::npos; cr = text.find('\r')) {
    out.append(text.substr(0, cr));
    out.push_back('\n');
    text.remove_prefix(cr + ((cr + 1 < text.size() && text[cr + 1] == '\n') ? 2 : 1));
  }
  out.append(text);
}

}  // namespace

std::string_view next_line(std::string_view text, std::size_t& pos, bool& had_break) {
  const std::size_t start = pos;
  std::size_t i = start;
  while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
  std::string_view line = text.substr(start, i - start);
  had_break = i < text.size();
  if (had_break) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    ++i;
  }
  pos = i;
  return line;
}

RawMessage split_message(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  RawMessage msg;
  RawField* current = nullptr;     // field that continuation lines extend
  std::size_t source_begin = 0;    // where `current`'s source starts in `text`
  std::string_view pushed_from;    // a "From " line that may turn out to start the body
  std::size_t lineno = 0;
  std::size_t pos = 0;
  std::size_t body_begin = text.size();

  auto finish_current = [&](std::size_t source_end) {
    if (current == nullptr) return;
    // Lines are trimmed already; an empty first line or empty last lines leave line breaks to drop.
    const std::string_view trimmed = base::trim(current->value);
    if (trimmed.size() != current->value.size()) current->value = std::string(trimmed);
    current->source = text.substr(source_begin, source_end - source_begin);
    current = nullptr;
  };

  std::size_t prev_line_end = 0;  // end (before the break) of the last header line
  while (pos < text.size()) {
    const std::size_t line_begin = pos;
    bool had_break = false;
    const std::string_view line = next_line(text, pos, had_break);

    const bool continuation = is_continuation(line);
    const bool from = !continuation && starts_with_from(line);
    const std::size_t colon = (continuation || from) ? std::string_view::npos : name_end(line);
    if (!continuation && !from && colon == std::string_view::npos) {
      // The separator (an empty line) is consumed; any other line starts the body.
      body_begin = line.empty() ? pos : line_begin;
      break;
    }
    pushed_from = {};  // a pending "From " line was not the last header line: dropped

    if (continuation) {
      if (current != nullptr) {
        current->value.push_back('\n');
        current->value.append(base::trim_end(base::trim_start(line, base::kBlanks)));
      }
    } else {
      finish_current(prev_line_end);
      if (from) {
        // Dropped, unless it proves to be the last header line; kept with its line break.
        if (lineno > 0) pushed_from = text.substr(line_begin, pos - line_begin);
      } else if (colon > 0) {
        msg.fields.push_back(RawField{line.substr(0, colon), std::string(base::trim(line.substr(colon + 1))), {}});
        current = &msg.fields.back();
        source_begin = line_begin + colon + 1;
      }
      // colon == 0: a field without a name is dropped, and so are its continuation lines.
    }
    prev_line_end = line_begin + line.size();
    ++lineno;
  }
  finish_current(prev_line_end);

  if (pushed_from.empty()) {
    append_normalized(msg.body, text.substr(body_begin));
  } else {
    // Joined before normalising, as Python joins the raw lines: "From x\r" + "\n..." is one break.
    std::string joined(pushed_from);
    joined.append(text.substr(body_begin));
    append_normalized(msg.body, joined);
  }
  return msg;
}

}  // namespace thoth::metadata_detail
