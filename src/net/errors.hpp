// One shape for every failure message: "GET <url, credentials redacted> failed: <cause>".
#pragma once

#include <string>
#include <string_view>

#include "thoth/net.hpp"

namespace thoth::net {

NetError request_error(std::string_view url, std::string_view cause, NetError::Kind kind, long status = 0);
// "HTTP 404 Not Found"
std::string status_text(long status);
// The cause of a failure that the request's progress callback made by throwing `what`.
std::string progress_failure(std::string_view what);
// The offline-mode miss, worded for the user who has to act on it.
NetError offline_miss(std::string_view url);

}  // namespace thoth::net
