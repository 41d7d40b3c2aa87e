// Local archives (sdists: tar.gz, zip, ...) through libarchive: reading members, and extraction that
// checks every member before it writes it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "archive/libarchive_api.hpp"
#include "thoth/archive.hpp"

namespace thoth {
namespace {

using archive_detail::libarchive_api;

namespace fs = std::filesystem;

struct ArchiveCloser {
  void operator()(archive* a) const { libarchive_api().read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

ArchivePtr open_archive(const fs::path& path) {
  ArchivePtr a(libarchive_api().read_new());
  libarchive_api().read_support_filter_all(a.get());
  libarchive_api().read_support_format_zip(a.get());
  libarchive_api().read_support_format_tar(a.get());
  libarchive_api().read_support_format_gnutar(a.get());
  if (libarchive_api().read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK)
    throw ArchiveError(path.string() + ": cannot open archive: " + libarchive_api().error_string(a.get()));
  return a;
}

// Members of sdists are often prefixed "./"; normalise so checks and matching see plain relative paths.
std::string_view member_path(archive_entry* entry) {
  const char* raw = libarchive_api().entry_pathname(entry);
  std::string_view p = raw ? raw : "";
  while (p.substr(0, 2) == "./") p.remove_prefix(2);
  return p;
}

// The compression-ratio guard over the stream: the bytes decompressed so far (the tar stream behind
// a gzip/bzip2/xz filter, skipped members included, or the member data produced, whichever is more)
// against the archive bytes read. Read-ahead only adds to the latter, so this is a lower bound of the
// true ratio: an honest archive does not trip it, a bomb does before it costs much time or memory.
void check_ratio(archive* a, const fs::path& path, const ArchiveLimits& limits, std::uint64_t produced) {
  const la_int64_t raw = libarchive_api().filter_bytes(a, -1);
  const la_int64_t stream = libarchive_api().filter_bytes(a, 0);
  const std::uint64_t out = std::max<std::uint64_t>(produced, stream > 0 ? static_cast<std::uint64_t>(stream) : 0);
  if (out > limits.ratio_floor && raw > 0 && out / static_cast<std::uint64_t>(raw) > limits.max_ratio)
    throw ArchiveError(path.string() + ": looks like an archive bomb (compression ratio too high)");
}

// Reads the current member's data, enforcing the per-member cap on what is actually produced (the
// declared size of a tar header can lie).
std::string read_data(archive* a, const fs::path& path, std::string_view member, const ArchiveLimits& limits,
                      std::uint64_t& total) {
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    la_ssize_t n = libarchive_api().read_data(a, buf, sizeof buf);
    if (n < 0) throw ArchiveError(path.string() + ": corrupt archive member " + std::string(member) + ": " + libarchive_api().error_string(a));
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    total += static_cast<std::uint64_t>(n);
    if (out.size() > limits.max_member_bytes)
      throw ArchiveError(path.string() + ": member " + std::string(member) + " is larger than the limit (" +
                         std::to_string(limits.max_member_bytes) + " bytes)");
    if (total > limits.max_total_bytes) throw ArchiveError(path.string() + ": archive expands past the size limit");
    check_ratio(a, path, limits, total);
  }
  return out;
}

// True if `target`, a symlink's text placed at `link_member`, stays inside the extraction root.
bool symlink_stays_inside(std::string_view link_member, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  int depth = 0;
  std::string_view dir = link_member;
  // Start from the link's directory.
  std::size_t pos = 0;
  while ((pos = dir.find('/')) != std::string_view::npos) {
    ++depth;
    dir.remove_prefix(pos + 1);
  }
  std::size_t start = 0;
  while (start <= target.size()) {
    std::size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    std::string_view part = target.substr(start, end - start);
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    start = end + 1;
  }
  return true;
}

void write_file(const fs::path& file, const std::string& data, mode_t mode, const fs::path& archive_path) {
  // O_NOFOLLOW and O_EXCL: never write through a link planted by an earlier member.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) throw ArchiveError(archive_path.string() + ": cannot create " + file.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw ArchiveError(archive_path.string() + ": cannot write " + file.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace

void for_each_archive_member(const fs::path& path, const std::function<bool(std::string_view)>& match,
                             const std::function<bool(std::string_view, std::string)>& visit,
                             const ArchiveLimits& limits) {
  ArchivePtr a = open_archive(path);
  archive_entry* entry = nullptr;
  std::uint64_t count = 0, total = 0;
  for (;;) {
    int rc = libarchive_api().read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) return;
    if (rc < ARCHIVE_WARN) throw ArchiveError(path.string() + ": corrupt archive: " + libarchive_api().error_string(a.get()));
    if (++count > limits.max_entries) throw ArchiveError(path.string() + ": too many members");
    check_ratio(a.get(), path, limits, total);  // skipping a member decompresses it too
    std::string_view member = member_path(entry);
    if (libarchive_api().entry_filetype(entry) == AE_IFREG && match(member) &&
        !visit(member, read_data(a.get(), path, member, limits, total)))
      return;
  }
}

std::optional<std::string> read_archive_member(const fs::path& path,
                                               const std::function<bool(std::string_view)>& match,
                                               const ArchiveLimits& limits) {
  std::optional<std::string> found;
  for_each_archive_member(path, match, [&](std::string_view, std::string data) {
    found = std::move(data);
    return false;
  }, limits);
  return found;
}

void extract_archive(const fs::path& path, const fs::path& destination, const ArchiveLimits& limits) {
  ArchivePtr a = open_archive(path);
  std::error_code ec;
  fs::create_directories(destination, ec);
  if (ec) throw ArchiveError("cannot create " + destination.string() + ": " + ec.message());

  archive_entry* entry = nullptr;
  std::uint64_t count = 0, total = 0;
  for (;;) {
    int rc = libarchive_api().read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) throw ArchiveError(path.string() + ": corrupt archive: " + libarchive_api().error_string(a.get()));
    if (++count > limits.max_entries) throw ArchiveError(path.string() + ": too many members");
    check_ratio(a.get(), path, limits, total);
    std::string member(member_path(entry));
    if (member.empty()) continue;  // the archive's own "./" root
    if (!is_safe_member_path(member))
      throw ArchiveError(path.string() + ": refusing member " + member + " (absolute or escaping path)");
    fs::path out = destination / member;
    // Every parent must be a real directory created by us: a symlinked parent would redirect the write.
    for (fs::path parent = out.parent_path(); parent != destination && !parent.empty(); parent = parent.parent_path()) {
      if (fs::is_symlink(parent)) throw ArchiveError(path.string() + ": refusing member " + member + " (path goes through a link)");
    }
    fs::create_directories(out.parent_path(), ec);
    if (ec) throw ArchiveError("cannot create " + out.parent_path().string() + ": " + ec.message());

    if (libarchive_api().entry_hardlink(entry))
      throw ArchiveError(path.string() + ": refusing member " + member + " (hard link)");
    mode_t mode = libarchive_api().entry_perm(entry) & 0755;
    switch (libarchive_api().entry_filetype(entry)) {
      case AE_IFDIR:
        fs::create_directories(out, ec);
        if (ec || fs::is_symlink(out)) throw ArchiveError(path.string() + ": cannot create directory " + member);
        break;
      case AE_IFREG:
        write_file(out, read_data(a.get(), path, member, limits, total), mode | 0600, path);
        break;
      case AE_IFLNK: {
        const char* target = libarchive_api().entry_symlink(entry);
        if (!target || !symlink_stays_inside(member, target))
          throw ArchiveError(path.string() + ": refusing member " + member + " (symbolic link pointing outside)");
        if (::symlink(target, out.c_str()) != 0)
          throw ArchiveError(path.string() + ": cannot create link " + member + ": " + std::strerror(errno));
        break;
      }
      default:
        throw ArchiveError(path.string() + ": refusing member " + member + " (device, FIFO or socket)");
    }
  }
}

}  // namespace thoth
