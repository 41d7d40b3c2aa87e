// A JSON text copied into a buffer rapidjson may parse in situ at full speed.
#pragma once

#include <string>
#include <string_view>

namespace thoth {

// In-situ parsing (Document::ParseInsitu) decodes strings in place instead of copying each into the
// document's allocator. With RAPIDJSON_SSE2/NEON its string and whitespace scans load whole aligned
// 16-byte blocks, so the block holding the terminating NUL may reach up to 15 bytes past it: those
// bytes must belong to the buffer (AddressSanitizer rightly reports the read otherwise). The first NUL
// ends the text. The document points into the buffer: keep the buffer alive as long as the document.
inline std::string padded_json(std::string_view json) {
  std::string buffer;
  buffer.reserve(json.size() + 16);
  buffer.append(json);
  buffer.append(16, '\0');
  return buffer;
}

}  // namespace thoth
