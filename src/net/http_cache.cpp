#include "thoth/http_cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <system_error>

#include "net/atomic_file.hpp"
#include "net/cache_control.hpp"
#include "net/headers.hpp"
#include "net/url.hpp"
#include "thoth/hash.hpp"
#include "thoth/net.hpp"
#include "base/ascii.hpp"
#include "base/url_text.hpp"
#include "base/trim.hpp"

namespace thoth {

namespace {

// The entry format: a magic line, "<status> <stored_at> <body size> <annex size> <body sha256>", the
// effective URL, header lines, an empty line, then the annex and the body. Text up to the annex, so
// an entry can be inspected with `head`. (Older entries read as misses and are replaced.) The second
// line ends in spaces that put the annex at a multiple of kAnnexAlignment: it is read in place from
// the mapped file (load_page_head), and a FlatBuffers digest needs its scalars aligned.
constexpr std::string_view kPageMagic = "thoth-http-cache-v3\n";
// Longer heads (thousands of response headers) are not read without their body.
constexpr std::size_t kMaxHead = 256 << 10;
constexpr std::size_t kAnnexAlignment = 16;  // as operator new aligns what it returns

// Header values come from the network: never let one break the line structure of the entry.
std::string one_line(std::string_view s) {
  std::string out(s);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

bool take_line(std::string_view& data, std::string_view& line) {
  const auto nl = data.find('\n');
  if (nl == std::string_view::npos) return false;
  line = data.substr(0, nl);
  data.remove_prefix(nl + 1);
  return true;
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// The next space-separated field of `line`.
std::string_view take_field(std::string_view& line) {
  const auto sp = line.find(' ');
  std::string_view field = line.substr(0, sp);
  line.remove_prefix(sp == std::string_view::npos ? line.size() : sp + 1);
  return field;
}

// Where the parts of an entry start: the annex right after the head, then the body.
struct Layout {
  std::size_t head = 0;  // 0: no whole, well-formed head
  std::uint64_t annex = 0;
  std::uint64_t size() const { return head + annex; }  // head and annex, up to the body
};

// Reads an entry's head (everything before the annex) from `data`. head is 0 when `data` does not hold
// a whole, well-formed head (too short a prefix of the file, or not an entry).
Layout parse_head(std::string_view data, CachedResponse& r) {
  const std::size_t whole = data.size();
  Layout layout;
  if (data.substr(0, kPageMagic.size()) != kPageMagic) return {};
  data.remove_prefix(kPageMagic.size());
  std::string_view line;
  if (!take_line(data, line)) return {};
  if (!parse_number(take_field(line), r.status) || !parse_number(take_field(line), r.stored_at) ||
      !parse_number(take_field(line), r.body_size) || !parse_number(take_field(line), layout.annex) ||
      !is_sha256_hex(line.substr(0, line.find_last_not_of(' ') + 1))) {
    return {};
  }
  r.body_sha256 = std::string(line.substr(0, line.find_last_not_of(' ') + 1));
  if (!take_line(data, line)) return {};
  r.url = std::string(line);
  while (true) {
    if (!take_line(data, line)) return {};
    if (line.empty()) break;
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) return {};
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  layout.head = whole - data.size();
  return layout;
}

// The entry in `data` (a whole file), its body moved out of the buffer rather than copied.
std::optional<CachedResponse> parse_page(std::string&& data) {
  CachedResponse r;
  const Layout layout = parse_head(data, r);
  // A short or long body means the file is not what was written: treat as a miss.
  if (layout.head == 0 || data.size() < layout.size() || data.size() - layout.size() != r.body_size) return std::nullopt;
  r.annex = SharedBytes(data.substr(layout.head, layout.annex));
  data.erase(0, layout.size());
  r.body = std::move(data);
  return r;
}

std::string serialize_page(const CachedResponse& r) {
  std::string out(kPageMagic);
  out += std::to_string(r.status) + " " + std::to_string(r.stored_at) + " " + std::to_string(r.body.size()) + " " +
         std::to_string(r.annex.size()) + " " + (r.body_sha256.empty() ? sha256_hex(r.body) : r.body_sha256);
  const std::size_t line_end = out.size();
  out += "\n";
  out += one_line(net::strip_userinfo(r.url)) + "\n";
  for (const auto& [name, value] : r.headers) out += one_line(name) + ": " + one_line(value) + "\n";
  out += "\n";
  // Spaces at the end of the second line align the annex (see the format above).
  out.insert(line_end, (kAnnexAlignment - out.size() % kAnnexAlignment) % kAnnexAlignment, ' ');
  out += r.annex.view();
  out += r.body;
  return out;
}

}  // namespace

HttpCache::HttpCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::string HttpCache::page_key(std::string_view url, std::string_view accept) {
  std::string material = "GET ";
  material += base::without_fragment(url);
  material += "\naccept: ";
  material += accept;
  return sha256_hex(material);
}

namespace {

// DIR/STORE/ab/abcdef...: entries are sharded by the first two characters of their key. Joined as one
// string: a warm run builds a few hundred of these, and path::operator/ re-splits the whole path each
// time. `store` is a relative path of plain names ("pages-v1", "derived-v1/listings").
std::filesystem::path sharded(const std::filesystem::path& dir, std::string_view store, std::string_view key) {
  std::string p = dir.native();
  if (!p.empty() && p.back() != '/') p += '/';
  p += store;
  p += '/';
  p += key.substr(0, 2);
  p += '/';
  p += key;
  return std::filesystem::path(std::move(p));
}

}  // namespace

std::filesystem::path HttpCache::page_path(std::string_view key) const { return sharded(dir_, "pages-v1", key); }

std::optional<CachedResponse> HttpCache::load_page(std::string_view key) const {
  auto data = read_file(page_path(key));
  if (!data) return std::nullopt;
  auto entry = parse_page(std::move(*data));
  if (entry) apply_freshness_record(key, *entry);
  return entry;
}

std::optional<CachedResponse> HttpCache::load_page_head(std::string_view key) const {
  net::ReadOnlyFile file(page_path(key));
  if (!file.ok()) return std::nullopt;
  // Mapped, not read: the head is parsed in place and the annex (an index page's parsed listing, up to
  // megabytes) is handed out as the mapped bytes, which its reader reads in place too. The body is
  // never touched. Entries are replaced by rename, never rewritten in place, so the mapping stays whole.
  auto mapped = file.map();
  if (!mapped) return std::nullopt;
  CachedResponse r;
  const std::string_view data = mapped->view();
  const Layout layout = parse_head(data.substr(0, kMaxHead), r);
  if (layout.head == 0) return std::nullopt;  // no head in reach
  // Not the file that was written: a miss.
  if (data.size() < layout.size() || data.size() - layout.size() != r.body_size) return std::nullopt;
  r.annex = mapped->substr(layout.head, static_cast<std::size_t>(layout.annex));
  apply_freshness_record(key, r);
  return r;
}

bool HttpCache::store_page(std::string_view key, const CachedResponse& response) const {
  // A record beside an earlier entry is older than this one, which carries its own time: ignored.
  return net::write_file_atomic(page_path(key), serialize_page(response));
}

bool HttpCache::store_annex(std::string_view key, std::string_view body_sha256, std::string_view annex) const {
  auto entry = load_page(key);
  if (!entry || entry->body_sha256 != body_sha256) return false;
  entry->annex = SharedBytes(std::string(annex));
  return store_page(key, *entry);
}

void HttpCache::remove_page(std::string_view key) const {
  std::error_code ec;
  std::filesystem::remove(page_path(key), ec);
  remove_freshness_record(page_path(key));
}

namespace {

// The fields a 304 refreshes that say only how old the response is (RFC 9111 §4.2): a change in any
// other means the entry itself is rewritten.
bool age_field(std::string_view name) { return name == "date" || name == "age" || name == "expires"; }

Headers without_age_fields(const Headers& headers) {
  Headers out;
  for (const auto& h : headers)
    if (!age_field(h.first)) out.push_back(h);
  std::sort(out.begin(), out.end());  // a merge appends what it replaces: order is not a change
  return out;
}

// Can the response ever be fresh? Only then does the time of its last revalidation matter.
bool has_lifetime(const Headers& headers) {
  const net::CacheControl cc = net::parse_cache_control(headers);
  if (cc.no_cache || cc.no_store) return false;
  return cc.max_age.has_value() || find_header(headers, "expires").has_value();
}

// The record: a magic line, the Unix time of the revalidation, then the age fields as header lines.
constexpr std::string_view kFreshMagic = "thoth-fresh-v1\n";

std::filesystem::path record_path(const std::filesystem::path& page) {
  std::filesystem::path p = page;
  p += ".fresh";
  return p;
}

}  // namespace

void HttpCache::remove_freshness_record(const std::filesystem::path& page) {
  std::error_code ec;
  std::filesystem::remove(record_path(page), ec);
}

bool HttpCache::revalidated(std::string_view key, CachedResponse& stored, const Headers& not_modified,
                            std::int64_t now) const {
  const Headers before = without_age_fields(stored.headers);
  net::merge_headers(stored.headers, not_modified);
  stored.stored_at = now;
  if (without_age_fields(stored.headers) != before) {
    // Other validators or directives: the entry is rewritten, with its body (read if it was not).
    if (stored.body.size() != stored.body_size) {
      auto whole = load_page(key);
      if (!whole || whole->body_sha256 != stored.body_sha256) return false;
      stored.body = std::move(whole->body);
    }
    return store_page(key, stored);
  }
  if (!has_lifetime(stored.headers)) return true;  // never fresh: when it was asked does not matter
  std::string record(kFreshMagic);
  record += std::to_string(now) + "\n";
  for (const auto& [name, value] : stored.headers)
    if (age_field(name)) record += one_line(name) + ": " + one_line(value) + "\n";
  return net::write_file_atomic(record_path(page_path(key)), record);
}

void HttpCache::apply_freshness_record(std::string_view key, CachedResponse& entry) const {
  // Only an entry that can be fresh, and is not by itself, has a record worth a look: a record only
  // ever makes an entry younger.
  if (!has_lifetime(entry.headers) || is_fresh(entry, static_cast<std::int64_t>(std::time(nullptr)))) return;
  const auto data = read_file(record_path(page_path(key)));
  if (!data) return;
  std::string_view rest(*data), line;
  std::int64_t at = 0;
  if (rest.substr(0, kFreshMagic.size()) != kFreshMagic) return;
  rest.remove_prefix(kFreshMagic.size());
  if (!take_line(rest, line) || !parse_number(line, at) || at <= entry.stored_at) return;
  Headers fields;
  while (take_line(rest, line)) {
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos || !age_field(line.substr(0, colon))) return;  // not a record we wrote
    fields.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  std::erase_if(entry.headers, [](const auto& h) { return age_field(h.first); });
  entry.headers.insert(entry.headers.end(), fields.begin(), fields.end());
  entry.stored_at = at;
}

std::filesystem::path HttpCache::derived_path(std::string_view kind, std::string_view key) const {
  return sharded(dir_, "derived-v1/" + std::string(kind), key);
}

std::optional<std::string> HttpCache::load_derived(std::string_view kind, std::string_view key) const {
  return read_file(derived_path(kind, key));
}

bool HttpCache::store_derived(std::string_view kind, std::string_view key, std::string_view bytes) const {
  return net::write_file_atomic(derived_path(kind, key), bytes);
}

std::filesystem::path HttpCache::blob_path(std::string_view sha256) const {
  const std::string h = base::ascii_lower(sha256);
  return sharded(dir_, "blobs-v1/sha256", h);
}

bool HttpCache::has_blob(std::string_view sha256) const {
  if (!is_sha256_hex(sha256)) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(blob_path(sha256), ec);
}

std::optional<std::string> HttpCache::load_blob(std::string_view sha256, std::uint64_t max_size) const {
  if (!is_sha256_hex(sha256)) return std::nullopt;
  const auto path = blob_path(sha256);
  std::optional<std::string> data;
  {
    net::ReadOnlyFile file(path);
    if (!file.ok() || file.size() > max_size || !file.read_prefix(file.size(), data.emplace())) return std::nullopt;
  }
  if (sha256_hex(*data) != base::ascii_lower(sha256)) {
    // Damaged on disk: drop it so the next run fetches it again.
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return std::nullopt;
  }
  return data;
}

bool HttpCache::store_blob(std::string_view sha256, std::string_view bytes) const {
  const std::string actual = sha256_hex(bytes);
  if (!is_sha256_hex(sha256) || actual != base::ascii_lower(sha256)) {
    throw NetError("refusing to cache a blob as sha256 " + std::string(sha256) + ": its content hashes to " + actual,
                   NetError::Kind::hash_mismatch);
  }
  return net::write_file_atomic(blob_path(sha256), bytes);
}

bool HttpCache::store_blob_file(std::string_view sha256, const std::filesystem::path& file) const {
  if (!is_sha256_hex(sha256)) return false;
  const auto dest = blob_path(sha256);
  std::error_code ec;
  std::filesystem::create_directories(dest.parent_path(), ec);
  // A hard link is atomic and costs no space; EEXIST means another writer already stored the same
  // content. Across file systems, fall back to an atomic copy.
  if (::link(file.c_str(), dest.c_str()) == 0 || errno == EEXIST) return true;
  return net::copy_file_atomic(file, dest);
}

bool HttpCache::is_fresh(const CachedResponse& r, std::int64_t now) {
  const net::CacheControl cc = net::parse_cache_control(r.headers);
  if (cc.no_cache || cc.no_store) return false;
  const auto date_header = find_header(r.headers, "date");
  // A plain value and flag rather than an optional: GCC 12 warns (falsely) that the optional may be
  // read uninitialised.
  bool has_date = false;
  std::int64_t date = r.stored_at;
  if (date_header) {
    if (const auto parsed = net::parse_http_date(*date_header)) {
      has_date = true;
      date = *parsed;
    }
  }
  // §4.2.1: max-age wins over Expires; an invalid Expires means already expired.
  std::int64_t lifetime = 0;
  if (cc.max_age) {
    lifetime = *cc.max_age;
  } else if (const auto expires_header = find_header(r.headers, "expires")) {
    const auto expires = net::parse_http_date(*expires_header);
    if (!expires) return false;
    lifetime = *expires - date;
  } else {
    return false;  // no heuristic freshness: revalidation is cheap and always right
  }
  // §4.2.3: age = corrected initial age (Age header or apparent age) + time resident in the cache.
  std::int64_t initial_age = 0;
  if (has_date) initial_age = std::max<std::int64_t>(0, r.stored_at - date);
  if (const auto age_header = find_header(r.headers, "age")) {
    std::int64_t age = 0;
    if (parse_number(base::trim(*age_header), age)) initial_age = std::max(initial_age, age);
  }
  const std::int64_t current_age = initial_age + std::max<std::int64_t>(0, now - r.stored_at);
  return current_age < lifetime;
}

}  // namespace thoth
