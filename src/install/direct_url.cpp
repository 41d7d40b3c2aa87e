// PEP 610 direct_url.json, laid out as pip writes it: json.dumps(d, sort_keys=True), so ", " and ": "
// separators, non-ASCII escaped.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>

#include "thoth/install.hpp"

namespace thoth {
namespace {

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::ASCII<>> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  std::string out(buffer.GetString(), buffer.GetSize());
  // json.dumps spells \u escapes with lower-case hex digits, rapidjson with upper-case ones.
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] != '\\') continue;
    if (out[++i] != 'u') continue;
    for (std::size_t j = i + 1; j < i + 5 && j < out.size(); ++j)
      out[j] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[j])));
  }
  return out;
}

}  // namespace

std::string format_direct_url(const DirectUrl& direct_url) {
  std::string info;
  if (direct_url.kind == DirectUrl::Kind::Directory) {
    // PEP 610 "dir_info": editable defaults to false and pip leaves it out then.
    info = std::string("\"dir_info\": ") + (direct_url.editable ? "{\"editable\": true}" : "{}");
  } else if (direct_url.archive_sha256.empty()) {
    info = "\"archive_info\": {}";
  } else {
    // PEP 610 "archive_info": "hashes" maps algorithms to hex digests; the older "hash" key
    // ("<algorithm>=<hex>") is kept for readers that predate it, as pip writes both.
    info = "\"archive_info\": {\"hash\": " + json_string("sha256=" + direct_url.archive_sha256) +
           ", \"hashes\": {\"sha256\": " + json_string(direct_url.archive_sha256) + "}}";
  }
  return "{" + info + ", \"url\": " + json_string(direct_url.url) + "}";
}

}  // namespace thoth
