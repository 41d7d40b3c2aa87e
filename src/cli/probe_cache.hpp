// Running an interpreter to learn its facts costs tens of milliseconds (more through a pyenv shim),
// more than a whole warm resolution: the answer is kept in the cache directory, as uv keeps its
// interpreter info, and reused while the interpreter file is unchanged.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "thoth/target.hpp"

namespace thoth::cli {

// Target::probe(python), through the cache under `cache_dir` (none when empty). A cached answer is
// used only for the same path, the same executable file (device, inode, size, modification and
// change times of the file the path resolves to), the same kernel (uname: platform_release and
// platform_version are markers) and the same probe script. Interpreters that are scripts (a pyenv
// shim picks its Python from the environment) are never cached. Failing to store an answer is not an
// error. Throws TagError as Target::probe does.
//
// `meanwhile`, when given, runs on a second thread while the interpreter runs (not for a cached
// answer, where there is no wait to fill): a caller starts work that does not need the target, such
// as fetching index pages. It must not throw, and it has finished when this returns.
Target probe_interpreter(const std::string& python, const std::filesystem::path& cache_dir,
                         const std::function<void()>& meanwhile = {});

}  // namespace thoth::cli
