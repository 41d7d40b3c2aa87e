// Header parsing shared by the curl transfer, the file:// reader and the cache.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "thoth/net.hpp"

namespace thoth::net {

// "Name: value\r\n" -> {"name", "value"} with the name lower-cased and the value trimmed; nullopt for
// a status line, a blank line or anything without a colon.
std::optional<std::pair<std::string, std::string>> parse_header_line(std::string_view line);

// Replaces every stored value of each header present in `update` (RFC 9111 §4.3.4: a 304 updates the
// stored response's header fields), leaving framing headers alone.
void merge_headers(Headers& stored, const Headers& update);

// The standard reason phrase for a status code ("Not Found"), empty when unknown: HTTP/2 has none on
// the wire, so messages take it from here.
std::string_view reason_phrase(long status);

}  // namespace thoth::net
