// A static simple repository made from a directory of wheels and sdists (`thoth mirror`): pages any
// web server can serve as files, or a client can read through file://.
//
//   OUT/simple/index.html, index.json               the root page (PEP 503 / PEP 691)
//   OUT/simple/<normalised name>/index.html, .json  one page per project
//   <files directory>/<file>.metadata               PEP 658 core metadata of each wheel
//   OUT/simple/.thoth-mirror.json                   what the last run saw (size, mtime, hashes)
//
// The files directory is DIR when DIR is OUT or lies inside it (files are linked by relative URLs, so
// the tree can move); otherwise OUT/files, where each file is hard-linked (copied when the link is
// impossible). A static server answers a directory URL with its index.html; index.json is there for
// clients that read file:// trees (thoth prefers it) and for servers set up to negotiate PEP 691.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "thoth/index.hpp"

namespace thoth {

struct MirrorOptions {
  std::filesystem::path dir;  // the distribution files (not searched recursively)
  std::filesystem::path out;  // where simple/ goes; empty: dir
  // Files are linked as base_url + "/" + name (an http(s):// or file:// URL where the files directory
  // is served) instead of by relative URLs; "" for relative ones.
  std::string base_url;
};

struct MirrorResult {
  std::filesystem::path simple_dir;    // OUT/simple
  std::string index_url;               // its file:// URL, for --index-url
  std::filesystem::path files_dir;     // where the files and their .metadata are
  std::size_t projects = 0;
  std::size_t files = 0;
  std::size_t read = 0;                // files hashed and opened this run (new or changed ones)
  std::size_t copied = 0;              // files copied into OUT/files because no hard link could be made
  std::vector<std::string> written;    // projects whose pages were (re)written, sorted
  std::vector<std::string> removed;    // projects that left the mirror (pages removed), sorted
  bool root_written = false;
  std::vector<std::string> warnings;   // files left out and why, one line each
};

// Builds or updates the tree. A run after files were added, changed or removed rewrites only the
// pages whose content changes; a file whose size and modification time are those of the last run is
// not read again. Every page, sidecar and state file is written to a temporary name and renamed.
// Files that are not distributions, whose names cannot be parsed, whose archive or metadata is
// unreadable, or whose metadata names another project or version are left out with a warning.
// Throws IndexError when DIR is not a directory, the base URL is not a URL, or a page cannot be
// written.
MirrorResult write_mirror(const MirrorOptions& options);

}  // namespace thoth
