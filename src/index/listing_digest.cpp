#include "index/listing_digest.hpp"

#include <cstdint>
#include <cstring>

#include "thoth/hash.hpp"

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::idx {
namespace {

// Bump kLayout whenever the encoding below, DistFile, or what the page parsers produce changes: a
// digest written by another layout is a miss. The program version is part of the header too, so a
// release never reads another release's digests.
constexpr std::string_view kMagic = "thoth-listing\n";
constexpr std::uint32_t kLayout = 2;
constexpr std::string_view kKind = "listings";

// Per-file presence bits.
enum : std::uint8_t {
  kHasWheel = 1 << 0,
  kWheelVersionIsCandidate = 1 << 1,  // the wheel's Version is the candidate's (no copy stored)
  kSameTagsAsPrevious = 1 << 2,       // the wheel's tags are the previous wheel's of the page
  kHasSdistVersion = 1 << 3,
  kHasYanked = 1 << 4,
  kHasCoreMetadata = 1 << 5,
  kHasUploadTime = 1 << 6,
  kHasSize = 1 << 7,
};

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void version(const Version& v) { v.encode(out_); }
  void strings(const std::map<std::string, std::string>& m) {
    u32(static_cast<std::uint32_t>(m.size()));
    for (const auto& [k, v] : m) {
      str(k);
      str(v);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  // Native byte order: a digest is read back by the machine that wrote it (the cache is local).
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what Writer wrote; any read past the end, or a value that does not parse, ends the decoding.
struct Damaged {};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::string_view view() { return take(u32()); }
  std::string str() { return std::string(view()); }
  Version version() {
    auto v = Version::decode(in_);
    if (!v) throw Damaged{};
    return std::move(*v);
  }
  std::map<std::string, std::string> strings() {
    std::map<std::string, std::string> m;
    for (std::uint32_t n = u32(); n > 0; --n) {
      std::string k = str();
      m.emplace_hint(m.end(), std::move(k), str());
    }
    return m;
  }
  // A count of items each at least `min_bytes` long: bounded by what is left, so a damaged count
  // cannot make the decoder reserve gigabytes.
  std::uint32_t count(std::size_t min_bytes) {
    std::uint32_t n = u32();
    if (n > in_.size() / min_bytes) throw Damaged{};
    return n;
  }
  bool done() const { return in_.empty(); }

 private:
  template <typename T>
  T fixed() {
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
  std::string_view take(std::size_t n) {
    if (n > in_.size()) throw Damaged{};
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  std::string_view in_;
};

// What the digest must have been made from: its header.
void write_header(Writer& w, const PageIdentity& page) {
  w.str(kMagic);
  w.u32(kLayout);
  w.str(THOTH_VERSION);
  w.str(page.project);
  w.str(page.page_url);
  w.u8(static_cast<std::uint8_t>(page.format));
  w.str(page.body_sha256);
}

bool header_matches(Reader& r, const PageIdentity& page) {
  return r.view() == kMagic && r.u32() == kLayout && r.view() == THOTH_VERSION && r.view() == page.project &&
         r.view() == page.page_url && r.u8() == static_cast<std::uint8_t>(page.format) &&
         r.view() == page.body_sha256;
}

void write_tags(Writer& w, const std::vector<Tag>& tags) {
  w.u32(static_cast<std::uint32_t>(tags.size()));
  for (const Tag& t : tags) {
    w.str(t.interpreter);
    w.str(t.abi);
    w.str(t.platform);
  }
}

std::vector<Tag> read_tags(Reader& r) {
  std::vector<Tag> tags(r.count(12));
  for (Tag& t : tags) {
    t.interpreter = r.str();
    t.abi = r.str();
    t.platform = r.str();
  }
  return tags;
}

void write_file(Writer& w, const Candidate& c, const DistFile& f, const std::vector<Tag>*& previous_tags) {
  std::uint8_t flags = 0;
  if (f.wheel) {
    flags |= kHasWheel;
    if (f.wheel->version == c.version && f.wheel->version.str() == c.version.str()) flags |= kWheelVersionIsCandidate;
    if (previous_tags && *previous_tags == f.wheel->tags) flags |= kSameTagsAsPrevious;
  }
  if (f.sdist_version) flags |= kHasSdistVersion;
  if (f.yanked) flags |= kHasYanked;
  if (f.core_metadata) flags |= kHasCoreMetadata;
  if (f.upload_time) flags |= kHasUploadTime;
  if (f.size) flags |= kHasSize;
  w.u8(flags);
  w.u8(static_cast<std::uint8_t>(f.kind));
  w.str(f.filename);
  w.str(f.url);
  if (f.wheel) {
    w.str(f.wheel->name);
    if (!(flags & kWheelVersionIsCandidate)) w.version(f.wheel->version);
    w.u8(f.wheel->build ? 1 : 0);
    if (f.wheel->build) {
      w.u64(f.wheel->build->first);
      w.str(f.wheel->build->second);
    }
    if (!(flags & kSameTagsAsPrevious)) write_tags(w, f.wheel->tags);
    previous_tags = &f.wheel->tags;
  }
  if (f.sdist_version) w.version(*f.sdist_version);
  w.strings(f.hashes);
  w.str(f.requires_python);
  if (f.yanked) w.str(*f.yanked);
  if (f.core_metadata) w.strings(*f.core_metadata);
  if (f.upload_time) w.str(*f.upload_time);
  if (f.size) w.u64(*f.size);
}

// Fills `f` in place: `previous_tags` points into the finished candidates, which do not move.
void read_file_entry(Reader& r, const Candidate& c, DistFile& f, const std::vector<Tag>*& previous_tags) {
  const std::uint8_t flags = r.u8();
  const std::uint8_t kind = r.u8();
  if (kind > static_cast<std::uint8_t>(DistFile::Kind::Sdist)) throw Damaged{};
  f.kind = static_cast<DistFile::Kind>(kind);
  f.filename = r.str();
  f.url = r.str();
  if (flags & kHasWheel) {
    WheelName& w = f.wheel.emplace();
    w.name = r.str();
    w.version = (flags & kWheelVersionIsCandidate) ? c.version : r.version();
    if (r.u8() != 0) {
      std::uint64_t number = r.u64();
      w.build.emplace(number, r.str());
    }
    if (flags & kSameTagsAsPrevious) {
      if (!previous_tags) throw Damaged{};
      w.tags = *previous_tags;
    } else {
      w.tags = read_tags(r);
    }
    previous_tags = &w.tags;
  }
  if (flags & kHasSdistVersion) f.sdist_version = r.version();
  f.hashes = r.strings();
  f.requires_python = r.str();
  if (flags & kHasYanked) f.yanked = r.str();
  if (flags & kHasCoreMetadata) f.core_metadata = r.strings();
  if (flags & kHasUploadTime) f.upload_time = r.str();
  if (flags & kHasSize) f.size = r.u64();
}

std::string digest_key(const PageIdentity& page) {
  std::string material(page.project);
  material += '\0';
  material += page.page_url;
  material += '\0';
  material += page.format;
  return sha256_hex(material);
}

}  // namespace

std::string encode_listing(const PageIdentity& page, const std::vector<Candidate>& candidates) {
  Writer w;
  write_header(w, page);
  w.u32(static_cast<std::uint32_t>(candidates.size()));
  const std::vector<Tag>* previous_tags = nullptr;
  for (const Candidate& c : candidates) {
    w.version(c.version);
    w.u32(static_cast<std::uint32_t>(c.files.size()));
    for (const DistFile& f : c.files) write_file(w, c, f, previous_tags);
  }
  return w.take();
}

std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, std::string_view bytes) {
  Reader r(bytes);
  try {
    if (!header_matches(r, page)) return std::nullopt;
    std::vector<Candidate> out(r.count(8));
    const std::vector<Tag>* previous_tags = nullptr;
    for (Candidate& c : out) {
      c.name = std::string(page.project);
      c.version = r.version();
      c.files.resize(r.count(16));
      for (DistFile& f : c.files) read_file_entry(r, c, f, previous_tags);
    }
    if (!r.done()) return std::nullopt;
    return out;
  } catch (const Damaged&) {
    return std::nullopt;
  }
}

std::optional<std::vector<Candidate>> ListingDigests::load(const PageIdentity& page) const {
  if (!cache_) return std::nullopt;
  auto bytes = cache_->load_derived(kKind, digest_key(page));
  if (!bytes) return std::nullopt;
  return decode_listing(page, *bytes);
}

void ListingDigests::store(const PageIdentity& page, const std::vector<Candidate>& candidates) const {
  if (!cache_) return;
  cache_->store_derived(kKind, digest_key(page), encode_listing(page, candidates));
}

}  // namespace thoth::idx
