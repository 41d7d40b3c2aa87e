// URL helpers shared by the writers and readers.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace thoth::lock_detail {

std::string without_fragment(std::string_view url);

// True when the URL or path (fragment ignored) names a wheel or an sdist/archive file rather than a
// directory or a VCS checkout.
bool is_archive_url(std::string_view url);

// Hashes in a "#sha256=<hex>" style fragment (pip's link hash), algorithm -> value.
std::map<std::string, std::string> fragment_hashes(std::string_view url);

// The local path of a file:// URL (percent-decoded); any other text is returned without fragment.
std::string file_url_path(std::string_view url);

// The URL without a "user:password@" part, as PEP 610's direct_url.json records URLs (pip's
// DirectUrl.redacted_url); a ${VAR} credential is kept, as PEP 610 allows.
std::string strip_credentials(std::string_view url);

// The last path component of a URL (fragment and query removed), percent-decoded.
std::string url_filename(std::string_view url);

}  // namespace thoth::lock_detail
