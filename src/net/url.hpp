// Small URL helpers for the net module: splitting a URL into the parts it needs (scheme, userinfo,
// host, port), stripping credentials and fragments, and mapping file:// URLs to paths. Deliberately not
// a full RFC 3986 parser: curl parses the URLs it fetches; these only serve keys, limits and messages.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace thoth::net {

struct UrlParts {
  std::string_view scheme;    // as written ("https")
  std::string_view userinfo;  // between "//" and '@', without the '@'; empty when absent
  bool has_userinfo = false;
  std::string_view host;      // without brackets for IPv6 literals
  std::string_view port;      // empty when absent
  std::size_t authority_begin = 0;  // offset just after "//"
  std::size_t authority_end = 0;    // offset of the path/query/fragment start
};

// nullopt when the text has no "scheme://".
std::optional<UrlParts> split_url(std::string_view url);

// %XX escapes decoded (invalid escapes kept as written).
std::string percent_decode(std::string_view s);

std::string lower_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// The URL without "user[:password]@".
std::string strip_userinfo(std::string_view url);
// The URL without "#fragment".
std::string_view strip_fragment(std::string_view url);
// "scheme://host:port", lower-cased, with the scheme's default port filled in: the unit of the
// per-host transfer limit.
std::string host_key(std::string_view url);

bool is_file_url(std::string_view url);
// The local path of a file:// URL (host empty or "localhost"), percent-decoded; nullopt otherwise.
std::optional<std::filesystem::path> file_url_path(std::string_view url);

}  // namespace thoth::net
