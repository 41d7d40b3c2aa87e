#include "net/file_fetch.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "net/body_sink.hpp"
#include "net/errors.hpp"
#include "net/url.hpp"
#include "base/ascii.hpp"
#include "base/url_text.hpp"

namespace thoth::net {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

HttpResponse fetch_file_url(const HttpRequest& request, std::uint64_t max_body,
                            const std::function<bool()>& cancelled) {
  const std::string& url = request.url;
  const auto path = base::file_url_to_path(url);
  if (!path) {
    throw request_error(url, "only file:///absolute/path URLs on this machine can be read",
                        NetError::Kind::invalid_request);
  }
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path->c_str(), "rb"));
  if (!f) {
    if (errno == ENOENT || errno == ENOTDIR) throw request_error(url, "no such file", NetError::Kind::http_status, 404);
    throw request_error(url, std::strerror(errno), NetError::Kind::local_file);
  }
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) != 0) throw request_error(url, std::strerror(errno), NetError::Kind::local_file);
  if (S_ISDIR(st.st_mode)) throw request_error(url, "is a directory", NetError::Kind::local_file);
  const auto size = static_cast<std::uint64_t>(st.st_size);

  // RFC 9110 §14.1.2: a range whose first byte is past the end is unsatisfiable; a last byte past the
  // end, or a suffix longer than the representation, is clipped to it.
  std::uint64_t first = 0;
  std::uint64_t end = size;  // exclusive
  if (request.range) {
    const ByteRange& r = *request.range;
    const bool unsatisfiable = r.kind == ByteRange::Kind::suffix ? (r.first == 0 || size == 0) : r.first >= size;
    if (unsatisfiable || (r.kind == ByteRange::Kind::span && r.last < r.first)) {
      throw request_error(url, status_text(416) + " (" + r.header_value() + " of a " + std::to_string(size) +
                                   "-byte file)",
                          NetError::Kind::http_status, 416);
    }
    if (r.kind == ByteRange::Kind::suffix) {
      first = r.first >= size ? 0 : size - r.first;
    } else {
      first = r.first;
      if (r.kind == ByteRange::Kind::span) end = std::min(size, r.last + 1);
    }
  }
  const std::uint64_t length = end - first;
  if (length > max_body) {
    throw request_error(url, "response body too large (" + std::to_string(length) + " bytes, limit " +
                                 std::to_string(max_body) + ")",
                        NetError::Kind::too_large);
  }

  BodySink sink;
  if (!sink.open(request)) throw request_error(url, sink.error(), NetError::Kind::local_file);
  if (first != 0 && ::fseeko(f.get(), static_cast<off_t>(first), SEEK_SET) != 0) {
    throw request_error(url, std::strerror(errno), NetError::Kind::local_file);
  }
  char buf[1 << 16];
  std::uint64_t left = length;
  while (left > 0) {
    if (cancelled && cancelled()) throw request_error(url, "cancelled", NetError::Kind::cancelled);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof buf));
    const std::size_t got = std::fread(buf, 1, want, f.get());
    if (got == 0) {
      throw request_error(url, std::ferror(f.get()) ? "read error" : "file shrank while being read",
                          NetError::Kind::local_file);
    }
    if (!sink.write(buf, got)) throw request_error(url, sink.error(), NetError::Kind::local_file);
    left -= got;
  }
  if (const auto digest = sink.digest(); digest && *digest != base::ascii_lower(request.sha256)) {
    sink.abandon();
    throw request_error(url, "sha256 mismatch (expected " + request.sha256 + ", got " + *digest + ")",
                        NetError::Kind::hash_mismatch);
  }

  HttpResponse response;
  response.url = std::string(base::without_fragment(url));
  response.status = request.range ? 206 : 200;
  response.headers.emplace_back("content-length", std::to_string(length));
  if (request.range) {
    response.headers.emplace_back("content-range", "bytes " + std::to_string(first) + "-" +
                                                       std::to_string(end - 1) + "/" + std::to_string(size));
  }
  if (!sink.finish(response)) throw request_error(url, sink.error(), NetError::Kind::local_file);
  return response;
}

}  // namespace thoth::net
