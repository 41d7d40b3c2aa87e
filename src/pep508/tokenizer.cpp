#include "pep508/tokenizer.hpp"

#include <array>
#include <string>
#include <utility>

#include "pep508/text.hpp"

namespace thoth::pep508_parse {

using pep508_text::is_ascii_alnum;
using pep508_text::is_word_at;
using pep508_text::is_word_boundary;

bool Tokenizer::at_end() const {
  return pos_ == src_.size() || (pos_ + 1 == src_.size() && src_[pos_] == '\n');
}

void Tokenizer::skip_ws() {
  while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t')) ++pos_;
}

std::size_t Tokenizer::identifier() const {
  if (pos_ >= src_.size() || !is_ascii_alnum(src_[pos_]) || !is_word_boundary(src_, pos_)) return 0;
  std::size_t end = pos_ + 1;
  while (end < src_.size() && (is_ascii_alnum(src_[end]) || src_[end] == '.' || src_[end] == '_' ||
                               src_[end] == '-')) {
    ++end;
  }
  // The greedy run backs off until it ends on a word boundary (so "foo-" yields "foo", but
  // "foo_" stays whole because '_' is a word character).
  while (end > pos_ && !is_word_boundary(src_, end)) --end;
  return end - pos_;
}

std::size_t Tokenizer::word(std::string_view w) const {
  if (src_.substr(pos_, w.size()) != w) return 0;
  if (!is_word_boundary(src_, pos_) || !is_word_boundary(src_, pos_ + w.size())) return 0;
  return w.size();
}

std::size_t Tokenizer::quoted_string() const {
  if (pos_ >= src_.size() || (src_[pos_] != '\'' && src_[pos_] != '"')) return 0;
  std::size_t close = src_.find(src_[pos_], pos_ + 1);
  return close == std::string_view::npos ? 0 : close + 1 - pos_;
}

std::size_t Tokenizer::marker_op() const {
  static constexpr std::array<std::string_view, 8> kOps = {"===", "==", "~=", "!=", "<=", ">=", "<", ">"};
  for (std::string_view op : kOps) {
    if (src_.substr(pos_, op.size()) == op) return op.size();
  }
  return 0;
}

std::size_t Tokenizer::url() const {
  std::size_t end = pos_;
  while (end < src_.size() && src_[end] != ' ' && src_[end] != '\t') ++end;
  return end - pos_;
}

std::size_t Tokenizer::variable(MarkerVar& var) const {
  // The alternatives of packaging's VARIABLE rule; each is a whole word (\b on both sides).
  static constexpr std::array<std::string_view, 20> kNames = {
      "python_version",        "python_full_version",
      "os_name",               "os.name",
      "sys_platform",          "sys.platform",
      "platform_release",      "platform_system",
      "platform_version",      "platform.version",
      "platform_machine",      "platform.machine",
      "platform_python_implementation", "platform.python_implementation",
      "python_implementation", "implementation_name",
      "implementation_version", "extra",
      // packaging 25.0 (PEP 751).
      "extras",                "dependency_groups",
  };
  if (!is_word_at(src_, pos_) || !is_word_boundary(src_, pos_)) return 0;
  for (std::string_view name : kNames) {
    if (src_.substr(pos_, name.size()) == name && is_word_boundary(src_, pos_ + name.size())) {
      var = *marker_var_from_name(name);
      return name.size();
    }
  }
  return 0;
}

void Tokenizer::fail(std::string_view message, std::size_t at) const {
  std::string msg = "invalid ";
  msg += what_;
  msg += ' ';
  msg += pep508_text::quote(src_);
  msg += ": ";
  msg += message;
  msg += " at column ";
  std::size_t column = pep508_text::column_of(src_, at);
  msg += std::to_string(column);
  throw RequirementError(msg, column == 0 ? 0 : column - 1);
}

}  // namespace thoth::pep508_parse
