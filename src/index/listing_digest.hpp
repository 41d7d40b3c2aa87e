// A project page's candidates kept in binary next to the HTTP cache, so that a warm resolution reads
// them back instead of parsing the page again (uv keeps its parsed Simple API responses the same way).
// Parsing a PEP 691 page, resolving and quoting its URLs, splitting wheel names and expanding their
// tags, then grouping the files into versions is most of what a warm `thoth lock` does; reading the
// digest skips all of it.
//
// A digest is only ever a copy of what parsing a body gave: it names the project, the page URL, the
// format and the sha256 of the page body it was made from, and is used only for exactly that body.
// The HTTP cache records each stored body's sha256, so a warm run checks a digest without hashing.
// Anything unexpected in it (another body, a truncated or damaged file, an older layout) reads as a
// miss, and the caller parses the page and writes a new digest over it. The bytes are FlatBuffers
// (listing_digest.fbs), checked by FlatBuffers' verifier and then read in place.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/http_cache.hpp"
#include "thoth/index.hpp"
#include "thoth/shared_bytes.hpp"

namespace thoth::idx {

// What a digest is made from: one page body, read as one project's page.
struct PageIdentity {
  std::string_view project;   // normalised
  std::string_view page_url;  // effective URL the body came from (relative links resolve against it)
  char format = 'j';          // 'j' PEP 691 JSON, 'h' PEP 503 HTML
  std::string_view body_sha256;  // hex
};

// The bytes of a digest of `candidates` (as group_candidates returned them for `page`), and back.
// decode_listing returns nullopt unless the bytes are a complete digest of exactly this page. Its
// candidates keep their files encoded (FileList) until read; every file says it came from the
// source at `index_position`.
std::string encode_listing(const PageIdentity& page, const std::vector<Candidate>& candidates);
std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, SharedBytes bytes,
                                                     std::size_t index_position = 0);
// The same from bytes of its own (a digest just encoded, or read from the derived store).
std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, std::string bytes,
                                                     std::size_t index_position = 0);

// Reads and writes digests in the HTTP cache's derived-data store. Best effort both ways: a missing
// cache, an unreadable or stale digest is a miss; a failed write is ignored.
class ListingDigests {
 public:
  explicit ListingDigests(std::shared_ptr<HttpCache> cache) : cache_(std::move(cache)) {}

  bool enabled() const { return cache_ != nullptr; }
  std::optional<std::vector<Candidate>> load(const PageIdentity& page, std::size_t index_position) const;
  void store(const PageIdentity& page, std::string_view digest) const;  // encode_listing's bytes

 private:
  std::shared_ptr<HttpCache> cache_;
};

}  // namespace thoth::idx
