// The files a KB or OSV path names.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace thoth::advisor {

// The path itself, or every regular *.json file below a directory, in path order. Throws AdviseError
// for a directory that cannot be listed.
std::vector<std::filesystem::path> json_files(const std::filesystem::path& path);

// The whole file; AdviseError naming it when it cannot be read.
std::string read_whole(const std::filesystem::path& path);

}  // namespace thoth::advisor
