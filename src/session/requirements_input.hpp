// Reading a command's requirements: files, constraint files and arguments (thoth/session.hpp,
// Session::read_requirements), with requirements files fetched by URL through a client the caller
// supplies only when one is needed.
#pragma once

#include <functional>
#include <string>

#include "thoth/net.hpp"
#include "thoth/session.hpp"

namespace thoth::session_detail {

// Whether a -r / -c argument is a URL pip would fetch (http://, https://, file://).
bool is_requirements_url(const std::string& path_or_url);

// The text of a requirements file at a URL, through `client` (always revalidated: the file changes
// under the same URL; the cache serves only --offline). Throws InputError for a missing file (404/410),
// NetError when the network fails.
std::string fetch_requirements_file(HttpClient& client, const std::string& url);

// Every requirement and constraint of `inputs`, files read through `read`. Throws InputError, and
// SessionError for a project file given as a source file (pyproject.toml, setup.py, setup.cfg).
RequirementSet read_requirement_inputs(const RequirementInputs& inputs,
                                       const std::function<std::string(const std::string&)>& read,
                                       const Environment& env);

}  // namespace thoth::session_detail
