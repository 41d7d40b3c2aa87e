// The on-disk HTTP cache under a directory the caller chooses (the CLI computes $XDG_CACHE_HOME/thoth
// or --cache-dir). Two stores:
//   pages-v1/ab/<key>      responses with their headers, keyed by sha256(URL + Accept), served while
//                          fresh (RFC 9111 max-age / Expires) and revalidated with ETag/Last-Modified;
//                          each may carry an annex, bytes a caller derived from its body, and have a
//                          freshness record <key>.fresh that a 304 wrote instead of the whole entry
//   blobs-v1/sha256/ab/<h> content-addressed bodies (PEP 658 metadata files, wheels), keyed by their
//                          own sha256, which is checked on the way in and on the way out
//   derived-v1/<kind>/ab/<k> what callers computed from responses (parsed index pages), opaque to the
//                          cache: each entry must say itself what it was made from
//   scratch-v1/            HttpClients' scratch directories (downloads in progress, scratch files),
//                          on the blobs' file system so that a finished download is renamed into the
//                          store; each removed by its client, or after a crash by the next client
//                          (HttpClient::scratch_file)
// Every write goes to a temporary file in the destination directory and is renamed into place, so a
// reader (another thoth process included) sees the old entry or the new one, never a partial one; two
// writers racing leave one complete entry. A damaged entry reads as a miss. Credentials are never
// written: stored URLs are stripped of their userinfo.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "thoth/net.hpp"
#include "thoth/shared_bytes.hpp"

namespace thoth {

struct CachedResponse {
  long status = 200;
  Headers headers;           // as received (lower-cased names); Cache-Control, ETag, Date, ...
  std::string body;
  std::string url;           // effective URL, without userinfo
  std::int64_t stored_at = 0;  // Unix time the response was received (or last revalidated)
  // sha256 (hex) of the body, recorded when the entry is written (store_page computes it when empty)
  // so that readers can tell two bodies apart without hashing them again.
  std::string body_sha256;
  std::uint64_t body_size = 0;  // of the stored body (set by load_page and load_page_head)
  // What a caller derived from the body and keeps with it (store_annex), opaque to the cache; read
  // with the head, so a warm run gets an index page's parsed listing with one file read. It lives as
  // long as the body: a revalidated entry keeps it, a new body comes without one. Read in place from
  // the entry's file (load_page_head maps it), not copied.
  SharedBytes annex;
};

// Holds no state beyond its directory: safe to share between threads (and processes).
class HttpCache {
 public:
  // The directory is created on first write. Nothing is read until asked.
  explicit HttpCache(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }

  // The key of a GET of `url` with this Accept header value (the fragment is not part of it).
  static std::string page_key(std::string_view url, std::string_view accept);

  std::optional<CachedResponse> load_page(std::string_view key) const;
  // The entry without its body (CachedResponse::body stays empty; body_size says how long it is):
  // reads only the head of the file.
  std::optional<CachedResponse> load_page_head(std::string_view key) const;
  // Returns false when the entry could not be written (the cache is best effort: a read-only or full
  // disk must not fail a resolution).
  bool store_page(std::string_view key, const CachedResponse& response) const;
  // Keeps `annex` with the entry, if its body is still the one hashing to `body_sha256`; false when
  // it is not (another body, no entry) or the entry could not be written.
  bool store_annex(std::string_view key, std::string_view body_sha256, std::string_view annex) const;
  void remove_page(std::string_view key) const;
  // RFC 9111 §4.3.4: a 304 answered the conditional request made from `stored` (the entry as loaded,
  // possibly without its body) at `now`. Merges the 304's header fields into `stored` and keeps the
  // result, writing as little as it can: the entry is rewritten only when a field other than Date,
  // Age and Expires changed; otherwise an entry that can be fresh (max-age, Expires) gets a small
  // freshness record beside it (pages-v1/ab/<key>.fresh: when, and the new Date, Age and Expires),
  // and one that never is fresh (validators only, as static servers send) is not written at all.
  // load_page and load_page_head apply a record newer than the entry. False when a write failed.
  bool revalidated(std::string_view key, CachedResponse& stored, const Headers& not_modified, std::int64_t now) const;

  // Blobs. load_blob verifies the content and drops an entry that does not match its name; a blob
  // larger than max_size is left alone (nullopt, as for none).
  std::filesystem::path blob_path(std::string_view sha256) const;
  std::optional<std::string> load_blob(std::string_view sha256,
                                       std::uint64_t max_size = std::numeric_limits<std::uint64_t>::max()) const;
  bool has_blob(std::string_view sha256) const;
  // Throws NetError(hash_mismatch) when `bytes` do not hash to `sha256`; false on a write failure.
  bool store_blob(std::string_view sha256, std::string_view bytes) const;
  // Copies (or hard-links) an already verified file into the store.
  bool store_blob_file(std::string_view sha256, const std::filesystem::path& file) const;

  // Where HttpClients using this cache make their scratch directories.
  std::filesystem::path scratch_root() const { return dir_ / "scratch-v1"; }

  // Derived data of one `kind` (a short directory name such as "listings") under a hex `key`. A
  // missing or unreadable entry is nullopt; false when the entry could not be written.
  std::optional<std::string> load_derived(std::string_view kind, std::string_view key) const;
  bool store_derived(std::string_view kind, std::string_view key, std::string_view bytes) const;

  // RFC 9111 §4.2: is the stored response still fresh at `now` (Unix time)? Uses max-age, else
  // Expires - Date; no heuristic freshness. no-cache means never fresh.
  static bool is_fresh(const CachedResponse& response, std::int64_t now);

 private:
  std::filesystem::path page_path(std::string_view key) const;
  // Applies the entry's freshness record, if it has a newer one (see revalidated).
  void apply_freshness_record(std::string_view key, CachedResponse& entry) const;
  static void remove_freshness_record(const std::filesystem::path& page);
  std::filesystem::path derived_path(std::string_view kind, std::string_view key) const;

  std::filesystem::path dir_;
};

}  // namespace thoth
