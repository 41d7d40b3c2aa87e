#include "net/atomic_file.hpp"
#include "thoth/net.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <fstream>
#include <system_error>

#include "base/signals.hpp"

namespace thoth {

int read_to_end(int fd, std::string& out, std::uint64_t limit) {
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  if (sized && static_cast<std::uint64_t>(st.st_size) > limit) return EFBIG;
  // One byte more than the file's size, so that a file that grew since is seen without growing the
  // buffer.
  std::string data(sized ? static_cast<std::size_t>(st.st_size) + 1 : 65536, '\0');
  std::size_t size = 0;
  for (;;) {
    // A regular file read up to the size fstat gave is done: the content as of the open, without
    // one more system call to see the end (files thoth reads are replaced by rename, not appended to).
    if (sized && size == static_cast<std::size_t>(st.st_size)) break;
    // Anything else (a pipe, a device such as /dev/zero) may never end: stop one byte past the limit.
    if (size > limit) return EFBIG;
    if (size == data.size()) data.resize(data.size() * 2);
    // At most one byte past the limit (size <= limit here, so limit - size does not wrap).
    const std::uint64_t room = limit - size;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(data.size() - size, room == UINT64_MAX ? room : room + 1));
    const ssize_t n = ::read(fd, data.data() + size, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  data.resize(size);
  out = std::move(data);
  return 0;
}

std::optional<std::string> read_file(const std::filesystem::path& path, std::uint64_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  const int err = read_to_end(fd, data, limit);
  ::close(fd);
  if (err != 0) return std::nullopt;
  return data;
}

}  // namespace thoth

namespace thoth::net {

ReadOnlyFile::ReadOnlyFile(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    size_ = static_cast<std::uint64_t>(st.st_size);
  } else if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

ReadOnlyFile::~ReadOnlyFile() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// A read-only mapping, unmapped with its last SharedBytes.
struct Mapping {
  void* address = MAP_FAILED;
  std::size_t size = 0;
  ~Mapping() {
    if (address != MAP_FAILED) ::munmap(address, size);
  }
};

extern "C" void on_bus_error(int) {
  // Only async-signal-safe calls (POSIX 2.4.3): write and _exit.
  static constexpr char kMessage[] =
      "thoth: error: a cache file shrank while thoth read it (another program truncated it, or the disk "
      "failed to read it); run the command again\n";
  [[maybe_unused]] auto ignored = ::write(2, kMessage, sizeof kMessage - 1);
  ::_exit(3);  // as an index failure (thoth(1) EXIT STATUS)
}

}  // namespace

void report_truncated_mappings() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  base::handle_signal_if_default(SIGBUS, on_bus_error);
}

std::optional<SharedBytes> ReadOnlyFile::map() const {
  if (fd_ < 0) return std::nullopt;
  if (size_ == 0) return SharedBytes();
  if (size_ > std::numeric_limits<std::size_t>::max()) return std::nullopt;
  auto mapping = std::make_shared<Mapping>();
  mapping->address = ::mmap(nullptr, static_cast<std::size_t>(size_), PROT_READ, MAP_PRIVATE, fd_, 0);
  if (mapping->address == MAP_FAILED) return std::nullopt;
  mapping->size = static_cast<std::size_t>(size_);
  report_truncated_mappings();
  const std::string_view bytes(static_cast<const char*>(mapping->address), mapping->size);
  return SharedBytes(std::move(mapping), bytes);
}

bool ReadOnlyFile::read_prefix(std::size_t n, std::string& data) const {
  if (fd_ < 0 || n > size_) return false;
  const std::size_t have = std::min(data.size(), n);
  data.resize(n);
  return read_at(have, data.data() + have, n - have);
}

bool ReadOnlyFile::read_at(std::uint64_t offset, char* out, std::size_t n) const {
  if (fd_ < 0 || offset > size_ || n > size_ - offset) return false;
  for (std::size_t have = 0; have < n;) {
    const ssize_t got = ::pread(fd_, out + have, n - have, static_cast<off_t>(offset + have));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;  // shorter than at the open: not the file that was measured
    have += static_cast<std::size_t>(got);
  }
  return true;
}

AtomicFile::~AtomicFile() { abandon(); }

bool AtomicFile::fail(std::string what) {
  error_ = std::move(what) + ": " + std::strerror(errno);
  abandon();
  return false;
}

bool AtomicFile::open(const std::filesystem::path& destination, const std::filesystem::path& temp_dir) {
  abandon();
  destination_ = destination;
  std::error_code ec;
  const auto dir = destination.parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  const auto in = temp_dir.empty() ? dir : temp_dir;
  // mkstemp makes the name unique across threads and processes; the leading dot keeps the temporary
  // out of directory listings that look for real entries.
  std::string pattern = (in / ("." + destination.filename().string() + ".tmp.XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) return fail("cannot create a file in " + in.string());
  temp_ = pattern;
  return true;
}

bool AtomicFile::write(const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + temp_.string());
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool AtomicFile::close() {
  if (fd_ < 0) return !temp_.empty();
  // mkstemp creates 0600; downloads and cache entries are ordinary user files.
  if (::fchmod(fd_, 0644) != 0) return fail("cannot chmod " + temp_.string());
  if (::close(fd_) != 0) {
    fd_ = -1;
    return fail("cannot write " + temp_.string());
  }
  fd_ = -1;
  return true;
}

bool AtomicFile::commit() {
  if (!close()) return false;
  if (::rename(temp_.c_str(), destination_.c_str()) != 0) {
    error_ = "cannot rename to " + destination_.string() + ": " + std::strerror(errno);
    return false;
  }
  temp_.clear();
  return true;
}

void AtomicFile::abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

bool write_file_atomic(const std::filesystem::path& destination, std::string_view bytes) {
  AtomicFile f;
  return f.open(destination) && f.write(bytes.data(), bytes.size()) && f.commit();
}

bool copy_file_atomic(const std::filesystem::path& source, const std::filesystem::path& destination) {
  std::ifstream in(source, std::ios::binary);
  AtomicFile out;
  if (!in || !out.open(destination)) return false;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    if (in.gcount() > 0 && !out.write(buf, static_cast<std::size_t>(in.gcount()))) return false;
  }
  return !in.bad() && out.commit();
}

bool link_or_copy_atomic(const std::filesystem::path& source, const std::filesystem::path& destination) {
  std::error_code ec;
  if (destination.has_parent_path()) std::filesystem::create_directories(destination.parent_path(), ec);
  if (::link(source.c_str(), destination.c_str()) == 0) return true;
  if (errno == EEXIST) {
    // Already the same file: rename() would do nothing (and leave the temporary below).
    struct stat from {}, to {};
    if (::stat(source.c_str(), &from) == 0 && ::stat(destination.c_str(), &to) == 0 && from.st_dev == to.st_dev &&
        from.st_ino == to.st_ino) {
      return true;
    }
    // Replaced through a temporary name, so that the destination is never missing. mkstemp picks the
    // name; the file it made gives way to the link.
    std::string temp = (destination.parent_path() / ("." + destination.filename().string() + ".tmp.XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd >= 0) {
      ::close(fd);
      const bool linked = ::unlink(temp.c_str()) == 0 && ::link(source.c_str(), temp.c_str()) == 0;
      if (linked && ::rename(temp.c_str(), destination.c_str()) == 0) return true;
      ::unlink(temp.c_str());
    }
  }
  // EXDEV (another file system), EPERM or EMLINK (no links there or no more of them), or no temporary:
  // a copy does.
  return copy_file_atomic(source, destination);
}

}  // namespace thoth::net
