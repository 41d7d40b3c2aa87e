// JSON documents read by the advise module (KB files, OSV records): parsed in place with rapidjson,
// with a bound on nesting so that a hostile document ("[[[[...") is an error, not a stack overflow.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace thoth::advisor {

// KB facts nest 4 levels and OSV records 7 (record, affected, entry, ranges, range, events, event);
// database_specific objects may add some.
inline constexpr unsigned kMaxJsonDepth = 64;

// A parsed document and the buffer its strings point into.
struct JsonDocument {
  std::string buffer;
  rapidjson::Document doc;
};

// Parses `text` (UTF-8 checked). Returns "" on success, else the reason: "invalid JSON at offset N:
// <rapidjson's message>" or "JSON nested deeper than 64 levels".
std::string parse_json(std::string_view text, JsonDocument& out);

// The type of a value for messages: "a string", "an array", "a number", ...
std::string_view json_type(const rapidjson::Value& v);

}  // namespace thoth::advisor
