// Reading input files and writing output files for commands: `-` means stdin/stdout, errors name the
// file, and output files are replaced atomically so a reader never sees half a file (devices and FIFOs
// are written in place).
#pragma once

#include <iosfwd>
#include <string>

namespace thoth::cli {

// The whole content of `path` (or of `in` when path is "-"). `what` says what the file is for in the
// error message, e.g. "target file". Throws CliError (exit code 2) naming the file.
std::string read_input(const std::string& path, std::istream& in, const std::string& what);

// How write_output() writes a path.
enum class OutputKind {
  stream,    // "" or "-" (and /dev/stdout): the `out` stream
  in_place,  // an existing device, FIFO or socket, or a name in /proc (/dev/fd/N, /dev/stderr): opened
             // and written as it is (renaming over a device node would replace it with a plain file)
  replace,   // a regular file or a new one: written beside its final target and renamed over it
};
OutputKind output_kind(const std::string& path);

// Writes `content` to `path` as output_kind() says. A regular file is written to a temporary name in
// the directory of the file that `path` finally names (through any symlinks, which are kept) and
// renamed over it, so it is either the old file or the complete new one; an existing file's
// permission bits (and, where allowed, owner) carry over. Throws CliError naming the file.
void write_output(const std::string& path, const std::string& content, std::ostream& out);

}  // namespace thoth::cli
