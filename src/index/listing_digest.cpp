#include "index/listing_digest.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/listing_digest_generated.h"
#include "thoth/hash.hpp"

#ifndef THOTH_VERSION
#error "THOTH_VERSION must be defined by the build (cmake/modules.cmake)"
#endif

namespace thoth::idx {
namespace {

namespace fb = digest;

// Bump kLayout (and the schema's file_identifier) whenever listing_digest.fbs, DistFile, or what the
// page parsers produce changes: a digest written by another layout is a miss. The program version is
// part of the header too, so a release never reads another release's digests.
//
// Layout 5: FlatBuffers (listing_digest.fbs), read in place once flatbuffers::Verifier has checked
// the bytes. Layouts up to 4 were a hand-written varint encoding; they are misses (their first bytes
// are not a size prefix and the identifier "thl5"). On the real-shaped bench (benches/README.md,
// "The cache format") a warm lock's 151 digests are 6.3 MB instead of 11.1 MB, and loading them takes
// 17.8 M instructions instead of 21.8 M (verifying: 4.1 M); a FlatBuffers table per file instead of
// a struct took 54 M, most of it verifying.
constexpr std::uint32_t kLayout = 5;
constexpr std::string_view kKind = "listings";

std::string_view view(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : std::string_view(s->c_str(), s->size());
}

std::string_view bytes_of(const flatbuffers::Vector<std::uint8_t>* v) {
  return std::string_view(reinterpret_cast<const char*>(v->data()), v->size());
}

// A version stored with Version::encode: all of the bytes, or nothing.
std::optional<Version> read_version(const flatbuffers::Vector<std::uint8_t>* v) {
  if (v == nullptr) return std::nullopt;
  std::string_view in = bytes_of(v);
  auto version = Version::decode(in);
  if (!version || !in.empty()) return std::nullopt;
  return version;
}

// Equal and spelled alike ("1.0" and "1.0.0" are equal versions, but a file keeps its own spelling).
bool same_version(const Version& a, const Version& b) { return a == b && a.str() == b.str(); }

constexpr std::string_view kHexDigits = "0123456789abcdef";

// The value of each lower-case hex digit, -1 for every other byte.
constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 16; ++i) t[static_cast<unsigned char>(kHexDigits[i])] = static_cast<std::int8_t>(i);
  return t;
}();

// The binary form of a sha256 given as 64 lower-case hex digits (and nothing else: the hex must come
// back as it was). A cold lock converts two per file, 60,000 for the real-shaped bench.
std::optional<fb::Sha256> sha256_bytes(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::array<std::uint8_t, 32> bytes{};
  int bad = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const int high = kHexValue[static_cast<unsigned char>(hex[2 * i])];
    const int low = kHexValue[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= high | low;  // negative when either is not a digit
    bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  if (bad < 0) return std::nullopt;
  return fb::Sha256(bytes);
}

std::string sha256_hex_of(const fb::Sha256& sha) {
  std::string hex(64, '0');
  for (std::size_t i = 0; i < 32; ++i) {
    hex[2 * i] = kHexDigits[sha.bytes()->Get(i) >> 4];
    hex[2 * i + 1] = kHexDigits[sha.bytes()->Get(i) & 0xf];
  }
  return hex;
}

using Flags = fb::FileFlags;
bool has(Flags flags, Flags flag) { return (flags & flag) == flag; }
constexpr Flags kKnownFlags = Flags::ANY;  // every flag of the schema

using HashVector = flatbuffers::Vector<flatbuffers::Offset<fb::Hash>>;

// Builds one digest.
class Encoder {
 public:
  std::string finish(const PageIdentity& page, const std::vector<Candidate>& candidates) {
    std::vector<flatbuffers::Offset<fb::Release>> releases;
    releases.reserve(candidates.size());
    std::vector<fb::File> files;
    std::vector<flatbuffers::Offset<fb::FileExtra>> extras;
    for (const Candidate& c : candidates) {
      files.clear();
      extras.clear();
      for (const DistFile& f : c.files) files.push_back(file(c, f, static_cast<std::uint32_t>(files.size()), extras));
      const auto version = version_bytes(c.version);
      const auto file_vector = b_.CreateVectorOfStructs(files);
      const auto extra_vector = extras.empty() ? 0 : b_.CreateVector(extras);
      releases.push_back(fb::CreateRelease(b_, version, file_vector, extra_vector));
    }
    std::vector<flatbuffers::Offset<fb::TagSet>> tag_sets;
    std::vector<fb::Tag> tags;
    for (const std::vector<Tag>* set : tag_sets_) {
      tags.clear();
      for (const Tag& t : *set) tags.emplace_back(position(t.interpreter), position(t.abi), position(t.platform));
      tag_sets.push_back(fb::CreateTagSet(b_, b_.CreateVectorOfStructs(tags)));
    }
    std::vector<flatbuffers::Offset<flatbuffers::String>> strings;
    strings.reserve(string_order_.size());
    for (std::string_view s : string_order_) strings.push_back(b_.CreateString(s.data(), s.size()));
    const auto listing = fb::CreateListing(
        b_, kLayout, b_.CreateString(THOTH_VERSION), b_.CreateString(page.project.data(), page.project.size()),
        b_.CreateString(page.page_url.data(), page.page_url.size()), static_cast<std::uint8_t>(page.format),
        b_.CreateString(page.body_sha256.data(), page.body_sha256.size()), b_.CreateVector(strings),
        b_.CreateVector(tag_sets), b_.CreateVector(releases));
    fb::FinishSizePrefixedListingBuffer(b_, listing);
    return std::string(reinterpret_cast<const char*>(b_.GetBufferPointer()), b_.GetSize());
  }

 private:
  // A string's position in Listing.strings, where each distinct string is kept once.
  std::uint32_t position(std::string_view s) {
    auto [it, added] = strings_.try_emplace(s, static_cast<std::uint32_t>(string_order_.size()));
    if (added) string_order_.push_back(s);
    return it->second;
  }
  // The same for a string that is nearly always new (a file name, an upload time): added without
  // looking for it.
  std::uint32_t unique_position(std::string_view s) {
    string_order_.push_back(s);
    return static_cast<std::uint32_t>(string_order_.size() - 1);
  }

  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> version_bytes(const Version& v) {
    scratch_.clear();
    v.encode(scratch_);
    return b_.CreateVector(reinterpret_cast<const std::uint8_t*>(scratch_.data()), scratch_.size());
  }

  // Hashes: a sha256 of lower-case hex into `sha256`, the others into a vector (null when none).
  flatbuffers::Offset<HashVector> hashes(const std::map<std::string, std::string>& m, std::optional<fb::Sha256>& sha256) {
    std::vector<flatbuffers::Offset<fb::Hash>> others;
    for (const auto& [name, value] : m) {
      if (name == "sha256" && (sha256 = sha256_bytes(value))) continue;
      others.push_back(fb::CreateHash(b_, b_.CreateSharedString(name), b_.CreateString(value)));
    }
    return others.empty() ? 0 : b_.CreateVector(others);
  }

  // The page's distinct tag sets, each written once; wheels refer to them by position.
  std::uint32_t tag_set(const std::vector<Tag>& tags) {
    for (std::size_t i = 0; i < tag_sets_.size(); ++i) {
      if (*tag_sets_[i] == tags) return static_cast<std::uint32_t>(i);
    }
    tag_sets_.push_back(&tags);  // a handful per page: a linear search is enough
    return static_cast<std::uint32_t>(tag_sets_.size() - 1);
  }

  fb::File file(const Candidate& c, const DistFile& f, std::uint32_t index, std::vector<flatbuffers::Offset<fb::FileExtra>>& extras) {
    auto flags = Flags::NONE;
    std::uint64_t build_number = 0;
    std::uint32_t url = 0, wheel_name = 0, tags = 0, build_suffix = 0, yank_reason = 0, upload_time = 0;
    flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> wheel_version = 0, sdist_version = 0;
    const std::string_view u = f.url;
    if (u.size() > f.filename.size() && u.ends_with(f.filename) && u[u.size() - f.filename.size() - 1] == '/') {
      flags |= Flags::UrlInDirectory;
      url = position(u.substr(0, u.size() - f.filename.size()));
    } else {
      url = position(u);
    }
    if (f.wheel) {
      flags |= Flags::Wheel;
      wheel_name = position(f.wheel->name);
      tags = tag_set(f.wheel->tags);
      if (!same_version(f.wheel->version, c.version)) wheel_version = version_bytes(f.wheel->version);
      if (f.wheel->build) {
        flags |= Flags::Build;
        build_number = f.wheel->build->first;
        build_suffix = position(f.wheel->build->second);
      }
    }
    if (f.sdist_version) {
      if (same_version(*f.sdist_version, c.version)) {
        flags |= Flags::SdistIsRelease;
      } else {
        sdist_version = version_bytes(*f.sdist_version);
      }
    }
    if (f.yanked) {
      flags |= Flags::Yanked;
      yank_reason = position(*f.yanked);
    }
    std::optional<fb::Sha256> sha256, metadata_sha256;
    const auto other_hashes = hashes(f.hashes, sha256);
    if (sha256) flags |= Flags::Sha256;
    flatbuffers::Offset<HashVector> metadata_hashes = 0;
    if (f.core_metadata) {
      flags |= Flags::CoreMetadata;
      metadata_hashes = hashes(*f.core_metadata, metadata_sha256);
      if (metadata_sha256) flags |= Flags::MetadataSha256;
    }
    if (f.upload_time) {
      flags |= Flags::UploadTime;
      upload_time = unique_position(*f.upload_time);
    }
    if (f.size) flags |= Flags::Size;
    if (!wheel_version.IsNull() || !sdist_version.IsNull() || !other_hashes.IsNull() || !metadata_hashes.IsNull()) {
      extras.push_back(fb::CreateFileExtra(b_, index, wheel_version, sdist_version, other_hashes, metadata_hashes));
    }
    return fb::File(build_number, f.size.value_or(0), unique_position(f.filename), url, wheel_name, tags, build_suffix,
                    position(f.requires_python), yank_reason, upload_time, sha256.value_or(fb::Sha256()),
                    metadata_sha256.value_or(fb::Sha256()), flags,
                    f.kind == DistFile::Kind::Sdist ? fb::Kind::Sdist : fb::Kind::Wheel);
  }

  flatbuffers::FlatBufferBuilder b_{64 << 10};
  std::vector<const std::vector<Tag>*> tag_sets_;
  std::unordered_map<std::string_view, std::uint32_t> strings_;  // views into the candidates, which outlive this
  std::vector<std::string_view> string_order_;
  std::string scratch_;
};

// Everything the candidates of one digest share: its bytes (which their files are read from in
// place), its strings and its tag sets, decoded once.
class DigestFiles;

struct DigestPage {
  SharedBytes bytes;  // owned, or the mapped annex of a cache entry
  std::vector<std::string_view> strings;  // into bytes
  std::vector<std::vector<Tag>> tag_sets;
  std::size_t index_position = 0;
  // Unique in the process (never reused): with a tag set's position, an id that FileChooser can trust
  // to mean the same tags without comparing them (FileTraits::tag_set_id).
  std::uint64_t serial = 0;
  // The files of each release, in one allocation: a page has up to thousands of releases, and each
  // candidate's FileList points at its own (sharing the page's ownership).
  std::unique_ptr<DigestFiles[]> releases;

  std::uint64_t tag_set_id(std::uint32_t set) const { return id_of(set); }
  // The same for the page's strings (FileTraits::requires_python_id).
  std::uint64_t string_id(std::uint32_t string) const { return id_of(string); }

 private:
  std::uint64_t id_of(std::uint32_t position) const {
    constexpr int kBits = FileTraits::kIdPositionBits;
    return position < (1u << kBits) - 1 ? (serial << kBits) | (position + 1) : 0;
  }
};

std::atomic<std::uint64_t> next_page_serial{1};

using Files = flatbuffers::Vector<const fb::File*>;
using Extras = flatbuffers::Vector<flatbuffers::Offset<fb::FileExtra>>;

// What the verifier does not check: that the positions are within what they index and that the
// values make a DistFile. Run when the digest is loaded, so that a damaged digest is a miss then
// rather than an error once its files are read.
bool well_formed(const fb::File& f, const DigestPage& page) {
  const std::size_t n = page.strings.size();
  const Flags flags = f.flags();
  if ((flags & ~kKnownFlags) != Flags::NONE || (f.kind() != fb::Kind::Wheel && f.kind() != fb::Kind::Sdist)) return false;
  if (f.filename() >= n || f.url() >= n || f.requires_python() >= n || f.wheel_name() >= n || f.build_suffix() >= n ||
      f.yank_reason() >= n || f.upload_time() >= n) {
    return false;
  }
  if (has(flags, Flags::Wheel) ? f.tag_set() >= page.tag_sets.size() : has(flags, Flags::Build)) return false;
  return has(flags, Flags::CoreMetadata) || !has(flags, Flags::MetadataSha256);
}

bool well_formed(const fb::FileExtra& e, const Files& files, std::uint32_t after) {
  if (e.file() >= files.size() || e.file() < after) return false;  // in the order of the files, one each
  const fb::File& f = *files.Get(e.file());
  if (e.wheel_version() != nullptr && (!has(f.flags(), Flags::Wheel) || !read_version(e.wheel_version()))) return false;
  if (e.sdist_version() != nullptr && (has(f.flags(), Flags::SdistIsRelease) || !read_version(e.sdist_version()))) {
    return false;
  }
  return e.metadata_hashes() == nullptr || has(f.flags(), Flags::CoreMetadata);
}

void read_hashes(const fb::Sha256* sha256, const HashVector* others, std::map<std::string, std::string>& out) {
  if (others != nullptr) {
    for (const fb::Hash* h : *others) out.emplace(view(h->name()), view(h->value()));
  }
  if (sha256 != nullptr) out.insert_or_assign("sha256", sha256_hex_of(*sha256));
}

DistFile read_file(const fb::File& in, const fb::FileExtra* extra, const Version& version, const DigestPage& page) {
  const Flags flags = in.flags();
  DistFile f;
  f.filename = page.strings[in.filename()];
  f.url = page.strings[in.url()];
  if (has(flags, Flags::UrlInDirectory)) f.url += f.filename;
  f.kind = in.kind() == fb::Kind::Sdist ? DistFile::Kind::Sdist : DistFile::Kind::Wheel;
  if (has(flags, Flags::Wheel)) {
    WheelName& w = f.wheel.emplace();
    w.name = page.strings[in.wheel_name()];
    // Checked at load.
    w.version = extra && extra->wheel_version() ? *read_version(extra->wheel_version()) : version;
    if (has(flags, Flags::Build)) w.build.emplace(in.build_number(), std::string(page.strings[in.build_suffix()]));
    w.tags = page.tag_sets[in.tag_set()];
  }
  if (has(flags, Flags::SdistIsRelease)) {
    f.sdist_version = version;
  } else if (extra && extra->sdist_version()) {
    f.sdist_version = read_version(extra->sdist_version());
  }
  read_hashes(has(flags, Flags::Sha256) ? &in.sha256() : nullptr, extra ? extra->hashes() : nullptr, f.hashes);
  f.requires_python = page.strings[in.requires_python()];
  if (has(flags, Flags::Yanked)) f.yanked = std::string(page.strings[in.yank_reason()]);
  if (has(flags, Flags::CoreMetadata)) {
    read_hashes(has(flags, Flags::MetadataSha256) ? &in.metadata_sha256() : nullptr,
                extra ? extra->metadata_hashes() : nullptr, f.core_metadata.emplace());
  }
  if (has(flags, Flags::UploadTime)) f.upload_time = std::string(page.strings[in.upload_time()]);
  if (has(flags, Flags::Size)) f.size = in.size();
  f.index_position = page.index_position;
  return f;
}

// One release's files, read in place from the digest: traits for ranking, whole files on first read.
// Lives in its page's `releases` (bound once made), which keeps the page alive through its FileLists.
class DigestFiles final : public EncodedFiles {
 public:
  void bind(const DigestPage& page, const fb::Release& release) {
    page_ = &page;
    release_ = &release;
    files_ = release.files();
    extras_ = release.extras();
  }

  std::size_t size() const override { return files_ == nullptr ? 0 : files_->size(); }
  void traits(std::vector<FileTraits>& out) const override {
    if (files_ == nullptr) return;
    for (const fb::File* f : *files_) {
      const Flags flags = f->flags();
      FileTraits& t = out.emplace_back();
      t.kind = f->kind() == fb::Kind::Sdist ? DistFile::Kind::Sdist : DistFile::Kind::Wheel;
      if (has(flags, Flags::Wheel)) {
        t.tags = &page_->tag_sets[f->tag_set()];
        t.tag_set_id = page_->tag_set_id(f->tag_set());
        if (has(flags, Flags::Build)) {
          t.has_build = true;
          t.build_number = f->build_number();
          t.build_suffix = page_->strings[f->build_suffix()];
        }
      }
      t.requires_python = page_->strings[f->requires_python()];
      t.requires_python_id = page_->string_id(f->requires_python());
      if (has(flags, Flags::Yanked)) {
        t.yanked = true;
        t.yank_reason = page_->strings[f->yank_reason()];
      }
    }
  }

 protected:
  std::vector<DistFile> decode() const override {
    const Version version = *read_version(release_->version());  // checked at load
    std::vector<DistFile> files;
    files.reserve(size());
    std::uint32_t next_extra = 0;
    for (std::uint32_t i = 0; i < size(); ++i) {
      const fb::FileExtra* extra = nullptr;
      if (extras_ != nullptr && next_extra < extras_->size() && extras_->Get(next_extra)->file() == i) {
        extra = extras_->Get(next_extra++);
      }
      files.push_back(read_file(*files_->Get(i), extra, version, *page_));
    }
    return files;
  }

 private:
  const DigestPage* page_ = nullptr;  // what files_ and extras_ point into
  const fb::Release* release_ = nullptr;
  const Files* files_ = nullptr;
  const Extras* extras_ = nullptr;
};

std::string digest_key(const PageIdentity& page) {
  std::string material(page.project);
  material += '\0';
  material += page.page_url;
  material += '\0';
  material += page.format;
  return sha256_hex(material);
}

// The listing in `bytes` if they are a whole digest of this layout that the verifier accepts (every
// offset, length and table within the bytes), else nullptr.
const fb::Listing* verified(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  // FlatBuffers reads its scalars in place, aligned to their size (8 at most here). Bytes read in place
  // from a cache entry written before entries aligned their annex are not: a miss, and rewritten.
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) return nullptr;
  if (bytes.size() < 2 * sizeof(flatbuffers::uoffset_t) ||
      flatbuffers::ReadScalar<flatbuffers::uoffset_t>(data) != bytes.size() - sizeof(flatbuffers::uoffset_t) ||
      !fb::SizePrefixedListingBufferHasIdentifier(data)) {
    return nullptr;
  }
  flatbuffers::Verifier::Options options;
  // Bounded by the bytes (a table takes at least 4), not by FlatBuffers' default of a million: a page
  // of 100,000 files has 300,000 tables.
  options.max_tables = static_cast<flatbuffers::uoffset_t>(bytes.size() / 4 + 1);
  flatbuffers::Verifier verifier(data, bytes.size(), options);
  if (!fb::VerifySizePrefixedListingBuffer(verifier)) return nullptr;
  return fb::GetSizePrefixedListing(data);
}

bool header_matches(const fb::Listing& l, const PageIdentity& page) {
  return l.layout() == kLayout && view(l.program()) == THOTH_VERSION && l.project() != nullptr &&
         view(l.project()) == page.project && view(l.page_url()) == page.page_url &&
         l.format() == static_cast<std::uint8_t>(page.format) && view(l.body_sha256()) == page.body_sha256;
}

}  // namespace

std::string encode_listing(const PageIdentity& page, const std::vector<Candidate>& candidates) {
  return Encoder().finish(page, candidates);
}

std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, SharedBytes bytes,
                                                     std::size_t index_position) {
  auto shared = std::make_shared<DigestPage>();
  shared->bytes = std::move(bytes);
  shared->index_position = index_position;
  shared->serial = next_page_serial.fetch_add(1, std::memory_order_relaxed);
  const fb::Listing* listing = verified(shared->bytes.view());
  if (listing == nullptr || !header_matches(*listing, page)) return std::nullopt;
  if (const auto* strings = listing->strings()) {
    shared->strings.reserve(strings->size());
    for (const flatbuffers::String* s : *strings) shared->strings.push_back(view(s));
  }
  if (const auto* sets = listing->tag_sets()) {
    shared->tag_sets.reserve(sets->size());
    for (const fb::TagSet* set : *sets) {
      std::vector<Tag>& tags = shared->tag_sets.emplace_back();
      if (set->tags() == nullptr) continue;
      tags.reserve(set->tags()->size());
      for (const fb::Tag* t : *set->tags()) {
        if (t->interpreter() >= shared->strings.size() || t->abi() >= shared->strings.size() ||
            t->platform() >= shared->strings.size()) {
          return std::nullopt;
        }
        tags.push_back(Tag{std::string(shared->strings[t->interpreter()]), std::string(shared->strings[t->abi()]),
                           std::string(shared->strings[t->platform()])});
      }
    }
  }
  std::vector<Candidate> out;
  if (const auto* releases = listing->releases()) {
    out.reserve(releases->size());
    shared->releases = std::make_unique<DigestFiles[]>(releases->size());
    for (const fb::Release* r : *releases) {
      auto version = read_version(r->version());
      if (!version) return std::nullopt;
      if (const Files* files = r->files()) {
        // FlatBuffers 2.0.8's verifier checks a vector's length field (4-byte aligned), not that its
        // structs sit at their own alignment (8: File's uint64s), which damaged bytes may break;
        // reading such a File in place is undefined behaviour. A miss, as any damage is.
        if (reinterpret_cast<std::uintptr_t>(files->Data()) % alignof(fb::File) != 0) return std::nullopt;
        for (const fb::File* f : *files) {
          if (!well_formed(*f, *shared)) return std::nullopt;
        }
        if (const Extras* extras = r->extras()) {
          std::uint32_t after = 0;
          for (const fb::FileExtra* e : *extras) {
            if (!well_formed(*e, *files, after)) return std::nullopt;
            after = e->file() + 1;
          }
        }
      } else if (r->extras() != nullptr) {
        return std::nullopt;
      }
      DigestFiles& files = shared->releases[out.size()];
      files.bind(*shared, *r);
      Candidate& c = out.emplace_back();
      c.name = std::string(page.project);
      c.version = std::move(*version);
      c.files = FileList(std::shared_ptr<const EncodedFiles>(shared, &files));
    }
  }
  return out;
}

std::optional<std::vector<Candidate>> decode_listing(const PageIdentity& page, std::string bytes,
                                                     std::size_t index_position) {
  return decode_listing(page, SharedBytes(std::move(bytes)), index_position);
}

std::optional<std::vector<Candidate>> ListingDigests::load(const PageIdentity& page, std::size_t index_position) const {
  if (!cache_) return std::nullopt;
  auto bytes = cache_->load_derived(kKind, digest_key(page));
  if (!bytes) return std::nullopt;
  return decode_listing(page, std::move(*bytes), index_position);
}

void ListingDigests::store(const PageIdentity& page, std::string_view digest) const {
  if (!cache_) return;
  cache_->store_derived(kKind, digest_key(page), digest);
}

}  // namespace thoth::idx
