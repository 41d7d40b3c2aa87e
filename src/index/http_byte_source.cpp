#include "index/http_byte_source.hpp"

#include <algorithm>

#include "thoth/hash.hpp"
#include "thoth/index.hpp"

namespace thoth::idx {

HttpRequest tail_request(const std::string& url, std::size_t n) {
  HttpRequest r(url);
  r.range = ByteRange::suffix(n);
  r.cache = CachePolicy::no_store;  // ranges are never cached; say so explicitly
  return r;
}

HttpByteSource::HttpByteSource(HttpClient& client, std::string url, std::string sha256,
                               std::optional<std::shared_future<HttpResponse>> prefetched)
    : client_(client), url_(std::move(url)), sha256_(std::move(sha256)), prefetched_(std::move(prefetched)) {}

std::string HttpByteSource::take(HttpResponse response) {
  if (response.status == 206) {
    auto range = response.header("content-range");
    auto parsed = range ? parse_content_range(*range) : std::nullopt;
    if (!parsed || parsed->last < parsed->first || parsed->last - parsed->first + 1 != response.body.size()) {
      throw IndexError(redact_url(url_) + ": the server answered a range request without a valid Content-Range");
    }
    if (parsed->total != 0) size_ = parsed->total;
    return std::move(response.body);
  }
  // RFC 9110 §14.2: a server may ignore Range and send the whole representation with 200. That is
  // the wheel itself, so it must be the one the index names, as any download would.
  if (!sha256_.empty() && sha256_hex(response.body) != sha256_) {
    throw IndexError(redact_url(url_) + ": the download does not match the sha256 the index gives for it");
  }
  size_ = response.body.size();
  whole_ = std::move(response.body);
  return {};
}

std::pair<std::string, std::uint64_t> HttpByteSource::tail(std::size_t n) {
  if (!whole_) {
    std::string bytes;
    if (prefetched_ && n <= kPrefetchTail) {
      auto future = std::move(*prefetched_);
      prefetched_.reset();
      bytes = take(future.get());
    } else {
      HttpRequest r = tail_request(url_, n);
      r.urgent = true;
      bytes = take(client_.get(std::move(r)));
    }
    if (!whole_) {
      if (size_ == 0) size_ = bytes.size();
      if (bytes.size() > n) bytes.erase(0, bytes.size() - n);
      return {std::move(bytes), size_};
    }
  }
  const std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(n, whole_->size()));
  return {whole_->substr(whole_->size() - len), whole_->size()};
}

std::string HttpByteSource::read(std::uint64_t offset, std::size_t length) {
  if (!whole_) {
    if (length == 0) return {};
    HttpRequest r(url_);
    r.range = ByteRange::span(offset, offset + length - 1);
    r.cache = CachePolicy::no_store;
    r.urgent = true;
    std::string bytes = take(client_.get(std::move(r)));
    if (!whole_) {
      if (bytes.size() != length) throw IndexError(redact_url(url_) + ": short range response");
      return bytes;
    }
  }
  if (offset > whole_->size() || length > whole_->size() - offset) {
    throw IndexError(redact_url(url_) + ": read past the end of the file");
  }
  return whole_->substr(static_cast<std::size_t>(offset), length);
}

}  // namespace thoth::idx
