#include "archive/libarchive_api.hpp"

#include <string>

#include "thoth/archive.hpp"
#include "thoth/dynamic_library.hpp"

namespace thoth::archive_detail {
namespace {

// libarchive's ABI 13, as Debian's libarchive13 installs it.
constexpr const char* kLibrary = "libarchive.so.13";

LibarchiveApi load() {
  void* lib = dl::open_or_throw<ArchiveError>(kLibrary, "libarchive13 (Debian) or libarchive (RPM)");
  LibarchiveApi api{};
  std::string missing;
  dl::bind(lib, api.read_new, "archive_read_new", missing);
  dl::bind(lib, api.read_free, "archive_read_free", missing);
  dl::bind(lib, api.read_support_filter_all, "archive_read_support_filter_all", missing);
  dl::bind(lib, api.read_support_format_zip, "archive_read_support_format_zip", missing);
  dl::bind(lib, api.read_support_format_tar, "archive_read_support_format_tar", missing);
  dl::bind(lib, api.read_support_format_gnutar, "archive_read_support_format_gnutar", missing);
  dl::bind(lib, api.read_open_filename, "archive_read_open_filename", missing);
  dl::bind(lib, api.read_next_header, "archive_read_next_header", missing);
  dl::bind(lib, api.read_data, "archive_read_data", missing);
  dl::bind(lib, api.error_string, "archive_error_string", missing);
  dl::bind(lib, api.filter_bytes, "archive_filter_bytes", missing);
  dl::bind(lib, api.entry_pathname, "archive_entry_pathname", missing);
  dl::bind(lib, api.entry_symlink, "archive_entry_symlink", missing);
  dl::bind(lib, api.entry_hardlink, "archive_entry_hardlink", missing);
  dl::bind(lib, api.entry_filetype, "archive_entry_filetype", missing);
  dl::bind(lib, api.entry_perm, "archive_entry_perm", missing);
  if (!missing.empty()) throw ArchiveError(std::string(kLibrary) + " lacks " + missing + ": thoth needs libarchive 3.3 or newer");
  return api;
}

}  // namespace

const LibarchiveApi& libarchive_api() {
  // A function-local static: loaded once, thread-safely; a throw leaves it to be tried again.
  static const LibarchiveApi api = load();
  return api;
}

}  // namespace thoth::archive_detail
