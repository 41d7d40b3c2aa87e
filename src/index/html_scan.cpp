#include "index/html_scan.hpp"
#include "base/ascii.hpp"

#include <cstring>

namespace thoth::idx {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool iequals_ascii(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (base::ascii_lower(a[i]) != lower_b[i]) return false;
  return true;
}

const HtmlAttribute* HtmlTag::find(std::string_view lower_name) const {
  for (const auto& a : attributes)
    if (iequals_ascii(a.name, lower_name)) return &a;
  return nullptr;
}

bool HtmlScanner::next(HtmlTag& tag) {
  const std::size_t size = text_.size();
  const char* data = text_.data();
  while (pos_ < size) {
    const void* hit = std::memchr(data + pos_, '<', size - pos_);
    if (hit == nullptr) {
      pos_ = size;
      return false;
    }
    const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
    pos_ = lt + 1;
    if (pos_ >= size) return false;
    const char c = data[pos_];
    if (c == '!' && text_.substr(lt, 4) == "<!--") {
      // §13.2.5.43: a comment runs to the next "-->".
      std::size_t end = text_.find("-->", lt + 4);
      pos_ = end == std::string_view::npos ? size : end + 3;
      continue;
    }
    if (c == '!' || c == '?' || c == '/') {
      // Doctype, CDATA, processing instruction or end tag: nothing we read, skip to '>'.
      std::size_t end = text_.find('>', pos_);
      pos_ = end == std::string_view::npos ? size : end + 1;
      continue;
    }
    if (!is_alpha(c)) continue;  // "a < b" in text

    // §13.2.5.8 tag name state: up to whitespace, '/' or '>'.
    std::size_t start = pos_;
    while (pos_ < size && !is_space(data[pos_]) && data[pos_] != '/' && data[pos_] != '>') ++pos_;
    tag.name = text_.substr(start, pos_ - start);
    tag.attributes.clear();
    while (true) {
      while (pos_ < size && (is_space(data[pos_]) || data[pos_] == '/')) ++pos_;
      if (pos_ >= size) {
        truncated_ = true;
        return false;
      }
      if (data[pos_] == '>') {
        ++pos_;
        break;
      }
      // §13.2.5.33 attribute name state ('=' as the first character belongs to the name).
      start = pos_++;
      while (pos_ < size && !is_space(data[pos_]) && data[pos_] != '/' && data[pos_] != '>' && data[pos_] != '=')
        ++pos_;
      HtmlAttribute attr{text_.substr(start, pos_ - start), {}};
      std::size_t after_name = pos_;
      while (pos_ < size && is_space(data[pos_])) ++pos_;
      if (pos_ < size && data[pos_] == '=') {
        ++pos_;
        while (pos_ < size && is_space(data[pos_])) ++pos_;
        if (pos_ >= size) {
          truncated_ = true;
          return false;
        }
        const char q = data[pos_];
        if (q == '"' || q == '\'') {
          std::size_t end = text_.find(q, pos_ + 1);
          if (end == std::string_view::npos) {
            truncated_ = true;
            return false;
          }
          attr.value = text_.substr(pos_ + 1, end - pos_ - 1);
          pos_ = end + 1;
        } else {
          start = pos_;
          while (pos_ < size && !is_space(data[pos_]) && data[pos_] != '>') ++pos_;
          attr.value = text_.substr(start, pos_ - start);
        }
      } else {
        pos_ = after_name;  // a bare attribute; whatever follows is the next one
      }
      tag.attributes.push_back(attr);
    }
    if (iequals_ascii(tag.name, "script") || iequals_ascii(tag.name, "style")) skip_raw_text(tag.name);
    return true;
  }
  return false;
}

void HtmlScanner::skip_raw_text(std::string_view element) {
  // §13.2.5.3/§13.2.5.5: raw text ends at "</element" (any case) followed by space, '/' or '>'.
  while (true) {
    std::size_t p = text_.find("</", pos_);
    if (p == std::string_view::npos) {
      pos_ = text_.size();
      return;
    }
    std::size_t after = p + 2 + element.size();
    if (after <= text_.size()) {
      bool same = true;
      for (std::size_t i = 0; i < element.size() && same; ++i)
        same = base::ascii_lower(text_[p + 2 + i]) == base::ascii_lower(element[i]);
      if (same && (after == text_.size() || is_space(text_[after]) || text_[after] == '/' || text_[after] == '>')) {
        pos_ = p;
        return;
      }
    }
    pos_ = p + 2;
  }
}

}  // namespace thoth::idx
