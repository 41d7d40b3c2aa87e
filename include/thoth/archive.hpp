// Reading archives safely: single members of zip files that may be remote (read by byte ranges, so a
// wheel's METADATA costs two small requests instead of a download), members of local zip/tar archives
// (sdists) through libarchive, and extraction that refuses anything escaping its destination.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thoth/error.hpp"

namespace thoth {

// Thrown for corrupt or hostile archives: bad structure, CRC or size mismatch, encrypted members,
// members escaping the destination, bombs. The message names the archive (as the caller labelled it).
class ArchiveError : public Error {
 public:
  using Error::Error;
};

// Caps against archive bombs and hostile archives.
struct ArchiveLimits {
  std::uint64_t max_member_bytes = 4ull << 30;  // one member, uncompressed
  std::uint64_t max_total_bytes = 16ull << 30;  // whole extraction, uncompressed
  std::uint64_t max_entries = 500000;
  // Past ratio_floor uncompressed bytes, an uncompressed/compressed ratio above max_ratio is refused as
  // a bomb: per member in zip files, over the stream for compressed tar files (skipped members count).
  std::uint64_t max_ratio = 1000;
  std::uint64_t ratio_floor = 1u << 20;
};

// One core-metadata member (a wheel's METADATA, an sdist's PKG-INFO, a PEP 658 .metadata file) is
// text of a few kilobytes, a few hundred with a long description; nothing reads more than this, so
// a hostile one stops here instead of at the multi-gigabyte caps meant for whole distributions.
inline constexpr std::uint64_t kMaxMetadataBytes = 16u << 20;

// ArchiveLimits{} with max_member_bytes = kMaxMetadataBytes: for reading a metadata member.
ArchiveLimits metadata_limits();

// Random access to the bytes of a file that may be remote.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // The last `n` bytes (all of them if the file is shorter) and the file's total size.
  virtual std::pair<std::string, std::uint64_t> tail(std::size_t n) = 0;
  // Exactly `length` bytes from `offset`; throws if the file is shorter.
  virtual std::string read(std::uint64_t offset, std::size_t length) = 0;
  // The same bytes, as a view of memory the source already holds, or else read into `scratch` (grown
  // when too small, never shrunk, so that a caller reading many ranges allocates once). The view is
  // valid until `scratch` changes or the source goes away. This default copies what read() returns.
  virtual std::string_view read_view(std::uint64_t offset, std::size_t length, std::string& scratch);
};

// A ByteSource over bytes in memory, which the caller keeps alive and unchanged while it is used. Its
// read_view() copies nothing.
class BorrowedByteSource : public ByteSource {
 public:
  explicit BorrowedByteSource(std::string_view bytes) : bytes_(bytes) {}
  std::pair<std::string, std::uint64_t> tail(std::size_t n) override;
  std::string read(std::uint64_t offset, std::size_t length) override;
  std::string_view read_view(std::uint64_t offset, std::size_t length, std::string& scratch) override;

 private:
  std::string_view bytes_;
};

// A ByteSource over bytes it holds.
class MemoryByteSource : public ByteSource {
 public:
  explicit MemoryByteSource(std::string bytes) : bytes_(std::move(bytes)), view_(bytes_) {}
  MemoryByteSource(const MemoryByteSource&) = delete;
  MemoryByteSource& operator=(const MemoryByteSource&) = delete;
  std::pair<std::string, std::uint64_t> tail(std::size_t n) override { return view_.tail(n); }
  std::string read(std::uint64_t offset, std::size_t length) override { return view_.read(offset, length); }
  std::string_view read_view(std::uint64_t offset, std::size_t length, std::string& scratch) override {
    return view_.read_view(offset, length, scratch);
  }

 private:
  std::string bytes_;
  BorrowedByteSource view_;
};

// A ByteSource over a local file (read with pread; no mapping, no whole-file read).
class FileByteSource : public ByteSource {
 public:
  explicit FileByteSource(const std::filesystem::path& path);  // throws ArchiveError
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;
  std::pair<std::string, std::uint64_t> tail(std::size_t n) override;
  std::string read(std::uint64_t offset, std::size_t length) override;
  std::string_view read_view(std::uint64_t offset, std::size_t length, std::string& scratch) override;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflated
  std::uint16_t flags = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_header_offset = 0;
  std::uint32_t external_attributes = 0;  // high 16 bits: Unix mode when made on Unix

  bool is_directory() const { return !name.empty() && name.back() == '/'; }
};

// A zip file's central directory (APPNOTE 4.3.12 + ZIP64 4.3.14/4.3.15), read from the end of the file
// with one tail read in the common case; members are read with one more ranged read each.
class ZipReader {
 public:
  // `label` names the archive in error messages (a file name or a redacted URL).
  ZipReader(ByteSource& source, std::string label, ArchiveLimits limits = {});
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& label() const { return label_; }
  const ArchiveLimits& limits() const { return limits_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(std::string_view name) const;

  // The member's uncompressed bytes, CRC-checked, within limits() or the given `limits`. Throws
  // ArchiveError.
  std::string read(const ZipEntry& entry) { return read(entry, limits_); }
  std::string read(const ZipEntry& entry, const ArchiveLimits& limits);

  // How read_chunks() checks the bytes besides their sizes.
  enum class Check {
    Crc,     // against the member's CRC-32 (APPNOTE 4.4.7), as read() does
    Caller,  // not here: the caller checks them against a stronger digest (a wheel's RECORD)
  };
  // The member's uncompressed bytes, handed to `sink` piece by piece as they are inflated (pieces of at
  // most kZipChunk bytes, from a buffer the reader reuses: nothing member-sized is allocated for a
  // deflated member, nor copied for a stored one held in memory), under the checks read() makes. Throws
  // ArchiveError, possibly after some pieces were passed on: the caller discards what it made of them.
  void read_chunks(const ZipEntry& entry, const std::function<void(std::string_view)>& sink, Check check = Check::Crc);
  static constexpr std::size_t kZipChunk = 128 * 1024;

 private:
  struct Inflater;  // one zlib stream, reset for each member
  std::string_view fetch_view(std::uint64_t offset, std::size_t length, std::string& scratch);
  std::string fetch(std::uint64_t offset, std::size_t length);
  // The checks made before reading, then the member's stored bytes (its local header parsed).
  std::string_view member_data(const ZipEntry& entry, const ArchiveLimits& limits);
  void read_chunks(const ZipEntry& entry, const ArchiveLimits& limits, const std::function<void(std::string_view)>& sink,
                   Check check);

  ByteSource& source_;
  std::string label_;
  ArchiveLimits limits_;
  std::uint64_t size_ = 0;
  std::string tail_;             // the last bytes of the file, kept to serve small members without I/O
  std::uint64_t tail_offset_ = 0;
  std::vector<ZipEntry> entries_;
  std::string member_scratch_;  // a member's compressed bytes, when the source does not hold them
  std::unique_ptr<Inflater> inflater_;
};

// The text of `<name>-<version>.dist-info/METADATA` of a wheel (binary distribution format spec: the
// .dist-info directory is at the root and there is exactly one), at most kMaxMetadataBytes and under
// the reader's compression-ratio guard. Throws ArchiveError.
std::string read_wheel_metadata(ZipReader& wheel);

// The first member of a local archive (zip, tar, tar.gz, tar.bz2, tar.xz) whose path satisfies `match`,
// read through libarchive; nullopt if none does. Throws ArchiveError for a corrupt archive or one past
// the limits (pass metadata_limits() for a metadata member).
std::optional<std::string> read_archive_member(const std::filesystem::path& archive,
                                               const std::function<bool(std::string_view)>& match,
                                               const ArchiveLimits& limits = {});

// Every regular member of a local archive whose path satisfies `match`, in archive order, read through
// libarchive as read_archive_member reads one: `visit(path, bytes)` is called with each; returning false
// stops. The limits apply to the whole walk (members skipped or read). Throws ArchiveError.
void for_each_archive_member(const std::filesystem::path& archive, const std::function<bool(std::string_view)>& match,
                             const std::function<bool(std::string_view, std::string)>& visit,
                             const ArchiveLimits& limits = {});

// Extracts a local archive into `destination` (created if missing). Refuses, before writing anything
// outside it: absolute paths, '..' components, hard links, symbolic links that point outside the
// destination, device and FIFO entries, and members past the limits. Throws ArchiveError.
void extract_archive(const std::filesystem::path& archive, const std::filesystem::path& destination,
                     const ArchiveLimits& limits = {});

// True if `member` is a relative path with no empty, '.' or '..' component and no backslash or NUL:
// safe to join under a destination directory.
bool is_safe_member_path(std::string_view member);

}  // namespace thoth
