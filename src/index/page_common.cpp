#include "index/page_common.hpp"

#include "index/url.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"
#include "base/link.hpp"

namespace thoth::idx {

void check_api_version(std::string_view version, std::string_view page_url) {
  if (version.empty()) return;
  std::size_t dot = version.find('.');
  std::string_view major = version.substr(0, dot);
  bool digits = !major.empty();
  for (char c : major) digits = digits && c >= '0' && c <= '9';
  if (digits && major.find_first_not_of('0') == major.size() - 1 && major.back() == '1') return;
  throw IndexError("the index page " + redact_url(page_url) + " uses repository API version " + std::string(version) +
                   "; only version 1 is supported");
}

std::optional<std::map<std::string, std::string>> parse_core_metadata_attribute(std::string_view value) {
  if (value.empty() || value == "false") return std::nullopt;
  if (value == "true") return std::map<std::string, std::string>{};
  // The same "<hashname>=<hex>" form as a URL fragment.
  return base::fragment_hashes(value);
}

}  // namespace thoth::idx
