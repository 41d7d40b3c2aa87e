// packaging 23.0 Requirement.__init__: a `file:` URL must survive urlunparse(urlparse(url))
// unchanged; any other URL needs both a scheme and a network location. urlsplit is reproduced as
// Python 3.11 (with Debian's security fixes) implements it, including its "Invalid IPv6 URL"
// errors for malformed bracketed hosts. (Its NFKC check of non-ASCII hosts is not reproduced.)
#include "pep508/url_check.hpp"

#include <arpa/inet.h>

#include <string>

#include "pep508/text.hpp"

namespace thoth::pep508_url {

namespace {

using pep508_text::ascii_lower;
using pep508_text::is_ascii_alnum;
using pep508_text::is_ascii_alpha;

struct SplitUrl {
  std::string scheme, netloc, path, query, fragment;
  std::string error;  // urlsplit raised ValueError
};

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// ipaddress.ip_address(host) is an IPv6 address (an optional %scope included).
bool is_ipv6(const std::string& host) {
  std::string addr = host;
  if (auto pct = host.find('%'); pct != std::string::npos) {
    std::string scope = host.substr(pct + 1);
    if (scope.empty() || scope.find('%') != std::string::npos) return false;
    addr = host.substr(0, pct);
  }
  unsigned char buf[16];
  return inet_pton(AF_INET6, addr.c_str(), buf) == 1;
}

// urllib.parse._check_bracketed_netloc / _check_bracketed_host.
std::string check_bracketed_netloc(const std::string& netloc) {
  std::string host_port = netloc.substr(netloc.rfind('@') == std::string::npos ? 0 : netloc.rfind('@') + 1);
  std::string host;
  if (auto open = host_port.find('['); open != std::string::npos) {
    if (open != 0) return "Invalid IPv6 URL";
    std::string bracketed = host_port.substr(1);
    auto close = bracketed.find(']');
    host = bracketed.substr(0, close);
    std::string port = close == std::string::npos ? "" : bracketed.substr(close + 1);
    if (!port.empty() && port[0] != ':') return "Invalid IPv6 URL";
  } else {
    host = host_port.substr(0, host_port.find(':'));
  }
  if (!host.empty() && host[0] == 'v') {
    // \Av[a-fA-F0-9]+\..+\Z
    std::size_t i = 1;
    while (i < host.size() && is_hex(host[i])) ++i;
    if (i == 1 || i + 1 >= host.size() || host[i] != '.') return "IPvFuture address is invalid";
    return "";
  }
  if (!is_ipv6(host)) return "'" + host + "' is not a valid IPv6 address in brackets";
  return "";
}

SplitUrl urlsplit(std::string_view input) {
  SplitUrl r;
  // WHATWG: strip leading C0 controls and spaces, drop tabs and newlines anywhere.
  std::size_t start = 0;
  while (start < input.size() && static_cast<unsigned char>(input[start]) <= 0x20) ++start;
  std::string url;
  for (char c : input.substr(start)) {
    if (c != '\t' && c != '\r' && c != '\n') url += c;
  }
  std::size_t colon = url.find(':');
  if (colon != std::string::npos && colon > 0 && is_ascii_alpha(url[0])) {
    bool ok = true;
    for (std::size_t i = 0; i < colon; ++i) {
      char c = url[i];
      if (!is_ascii_alnum(c) && c != '+' && c != '-' && c != '.') ok = false;
    }
    if (ok) {
      for (std::size_t i = 0; i < colon; ++i) r.scheme += ascii_lower(url[i]);
      url.erase(0, colon + 1);
    }
  }
  if (url.compare(0, 2, "//") == 0) {
    std::size_t delim = url.find_first_of("/?#", 2);
    if (delim == std::string::npos) delim = url.size();
    r.netloc = url.substr(2, delim - 2);
    url.erase(0, delim);
    bool open = r.netloc.find('[') != std::string::npos;
    bool close = r.netloc.find(']') != std::string::npos;
    if (open != close) {
      r.error = "Invalid IPv6 URL";
      return r;
    }
    if (open) {
      r.error = check_bracketed_netloc(r.netloc);
      if (!r.error.empty()) return r;
    }
  }
  if (auto hash = url.find('#'); hash != std::string::npos) {
    r.fragment = url.substr(hash + 1);
    url.erase(hash);
  }
  if (auto q = url.find('?'); q != std::string::npos) {
    r.query = url.substr(q + 1);
    url.erase(q);
  }
  r.path = std::move(url);
  return r;
}

// urlunparse for a `file` URL ("file" takes no ;params and uses a network location).
std::string unsplit_file(const SplitUrl& u) {
  std::string out = u.scheme;
  out += ':';
  if (!u.netloc.empty() || u.path.compare(0, 2, "//") != 0) {
    out += "//";
    out += u.netloc;
    if (!u.path.empty() && u.path[0] != '/') out += '/';
  }
  out += u.path;
  if (!u.query.empty()) {
    out += '?';
    out += u.query;
  }
  if (!u.fragment.empty()) {
    out += '#';
    out += u.fragment;
  }
  return out;
}

}  // namespace

std::string check_requirement_url(std::string_view url) {
  SplitUrl u = urlsplit(url);
  if (!u.error.empty()) return u.error;
  if (u.scheme == "file") {
    if (unsplit_file(u) != url) return "a file: URL must be written in its canonical form (file:///path)";
    return "";
  }
  if (u.scheme.empty() || u.netloc.empty()) return "the URL needs a scheme and a host";
  return "";
}

}  // namespace thoth::pep508_url
