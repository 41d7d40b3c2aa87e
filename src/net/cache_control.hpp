// RFC 9111 pieces the cache needs: the Cache-Control directives and HTTP dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "thoth/net.hpp"

namespace thoth::net {

struct CacheControl {
  bool no_store = false;
  bool no_cache = false;
  std::optional<std::int64_t> max_age;
};

// Folds every Cache-Control header of the message (RFC 9111 §5.2: directives are case-insensitive,
// comma-separated, and a value may be a quoted string). Unknown directives are ignored.
CacheControl parse_cache_control(const Headers& headers);

// An HTTP-date (RFC 9110 §5.6.7, all three historical forms) as Unix time.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace thoth::net
