// Reading input files and writing output files for commands: `-` means stdin/stdout, errors name the
// file, and output files are replaced atomically so a reader never sees half a file.
#pragma once

#include <iosfwd>
#include <string>

namespace thoth::cli {

// The whole content of `path` (or of `in` when path is "-"). `what` says what the file is for in the
// error message, e.g. "target file". Throws CliError (exit code 2) naming the file.
std::string read_input(const std::string& path, std::istream& in, const std::string& what);

// Writes `content` to `path`, or to `out` when path is empty or "-". A file is written to a temporary
// name in the same directory and renamed over `path`, so it is either the old file or the complete new
// one. Throws CliError naming the file.
void write_output(const std::string& path, const std::string& content, std::ostream& out);

}  // namespace thoth::cli
