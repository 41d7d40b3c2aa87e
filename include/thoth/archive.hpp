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
};

// A ByteSource over bytes already in memory.
class MemoryByteSource : public ByteSource {
 public:
  explicit MemoryByteSource(std::string bytes) : bytes_(std::move(bytes)) {}
  std::pair<std::string, std::uint64_t> tail(std::size_t n) override;
  std::string read(std::uint64_t offset, std::size_t length) override;

 private:
  std::string bytes_;
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

  const std::string& label() const { return label_; }
  const ArchiveLimits& limits() const { return limits_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(std::string_view name) const;

  // The member's uncompressed bytes, CRC-checked, within limits() or the given `limits`. Throws
  // ArchiveError.
  std::string read(const ZipEntry& entry) { return read(entry, limits_); }
  std::string read(const ZipEntry& entry, const ArchiveLimits& limits);

 private:
  std::string fetch(std::uint64_t offset, std::size_t length);

  ByteSource& source_;
  std::string label_;
  ArchiveLimits limits_;
  std::uint64_t size_ = 0;
  std::string tail_;             // the last bytes of the file, kept to serve small members without I/O
  std::uint64_t tail_offset_ = 0;
  std::vector<ZipEntry> entries_;
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
