// The zip central directory and member reads, per PKWARE's APPNOTE.TXT (section numbers below).
// Written by hand rather than with libarchive because libarchive streams an archive from its start,
// whereas a remote wheel must be read from its end with a couple of ranged requests.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "thoth/archive.hpp"

namespace thoth {
namespace {

constexpr std::uint32_t kEndOfCentralDirSig = 0x06054b50;     // 4.3.16
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;        // 4.3.15
constexpr std::uint32_t kZip64EndOfCentralDirSig = 0x06064b50;  // 4.3.14
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;       // 4.3.12
constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;         // 4.3.7
constexpr std::size_t kEndOfCentralDirSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kLocalHeaderSize = 30;
// Enough for the end record with the largest comment plus the central directory of a typical wheel.
constexpr std::size_t kTailRead = 64 * 1024 + kEndOfCentralDirSize + kZip64LocatorSize;
// Extra room read after a member's local header, since its extra field may differ from the central one.
constexpr std::size_t kLocalExtraSlack = 256;

// Little-endian reader over a byte range that reports truncation instead of reading past the end.
class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& label) : bytes_(bytes), label_(label) {}
  std::uint16_t u16() { return static_cast<std::uint16_t>(take(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(take(4)); }
  std::uint64_t u64() { return take(8); }
  std::string_view bytes(std::size_t n) {
    need(n);
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::size_t n) { bytes(n); }
  std::size_t pos() const { return pos_; }

 private:
  void need(std::size_t n) const {
    if (n > bytes_.size() - pos_) throw ArchiveError(label_ + ": corrupt zip (truncated record)");
  }
  std::uint64_t take(std::size_t n) {
    need(n);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }
  std::string_view bytes_;
  const std::string& label_;
  std::size_t pos_ = 0;
};

std::uint32_t le32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

// 4.5.3: the ZIP64 extended information extra field holds, in this order, only the values whose
// 32-bit fields are saturated.
void apply_zip64_extra(std::string_view extra, ZipEntry& e, bool usize_sat, bool csize_sat, bool offset_sat,
                       const std::string& label) {
  Cursor c(extra, label);
  while (c.pos() + 4 <= extra.size()) {
    std::uint16_t id = c.u16();
    std::uint16_t len = c.u16();
    std::string_view body = c.bytes(len);
    if (id != 0x0001) continue;
    Cursor z(body, label);
    if (usize_sat) e.uncompressed_size = z.u64();
    if (csize_sat) e.compressed_size = z.u64();
    if (offset_sat) e.local_header_offset = z.u64();
    return;
  }
  if (usize_sat || csize_sat || offset_sat) throw ArchiveError(label + ": corrupt zip (missing ZIP64 field)");
}

}  // namespace

ArchiveLimits metadata_limits() {
  ArchiveLimits limits;
  limits.max_member_bytes = kMaxMetadataBytes;
  return limits;
}

// 4.4.5 method 8: a raw deflate stream (no zlib header, hence negative window bits). One stream per
// reader, reset for each member, rather than zlib's state and window allocated anew for each.
struct ZipReader::Inflater {
  z_stream zs{};
  bool ready = false;
  std::unique_ptr<char[]> out = std::make_unique_for_overwrite<char[]>(kZipChunk);
  ~Inflater() {
    if (ready) inflateEnd(&zs);
  }
  bool start() {
    if (ready) return inflateReset(&zs) == Z_OK;
    ready = inflateInit2(&zs, -MAX_WBITS) == Z_OK;
    return ready;
  }
};

ZipReader::ZipReader(ByteSource& source, std::string label, ArchiveLimits limits)
    : source_(source), label_(std::move(label)), limits_(limits) {
  auto [tail, size] = source_.tail(kTailRead);
  size_ = size;
  tail_ = std::move(tail);
  tail_offset_ = size_ - tail_.size();
  if (tail_.size() < kEndOfCentralDirSize) throw ArchiveError(label_ + ": not a zip file (too short)");

  // 4.3.16: the end record is the last thing in the file, followed only by its comment; scan back.
  std::size_t eocd = std::string_view::npos;
  for (std::size_t i = tail_.size() - kEndOfCentralDirSize + 1; i-- > 0;) {
    if (le32(tail_, i) == kEndOfCentralDirSig) {
      std::size_t comment_len = static_cast<unsigned char>(tail_[i + 20]) | (static_cast<unsigned char>(tail_[i + 21]) << 8);
      if (i + kEndOfCentralDirSize + comment_len == tail_.size()) {
        eocd = i;
        break;
      }
    }
  }
  if (eocd == std::string_view::npos) throw ArchiveError(label_ + ": not a zip file (no end of central directory)");

  Cursor end(std::string_view(tail_).substr(eocd + 4), label_);
  std::uint16_t disk = end.u16();
  std::uint16_t cd_disk = end.u16();
  end.u16();  // entries on this disk
  std::uint64_t count = end.u16();
  std::uint64_t cd_size = end.u32();
  std::uint64_t cd_offset = end.u32();
  if (disk != 0 || cd_disk != 0) throw ArchiveError(label_ + ": multi-disk zip archives are not supported");

  // 4.3.15: a ZIP64 locator right before the end record points at the ZIP64 end record.
  if (eocd >= kZip64LocatorSize && le32(tail_, eocd - kZip64LocatorSize) == kZip64LocatorSig) {
    Cursor loc(std::string_view(tail_).substr(eocd - kZip64LocatorSize + 4), label_);
    loc.u32();
    std::uint64_t z64_offset = loc.u64();
    std::string record = fetch(z64_offset, 56);
    Cursor z(record, label_);
    if (z.u32() != kZip64EndOfCentralDirSig) throw ArchiveError(label_ + ": corrupt zip (bad ZIP64 end record)");
    z.skip(8 + 2 + 2 + 4 + 4 + 8);
    count = z.u64();
    cd_size = z.u64();
    cd_offset = z.u64();
  }
  if (count > limits_.max_entries) throw ArchiveError(label_ + ": too many members (" + std::to_string(count) + ")");
  if (cd_offset > size_ || cd_size > size_ - cd_offset) throw ArchiveError(label_ + ": corrupt zip (central directory out of bounds)");

  std::string cd = fetch(cd_offset, static_cast<std::size_t>(cd_size));
  Cursor c(cd, label_);
  entries_.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    if (c.u32() != kCentralHeaderSig) throw ArchiveError(label_ + ": corrupt zip (bad central directory header)");
    ZipEntry e;
    c.skip(4);  // version made by, version needed
    e.flags = c.u16();
    e.method = c.u16();
    c.skip(4);  // time, date
    e.crc32 = c.u32();
    std::uint32_t csize = c.u32();
    std::uint32_t usize = c.u32();
    std::uint16_t name_len = c.u16();
    std::uint16_t extra_len = c.u16();
    std::uint16_t comment_len = c.u16();
    c.skip(4);  // disk start, internal attributes
    e.external_attributes = c.u32();
    std::uint32_t offset = c.u32();
    e.name = std::string(c.bytes(name_len));
    std::string_view extra = c.bytes(extra_len);
    c.skip(comment_len);
    e.compressed_size = csize;
    e.uncompressed_size = usize;
    e.local_header_offset = offset;
    apply_zip64_extra(extra, e, usize == 0xFFFFFFFF, csize == 0xFFFFFFFF, offset == 0xFFFFFFFF, label_);
    entries_.push_back(std::move(e));
  }
}

ZipReader::~ZipReader() = default;

std::string_view ZipReader::fetch_view(std::uint64_t offset, std::size_t length, std::string& scratch) {
  if (offset > size_ || length > size_ - offset) throw ArchiveError(label_ + ": corrupt zip (read out of bounds)");
  if (offset >= tail_offset_) return std::string_view(tail_).substr(static_cast<std::size_t>(offset - tail_offset_), length);
  return source_.read_view(offset, length, scratch);
}

std::string ZipReader::fetch(std::uint64_t offset, std::size_t length) {
  std::string scratch;
  return std::string(fetch_view(offset, length, scratch));
}

const ZipEntry* ZipReader::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

std::string_view ZipReader::member_data(const ZipEntry& e, const ArchiveLimits& limits) {
  if (e.flags & 0x0001) throw ArchiveError(label_ + ": member " + e.name + " is encrypted");
  if (e.uncompressed_size > limits.max_member_bytes)
    throw ArchiveError(label_ + ": member " + e.name + " is too large (" + std::to_string(e.uncompressed_size) +
                       " bytes, the limit is " + std::to_string(limits.max_member_bytes) + ")");
  // The declared sizes bound what is inflated (read_chunks stops at uncompressed_size), so checking
  // them is checking the bytes.
  if (e.uncompressed_size > limits.ratio_floor && e.compressed_size > 0 &&
      e.uncompressed_size / e.compressed_size > limits.max_ratio)
    throw ArchiveError(label_ + ": member " + e.name + " looks like a zip bomb (compression ratio too high)");
  if (e.local_header_offset > size_) throw ArchiveError(label_ + ": corrupt zip (member offset out of bounds)");
  if (e.method != 0 && e.method != 8)
    throw ArchiveError(label_ + ": member " + e.name + " uses unsupported compression method " + std::to_string(e.method));

  // One read for the local header, the name, a guess at its extra field and the data (4.3.7).
  std::uint64_t want = kLocalHeaderSize + e.name.size() + kLocalExtraSlack + e.compressed_size;
  std::size_t len = static_cast<std::size_t>(std::min<std::uint64_t>(want, size_ - e.local_header_offset));
  std::string_view block = fetch_view(e.local_header_offset, len, member_scratch_);
  Cursor h(block, label_);
  if (h.u32() != kLocalHeaderSig) throw ArchiveError(label_ + ": corrupt zip (bad local header for " + e.name + ")");
  h.skip(22);
  std::size_t name_len = h.u16();
  std::size_t extra_len = h.u16();
  std::uint64_t data_start = kLocalHeaderSize + name_len + extra_len;
  if (data_start + e.compressed_size <= block.size())
    return block.substr(static_cast<std::size_t>(data_start), static_cast<std::size_t>(e.compressed_size));
  return fetch_view(e.local_header_offset + data_start, static_cast<std::size_t>(e.compressed_size), member_scratch_);
}

std::string ZipReader::read(const ZipEntry& e, const ArchiveLimits& limits) {
  std::string out;
  read_chunks(e, limits, [&out](std::string_view piece) { out += piece; }, Check::Crc);
  return out;
}

void ZipReader::read_chunks(const ZipEntry& e, const std::function<void(std::string_view)>& sink, Check check) {
  read_chunks(e, limits_, sink, check);
}

void ZipReader::read_chunks(const ZipEntry& e, const ArchiveLimits& limits, const std::function<void(std::string_view)>& sink,
                            Check check) {
  std::string_view data = member_data(e, limits);
  uLong crc = ::crc32(0L, nullptr, 0);
  std::uint64_t produced = 0;
  auto emit = [&](std::string_view piece) {
    if (check == Check::Crc) crc = ::crc32_z(crc, reinterpret_cast<const Bytef*>(piece.data()), piece.size());
    produced += piece.size();
    sink(piece);
  };
  if (e.method == 0) {
    if (data.size() != e.uncompressed_size) throw ArchiveError(label_ + ": corrupt zip (size mismatch for " + e.name + ")");
    for (std::size_t at = 0; at < data.size(); at += kZipChunk) emit(data.substr(at, kZipChunk));
  } else {
    if (!inflater_) inflater_ = std::make_unique<Inflater>();
    Inflater& z = *inflater_;
    if (!z.start()) throw ArchiveError(label_ + ": cannot initialise zlib");
    // Output is bounded by the declared size (the bomb guard above relies on it); input is fed in
    // pieces because zlib counts in 32 bits. Z_FINISH while the whole input is given: zlib then keeps
    // no copy of the output in its window when the stream ends in that call (small members, most of
    // them), and reports an output piece that fills up before the end as Z_BUF_ERROR.
    constexpr std::size_t kMaxIn = 1u << 30;
    std::size_t in_pos = 0;
    int rc = Z_OK;
    for (;;) {
      std::size_t in_len = std::min(kMaxIn, data.size() - in_pos);
      std::size_t out_len = static_cast<std::size_t>(std::min<std::uint64_t>(kZipChunk, e.uncompressed_size - produced));
      z.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
      z.zs.avail_in = static_cast<uInt>(in_len);
      z.zs.next_out = reinterpret_cast<Bytef*>(z.out.get());
      z.zs.avail_out = static_cast<uInt>(out_len);
      rc = inflate(&z.zs, in_pos + in_len == data.size() ? Z_FINISH : Z_NO_FLUSH);
      std::size_t used = in_len - z.zs.avail_in, got = out_len - z.zs.avail_out;
      in_pos += used;
      if (got > 0) emit(std::string_view(z.out.get(), got));
      // Done, failed, or no progress possible (truncated input, or more output than declared).
      if (rc == Z_STREAM_END || (rc != Z_OK && rc != Z_BUF_ERROR) || (used == 0 && got == 0)) break;
    }
    if (rc != Z_STREAM_END || produced != e.uncompressed_size)
      throw ArchiveError(label_ + ": corrupt zip (cannot inflate " + e.name + ")");
  }
  if (check == Check::Crc && static_cast<std::uint32_t>(crc) != e.crc32)
    throw ArchiveError(label_ + ": corrupt zip (CRC mismatch for " + e.name + ")");
}

std::string read_wheel_metadata(ZipReader& wheel) {
  // Binary distribution format spec: exactly one top-level "{name}-{version}.dist-info/" directory.
  const ZipEntry* found = nullptr;
  std::string dist_info;
  for (const auto& e : wheel.entries()) {
    std::string_view name = e.name;
    std::size_t slash = name.find('/');
    if (slash == std::string_view::npos) continue;
    std::string_view top = name.substr(0, slash);
    if (top.size() <= 10 || top.substr(top.size() - 10) != ".dist-info") continue;
    if (!dist_info.empty() && dist_info != top)
      throw ArchiveError(wheel.label() + ": wheel has more than one .dist-info directory (" + dist_info + ", " +
                         std::string(top) + ")");
    dist_info = std::string(top);
    if (name.substr(slash + 1) == "METADATA") found = &e;
  }
  if (!found) throw ArchiveError(wheel.label() + ": wheel has no .dist-info/METADATA");
  ArchiveLimits limits = wheel.limits();
  limits.max_member_bytes = std::min(limits.max_member_bytes, kMaxMetadataBytes);
  return wheel.read(*found, limits);
}

}  // namespace thoth
