#include "install/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

#include "thoth/install.hpp"

namespace thoth::install_detail {

void throw_io(std::string_view what, const std::string& path, int err) {
  std::string fix;
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
      fix = "; check that you may write there (use a virtual environment or --target DIR you own)";
      break;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      fix = "; free some disk space and run again";
      break;
    default:
      break;
  }
  throw InstallError("cannot " + std::string(what) + " " + path + ": " + std::strerror(err) + fix);
}

NewFile::NewFile(const std::filesystem::path& path, bool executable) : NewFile(AT_FDCWD, path.native(), {}, executable) {}

NewFile::NewFile(int dir_fd, std::string name, std::string shown, bool executable)
    : dir_fd_(dir_fd), name_(std::move(name)), shown_(std::move(shown)) {
  if (shown_.empty()) shown_ = name_;
  fd_ = ::openat(dir_fd_, name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666);
  if (fd_ < 0) throw_io("create", shown_, errno);
}

NewFile::~NewFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlinkat(dir_fd_, name_.c_str(), 0);
}

void NewFile::fail(int err) {
  ::close(fd_);
  fd_ = -1;
  ::unlinkat(dir_fd_, name_.c_str(), 0);
  throw_io("write", shown_, err);
}

void NewFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(errno);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void NewFile::finish() {
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    int err = errno;
    ::unlinkat(dir_fd_, name_.c_str(), 0);
    throw_io("write", shown_, err);
  }
}

DirectoryFds::~DirectoryFds() {
  for (const auto& [dir, fd] : open_) ::close(fd);
}

int DirectoryFds::open(const std::string& dir) {
  if (auto it = open_.find(dir); it != open_.end()) return it->second;
  // Bounded for trees of thousands of directories.
  constexpr std::size_t kMaxOpen = 64;
  if (open_.size() == kMaxOpen) {
    for (const auto& [open_dir, fd] : open_) ::close(fd);
    open_.clear();
  }
  int fd = ::openat(base_fd_, dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) open_.emplace(dir, fd);
  return fd;
}

std::pair<int, const char*> DirectoryFds::split(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return {AT_FDCWD, path.c_str()};
  int fd = open(path.substr(0, slash));
  if (fd < 0) return {AT_FDCWD, path.c_str()};
  return {fd, path.c_str() + slash + 1};
}

TreeWriter::TreeWriter(const std::filesystem::path& root) : root_(root.native()) {
  make_directories(root);
  root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) throw_io("open directory", root_, errno);
  dirs_ = std::make_unique<DirectoryFds>(root_fd_);
}

TreeWriter::~TreeWriter() {
  dirs_.reset();
  ::close(root_fd_);
}

int TreeWriter::directory(const std::string& dir) {
  if (dir.empty()) return root_fd_;
  if (!made_.count(dir)) {
    // Parents before children: mkdir each prefix not made yet.
    for (std::size_t end = 0; end != std::string::npos;) {
      end = dir.find('/', end + 1);
      std::string prefix = dir.substr(0, end);
      if (made_.count(prefix)) continue;
      if (::mkdirat(root_fd_, prefix.c_str(), 0777) != 0 && errno != EEXIST)
        throw_io("create directory", root_ + "/" + prefix, errno);
      made_.insert(std::move(prefix));
    }
  }
  int fd = dirs_->open(dir);
  if (fd < 0) throw_io("open directory", root_ + "/" + dir, errno);
  return fd;
}

NewFile TreeWriter::create(std::string_view relative, bool executable) {
  std::size_t slash = relative.rfind('/');
  int fd = directory(slash == std::string_view::npos ? std::string() : std::string(relative.substr(0, slash)));
  return NewFile(fd, std::string(relative.substr(slash + 1)), root_ + "/" + std::string(relative), executable);
}

void write_new_file(const std::filesystem::path& path, std::string_view bytes, bool executable) {
  NewFile file(path, executable);
  file.write(bytes);
  file.finish();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes, bool executable) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path temp = path;
  temp += ".thoth-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  write_new_file(temp, bytes, executable);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    throw_io("write", path, err);
  }
}

void make_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw_io("create directory", dir, ec.value());
}

void remove_tree(const std::filesystem::path& path) noexcept {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("Umask:")) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

}  // namespace thoth::install_detail
