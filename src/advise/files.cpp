#include "advise/files.hpp"

#include <algorithm>

#include "thoth/knowledge_base.hpp"
#include "thoth/net.hpp"

namespace thoth::advisor {

namespace fs = std::filesystem;

std::vector<fs::path> json_files(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<fs::path> out;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") out.push_back(it->path());
  }
  if (ec) throw AdviseError(path.string() + ": cannot list the directory: " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_whole(const fs::path& path) {
  std::optional<std::string> text = read_file(path);
  if (!text) throw AdviseError(path.string() + ": cannot read the file");
  return std::move(*text);
}

}  // namespace thoth::advisor
