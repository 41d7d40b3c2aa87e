// The Description of core metadata, which comes either from the message body (Metadata-Version 2.1
// and later) or from a folded Description header field (older versions).
#pragma once

#include <string>
#include <string_view>

namespace thoth::metadata_detail {

// Undoes the folding of a Description header field as setuptools reads its own PKG-INFO back
// (setuptools' rfc822_unescape): the first line left-stripped, the continuation lines dedented by
// their common leading whitespace (textwrap.dedent, whitespace-only lines become empty), so
// indentation inside the text survives. `source` is the field's text after the colon, line breaks
// as written. Trailing whitespace is removed.
std::string unfold_description(std::string_view source);

}  // namespace thoth::metadata_detail
