// Small URL helpers for the net module: absolute URLs split into the parts it needs, credentials
// stripped, and the per-host key of the transfer limit. Deliberately not
// a full RFC 3986 parser: curl parses the URLs it fetches; these only serve keys, limits and messages.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/url_text.hpp"

namespace thoth::net {

using UrlParts = base::UrlParts;

// The parts of an absolute "scheme://authority..." URL; nullopt for anything else.
std::optional<UrlParts> split_url(std::string_view url);

// The URL without "user[:password]@".
std::string strip_userinfo(std::string_view url);
// "scheme://host:port", lower-cased, with the scheme's default port filled in: the unit of the
// per-host transfer limit.
std::string host_key(std::string_view url);

}  // namespace thoth::net
