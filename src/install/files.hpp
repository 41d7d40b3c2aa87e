// File operations of the installer that report failures as InstallError naming the file and the fix.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

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
  NewFile(std::filesystem::path path, bool executable);
  ~NewFile();
  NewFile(const NewFile&) = delete;
  NewFile& operator=(const NewFile&) = delete;
  void write(std::string_view bytes);
  void finish();  // closes it

 private:
  void fail(int err);
  std::filesystem::path path_;
  int fd_ = -1;
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
