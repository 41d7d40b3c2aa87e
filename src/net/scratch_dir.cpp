#include "net/scratch_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>  // mkdtemp
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "thoth/net.hpp"

namespace thoth::net {

namespace {

constexpr std::string_view kPrefix = "thoth-scratch-";
constexpr std::int64_t kMaxAge = 24 * 60 * 60;

struct ScratchName {
  std::string_view host;
  pid_t pid = 0;
};

// "thoth-scratch-HOST-PID-XXXXXX": read from the right, as a host name may contain '-'.
std::optional<ScratchName> parse_name(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  const auto random = name.rfind('-');
  if (random == std::string_view::npos) return std::nullopt;
  name = name.substr(0, random);
  const auto dash = name.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const std::string_view digits = name.substr(dash + 1);
  ScratchName parsed;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed.pid);
  if (ec != std::errc() || end != digits.data() + digits.size() || parsed.pid <= 0) return std::nullopt;
  parsed.host = name.substr(0, dash);
  return parsed;
}

// kill(pid, 0) fails with EPERM for another user's live process: only ESRCH means gone.
bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// An open descriptor holding the directory's lock, or -1 when another holds it (or it is no
// directory).
int lock_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::string scratch_host() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host = name;
  std::replace(host.begin(), host.end(), '/', '_');
  return host;
}

ScratchDir::ScratchDir(const std::filesystem::path& root, const std::string& fix) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  std::string pattern =
      (root / (std::string(kPrefix) + scratch_host() + "-" + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw NetError("cannot create a temporary directory in " + root.string() + ": " + std::strerror(errno) + " (" +
                       fix + ")",
                   NetError::Kind::local_file);
  }
  path_ = pattern;
  // Without the lock (a file system without flock), the name alone keeps the directory from other
  // clients of this host while the process lives, and from other hosts' for a day.
  lock_fd_ = lock_directory(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::size_t remove_stale_scratch(const std::filesystem::path& root, std::int64_t now) {
  // Listed first, removed after: a directory is not changed while it is being read.
  std::vector<std::filesystem::path> candidates;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (parse_name(it->path().filename().native())) candidates.push_back(it->path());
  }
  const std::string host = scratch_host();
  std::size_t removed = 0;
  for (const auto& dir : candidates) {
    const int fd = lock_directory(dir);
    if (fd < 0) continue;  // its client is alive
    const std::string name = dir.filename().string();
    const ScratchName parsed = *parse_name(name);
    struct stat st {};
    const bool old = ::fstat(fd, &st) == 0 && now - static_cast<std::int64_t>(st.st_mtime) > kMaxAge;
    if (old || (parsed.host == host && process_gone(parsed.pid))) {
      // Removed while locked, so that another client sweeping at the same time leaves it alone.
      std::error_code rm;
      std::filesystem::remove_all(dir, rm);
      if (!rm) ++removed;
    }
    ::close(fd);
  }
  return removed;
}

}  // namespace thoth::net
