// File operations of the installer that report failures as InstallError naming the file and the fix.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace thoth::install_detail {

// "<what> <path>: <strerror>; <fix>" with a fix chosen from errno (permissions, disk space, ...).
[[noreturn]] void throw_io(std::string_view what, const std::string& path, int err);
[[noreturn]] inline void throw_io(std::string_view what, const std::filesystem::path& path, int err) {
  throw_io(what, path.native(), err);
}

// A file being created (it must not exist), mode 0666 or 0777 as umask allows, written piece by piece:
// removed again unless finish() succeeds. Throws naming the file.
class NewFile {
 public:
  NewFile(const std::filesystem::path& path, bool executable);
  // `name` relative to the open directory `dir_fd`, which must stay open while this object lives;
  // `shown` names the file in messages.
  NewFile(int dir_fd, std::string name, std::string shown, bool executable);
  ~NewFile();
  NewFile(const NewFile&) = delete;
  NewFile& operator=(const NewFile&) = delete;
  void write(std::string_view bytes);
  void finish();  // closes it

 private:
  [[noreturn]] void fail(int err);
  int dir_fd_;
  std::string name_, shown_;
  int fd_ = -1;
};

// Descriptors (O_PATH) of directories, opened on first use relative to a base descriptor (AT_FDCWD: by
// absolute path) and kept, a bounded number, for the calls that follow: a file named relative to its
// directory's descriptor costs no walk of its whole path. The directories must not be replaced while
// the object lives.
class DirectoryFds {
 public:
  explicit DirectoryFds(int base_fd = AT_FDCWD) : base_fd_(base_fd) {}
  ~DirectoryFds();
  DirectoryFds(const DirectoryFds&) = delete;
  DirectoryFds& operator=(const DirectoryFds&) = delete;
  // The descriptor of `dir` (relative to the base), or -1 with errno set.
  int open(const std::string& dir);
  // The descriptor of the directory holding `path` and the name within it; AT_FDCWD and `path`
  // itself when the directory cannot be opened (the call made with them then reports the error).
  std::pair<int, const char*> split(const std::string& path);

 private:
  int base_fd_;
  std::unordered_map<std::string, int> open_;
};

// Creates files under a root directory (made if missing) by relative path: each directory made once,
// and each file created relative to its directory's descriptor (DirectoryFds). Throws naming the path.
class TreeWriter {
 public:
  explicit TreeWriter(const std::filesystem::path& root);
  ~TreeWriter();
  TreeWriter(const TreeWriter&) = delete;
  TreeWriter& operator=(const TreeWriter&) = delete;
  // `relative`: '/'-separated, with no empty, '.' or '..' component (is_safe_member_path). The file
  // must be finished or dropped before the next create().
  NewFile create(std::string_view relative, bool executable);

 private:
  int directory(const std::string& relative_dir);
  std::string root_;
  int root_fd_ = -1;
  std::unique_ptr<DirectoryFds> dirs_;
  std::unordered_set<std::string> made_;
};

// Creates `path` (which must not exist) with `bytes`, mode 0666 or 0777 as umask allows. Throws.
void write_new_file(const std::filesystem::path& path, std::string_view bytes, bool executable);
// Writes `bytes` to a temporary beside `path` and renames it over `path`. Throws.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes, bool executable);
// mkdir -p. Throws.
void make_directories(const std::filesystem::path& dir);
// rm -rf that never throws (best effort: used on scratch and backup trees).
void remove_tree(const std::filesystem::path& path) noexcept;
// The process's umask (read without changing it for other threads: from /proc, 022 if unknown).
mode_t current_umask();

}  // namespace thoth::install_detail
