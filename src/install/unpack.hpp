// Verified, unpacked wheels: the content-addressed cache described in thoth/install.hpp, or a
// scratch directory when there is no cache.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "thoth/install.hpp"

namespace thoth::install_detail {

struct ManifestEntry {
  std::string path;  // the member's path in the wheel
  std::string hash;  // the RECORD hash it was checked against ("sha256=...")
  std::uint64_t size = 0;
  bool executable = false;
};

struct UnpackedWheel {
  std::string sha256;           // of the wheel file
  std::filesystem::path files;  // the directory holding the members
  std::vector<ManifestEntry> manifest;  // in the wheel's member order
  bool from_cache = false;      // found already unpacked
  bool scratch = false;         // a private copy: its files may be renamed into place
};

// The cache entry directory of a wheel: <cache_dir>/wheels-v1/<sha256[0:2]>/<sha256>.
std::filesystem::path cache_entry(const std::filesystem::path& cache_dir, std::string_view sha256);
// The entry's manifest, when the entry exists and is whole.
std::optional<UnpackedWheel> load_cached(const std::filesystem::path& cache_dir, std::string_view sha256);

// Checks the wheel file against its expected sha256, and every member against the wheel's RECORD
// (binary distribution format, "The .dist-info directory": every file but RECORD and its signatures
// is listed with a sha256-or-better hash), and unpacks it: into the cache when `cache_dir` is set
// (renamed into place whole), else into `scratch_dir` (which must not exist). Throws InstallError.
UnpackedWheel unpack_wheel(const WheelToInstall& wheel, const std::filesystem::path& cache_dir,
                           const std::filesystem::path& scratch_dir);

}  // namespace thoth::install_detail
