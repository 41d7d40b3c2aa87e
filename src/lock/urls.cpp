#include "lock/urls.hpp"

#include <algorithm>
#include <cctype>

namespace thoth::lock_detail {

namespace {

std::string percent_decode(std::string_view p) {
  auto hex = [](char c) { return c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0'; };
  std::string out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size() && std::isxdigit(static_cast<unsigned char>(p[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(p[i + 2]))) {
      out += static_cast<char>(hex(p[i + 1]) * 16 + hex(p[i + 2]));
      i += 2;
    } else {
      out += p[i];
    }
  }
  return out;
}

}  // namespace

std::string without_fragment(std::string_view url) { return std::string(url.substr(0, url.find('#'))); }

bool is_archive_url(std::string_view url) {
  std::string u = without_fragment(url);
  u = u.substr(0, u.find('?'));
  for (std::string_view ext : {".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip"})
    if (u.size() > ext.size() && u.compare(u.size() - ext.size(), ext.size(), ext) == 0) return true;
  return false;
}

std::map<std::string, std::string> fragment_hashes(std::string_view url) {
  std::map<std::string, std::string> out;
  auto hash = url.find('#');
  if (hash == std::string_view::npos) return out;
  std::string_view frag = url.substr(hash + 1);
  while (!frag.empty()) {
    std::string_view part = frag.substr(0, frag.find('&'));
    frag.remove_prefix(std::min(frag.size(), part.size() + 1));
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view algo = part.substr(0, eq);
    for (std::string_view known : {"sha1", "sha224", "sha256", "sha384", "sha512", "md5"})
      if (algo == known) out.emplace(std::string(algo), std::string(part.substr(eq + 1)));
  }
  return out;
}

std::string file_url_path(std::string_view url) {
  std::string u = without_fragment(url);
  if (u.rfind("file://", 0) != 0) return u;
  std::string_view rest = std::string_view(u).substr(7);
  // file://localhost/path and file:///path name the same file.
  if (rest.rfind("localhost/", 0) == 0) rest.remove_prefix(9);
  return percent_decode(rest);
}

std::string strip_credentials(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  std::size_t host_start = scheme + 3;
  std::size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string_view::npos) host_end = url.size();
  std::string_view netloc = url.substr(host_start, host_end - host_start);
  auto at = netloc.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string_view userinfo = netloc.substr(0, at);
  // PEP 610: credentials given as environment variables (${VAR} or ${VAR}:${VAR}) may stay.
  bool env_only = userinfo.size() > 3 && userinfo.front() == '$' && userinfo.find('{') == 1 &&
                  userinfo.back() == '}';
  if (env_only) return std::string(url);
  return std::string(url.substr(0, host_start)) + std::string(netloc.substr(at + 1)) +
         std::string(url.substr(host_end));
}

std::string url_filename(std::string_view url) {
  std::string u = without_fragment(url);
  u = u.substr(0, u.find('?'));
  auto slash = u.rfind('/');
  return percent_decode(slash == std::string::npos ? std::string_view(u) : std::string_view(u).substr(slash + 1));
}

}  // namespace thoth::lock_detail
