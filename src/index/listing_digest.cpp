#include "index/listing_digest.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "thoth/hash.hpp"

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::idx {
namespace {

// Bump kLayout whenever the encoding below, DistFile, or what the page parsers produce changes: a
// digest written by another layout is a miss. The program version is part of the header too, so a
// release never reads another release's digests.
//
// Layout 4: the page's distinct tag sets come first; then each candidate is its version and a block
// of file records. A record starts with what ranking the file needs (FileTraits) and then gives the
// length of the rest (names, URL, hashes...), which stays encoded until the files are read.
constexpr std::string_view kMagic = "thoth-listing\n";
constexpr std::uint32_t kLayout = 4;
constexpr std::string_view kKind = "listings";

// Per-file presence bits.
enum : std::uint8_t {
  kHasWheel = 1 << 0,
  kVersionIsCandidate = 1 << 1,  // the wheel's (else the sdist's) Version is the candidate's: no copy stored
  kHasBuild = 1 << 2,
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
  // A u32 length to be filled in by end_length once what it measures is written.
  std::size_t begin_length() {
    u32(0);
    return out_.size();
  }
  void end_length(std::size_t start) {
    const auto n = static_cast<std::uint32_t>(out_.size() - start);
    std::memcpy(out_.data() + start - sizeof n, &n, sizeof n);
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
  // A map into `out`, or only checked when `out` is null.
  void strings(std::map<std::string, std::string>* out) {
    for (std::uint32_t n = u32(); n > 0; --n) {
      std::string_view k = view();
      std::string_view v = view();
      if (out) out->emplace_hint(out->end(), k, v);
    }
  }
  // A count of items each at least `min_bytes` long: bounded by what is left, so a damaged count
  // cannot make the decoder reserve gigabytes.
  std::uint32_t count(std::size_t min_bytes) {
    std::uint32_t n = u32();
    if (n > in_.size() / min_bytes) throw Damaged{};
    return n;
  }
  std::string_view take(std::size_t n) {
    if (n > in_.size()) throw Damaged{};
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  bool done() const { return in_.empty(); }

 private:
  template <typename T>
  T fixed() {
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
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

// The page's distinct tag sets, each written once; wheels refer to them by position.
class TagSets {
 public:
  std::uint32_t position(const std::vector<Tag>& tags) {
    for (std::size_t i = 0; i < sets_.size(); ++i) {
      if (*sets_[i] == tags) return static_cast<std::uint32_t>(i);
    }
    sets_.push_back(&tags);
    return static_cast<std::uint32_t>(sets_.size() - 1);
  }
  void write(Writer& w) const {
    w.u32(static_cast<std::uint32_t>(sets_.size()));
    for (const std::vector<Tag>* tags : sets_) write_tags(w, *tags);
  }

 private:
  std::vector<const std::vector<Tag>*> sets_;  // a handful per page: a linear search is enough
};

// Equal and spelled alike ("1.0" and "1.0.0" are equal versions, but a file keeps its own spelling).
bool same_version(const Version& a, const Version& b) { return a == b && a.str() == b.str(); }

void write_file(Writer& w, const Candidate& c, const DistFile& f, TagSets& tag_sets) {
  std::uint8_t flags = 0;
  if (f.wheel) {
    flags |= kHasWheel;
    if (same_version(f.wheel->version, c.version)) flags |= kVersionIsCandidate;
    if (f.wheel->build) flags |= kHasBuild;
  }
  if (f.sdist_version) {
    flags |= kHasSdistVersion;
    if (!f.wheel && same_version(*f.sdist_version, c.version)) flags |= kVersionIsCandidate;
  }
  if (f.yanked) flags |= kHasYanked;
  if (f.core_metadata) flags |= kHasCoreMetadata;
  if (f.upload_time) flags |= kHasUploadTime;
  if (f.size) flags |= kHasSize;
  w.u8(flags);
  // The traits (see read_record).
  w.u8(static_cast<std::uint8_t>(f.kind));
  w.str(f.requires_python);
  if (f.yanked) w.str(*f.yanked);
  if (f.wheel) {
    w.u32(tag_sets.position(f.wheel->tags));
    if (f.wheel->build) {
      w.u64(f.wheel->build->first);
      w.str(f.wheel->build->second);
    }
  }
  // The rest (see read_rest).
  const std::size_t rest = w.begin_length();
  w.str(f.filename);
  w.str(f.url);
  if (f.wheel) {
    w.str(f.wheel->name);
    if (!(flags & kVersionIsCandidate)) w.version(f.wheel->version);
  }
  if (f.sdist_version && (f.wheel || !(flags & kVersionIsCandidate))) w.version(*f.sdist_version);
  w.strings(f.hashes);
  if (f.core_metadata) w.strings(*f.core_metadata);
  if (f.upload_time) w.str(*f.upload_time);
  if (f.size) w.u64(*f.size);
  w.end_length(rest);
}

// Everything the candidates of one digest share: its bytes (which their traits point into) and its
// tag sets.
struct DigestPage {
  std::string bytes;
  std::vector<std::vector<Tag>> tag_sets;
  std::size_t index_position = 0;
};

// One file record up to the rest: its flags, its traits, and the rest's bytes.
struct Record {
  std::uint8_t flags = 0;
  FileTraits traits;
  std::string_view rest;
};

Record read_record(Reader& r, const DigestPage& page) {
  Record rec;
  rec.flags = r.u8();
  const std::uint8_t kind = r.u8();
  if (kind > static_cast<std::uint8_t>(DistFile::Kind::Sdist)) throw Damaged{};
  FileTraits& t = rec.traits;
  t.kind = static_cast<DistFile::Kind>(kind);
  t.requires_python = r.view();
  if (rec.flags & kHasYanked) {
    t.yanked = true;
    t.yank_reason = r.view();
  }
  if (rec.flags & kHasWheel) {
    const std::uint32_t set = r.u32();
    if (set >= page.tag_sets.size()) throw Damaged{};
    t.tags = &page.tag_sets[set];
    if (rec.flags & kHasBuild) {
      t.has_build = true;
      t.build_number = r.u64();
      t.build_suffix = r.view();
    }
  } else if ((rec.flags & kHasBuild) || ((rec.flags & kVersionIsCandidate) && !(rec.flags & kHasSdistVersion))) {
    throw Damaged{};
  }
  rec.rest = r.view();
  return rec;
}

// The rest of a record: into `f`, or, with no `f`, only checked (when the digest is loaded, so that
// a damaged digest is a miss then rather than an error once its files are read).
void read_rest(const Record& rec, const Version& version, DistFile* f) {
  Reader r(rec.rest);
  const std::string_view filename = r.view();
  const std::string_view url = r.view();
  std::optional<std::string_view> wheel_name;
  std::optional<Version> wheel_version;
  if (rec.flags & kHasWheel) {
    wheel_name = r.view();
    if (!(rec.flags & kVersionIsCandidate)) wheel_version = r.version();
  }
  std::optional<Version> sdist_version;
  const bool sdist_is_candidate = !(rec.flags & kHasWheel) && (rec.flags & kVersionIsCandidate);
  if ((rec.flags & kHasSdistVersion) && !sdist_is_candidate) sdist_version = r.version();
  r.strings(f ? &f->hashes : nullptr);
  std::optional<std::map<std::string, std::string>> core_metadata;
  if (rec.flags & kHasCoreMetadata) r.strings(f ? &core_metadata.emplace() : nullptr);
  std::optional<std::string_view> upload_time;
  if (rec.flags & kHasUploadTime) upload_time = r.view();
  std::optional<std::uint64_t> size;
  if (rec.flags & kHasSize) size = r.u64();
  if (!r.done()) throw Damaged{};
  if (!f) return;

  const FileTraits& t = rec.traits;
  f->filename = filename;
  f->url = url;
  f->kind = t.kind;
  if (wheel_name) {
    WheelName& w = f->wheel.emplace();
    w.name = *wheel_name;
    w.version = wheel_version ? std::move(*wheel_version) : version;
    if (t.has_build) w.build.emplace(t.build_number, std::string(t.build_suffix));
    w.tags = *t.tags;
  }
  if (sdist_is_candidate) {
    f->sdist_version = version;
  } else {
    f->sdist_version = std::move(sdist_version);
  }
  f->requires_python = t.requires_python;
  if (t.yanked) f->yanked = std::string(t.yank_reason);
  f->core_metadata = std::move(core_metadata);
  if (upload_time) f->upload_time = std::string(*upload_time);
  f->size = size;
}

// One candidate's files as the digest holds them: traits read (and the rest checked) when the digest
// is loaded, the files decoded on first read.
class DigestFiles final : public EncodedFiles {
 public:
  DigestFiles(std::shared_ptr<const DigestPage> page, Version version, std::vector<Record> records)
      : page_(std::move(page)), version_(std::move(version)), records_(std::move(records)) {}

  std::size_t size() const override { return records_.size(); }
  void traits(std::vector<FileTraits>& out) const override {
    for (const Record& rec : records_) out.push_back(rec.traits);
  }

 protected:
  std::vector<DistFile> decode() const override {
    std::vector<DistFile> files(records_.size());
    for (std::size_t i = 0; i < records_.size(); ++i) {
      read_rest(records_[i], version_, &files[i]);  // checked at load: cannot throw Damaged here
      files[i].index_position = page_->index_position;
    }
    return files;
  }

 private:
  std::shared_ptr<const DigestPage> page_;  // what the records' views point into
  Version version_;
  std::vector<Record> records_;
};

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
  TagSets tag_sets;
  Writer files;
  for (const Candidate& c : candidates) {
    files.version(c.version);
    files.u32(static_cast<std::uint32_t>(c.files.size()));
    for (const DistFile& f : c.files) write_file(files, c, f, tag_sets);
  }
  Writer w;
  write_header(w, page);
  tag_sets.write(w);
  w.u32(static_cast<std::uint32_t>(candidates.size()));
  std::string out = w.take();
  out += files.take();
  return out;
}

std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, std::string bytes,
                                                     std::size_t index_position) {
  auto shared = std::make_shared<DigestPage>();
  shared->bytes = std::move(bytes);
  shared->index_position = index_position;
  Reader r(shared->bytes);
  try {
    if (!header_matches(r, page)) return std::nullopt;
    shared->tag_sets.resize(r.count(4));
    for (std::vector<Tag>& tags : shared->tag_sets) tags = read_tags(r);
    std::vector<Candidate> out(r.count(8));
    for (Candidate& c : out) {
      c.name = std::string(page.project);
      c.version = r.version();
      std::vector<Record> records(r.count(10));
      for (Record& rec : records) {
        rec = read_record(r, *shared);
        read_rest(rec, c.version, nullptr);
      }
      c.files = FileList(std::make_shared<DigestFiles>(shared, c.version, std::move(records)));
    }
    if (!r.done()) return std::nullopt;
    return out;
  } catch (const Damaged&) {
    return std::nullopt;
  }
}

std::optional<std::vector<Candidate>> ListingDigests::load(const PageIdentity& page, std::size_t index_position) const {
  if (!cache_) return std::nullopt;
  auto bytes = cache_->load_derived(kKind, digest_key(page));
  if (!bytes) return std::nullopt;
  return decode_listing(page, std::move(*bytes), index_position);
}

void ListingDigests::store(const PageIdentity& page, const std::vector<Candidate>& candidates) const {
  if (!cache_) return;
  cache_->store_derived(kKind, digest_key(page), encode_listing(page, candidates));
}

}  // namespace thoth::idx
