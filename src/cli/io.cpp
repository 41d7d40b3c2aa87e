#include "cli/io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <istream>
#include <iterator>
#include <ostream>
#include <random>

#include "cli/exit_codes.hpp"

namespace thoth::cli {

namespace {

[[noreturn]] void fail(const std::string& action, const std::string& path, int err) {
  throw CliError(ExitCode::Usage, action + " '" + path + "': " + std::strerror(err));
}

// Closes a descriptor on every path out of a scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Writes all of `data`, retrying short writes and EINTR. Returns 0 or an errno value.
int write_all(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

std::string read_input(const std::string& path, std::istream& in, const std::string& what) {
  if (path == "-") {
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw CliError(ExitCode::Usage, "cannot read " + what + " from standard input");
    return content;
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail("cannot read " + what, path, errno);
  std::string content;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read " + what, path, errno);  // e.g. EISDIR for a directory
    }
    if (n == 0) break;
    content.append(buf, static_cast<std::size_t>(n));
  }
  return content;
}

void write_output(const std::string& path, const std::string& content, std::ostream& out) {
  if (path.empty() || path == "-") {
    out << content;
    out.flush();
    if (!out) throw CliError(ExitCode::Usage, "cannot write to standard output");
    return;
  }
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.parent_path();
  std::string base = target.filename().string();
  if (base.empty()) fail("cannot write", path, EISDIR);

  // A fresh name beside the target: rename() is atomic only within one file system. O_EXCL with a
  // random suffix avoids clobbering another writer's temporary file; mode 0666 lets the umask decide.
  std::random_device rd;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = (dir / ("." + base + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd()))).string();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) fail("cannot write", path, errno);
  }
  if (fd < 0) fail("cannot write", path, EEXIST);

  // Nothing below throws before the descriptor is closed.
  int err = write_all(fd, content);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail("cannot write", path, err);
  }
}

}  // namespace thoth::cli
