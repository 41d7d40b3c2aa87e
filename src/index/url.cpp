#include "index/url.hpp"

#include <array>
#include <cstring>
#include <vector>

#include "base/ascii.hpp"
#include "base/url_text.hpp"

namespace thoth::idx {
namespace {

using base::ascii_lower;
using base::is_ascii_hex_digit;

// RFC 3986 §5.2.4, in place on out[from, end): the output is never longer than the input, so segments
// are copied down over what has been read. Every href of every index page goes through here.
void remove_dot_segments(std::string& out, std::size_t from) {
  const std::string_view path(out.data() + from, out.size() - from);
  // Dot segments start the path or follow a '/': without either there is nothing to remove.
  if (path.find("/.") == std::string_view::npos && (path.empty() || path[0] != '.')) return;
  char* const p = out.data() + from;
  const std::size_t len = path.size();
  const std::size_t base = !path.empty() && path[0] == '/' ? 1 : 0;  // an absolute path keeps its '/'
  std::size_t read = base, write = base, segments = 0;
  bool trailing = false;
  while (read <= len) {
    std::size_t end = path.find('/', read);
    if (end == std::string_view::npos) end = len;
    const std::string_view seg = path.substr(read, end - read);
    const bool last = end == len;
    if (seg == ".") {
      trailing = last;
    } else if (seg == "..") {
      if (segments > 0) {  // drop the last output segment and the '/' before it
        const std::string_view done(p + base, write - base);
        const std::size_t slash = done.rfind('/');
        write = slash == std::string_view::npos ? base : base + slash;
        --segments;
      }
      trailing = last;
    } else {
      if (segments++ > 0) p[write++] = '/';
      std::memmove(p + write, seg.data(), seg.size());
      write += seg.size();
      trailing = false;
    }
    read = end + 1;
  }
  if (trailing && (write == 0 || p[write - 1] != '/')) p[write++] = '/';
  out.resize(from + write);
}

// Appends scheme ":" "//" authority to `out` (the parts present).
void append_prefix(std::string& out, const base::UrlParts& p) {
  if (p.has_scheme) {
    out.append(p.scheme);
    out.push_back(':');
  }
  if (p.has_authority) {
    out.append("//");
    out.append(p.authority);
  }
}

void append_suffix(std::string& out, const base::UrlParts& p) {
  if (p.has_query) {
    out.push_back('?');
    out.append(p.query);
  }
  if (p.has_fragment) {
    out.push_back('#');
    out.append(p.fragment);
  }
}

// prefix + (path_head + path_tail with dot segments removed) + suffix, in one allocation.
std::string compose(const base::UrlParts& p, std::string_view path_head, std::string_view path_tail) {
  std::string r;
  r.reserve(p.scheme.size() + p.authority.size() + path_head.size() + path_tail.size() + p.query.size() +
            p.fragment.size() + 8);
  append_prefix(r, p);
  const std::size_t from = r.size();
  r.append(path_head);
  r.append(path_tail);
  remove_dot_segments(r, from);
  append_suffix(r, p);
  return r;
}

bool needs_quoting(unsigned char c) {
  if (c <= 0x20 || c >= 0x7f) return true;
  switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`': case '{': case '|': case '}':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string join_url(std::string_view base, std::string_view ref) {
  base::UrlParts r = base::split_url(ref);
  if (r.has_scheme) return compose(r, {}, r.path);
  base::UrlParts b = base::split_url(base);
  base::UrlParts t;
  t.scheme = b.scheme;
  t.has_scheme = b.has_scheme;
  t.fragment = r.fragment;
  t.has_fragment = r.has_fragment;
  if (r.has_authority) {
    t.authority = r.authority;
    t.has_authority = true;
    t.query = r.query;
    t.has_query = r.has_query;
    return compose(t, {}, r.path);
  }
  t.authority = b.authority;
  t.has_authority = b.has_authority;
  if (r.path.empty()) {
    // §5.2.2: the base path as it is (no dot-segment removal), the reference's query if it has one.
    t.query = r.has_query ? r.query : b.query;
    t.has_query = r.has_query || b.has_query;
    std::string out;
    append_prefix(out, t);
    out.append(b.path);
    append_suffix(out, t);
    return out;
  }
  t.query = r.query;
  t.has_query = r.has_query;
  if (r.path[0] == '/') return compose(t, {}, r.path);
  // §5.2.3 merge: the base path up to its last '/', then the reference.
  std::string_view head;
  if (b.has_authority && b.path.empty()) {
    head = "/";
  } else if (auto slash = b.path.rfind('/'); slash != std::string_view::npos) {
    head = b.path.substr(0, slash + 1);
  }
  return compose(t, head, r.path);
}

std::string quote_url(std::string url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // Only the part after the authority is touched: hosts and userinfo are left as written.
  std::size_t start = 0;
  if (auto p = url.find("://"); p != std::string_view::npos) {
    start = url.find('/', p + 3);
    if (start == std::string_view::npos) return url;
  }
  std::size_t end = url.find('#', start);
  if (end == std::string_view::npos) end = url.size();
  bool clean = true;
  for (std::size_t i = start; i < end && clean; ++i) {
    const unsigned char c = static_cast<unsigned char>(url[i]);
    clean = c != '%' && !needs_quoting(c);
  }
  if (clean) return url;
  std::string r(url.substr(0, start));
  r.reserve(url.size() + 8);
  for (std::size_t i = start; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(url[i]);
    if (c == '%' && !(i + 2 < end && is_ascii_hex_digit(url[i + 1]) && is_ascii_hex_digit(url[i + 2]))) {
      r.append("%25");  // a lone '%' is data, not an escape
    } else if (needs_quoting(c)) {
      r.push_back('%');
      r.push_back(kHex[c >> 4]);
      r.push_back(kHex[c & 15]);
    } else {
      r.push_back(static_cast<char>(c));
    }
  }
  r.append(url.substr(end));
  return r;
}

std::string origin_of(std::string_view url) {
  const base::UrlParts p = base::split_url(url);
  if (!p.has_scheme || !p.has_authority) return {};
  std::string_view authority = p.authority;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string out = std::string(p.scheme) + "://" + std::string(authority);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

bool has_userinfo(std::string_view url) {
  const base::UrlParts p = base::split_url(url);
  return p.has_scheme && p.has_authority && p.authority.find('@') != std::string_view::npos;
}

std::string path_to_file_url(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) abs = path;
  std::string r = "file://";
  append_encoded_path(r, abs.lexically_normal().generic_string());
  return r;
}

void append_encoded_path(std::string& out, std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (needs_quoting(c) || c == '%' || c == '#' || c == '?') {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

std::string with_trailing_slash(std::string_view url) {
  std::string r(url);
  while (!r.empty() && r.back() == '/') r.pop_back();
  r.push_back('/');
  return r;
}

}  // namespace thoth::idx
