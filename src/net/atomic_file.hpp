// Files that appear whole or not at all: written to a unique temporary in the destination directory
// (so rename() cannot cross file systems), or in a directory the caller knows to be on the same file
// system, and renamed over the destination. Two processes writing the same destination each rename a
// complete file; the last one wins and nobody sees a partial file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "thoth/shared_bytes.hpp"

namespace thoth::net {

class AtomicFile {
 public:
  AtomicFile() = default;
  // Unlinks the temporary unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Creates the destination's directory if needed and a temporary in `temp_dir` (empty: next to the
  // destination). On failure returns false and error() says why.
  bool open(const std::filesystem::path& destination, const std::filesystem::path& temp_dir = {});
  bool write(const void* data, std::size_t size);
  // Makes the temporary complete (mode 0644, closed) without moving it.
  bool close();
  // close(), then renames the temporary over the destination. When the rename fails the temporary
  // stays (temp_path()) until abandon() or destruction, for the caller to put it elsewhere.
  bool commit();
  void abandon();

  bool is_open() const { return fd_ >= 0; }
  const std::filesystem::path& destination() const { return destination_; }
  // The temporary: empty once committed or abandoned.
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string what);

  int fd_ = -1;
  std::filesystem::path destination_;
  std::filesystem::path temp_;
  std::string error_;
};

// A file opened for reading parts of it: a cache entry's head and annex without its body, in as few
// reads as their sizes allow.
class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::filesystem::path& path);
  ~ReadOnlyFile();
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

  bool ok() const { return fd_ >= 0; }
  std::uint64_t size() const { return size_; }  // as of the open
  // Makes `data` the first `n` bytes (n <= size()), reading only what it does not hold yet; false
  // when they cannot be read.
  bool read_prefix(std::size_t n, std::string& data) const;
  // Fills `out` with the `n` bytes at `offset` (offset + n <= size()); false when they cannot be read.
  bool read_at(std::uint64_t offset, char* out, std::size_t n) const;
  // The whole file mapped read-only (its size at the open), read in place by whoever holds the bytes;
  // nullopt when it cannot be mapped. Only for files that are replaced by rename and never truncated
  // in place (the cache's entries): a truncated mapping faults (SIGBUS), which thoth reports as a
  // changed cache file (net::report_truncated_mappings).
  std::optional<SharedBytes> map() const;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// Makes a fault on a mapped file that shrank (SIGBUS) end thoth with a one-line error naming the cause
// instead of a crash (installed once, unless someone else handles SIGBUS).
void report_truncated_mappings();

// One-shot helpers: the whole content at once, or a copy of another file.
bool write_file_atomic(const std::filesystem::path& destination, std::string_view bytes);
bool copy_file_atomic(const std::filesystem::path& source, const std::filesystem::path& destination);
// Gives `source` (a complete file nobody writes to any more) the name `destination`, replacing what
// was there atomically, without copying where the file system allows: a hard link (made under a
// temporary name and renamed over an existing destination); a copy across file systems or where
// links are refused.
bool link_or_copy_atomic(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace thoth::net
