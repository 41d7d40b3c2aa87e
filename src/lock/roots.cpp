#include "lock/roots.hpp"

#include <algorithm>

namespace thoth::lock_detail {

std::map<std::string, RootInfo> root_info(const std::vector<UserRequirement>& requirements) {
  std::map<std::string, RootInfo> out;
  for (const UserRequirement& r : requirements) {
    if (r.requirement.name.empty()) continue;
    RootInfo& info = out[r.requirement.normalized_name()];
    info.requested = true;
    for (const std::string& e : r.requirement.written_extras) info.written_extras.push_back(e);
    if (r.requirement.marker && !r.requirement.marker->str().empty()) info.marker = r.requirement.marker;
    if (!r.link.empty()) info.link = r.link;
    if (!r.requirement.url.empty()) info.link = r.requirement.url;
    info.editable = info.editable || r.editable;
  }
  for (auto& [name, info] : out) {
    std::sort(info.written_extras.begin(), info.written_extras.end());
    info.written_extras.erase(std::unique(info.written_extras.begin(), info.written_extras.end()),
                              info.written_extras.end());
  }
  return out;
}

std::string link_url(const std::string& link) {
  if (link.find("://") != std::string::npos) return link;
  // RFC 8089 file URL of an absolute path; bytes outside the unreserved set and '/' are escaped as
  // pip's path_to_url (urllib.request.pathname2url) does.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : link) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

bool is_unsafe_package(const std::string& normalized_name) {
  return normalized_name == "setuptools" || normalized_name == "distribute" || normalized_name == "pip";
}

}  // namespace thoth::lock_detail
