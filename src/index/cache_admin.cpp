// The library side of `thoth cache dir|info|clean`: where the cache lives, what it holds, emptying it.
#include "thoth/index.hpp"

namespace thoth {
namespace {

// The stores HttpCache creates (http_cache.hpp); nothing else under the directory is touched.
constexpr const char* kPages = "pages-v1";
constexpr const char* kBlobs = "blobs-v1";
constexpr const char* kDerived = "derived-v1";  // parsed file:// pages (listing_digest.hpp)

void count(const std::filesystem::path& dir, std::uint64_t& files, std::uint64_t& bytes) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code fe;
    if (!it->is_regular_file(fe)) continue;
    // Temporary files of writes in progress are not entries yet; a page's freshness record
    // (<key>.fresh, see http_cache.hpp) is part of its entry.
    const std::string name = it->path().filename().string();
    if (name.find(".tmp") != std::string::npos || name.ends_with(".fresh")) continue;
    ++files;
    bytes += it->file_size(fe);
  }
}

}  // namespace

std::filesystem::path default_cache_dir(const Environment& env) {
  // XDG Base Directory Specification: $XDG_CACHE_HOME, defaulting to $HOME/.cache; relative values are
  // invalid and ignored.
  if (auto it = env.find("XDG_CACHE_HOME"); it != env.end() && !it->second.empty() && it->second[0] == '/') {
    return std::filesystem::path(it->second) / "thoth";
  }
  if (auto it = env.find("HOME"); it != env.end() && !it->second.empty()) {
    return std::filesystem::path(it->second) / ".cache" / "thoth";
  }
  throw IndexError("cannot locate the cache directory: neither XDG_CACHE_HOME nor HOME is set (use --cache-dir)");
}

CacheUsage cache_usage(const std::filesystem::path& dir) {
  CacheUsage u;
  count(dir / kPages, u.pages, u.page_bytes);
  count(dir / kBlobs, u.blobs, u.blob_bytes);
  count(dir / kDerived, u.derived, u.derived_bytes);
  return u;
}

CacheUsage clean_cache(const std::filesystem::path& dir) {
  CacheUsage u = cache_usage(dir);
  for (const char* store : {kPages, kBlobs, kDerived}) {
    std::error_code ec;
    std::filesystem::remove_all(dir / store, ec);
    if (ec) throw IndexError("cannot remove " + (dir / store).string() + ": " + ec.message());
  }
  return u;
}

}  // namespace thoth
