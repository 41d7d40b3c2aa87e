// The Pipfile hash pipenv stores as Pipfile.lock's _meta.hash.sha256 (thoth/pipfile.hpp PipfileHash).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "thoth/pipfile.hpp"

namespace thoth::pipfile_detail {

// `doc`: the Pipfile's top-level tables as JSON (without scripts/pipenv/pipfile); `sources`: its
// [[source]] array, or pipenv's default source; `key_order`: each dotted key's (line, column) in the
// file, so that of two names normalising alike the canonical hash keeps the later, as Python's dict
// comprehension in pipenv does.
std::string hash_projection(const JsonValue& doc, const JsonValue& sources, PipfileHash variant,
                            const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& key_order);

}  // namespace thoth::pipfile_detail
