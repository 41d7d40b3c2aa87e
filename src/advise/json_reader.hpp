// JSON documents read by the advise module (KB files, OSV records).
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "thoth/json_text.hpp"

namespace thoth::advisor {

// KB files and OSV records are parsed by the shared bounded parser (thoth/json_text.hpp) with UTF-8
// checked and doubles read at full precision (scores). Returns "" or the reason.
inline std::string parse_json(std::string_view text, JsonDocument& out) {
  return thoth::parse_json<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(text, out);
}

// The type of a value for messages: "a string", "an array", "a number", ...
std::string_view json_type(const rapidjson::Value& v);

}  // namespace thoth::advisor
