// Where each file of an unpacked wheel goes, and the files the install generates (binary
// distribution format, "Installing a wheel": "Spread" and the .dist-info additions of "Recording
// installed projects").
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "install/unpack.hpp"
#include "thoth/install.hpp"

namespace thoth::install_detail {

// Paths are kept as plain strings: a large install handles tens of thousands of them, and
// std::filesystem::path splits itself into components on every construction and comparison.
struct PlacedFile {
  std::string destination;  // absolute
  std::string source;       // in the unpacked tree; empty for a generated file
  std::string content;                // a generated file's bytes
  bool executable = false;
  std::string hash;                   // RECORD hash of what lands at destination
  std::uint64_t size = 0;
  bool generated() const { return source.empty(); }
};

struct WheelLayout {
  std::string name, display_name, version;  // name normalised
  std::filesystem::path lib_dir;            // purelib or platlib (Root-Is-Purelib)
  std::filesystem::path dist_info;          // absolute, in lib_dir
  std::vector<PlacedFile> files;            // every file but RECORD; one per destination
  std::vector<std::string> warnings;
  UnpackedWheel unpacked;
};

// Reads the unpacked wheel's WHEEL, METADATA and entry_points.txt and lays out its files in `env`.
// Throws InstallError naming the wheel (an unsupported Wheel-Version, a name that does not match the
// file name, an unknown .data scheme key).
WheelLayout lay_out_wheel(UnpackedWheel unpacked, const WheelToInstall& wheel, const InstallEnvironment& env,
                          const InstallOptions& options);

// RECORD's path for `destination`: relative to lib_dir, '/'-separated ("../../../bin/x" for a script).
std::string record_path(const std::string& destination, const std::filesystem::path& lib_dir);

// dir + '/' + relative, as a string.
std::string join(const std::filesystem::path& dir, std::string_view relative);

// The RECORD text of an installed wheel: its files, the .pyc files compiled for it, RECORD itself
// without a hash.
std::string installed_record(const WheelLayout& layout, const std::vector<std::string>& compiled);

}  // namespace thoth::install_detail
