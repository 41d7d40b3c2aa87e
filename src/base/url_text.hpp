// The URL rules several modules need on plain text, before any URL is fetched: percent-decoding, the
// parts of an authority, and file URLs to local paths.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace thoth::base {

// RFC 3986 section 2.1: "%" HEXDIG HEXDIG is one octet; a '%' not followed by two hex digits stays as
// written (as Python's urllib.parse.unquote leaves it).
inline std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && is_ascii_hex_digit(s[i + 1]) && is_ascii_hex_digit(s[i + 2])) {
      out.push_back(static_cast<char>(hex_digit_value(s[i + 1]) * 16 + hex_digit_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

constexpr std::string_view without_fragment(std::string_view url) { return url.substr(0, url.find('#')); }

// RFC 3986 appendix B's split of a URI reference into scheme ":" "//" authority path "?" query "#" fragment,
// with section 3.2's authority = [ userinfo "@" ] host [ ":" port ]. Relative references split too (no
// scheme, perhaps no authority), which URL joining needs. Views into the input.
struct UrlParts {
  std::string_view scheme, authority, path, query, fragment;  // without ':', '//', '?', '#'
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
  std::string_view userinfo;  // before the authority's last '@'
  bool has_userinfo = false;
  std::string_view host;  // without the brackets of an IPv6 literal
  std::string_view port;  // empty when absent
  std::size_t authority_begin = 0;  // offset of the authority in the input (just after "//")
};

constexpr bool is_scheme_char(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alpha || (!first && (is_ascii_digit(c) || c == '+' || c == '-' || c == '.'));
}

constexpr void split_authority(UrlParts& p) {
  std::string_view hostport = p.authority;
  // The last '@' ends the userinfo: a password may hold a raw '@' (urllib, which pip uses, agrees).
  if (const auto at = hostport.rfind('@'); at != std::string_view::npos) {
    p.has_userinfo = true;
    p.userinfo = hostport.substr(0, at);
    hostport.remove_prefix(at + 1);
  }
  if (!hostport.empty() && hostport.front() == '[') {  // section 3.2.2: IP-literal
    const auto close = hostport.find(']');
    p.host = hostport.substr(1, close == std::string_view::npos ? hostport.npos : close - 1);
    if (close != std::string_view::npos && hostport.substr(close + 1, 1) == ":") p.port = hostport.substr(close + 2);
    return;
  }
  const auto colon = hostport.rfind(':');
  p.host = hostport.substr(0, colon);
  if (colon != std::string_view::npos) p.port = hostport.substr(colon + 1);
}

constexpr UrlParts split_url(std::string_view url) {
  UrlParts p;
  std::string_view s = url;
  std::size_t i = 0;
  while (i < s.size() && is_scheme_char(s[i], i == 0)) ++i;
  if (i > 0 && i < s.size() && s[i] == ':') {
    p.scheme = s.substr(0, i);
    p.has_scheme = true;
    s.remove_prefix(i + 1);
  }
  if (const auto hash = s.find('#'); hash != std::string_view::npos) {
    p.fragment = s.substr(hash + 1);
    p.has_fragment = true;
    s = s.substr(0, hash);
  }
  if (const auto q = s.find('?'); q != std::string_view::npos) {
    p.query = s.substr(q + 1);
    p.has_query = true;
    s = s.substr(0, q);
  }
  if (s.substr(0, 2) == "//") {
    s.remove_prefix(2);
    p.authority_begin = static_cast<std::size_t>(s.data() - url.data());
    const auto slash = s.find('/');
    p.authority = s.substr(0, slash);
    p.has_authority = true;
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
    split_authority(p);
  }
  p.path = s;
  return p;
}

constexpr bool is_file_url(std::string_view url) { return ascii_istarts_with(url, "file:"); }

// An absolute http:// or https:// URL (scheme case-insensitive, RFC 3986 section 3.1).
constexpr bool is_http_url(std::string_view url) {
  const UrlParts p = split_url(url);
  return p.has_authority && (ascii_iequals(p.scheme, "http") || ascii_iequals(p.scheme, "https"));
}

// RFC 8089 section 2 and appendix E.2: file:///path, file://localhost/path and file:/path name a local
// file; any other host is not this machine's. The query and fragment are not part of the path.
inline std::optional<std::filesystem::path> file_url_to_path(std::string_view url) {
  if (!is_file_url(url)) return std::nullopt;
  const UrlParts parts = split_url(url);
  if (parts.has_authority && !parts.authority.empty() && !ascii_iequals(parts.authority, "localhost"))
    return std::nullopt;
  if (parts.path.empty() || parts.path.front() != '/') return std::nullopt;
  return std::filesystem::path(percent_decode(parts.path));
}

}  // namespace thoth::base
