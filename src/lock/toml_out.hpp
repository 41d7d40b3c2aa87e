// Pieces of TOML text for the pylock.toml writer (TOML 1.0). Written by hand rather than through
// toml++'s serialiser so the layout (inline tables, one wheel per line) is ours and stable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace thoth::lock_detail {

// A TOML string: a literal string ('...') when the text allows one (no ' and no control characters),
// as PEP 751's example writes them, else a basic string with escapes.
std::string toml_string(std::string_view s);

// A bare key when it is one (A-Za-z0-9_-), else a quoted key.
std::string toml_key(std::string_view key);

// An ISO 8601 / RFC 3339 time as PEP 700 gives it ("2024-01-31T12:00:00.123456Z", "+01:00" offsets,
// ' ' separator) as a TOML offset date-time in UTC (PEP 751: "The date and time MUST be recorded in
// UTC"), fraction kept: 2024-01-31T11:00:00.123456Z. nullopt when the text is not such a time.
std::optional<std::string> toml_utc_datetime(std::string_view iso);

}  // namespace thoth::lock_detail
