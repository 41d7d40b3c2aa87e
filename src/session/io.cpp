#include "thoth/session.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <istream>
#include <iterator>
#include <ostream>
#include <optional>
#include <random>

#include "session/interrupt_cleanup.hpp"
#include "thoth/net.hpp"  // read_to_end

namespace thoth {

namespace {

[[noreturn]] void fail(const std::string& action, const std::string& path, int err) {
  throw SessionError(action + " '" + path + "': " + std::strerror(err));
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

// A name in a directory of /proc, however reached: /proc/self/fd/N, and /dev/fd/N, /dev/stderr, which
// lead there. Such a link names an open description (a pipe, a terminal, a file opened for appending),
// not a place to put a new file.
bool in_proc(const std::filesystem::path& p) {
  std::error_code ec;
  std::string dir = std::filesystem::weakly_canonical(std::filesystem::absolute(p).parent_path(), ec).string();
  return !ec && (dir == "/proc" || dir.rfind("/proc/", 0) == 0);
}

constexpr int kMaxLinks = 40;  // Linux's MAXSYMLINKS

// The file a chain of symbolic links at `path` ends at (the last component only: directories on the
// way are resolved by the kernel on rename). `through_proc` is set when a hop lies in /proc. Returns
// an errno value, or 0.
int final_target(const std::string& path, std::filesystem::path& target, bool& through_proc) {
  namespace fs = std::filesystem;
  target = path;
  through_proc = in_proc(target);
  for (int hops = 0; hops <= kMaxLinks; ++hops) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return 0;  // a missing file is made
    std::error_code ec;
    fs::path link = fs::read_symlink(target, ec);
    if (ec) return ec.value();
    target = link.is_absolute() ? link : target.parent_path() / link;
    through_proc = through_proc || in_proc(target);
  }
  return ELOOP;
}

[[noreturn]] void fail_write(const std::string& path, int err) { fail("cannot write", path, err); }

// Opens and writes an existing non-regular file as it is: no temporary file, no rename, no truncation
// (a device or FIFO has nothing to truncate; a regular file reached through /proc is truncated).
void write_in_place(const std::string& path, const std::string& content) {
  struct stat st {};
  int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY;
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) flags |= O_TRUNC;
  Fd fd(::open(path.c_str(), flags));
  if (fd.get() < 0) fail_write(path, errno);
  if (int err = write_all(fd.get(), content); err != 0) fail_write(path, err);
}

// Writes a temporary file beside `target` and renames it over `target`. `existing` is the target's
// stat when it exists: its permission bits, and its owner where the process may set it, carry over
// (what writing the file in place would have kept).
void replace_file(const std::string& path, const std::filesystem::path& target, const struct stat* existing,
                  const std::string& content) {
  std::filesystem::path dir = target.parent_path();
  std::string base = target.filename().string();
  if (base.empty()) fail_write(path, EISDIR);

  session_detail::remove_stale_temporaries(dir.string(), base);
  // A fresh name beside the target: rename() is atomic only within one file system. O_EXCL with a
  // random suffix avoids clobbering another writer's temporary file; mode 0666 lets the umask decide.
  // From its creation to its rename a signal removes it (interrupt_cleanup.hpp).
  std::optional<session_detail::RemovedOnSignal> on_signal;
  std::random_device rd;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = (dir / ("." + base + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd()))).string();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) fail_write(path, errno);
  }
  if (fd < 0) fail_write(path, EEXIST);
  on_signal.emplace(tmp);

  // Nothing below throws before the descriptor is closed.
  int err = 0;
  if (existing != nullptr) {
    if ((existing->st_uid != ::geteuid() || existing->st_gid != ::getegid()) &&
        ::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
      // Not permitted (another user's file): the new file is ours, as after `cp --no-preserve`.
    }
    if (::fchmod(fd, existing->st_mode & 07777) != 0) err = errno;
  }
  // No fsync: rename() already gives readers the old file or the new one, never a mix, which is the
  // promise (pip-compile, uv and pipenv do not flush their locks either). Flushing cost a warm lock
  // 1-7 ms of waiting for the disk (up to a fifth of its time; benches/README.md).
  if (err == 0) err = write_all(fd, content);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), target.c_str()) != 0) err = errno;
  on_signal.reset();
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail_write(path, err);
  }
}

}  // namespace

std::string read_input(const std::string& path, std::istream& in, const std::string& what) {
  auto too_large = [&](const std::string& name) {
    return SessionError(what + " " + name + " is larger than " + input_limit_text(kMaxInputBytes) +
                        " (the most thoth reads from one input file)");
  };
  if (path == "-") {
    std::string content;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      content.append(buf, static_cast<std::size_t>(in.gcount()));
      if (content.size() > kMaxInputBytes) throw too_large("on standard input");
    }
    if (in.bad()) throw SessionError("cannot read " + what + " from standard input");
    return content;
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail("cannot read " + what, path, errno);
  std::string content;
  if (int err = read_to_end(fd.get(), content, kMaxInputBytes)) {
    if (err == EFBIG) throw too_large("'" + path + "'");
    fail("cannot read " + what, path, err);  // e.g. EISDIR
  }
  return content;
}

OutputKind output_kind(const std::string& path) {
  if (path.empty() || path == "-" || path == "/dev/stdout") return OutputKind::stream;
  std::filesystem::path target;
  bool through_proc = false;
  if (final_target(path, target, through_proc) != 0) return OutputKind::replace;  // fails there, named
  if (through_proc) return OutputKind::in_place;
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) return OutputKind::in_place;
  return OutputKind::replace;
}

void write_output(const std::string& path, const std::string& content, std::ostream& out) {
  switch (output_kind(path)) {
    case OutputKind::stream:
      // /dev/stdout too: reopening it would truncate a file that stdout appends to (`>> log`).
      out << content;
      out.flush();
      if (!out) throw SessionError("cannot write to standard output");
      return;
    case OutputKind::in_place:
      write_in_place(path, content);
      return;
    case OutputKind::replace:
      break;
  }
  std::filesystem::path target;
  bool through_proc = false;
  if (int err = final_target(path, target, through_proc); err != 0) fail_write(path, err);
  struct stat st {};
  bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) fail_write(path, EISDIR);
  replace_file(path, target, exists ? &st : nullptr, content);
}

}  // namespace thoth
