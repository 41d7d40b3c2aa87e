// ByteSource implementations over memory and local files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "thoth/archive.hpp"

namespace thoth {

std::string_view ByteSource::read_view(std::uint64_t offset, std::size_t length, std::string& scratch) {
  scratch = read(offset, length);
  return scratch;
}

std::pair<std::string, std::uint64_t> BorrowedByteSource::tail(std::size_t n) {
  std::size_t take = std::min(n, bytes_.size());
  return {std::string(bytes_.substr(bytes_.size() - take)), bytes_.size()};
}

std::string BorrowedByteSource::read(std::uint64_t offset, std::size_t length) {
  std::string scratch;
  return std::string(read_view(offset, length, scratch));
}

std::string_view BorrowedByteSource::read_view(std::uint64_t offset, std::size_t length, std::string&) {
  if (offset > bytes_.size() || length > bytes_.size() - offset)
    throw ArchiveError("read past the end of an in-memory archive");
  return bytes_.substr(static_cast<std::size_t>(offset), length);
}

FileByteSource::FileByteSource(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw ArchiveError("cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw ArchiveError("cannot read " + path.string() + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::pair<std::string, std::uint64_t> FileByteSource::tail(std::size_t n) {
  std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, size_));
  return {read(size_ - take, take), size_};
}

std::string FileByteSource::read(std::uint64_t offset, std::size_t length) {
  std::string out;
  read_view(offset, length, out);
  out.resize(length);
  return out;
}

std::string_view FileByteSource::read_view(std::uint64_t offset, std::size_t length, std::string& scratch) {
  if (scratch.size() < length) scratch.resize(length);
  std::size_t done = 0;
  while (done < length) {
    ssize_t got = ::pread(fd_, scratch.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw ArchiveError("cannot read " + path_.string() + ": " + std::strerror(errno));
    if (got == 0) throw ArchiveError("cannot read " + path_.string() + ": file is truncated");
    done += static_cast<std::size_t>(got);
  }
  return std::string_view(scratch).substr(0, length);
}

}  // namespace thoth
