// Getting a file from the unpacked tree into the environment: hard link, reflink (FICLONE) or copy,
// the mode chosen once per (source, destination) file-system pair by trying it on a test file.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "install/files.hpp"
#include "thoth/install.hpp"

namespace thoth::install_detail {

enum class Placement { Hardlink, Reflink, Copy, Rename };

class Linker {
 public:
  explicit Linker(LinkMode requested) : requested_(requested) {}

  // Creates `destination` (absent; its directory exists) with the content of `source`. `movable`:
  // the source is a private scratch copy and may be renamed. `dirs`: the calling thread's descriptors
  // of the directories involved, to link without walking both whole paths. Throws InstallError.
  // Thread-safe.
  Placement place(const std::string& source, const std::string& destination, bool executable, bool movable,
                  DirectoryFds& dirs);

  // The mode for files from `source_dir` into `destination_dir` (probed on first use).
  Placement mode_for(const std::string& source_dir, const std::string& destination_dir);

 private:
  Placement probe(const std::string& source_dir, const std::string& destination_dir);

  LinkMode requested_;
  std::mutex mutex_;
  std::unordered_map<std::string, dev_t> device_of_dir_;
  std::map<std::pair<dev_t, dev_t>, Placement> chosen_;
};

// Copies `source` to the new file `destination` (copy_file_range, then read/write). Throws.
void copy_file(const std::string& source, const std::string& destination, bool executable);

}  // namespace thoth::install_detail
