// HTML character references (HTML Living Standard §13.2.5.72-80) as they occur in simple-page attribute
// values and text: every named reference of HTML5, decimal and hexadecimal numeric references.
#pragma once

#include <string>
#include <string_view>

namespace thoth::idx {

// Decodes every character reference in `text`. `in_attribute` applies the attribute-value rule: a
// legacy reference without ';' followed by '=' or an alphanumeric is left as written (so
// "?a=1&copy=2" keeps its "&copy"). Unknown references are kept verbatim.
std::string decode_entities(std::string_view text, bool in_attribute = true);

}  // namespace thoth::idx
