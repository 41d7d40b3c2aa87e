#include "net/headers.hpp"

#include <charconv>

#include "net/url.hpp"
#include "base/ascii.hpp"
#include "base/trim.hpp"

namespace thoth::net {

std::optional<std::pair<std::string, std::string>> parse_header_line(std::string_view line) {
  line = base::trim(line);
  if (line.empty() || line.substr(0, 5) == "HTTP/") return std::nullopt;
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return std::make_pair(base::ascii_lower(base::trim(line.substr(0, colon))), std::string(base::trim(line.substr(colon + 1))));
}

void merge_headers(Headers& stored, const Headers& update) {
  // Framing belongs to the message that carried it, not to the stored representation.
  auto framing = [](std::string_view name) {
    return name == "content-length" || name == "content-encoding" || name == "transfer-encoding" ||
           name == "content-range" || name == "connection" || name == "keep-alive";
  };
  for (const auto& u : update) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda (the fuzz build's clang 14).
    if (framing(u.first)) continue;
    std::erase_if(stored, [&](const auto& h) { return h.first == u.first; });
  }
  for (const auto& h : update) {
    if (!framing(h.first)) stored.push_back(h);
  }
}

std::string_view reason_phrase(long status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace thoth::net

namespace thoth {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (base::ascii_iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string ByteRange::header_value() const {
  switch (kind) {
    case Kind::span: return "bytes=" + std::to_string(first) + "-" + std::to_string(last);
    case Kind::from: return "bytes=" + std::to_string(first) + "-";
    case Kind::suffix: return "bytes=-" + std::to_string(first);
  }
  return {};
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  // RFC 9110 §14.4: Content-Range = range-unit SP ( range-resp / unsatisfied-range ),
  // range-resp = first-pos "-" last-pos "/" ( complete-length / "*" ).
  value = base::trim(value);
  if (value.substr(0, 6) != "bytes ") return std::nullopt;
  value.remove_prefix(6);
  const auto dash = value.find('-');
  const auto slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) return std::nullopt;
  auto number = [](std::string_view s, std::uint64_t& out) {
    if (s.empty()) return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && ptr == s.data() + s.size();
  };
  ContentRange r;
  if (!number(value.substr(0, dash), r.first) || !number(value.substr(dash + 1, slash - dash - 1), r.last)) {
    return std::nullopt;
  }
  const std::string_view total = value.substr(slash + 1);
  if (total != "*" && !number(total, r.total)) return std::nullopt;
  if (r.last < r.first) return std::nullopt;
  return r;
}

}  // namespace thoth
