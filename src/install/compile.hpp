// Optional byte-compilation of installed .py files: one run of the target interpreter's compileall,
// as pip does after placing a wheel (pip compiles with compileall.compile_file(path, force=True)).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "thoth/install.hpp"

namespace thoth::install_detail {

// Where the interpreter writes the bytecode of `source` (importlib.util.cache_from_source without
// optimization): <dir>/__pycache__/<stem>.<cache_tag>.pyc.
std::string pyc_path(const std::string& source, const std::string& cache_tag);

// Compiles `sources` with `env`'s interpreter (the list goes through a file in `scratch_dir`).
// Files that fail to compile (syntax errors) are skipped, as pip skips them. Throws InstallError
// when the interpreter itself fails.
void compile_sources(const InstallEnvironment& env, const std::vector<std::string>& sources,
                     const std::filesystem::path& scratch_dir);

}  // namespace thoth::install_detail
