#include "net/url.hpp"

#include "thoth/net.hpp"
#include "base/ascii.hpp"
#include "base/url_text.hpp"

namespace thoth::net {

namespace {

// How pip shows credentials: "user:****" when there is a password, "****" for a lone token.
std::string redacted_userinfo(std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "****";
  return std::string(userinfo.substr(0, colon)) + ":****";
}

}  // namespace

// RFC 3986 section 3 with the "//" authority that every URL thoth fetches has.
std::optional<UrlParts> split_url(std::string_view url) {
  const base::UrlParts p = base::split_url(url);
  if (!p.has_scheme || !p.has_authority) return std::nullopt;
  return p;
}

std::string strip_userinfo(std::string_view url) {
  const auto p = split_url(url);
  if (!p || !p->has_userinfo) return std::string(url);
  std::string out(url.substr(0, p->authority_begin));
  out += url.substr(p->authority_begin + p->userinfo.size() + 1);
  return out;
}

std::string host_key(std::string_view url) {
  const auto p = split_url(url);
  if (!p) return std::string();
  const std::string scheme = base::ascii_lower(p->scheme);
  std::string port(p->port);
  if (port.empty()) port = scheme == "https" ? "443" : scheme == "http" ? "80" : "";
  return scheme + "://" + base::ascii_lower(p->host) + ":" + port;
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
