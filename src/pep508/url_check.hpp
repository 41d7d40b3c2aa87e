// The URL check packaging 23.0 applies to `name @ url` requirements, on top of Python's
// urllib.parse.urlparse (internal to pep508).
#pragma once

#include <string>
#include <string_view>

namespace thoth::pep508_url {

// Empty if packaging accepts the URL, otherwise the reason.
std::string check_requirement_url(std::string_view url);

}  // namespace thoth::pep508_url
