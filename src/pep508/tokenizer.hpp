// The context-sensitive tokenizer of packaging 25.0 (as 23.0) (_tokenizer.py DEFAULT_RULES): the parser asks
// at each position whether one particular token matches there. Token rules are Python regular
// expressions matched against the whole source, so `\b` looks at the character before the
// position too; they are reproduced here by hand (internal to pep508).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "thoth/pep508.hpp"

namespace thoth::pep508_parse {

class Tokenizer {
 public:
  // `what` names the kind of text in error messages: "requirement" or "marker".
  Tokenizer(std::string_view source, std::string_view what) : src_(source), what_(what) {}

  std::string_view source() const { return src_; }
  std::size_t pos() const { return pos_; }
  void advance(std::size_t n) { pos_ += n; }

  // END: `$`, which in Python also matches just before a final newline.
  bool at_end() const;
  // WS: [ \t]+ (consumed if present).
  void skip_ws();
  // Single-character tokens: ( ) [ ] ; , @
  bool at_char(char c) const { return pos_ < src_.size() && src_[pos_] == c; }

  // Lengths of the token at the current position, 0 when it does not match.
  std::size_t identifier() const;                 // IDENTIFIER: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b
  std::size_t word(std::string_view w) const;     // BOOLOP/IN/NOT: \bw\b
  std::size_t quoted_string() const;              // QUOTED_STRING: '[^']*' | "[^"]*"
  std::size_t marker_op() const;                  // OP: ===|==|~=|!=|<=|>=|<|>
  std::size_t url() const;                        // URL: [^ \t]+
  std::size_t variable(MarkerVar& var) const;     // VARIABLE, with packaging's aliases

  // Throws RequirementError: invalid <what> "<source>": <message> at column <n>.
  [[noreturn]] void fail(std::string_view message, std::size_t at) const;
  [[noreturn]] void fail(std::string_view message) const { fail(message, pos_); }

  // Parentheses open around the current position (the marker parser recurses once per level).
  std::size_t nesting = 0;

 private:
  std::string_view src_;
  std::string_view what_;
  std::size_t pos_ = 0;
};

}  // namespace thoth::pep508_parse
