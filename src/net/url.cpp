#include "net/url.hpp"

#include "thoth/net.hpp"

namespace thoth::net {

namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// How pip shows credentials: "user:****" when there is a password, "****" for a lone token.
std::string redacted_userinfo(std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "****";
  return std::string(userinfo.substr(0, colon)) + ":****";
}

}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::optional<UrlParts> split_url(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  for (std::size_t i = 0; i < sep; ++i) {
    if (!is_scheme_char(url[i])) return std::nullopt;
  }
  UrlParts p;
  p.scheme = url.substr(0, sep);
  p.authority_begin = sep + 3;
  p.authority_end = url.find_first_of("/?#", p.authority_begin);
  if (p.authority_end == std::string_view::npos) p.authority_end = url.size();
  std::string_view authority = url.substr(p.authority_begin, p.authority_end - p.authority_begin);
  // The last '@' ends the userinfo: a password may itself contain an unescaped '@'.
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    p.userinfo = authority.substr(0, at);
    p.has_userinfo = true;
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      p.host = authority.substr(1);
      return p;
    }
    p.host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() == ':') p.port = authority.substr(1);
    return p;
  }
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    p.host = authority.substr(0, colon);
    p.port = authority.substr(colon + 1);
  } else {
    p.host = authority;
  }
  return p;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string strip_userinfo(std::string_view url) {
  const auto p = split_url(url);
  if (!p || !p->has_userinfo) return std::string(url);
  std::string out(url.substr(0, p->authority_begin));
  out += url.substr(p->authority_begin + p->userinfo.size() + 1);
  return out;
}

std::string_view strip_fragment(std::string_view url) {
  const auto hash = url.find('#');
  return hash == std::string_view::npos ? url : url.substr(0, hash);
}

std::string host_key(std::string_view url) {
  const auto p = split_url(url);
  if (!p) return std::string();
  const std::string scheme = lower_ascii(p->scheme);
  std::string port(p->port);
  if (port.empty()) port = scheme == "https" ? "443" : scheme == "http" ? "80" : "";
  return scheme + "://" + lower_ascii(p->host) + ":" + port;
}

bool is_file_url(std::string_view url) {
  return url.size() >= 5 && iequals(url.substr(0, 5), "file:");
}

std::optional<std::filesystem::path> file_url_path(std::string_view url) {
  if (!is_file_url(url)) return std::nullopt;
  url = strip_fragment(url);
  const auto query = url.find('?');
  if (query != std::string_view::npos) url = url.substr(0, query);
  std::string_view rest = url.substr(5);
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const auto slash = rest.find('/');
    const std::string_view host = rest.substr(0, slash);
    if (!host.empty() && !iequals(host, "localhost")) return std::nullopt;
    if (slash == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(slash);
  }
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  return std::filesystem::path(percent_decode(rest));
}

}  // namespace thoth::net

namespace thoth {

std::string redact_url(std::string_view url) {
  const auto p = net::split_url(url);
  if (!p || !p->has_userinfo) return std::string(url);
  std::string out(url.substr(0, p->authority_begin));
  out += net::redacted_userinfo(p->userinfo);
  out += url.substr(p->authority_begin + p->userinfo.size());
  return out;
}

std::string redact_text(std::string_view text) {
  // Each "://" starts a candidate URL; its authority runs to the next '/', whitespace or quote.
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto sep = text.find("://", pos);
    if (sep == std::string_view::npos) break;
    const std::size_t begin = sep + 3;
    std::size_t end = text.find_first_of("/?# \t\r\n\"'<>", begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view authority = text.substr(begin, end - begin);
    const auto at = authority.rfind('@');
    out += text.substr(pos, begin - pos);
    if (at != std::string_view::npos) {
      out += net::redacted_userinfo(authority.substr(0, at));
      out += authority.substr(at);
    } else {
      out += authority;
    }
    pos = end;
  }
  out += text.substr(pos);
  return out;
}

}  // namespace thoth
