// The library side of `thoth cache dir|info|clean`: where the cache lives, what it holds, emptying it.
#include "thoth/index.hpp"

namespace thoth {
namespace {

struct Store {
  const char* dir;
  const char* what;
  int entry_depth;  // 0: every file is an entry; N: every directory N levels down is one
};

// Every store thoth creates under the cache directory (http_cache.hpp, listing_digest.hpp,
// install/unpack.cpp, build.hpp, session/probe_cache.cpp); nothing else there is counted or removed.
constexpr Store kStores[] = {
    {"pages-v1", "index pages and responses", 0},
    {"blobs-v1", "metadata and files by hash", 0},
    {"derived-v1", "parsed local index pages and lock memos", 0},
    {"wheels-v1", "unpacked wheels that installs link from", 2},  // wheels-v1/<sha[0:2]>/<sha>/
    {"built-v1", "wheels and metadata built from sdists", 0},
    {"interpreters-v1", "interpreter facts", 0},
    {"scratch-v1", "unfinished downloads", 0},
};

void count(const std::filesystem::path& dir, const Store& store, CacheStoreUsage& usage) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code fe;
    // Temporary files of writes in progress are not entries yet; a page's freshness record
    // (<key>.fresh, see http_cache.hpp) is part of its entry.
    const std::string name = it->path().filename().string();
    if (name.find(".tmp") != std::string::npos) {
      it.disable_recursion_pending();
      continue;
    }
    if (store.entry_depth > 0 && it.depth() + 1 == store.entry_depth && it->is_directory(fe)) ++usage.entries;
    if (!it->is_regular_file(fe)) continue;
    usage.bytes += it->file_size(fe);
    if (store.entry_depth == 0 && !name.ends_with(".fresh")) ++usage.entries;
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

CacheStoreUsage CacheUsage::store(std::string_view dir) const {
  for (const CacheStoreUsage& s : stores)
    if (s.dir == dir) return s;
  return {};
}

std::uint64_t CacheUsage::entries() const {
  std::uint64_t n = 0;
  for (const CacheStoreUsage& s : stores) n += s.entries;
  return n;
}

std::uint64_t CacheUsage::bytes() const {
  std::uint64_t n = 0;
  for (const CacheStoreUsage& s : stores) n += s.bytes;
  return n;
}

CacheUsage cache_usage(const std::filesystem::path& dir) {
  CacheUsage u;
  for (const Store& store : kStores) {
    CacheStoreUsage& row = u.stores.emplace_back();
    row.dir = store.dir;
    row.what = store.what;
    count(dir / store.dir, store, row);
  }
  return u;
}

CacheUsage clean_cache(const std::filesystem::path& dir) {
  CacheUsage u = cache_usage(dir);
  for (const Store& store : kStores) {
    std::error_code ec;
    std::filesystem::remove_all(dir / store.dir, ec);
    if (ec) throw IndexError("cannot remove " + (dir / store.dir).string() + ": " + ec.message());
  }
  return u;
}

}  // namespace thoth
