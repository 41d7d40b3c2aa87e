// What pip calls a Link: a URL (or local path) naming one distribution file, with its hash fragment.
// The index pages, the lock writers and readers, and the installer all take links apart the same way.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "base/ascii.hpp"
#include "base/url_text.hpp"

namespace thoth::base {

// The fragment without '#' ("" when none).
constexpr std::string_view fragment_of(std::string_view url) {
  const auto hash = url.find('#');
  return hash == std::string_view::npos ? std::string_view() : url.substr(hash + 1);
}

// Hashes named in a fragment such as "sha256=ab12" or "egg=x&sha256=ab12" (PEP 503: "#<hashname>=<hex>"),
// for the hashlib names pip accepts; keys and values lower-cased, values that are not hex dropped.
inline std::map<std::string, std::string> fragment_hashes(std::string_view fragment) {
  static constexpr std::string_view kNames[] = {"sha1", "sha224", "sha384", "sha256", "sha512", "md5"};
  // Hex digit -> its lower-case form; 0 for anything else. Table-driven: digests are random hex, on
  // which a branchy test mispredicts constantly, and every file of every index page passes here.
  static constexpr auto kHexLower = [] {
    std::array<unsigned char, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<unsigned char>(c);
    for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<unsigned char>(c);
    for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<unsigned char>(c + 32);
    return t;
  }();
  std::map<std::string, std::string> out;
  while (!fragment.empty()) {
    const auto amp = fragment.find('&');
    const std::string_view item = fragment.substr(0, amp);
    fragment = amp == std::string_view::npos ? std::string_view() : fragment.substr(amp + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    const std::string_view* name = nullptr;
    for (const auto& n : kNames)
      if (ascii_iequals(key, n)) name = &n;
    if (name == nullptr || value.empty()) continue;
    std::string hex(value);
    unsigned char bad = 0;
    for (auto& c : hex) {
      const unsigned char m = kHexLower[static_cast<unsigned char>(c)];
      bad |= static_cast<unsigned char>(m == 0);
      c = static_cast<char>(m);
    }
    if (bad == 0) out[std::string(*name)] = std::move(hex);
  }
  return out;
}

// The hashes a link's fragment names ("https://h/x.whl#sha256=ab" -> {sha256: ab}).
inline std::map<std::string, std::string> link_hashes(std::string_view url) {
  return fragment_hashes(fragment_of(url));
}

// The percent-decoded last path segment, query and fragment ignored ("" for a URL ending in '/'). A
// plain local path works too.
inline std::string url_filename(std::string_view url) {
  const std::string_view path = split_url(url).path;
  const auto slash = path.rfind('/');
  return percent_decode(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Whether the link (fragment and query ignored) names a wheel or an sdist/archive file rather than a
// directory or a VCS checkout: the extensions pip's unpack_url knows.
constexpr bool is_archive_url(std::string_view url) {
  const std::string_view path = split_url(url).path;
  for (std::string_view ext : {".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip"})
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) return true;
  return false;
}

// The URL without a "user:password@" part, as PEP 610's direct_url.json records URLs (pip's
// DirectUrl.redacted_url); a credential made only of ${VAR} references is kept, as PEP 610 allows.
inline std::string strip_credentials(std::string_view url) {
  const UrlParts p = split_url(url);
  if (!p.has_userinfo) return std::string(url);
  const std::string_view userinfo = p.userinfo;
  const bool env_only = userinfo.size() > 3 && userinfo.front() == '$' && userinfo.find('{') == 1 &&
                        userinfo.back() == '}';
  if (env_only) return std::string(url);
  return std::string(url.substr(0, p.authority_begin)) +
         std::string(url.substr(p.authority_begin + userinfo.size() + 1));
}

// A local absolute path as the file:// URL pip writes for it (path_to_url: urllib's pathname2url
// escapes every byte outside RFC 3986's unreserved set and '/'); anything with "://" is returned as is.
inline std::string link_url(std::string_view link) {
  if (link.find("://") != std::string_view::npos) return std::string(link);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (const unsigned char c : link) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace thoth::base
