// libarchive, loaded the first time an archive other than a wheel is read (sdists): it and what it
// links (ICU, libxml2, the compressors) cost milliseconds at every start otherwise. Its headers are
// libarchive's own; every call of the archive module goes through libarchive_api().
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace thoth::archive_detail {

struct LibarchiveApi {
  struct archive* (*read_new)();
  int (*read_free)(struct archive*);
  int (*read_support_filter_all)(struct archive*);
  int (*read_support_format_zip)(struct archive*);
  int (*read_support_format_tar)(struct archive*);
  int (*read_support_format_gnutar)(struct archive*);
  int (*read_open_filename)(struct archive*, const char* filename, size_t block_size);
  int (*read_next_header)(struct archive*, struct archive_entry**);
  la_ssize_t (*read_data)(struct archive*, void* buffer, size_t size);
  const char* (*error_string)(struct archive*);
  la_int64_t (*filter_bytes)(struct archive*, int filter);
  const char* (*entry_pathname)(struct archive_entry*);
  const char* (*entry_symlink)(struct archive_entry*);
  const char* (*entry_hardlink)(struct archive_entry*);
  __LA_MODE_T (*entry_filetype)(struct archive_entry*);
  __LA_MODE_T (*entry_perm)(struct archive_entry*);
};

// Loaded once per process, thread-safely. Throws ArchiveError when libarchive cannot be loaded.
const LibarchiveApi& libarchive_api();

}  // namespace thoth::archive_detail
