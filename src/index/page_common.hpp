// Rules shared by the HTML and JSON page parsers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace thoth::idx {

// PEP 629 / PEP 691: a client must refuse a page whose repository API major version it does not know
// (only 1 exists). "" (not declared) is accepted. Throws IndexError naming the page.
void check_api_version(std::string_view version, std::string_view page_url);

// PEP 658/714 attribute value: "true" -> present without hash, "<hashname>=<hex>" -> present with that
// hash; "false" or "" -> absent. Anything else counts as present without a usable hash (pip does not
// drop the sidecar for a value it cannot read either).
std::optional<std::map<std::string, std::string>> parse_core_metadata_attribute(std::string_view value);

}  // namespace thoth::idx
