#include "install/link.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "install/files.hpp"

namespace thoth::install_detail {
namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool try_reflink(const std::string& source, const std::string& destination, bool executable) {
  Fd in{::open(source.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) return false;
  Fd out{::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666)};
  if (out.fd < 0) return false;
  if (::ioctl(out.fd, FICLONE, in.fd) == 0) return true;
  ::unlink(destination.c_str());
  return false;
}

constexpr off_t kInKernelCopy = 1 << 20;

std::string unique_name() {
  static std::atomic<unsigned> counter{0};
  return ".thoth-link-probe-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

void copy_file(const std::string& source, const std::string& destination, bool executable) {
  Fd in{::open(source.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) throw_io("read", source, errno);
  struct stat st {};
  if (::fstat(in.fd, &st) != 0) throw_io("read", source, errno);
  Fd out{::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666)};
  if (out.fd < 0) throw_io("create", destination, errno);
  auto fail_write = [&](int err) {
    ::unlink(destination.c_str());
    throw_io("write", destination, err);
  };
  // copy_file_range() saves copying through user space, but on ext4 (Linux 6.x) it costs several
  // times a read and a write for the small files most wheels are made of: kept for large ones.
  if (st.st_size >= kInKernelCopy) {
    for (;;) {
      ssize_t n = ::copy_file_range(in.fd, nullptr, out.fd, nullptr, std::size_t{1} << 30, 0);
      if (n > 0) continue;
      if (n == 0) return;
      if (errno == EINTR) continue;
      if (errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP && errno != EINVAL) fail_write(errno);
      break;  // not offered here: copy through user space from where it stopped
    }
  }
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(in.fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_io("read", source, errno);
    if (got == 0) return;
    for (ssize_t done = 0; done < got;) {
      ssize_t put = ::write(out.fd, buffer + done, static_cast<std::size_t>(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) fail_write(errno);
      done += put;
    }
  }
}

Placement Linker::probe(const std::string& source_dir, const std::string& destination_dir) {
  if (requested_ == LinkMode::Copy) return Placement::Copy;
  std::string test = source_dir + "/" + unique_name();
  std::string target = destination_dir + "/" + unique_name();
  Placement chosen = Placement::Copy;
  if (::close(::open(test.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == 0) {
    if (requested_ != LinkMode::Reflink && ::link(test.c_str(), target.c_str()) == 0) {
      chosen = Placement::Hardlink;
    } else if (requested_ != LinkMode::Hardlink && try_reflink(test, target, false)) {
      chosen = Placement::Reflink;
    }
    ::unlink(target.c_str());
    ::unlink(test.c_str());
  }
  return chosen;
}

Placement Linker::mode_for(const std::string& source_dir, const std::string& destination_dir) {
  std::lock_guard lock(mutex_);
  auto device = [this](const std::string& dir) -> dev_t {
    auto it = device_of_dir_.find(dir);
    if (it != device_of_dir_.end()) return it->second;
    struct stat st {};
    dev_t dev = ::stat(dir.c_str(), &st) == 0 ? st.st_dev : 0;
    device_of_dir_.emplace(dir, dev);
    return dev;
  };
  std::pair<dev_t, dev_t> key{device(source_dir), device(destination_dir)};
  auto it = chosen_.find(key);
  if (it == chosen_.end()) it = chosen_.emplace(key, probe(source_dir, destination_dir)).first;
  return it->second;
}

Placement Linker::place(const std::string& source, const std::string& destination, bool executable, bool movable,
                        DirectoryFds& dirs) {
  if (movable) {
    if (::rename(source.c_str(), destination.c_str()) == 0) return Placement::Rename;
    if (errno != EXDEV) throw_io("create", destination, errno);
  }
  auto parent = [](const std::string& path) { return path.substr(0, path.rfind('/')); };
  Placement mode = mode_for(parent(source), parent(destination));
  if (mode == Placement::Hardlink) {
    auto [from_dir, from] = dirs.split(source);
    auto [to_dir, to] = dirs.split(destination);
    if (::linkat(from_dir, from, to_dir, to, 0) == 0) return mode;
    // EMLINK (the cached inode has as many links as the file system allows) and the like: copy.
    if (errno == EEXIST || errno == EACCES || errno == EPERM || errno == EROFS || errno == ENOSPC || errno == EDQUOT)
      throw_io("create", destination, errno);
  } else if (mode == Placement::Reflink) {
    if (try_reflink(source, destination, executable)) return mode;
    if (errno == EEXIST || errno == EACCES || errno == EROFS || errno == ENOSPC || errno == EDQUOT)
      throw_io("create", destination, errno);
  }
  copy_file(source, destination, executable);
  return Placement::Copy;
}

}  // namespace thoth::install_detail
