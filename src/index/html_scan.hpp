// A small HTML tokenizer that yields start tags with their attributes and skips everything else
// (text, end tags, comments, doctype, processing instructions, the raw text of <script>/<style>).
// Enough of HTML Living Standard §13.2.5 for simple-repository pages, which browsers, pip's
// HTMLParser and hand-written mirrors all read the same way; no tree is built.
#pragma once

#include <string_view>
#include <vector>

namespace thoth::idx {

struct HtmlAttribute {
  std::string_view name;   // as written; compare with iequals_ascii
  std::string_view value;  // raw: quotes removed, character references NOT decoded
};

struct HtmlTag {
  std::string_view name;  // as written
  std::vector<HtmlAttribute> attributes;

  // The first attribute with this (lower-case) name, or nullptr.
  const HtmlAttribute* find(std::string_view lower_name) const;
};

bool iequals_ascii(std::string_view a, std::string_view lower);

class HtmlScanner {
 public:
  explicit HtmlScanner(std::string_view text) : text_(text) {}

  // The next start tag, false at the end. `truncated()` tells whether the text ended inside a tag.
  bool next(HtmlTag& tag);
  bool truncated() const { return truncated_; }

 private:
  void skip_raw_text(std::string_view element);

  std::string_view text_;
  std::size_t pos_ = 0;
  bool truncated_ = false;
};

}  // namespace thoth::idx
