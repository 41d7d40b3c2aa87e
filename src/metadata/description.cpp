#include "metadata/description.hpp"

#include <vector>

#include "metadata/rfc822.hpp"
#include "base/trim.hpp"

namespace thoth::metadata_detail {

namespace {

std::string_view leading_blanks(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return line.substr(0, i);
}

bool is_blank(std::string_view line) { return leading_blanks(line).size() == line.size(); }

}  // namespace

std::string unfold_description(std::string_view source) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  bool had_break = false;
  while (pos < source.size()) lines.push_back(next_line(source, pos, had_break));
  if (lines.empty()) return {};

  std::string out(base::trim_start(lines[0], base::kBlanks));
  if (lines.size() == 1) return std::string(base::trim(out));

  // textwrap.dedent: the margin is the longest common leading whitespace of the non-blank lines
  // (tabs and spaces are not interchangeable).
  std::string_view margin;
  bool have_margin = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (is_blank(lines[i])) continue;
    const std::string_view indent = leading_blanks(lines[i]);
    if (!have_margin) {
      margin = indent;
      have_margin = true;
      continue;
    }
    std::size_t n = 0;
    while (n < margin.size() && n < indent.size() && margin[n] == indent[n]) ++n;
    margin = margin.substr(0, n);
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    out.push_back('\n');
    if (!is_blank(lines[i])) out.append(lines[i].substr(margin.size()));
  }
  while (!out.empty() && base::is_ascii_whitespace(out.back())) out.pop_back();
  return out;
}

}  // namespace thoth::metadata_detail
