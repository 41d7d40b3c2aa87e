// Turning a link (file name + URL) into a DistFile of a project, as pip's LinkEvaluator decides which
// links of a page belong to the project asked for.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "thoth/index.hpp"

namespace thoth::idx {

bool has_sdist_extension(std::string_view filename);
// The source archive extension `filename` ends with (".tar.gz", ".zip", ...), "" when none.
std::string_view sdist_extension(std::string_view filename);

// sdists keep PKG-INFO at the root of their single top-level directory ("name-1.0/PKG-INFO").
bool is_root_pkg_info(std::string_view member);

// A DistFile with filename, url, kind and (for wheels) the parsed name set; nullopt when the file is
// neither a wheel nor an sdist, or (with a non-empty `project`) not one of that project.
std::optional<DistFile> make_dist_file(std::string filename, std::string url, std::string_view project);

}  // namespace thoth::idx
