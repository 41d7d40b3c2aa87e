// Direct references of `thoth lock` (`name @ url`, a wheel or sdist path or URL): each becomes a
// candidate of its own, named and versioned by its file name (PEP 427 / PEP 625).
#pragma once

#include <string>
#include <string_view>

#include "thoth/index.hpp"
#include "thoth/inputs.hpp"

namespace thoth::cli {

// "file:///abs/path" for a local path, percent-encoding what a URL path cannot hold raw.
std::string local_file_url(const std::string& path);

// Whether `name` ends in `ext` and is more than that (".whl" alone is no wheel).
bool has_suffix(std::string_view name, std::string_view ext);

// Where a requirement came from, for messages: "FILE:LINE" or "command line".
std::string where(const UserRequirement& r);

// The candidate a direct reference names; fills in the requirement's name (from the file name) and
// its URL. Throws CliError (exit code 2) for a source tree or VCS link (locking one needs a build) and
// for a file of another project than the one named.
Candidate direct_candidate(UserRequirement& r);

}  // namespace thoth::cli
