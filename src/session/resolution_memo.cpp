#include "thoth/resolution_memo.hpp"

#include <charconv>
#include <cstdint>
#include <utility>

#include "thoth/http_cache.hpp"

namespace thoth {
namespace {

// The layout, first line of every record. Bump when the format or what a key covers changes: a record
// of another layout is a miss.
constexpr std::string_view kMagic = "thoth-resolution-memo 2\n";
constexpr std::string_view kKind = "resolutions";
// A record keeps a lock and a few hundred page requests; anything much larger is not one of ours.
constexpr std::size_t kMaxPages = 1'000'000;

// Reads the record format: lines of space-separated fields, and byte strings given with their length.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool literal(std::string_view text) {
    if (in_.substr(0, text.size()) != text) return false;
    in_.remove_prefix(text.size());
    return true;
  }
  // Up to the next `end` byte (consumed), which must come.
  std::optional<std::string_view> until(char end) {
    std::size_t at = in_.find(end);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view field = in_.substr(0, at);
    in_.remove_prefix(at + 1);
    return field;
  }
  std::optional<std::uint64_t> number(char end) {
    auto field = until(end);
    std::uint64_t n = 0;
    if (!field || field->empty()) return std::nullopt;
    auto [ptr, ec] = std::from_chars(field->data(), field->data() + field->size(), n);
    if (ec != std::errc() || ptr != field->data() + field->size()) return std::nullopt;
    return n;
  }
  std::optional<std::string_view> bytes(std::uint64_t n) {
    if (n > in_.size()) return std::nullopt;
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

void put_bytes(std::string& out, std::string_view label, std::string_view bytes) {
  out.append(label).append(" ").append(std::to_string(bytes.size())).append("\n").append(bytes).append("\n");
}

std::optional<std::string_view> get_bytes(Reader& in, std::string_view label) {
  if (!in.literal(label) || !in.literal(" ")) return std::nullopt;
  auto n = in.number('\n');
  if (!n) return std::nullopt;
  auto bytes = in.bytes(*n);
  if (!bytes || !in.literal("\n")) return std::nullopt;
  return bytes;
}

bool valid_sha(std::string_view s) { return s.empty() || is_sha256_hex(s); }

}  // namespace

MemoKey& MemoKey::add(std::string_view label, std::string_view bytes) {
  hash_.update(label);
  const std::string size = " " + std::to_string(bytes.size()) + "\n";
  hash_.update(size);
  hash_.update(bytes);
  return *this;
}

std::string MemoKey::hex() { return hash_.hex(); }

bool MemoRecord::pins_match(std::string_view previous_sha256) const {
  if (previous_sha256 == pins_sha256) return true;
  return !previous_sha256.empty() && previous_sha256 == (output_sha256.empty() ? sha256_hex(output) : output_sha256);
}

std::string encode_memo(const MemoRecord& record) {
  std::string out(kMagic);
  put_bytes(out, "key", record.key);
  put_bytes(out, "target", record.target);
  put_bytes(out, "pins", record.pins_sha256);
  out += "pages " + std::to_string(record.pages.size()) + "\n";
  for (const PageRead& p : record.pages) {
    out += std::to_string(p.status) + " " + std::to_string(p.headers.size()) + "\n";
    put_bytes(out, "url", p.url);
    put_bytes(out, "sha256", p.body_sha256);
    for (const auto& [name, value] : p.headers) {
      put_bytes(out, "name", name);
      put_bytes(out, "value", value);
    }
  }
  put_bytes(out, "output", record.output);
  put_bytes(out, "output-sha256", sha256_hex(record.output));
  return out;
}

std::optional<MemoRecord> decode_memo(std::string_view bytes) {
  Reader in(bytes);
  MemoRecord r;
  if (!in.literal(kMagic)) return std::nullopt;
  auto key = get_bytes(in, "key");
  if (!key) return std::nullopt;
  r.key = *key;
  auto target = get_bytes(in, "target");
  auto pins = get_bytes(in, "pins");
  if (!target || !pins || !valid_sha(*pins) || !in.literal("pages ")) return std::nullopt;
  auto count = in.number('\n');
  if (!count || *count > kMaxPages) return std::nullopt;
  r.target = *target;
  r.pins_sha256 = *pins;
  for (std::uint64_t i = 0; i < *count; ++i) {
    PageRead& p = r.pages.emplace_back();
    auto status = in.number(' ');
    auto headers = in.number('\n');
    if (!status || *status > 999 || !headers || *headers > 1000) return std::nullopt;
    p.status = static_cast<long>(*status);
    auto url = get_bytes(in, "url");
    auto sha = get_bytes(in, "sha256");
    if (!url || url->empty() || !sha || sha->empty() || !valid_sha(*sha)) return std::nullopt;
    p.url = *url;
    p.body_sha256 = *sha;
    for (std::uint64_t h = 0; h < *headers; ++h) {
      auto name = get_bytes(in, "name");
      auto value = get_bytes(in, "value");
      if (!name || !value) return std::nullopt;
      p.headers.emplace_back(*name, *value);
    }
  }
  auto output = get_bytes(in, "output");
  auto output_sha = get_bytes(in, "output-sha256");
  // The hash of the lock guards against a record cut short or damaged where the lengths still agree.
  if (!output || !output_sha || !in.done() || sha256_hex(*output) != *output_sha) return std::nullopt;
  r.output = *output;
  r.output_sha256 = *output_sha;
  return r;
}

ResolutionMemo::ResolutionMemo(std::filesystem::path cache_dir) : dir_(std::move(cache_dir)) {}

std::optional<MemoRecord> ResolutionMemo::load(std::string_view slot) const {
  if (dir_.empty()) return std::nullopt;
  auto bytes = HttpCache(dir_).load_derived(kKind, slot);
  if (!bytes) return std::nullopt;
  return decode_memo(*bytes);
}

void ResolutionMemo::store(std::string_view slot, const MemoRecord& record) const {
  if (!dir_.empty()) HttpCache(dir_).store_derived(kKind, slot, encode_memo(record));
}

bool ResolutionMemo::pages_unchanged(const std::vector<PageRead>& pages, HttpClient& client) {
  std::vector<HttpRequest> requests;
  requests.reserve(pages.size());
  for (const PageRead& p : pages) {
    HttpRequest& r = requests.emplace_back(p.url);
    r.headers = p.headers;
    r.cached_body_optional = true;  // only the hash is compared
  }
  std::vector<HttpResponse> answers;
  try {
    answers = client.fetch_all(std::move(requests), HttpClient::FetchAll::stop_on_failure);
  } catch (const Error&) {
    return false;  // the resolution asks again and reports what goes wrong
  }
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const HttpResponse& a = answers[i];
    const std::string sha = !a.body_sha256.empty() || a.body_omitted ? a.body_sha256 : sha256_hex(a.body);
    if (a.status != pages[i].status || sha != pages[i].body_sha256) return false;
  }
  return true;
}

}  // namespace thoth
