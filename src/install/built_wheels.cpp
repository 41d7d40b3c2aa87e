// The cache of wheels built from sdists, and of the metadata prepared by their builds (thoth/build.hpp
// BuiltWheelCache): a second install, or resolution, of the same sdist needs no build.
#include <unistd.h>

#include <system_error>

#include "install/files.hpp"
#include "install/ini.hpp"  // read_small_file
#include "thoth/build.hpp"
#include "thoth/hash.hpp"

namespace thoth {

namespace {

std::filesystem::path entry_dir(const std::filesystem::path& root, const std::string& entry) {
  return root / entry.substr(0, 2) / entry;
}

// A metadata entry's file name; nullopt for a key that is not a plain file name.
std::optional<std::string> metadata_name(const std::string& entry, const std::string& key) {
  if (entry.size() < 2 || key.empty() || key.front() == '.' || key.find('/') != std::string::npos) return std::nullopt;
  return key + ".METADATA";
}

}  // namespace

std::string BuiltWheelCache::entry(const std::string& sdist_sha256, const std::vector<std::string>& config_settings) {
  if (config_settings.empty()) return sdist_sha256;
  // The items cannot hold a NUL (they are command-line arguments and text lines): one per item.
  std::string text;
  for (const std::string& item : canonical_config_settings(config_settings)) text += item + '\0';
  return sdist_sha256 + "/config-" + sha256_hex(text);
}

std::optional<std::filesystem::path> BuiltWheelCache::find(
    const std::string& entry,
    const std::function<std::optional<std::size_t>(const std::string& filename)>& usable) const {
  if (entry.size() < 2) return std::nullopt;
  std::error_code ec;
  std::optional<std::filesystem::path> best;
  std::size_t best_rank = 0;
  for (std::filesystem::directory_iterator it(entry_dir(root_, entry), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Temporaries (".tmp-...") are another process's store in progress; "config-..." directories the
    // entries of builds with config_settings.
    if (name.starts_with(".") || !name.ends_with(".whl")) continue;
    std::optional<std::size_t> rank = usable(name);
    if (!rank) continue;
    // Ties go to the smaller name, so that directory order never decides.
    if (!best || *rank < best_rank || (*rank == best_rank && name < best->filename().string())) {
      best = it->path();
      best_rank = *rank;
    }
  }
  return best;
}

std::filesystem::path BuiltWheelCache::store(const std::string& entry, const std::filesystem::path& wheel) const {
  const std::filesystem::path dir = entry_dir(root_, entry);
  install_detail::make_directories(dir);
  const std::filesystem::path target = dir / wheel.filename();
  const std::filesystem::path temp = dir / (".tmp-" + std::to_string(::getpid()) + "-" + wheel.filename().string());
  std::error_code ec;
  std::filesystem::copy_file(wheel, temp, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) {
    install_detail::remove_tree(temp);
    install_detail::throw_io("cannot cache the built wheel at", temp, ec.value());
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    install_detail::remove_tree(temp);
    install_detail::throw_io("cannot cache the built wheel at", target, ec.value());
  }
  return target;
}

std::optional<std::string> BuiltWheelCache::find_metadata(const std::string& entry, const std::string& key) const {
  const std::optional<std::string> name = metadata_name(entry, key);
  if (!name) return std::nullopt;
  return install_detail::read_small_file(entry_dir(root_, entry) / *name);
}

void BuiltWheelCache::store_metadata(const std::string& entry, const std::string& key,
                                     const std::string& metadata) const {
  const std::optional<std::string> name = metadata_name(entry, key);
  if (!name) return;
  const std::filesystem::path dir = entry_dir(root_, entry);
  install_detail::make_directories(dir);
  install_detail::write_file_atomic(dir / *name, metadata, false);
}

}  // namespace thoth
