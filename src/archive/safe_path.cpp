// Which member paths may be joined under an extraction directory.
#include "thoth/archive.hpp"

namespace thoth {

bool is_safe_member_path(std::string_view member) {
  if (member.empty() || member.front() == '/') return false;
  if (member.find('\\') != std::string_view::npos || member.find('\0') != std::string_view::npos)
    return false;
  // A trailing '/' marks a directory entry; every component before it must be a plain name.
  if (member.back() == '/') member.remove_suffix(1);
  std::size_t start = 0;
  while (start <= member.size()) {
    std::size_t end = member.find('/', start);
    if (end == std::string_view::npos) end = member.size();
    std::string_view part = member.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace thoth
