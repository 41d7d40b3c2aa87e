#include "net/atomic_file.hpp"
#include "thoth/net.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace thoth {

int read_to_end(int fd, std::string& out) {
  struct stat st {};
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  // One byte more than the file's size, so that a file that grew since is seen without growing the
  // buffer.
  std::string data(sized ? static_cast<std::size_t>(st.st_size) + 1 : 65536, '\0');
  std::size_t size = 0;
  for (;;) {
    // A regular file read up to the size fstat gave is done: the content as of the open, without
    // one more system call to see the end (files thoth reads are replaced by rename, not appended to).
    if (sized && size == static_cast<std::size_t>(st.st_size)) break;
    if (size == data.size()) data.resize(data.size() * 2);
    const ssize_t n = ::read(fd, data.data() + size, data.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  data.resize(size);
  out = std::move(data);
  return 0;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  const int err = read_to_end(fd, data);
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

bool ReadOnlyFile::read_prefix(std::size_t n, std::string& data) const {
  if (fd_ < 0 || n > size_) return false;
  std::size_t have = std::min(data.size(), n);
  data.resize(n);
  while (have < n) {
    const ssize_t got = ::pread(fd_, data.data() + have, n - have, static_cast<off_t>(have));
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

bool AtomicFile::open(const std::filesystem::path& destination) {
  abandon();
  destination_ = destination;
  std::error_code ec;
  const auto dir = destination.parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  // mkstemp makes the name unique across threads and processes; the leading dot keeps the temporary
  // out of directory listings that look for real entries.
  std::string pattern = (dir / ("." + destination.filename().string() + ".tmp.XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) return fail("cannot create a file in " + dir.string());
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

bool AtomicFile::commit() {
  // mkstemp creates 0600; downloads and cache entries are ordinary user files.
  if (::fchmod(fd_, 0644) != 0) return fail("cannot chmod " + temp_.string());
  if (::close(fd_) != 0) {
    fd_ = -1;
    return fail("cannot write " + temp_.string());
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), destination_.c_str()) != 0) return fail("cannot rename to " + destination_.string());
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

}  // namespace thoth::net
