// file:// URLs: read straight from disk, with the same range semantics as HTTP (RFC 9110 §14) so the
// index client and the remote-zip reader do not care whether a mirror is local.
#pragma once

#include <cstdint>
#include <functional>

#include "thoth/net.hpp"

namespace thoth::net {

// Throws NetError: a missing file is status 404, an unsatisfiable range 416; cancelled when
// `cancelled` (checked between blocks) says so.
HttpResponse fetch_file_url(const HttpRequest& request, std::uint64_t max_body,
                            const std::function<bool()>& cancelled = {});

}  // namespace thoth::net
