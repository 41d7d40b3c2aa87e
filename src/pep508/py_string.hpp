// Decoding of the quoted strings of environment markers. packaging 25.0 (as 23.0) hands each QUOTED_STRING
// token to ast.literal_eval, so a marker value is a Python string literal: backslash escapes are
// interpreted and some texts (a trailing backslash, a raw newline) are syntax errors.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace thoth::pep508_pystr {

struct DecodeResult {
  std::string value;
  std::string error;      // empty on success
  std::size_t error_at = 0;  // offset into the token where decoding failed
};

// `token` includes its quotes ('...' or "..."), and contains no other quote of the same kind.
DecodeResult decode_python_string(std::string_view token);

}  // namespace thoth::pep508_pystr
