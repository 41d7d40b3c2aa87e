// URL arithmetic the index client needs: resolving the hrefs of simple pages against the page (or its
// <base>), quoting what pages leave unquoted, file names of links, hash fragments, and file:// <-> path.
// Not a general URL library: curl parses what is fetched; this only builds the strings.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace thoth::idx {

// RFC 3986 §5.2 reference resolution of `ref` against the absolute URL `base` (dot segments removed).
std::string join_url(std::string_view base, std::string_view ref);

// Percent-encodes the characters of the path/query that may not appear raw in a URL (spaces, controls,
// non-ASCII bytes, quotes, angle brackets...); existing %XX escapes are kept. Like pip's
// _ensure_quoted_url, so "a b.whl" and "a%20b.whl" name the same file.
std::string quote_url(std::string url);




// "file:///abs/path" with the path percent-encoded; relative paths are made absolute first.
std::string path_to_file_url(const std::filesystem::path& path);
// Appends `path` (a '/'-separated file path) percent-encoded as a URL path: what may not appear raw,
// and '%', '#' and '?', which would change the URL's meaning; '/' separates segments.
void append_encoded_path(std::string& out, std::string_view path);

// "scheme://host[:port]" of an absolute URL, lower-cased, without userinfo: the unit servers are
// judged by (e.g. "does not serve byte ranges"). "" when the URL has no authority.
std::string origin_of(std::string_view url);

// Whether an absolute URL carries credentials ("scheme://user[:password]@host/...").
bool has_userinfo(std::string_view url);

// The URL with a single trailing '/'.
std::string with_trailing_slash(std::string_view url);

}  // namespace thoth::idx
