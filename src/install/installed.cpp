// Installed distributions: the *.dist-info directories of purelib and platlib ("Recording installed
// projects", PEP 376 as amended by the PyPA specification).
#include <algorithm>
#include <system_error>

#include "install/ini.hpp"
#include "thoth/install.hpp"
#include "thoth/pep508.hpp"

namespace thoth {
namespace {

constexpr std::string_view kDistInfo = ".dist-info";

// Reads one .dist-info directory; a reason it cannot be used goes to `why`.
std::optional<InstalledDistribution> read_dist_info(const std::filesystem::path& dir, std::string& why) {
  using install_detail::read_small_file;
  InstalledDistribution dist;
  dist.dist_info = dir;
  std::optional<std::string> metadata = read_small_file(dir / "METADATA");
  if (!metadata) {
    why = "it has no readable METADATA";
    return std::nullopt;
  }
  // Name and Version only: a distribution whose other fields are malformed must still be
  // uninstallable.
  dist.display_name = install_detail::header_value(*metadata, "Name");
  dist.version = install_detail::header_value(*metadata, "Version");
  if (dist.display_name.empty() || dist.version.empty()) {
    why = "its METADATA has no Name or no Version";
    return std::nullopt;
  }
  dist.name = normalize_name(dist.display_name);
  std::optional<std::string> record = read_small_file(dir / "RECORD");
  if (!record) {
    why = "it has no RECORD (it was not installed from a wheel, so it cannot be uninstalled file by file)";
    return std::nullopt;
  }
  try {
    dist.record = parse_record(*record, (dir / "RECORD").string());
  } catch (const InstallError& e) {
    why = e.what();
    return std::nullopt;
  }
  if (std::optional<std::string> installer = read_small_file(dir / "INSTALLER")) {
    std::string_view first = *installer;
    first = first.substr(0, first.find('\n'));
    while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.remove_suffix(1);
    dist.installer = std::string(first);
  }
  std::error_code ec;
  dist.requested = std::filesystem::exists(dir / "REQUESTED", ec);
  dist.direct_url = read_small_file(dir / "direct_url.json");
  return dist;
}

}  // namespace

const InstalledDistribution* InstalledSet::find(std::string_view name) const {
  std::string wanted = normalize_name(name);
  for (const InstalledDistribution& d : distributions)
    if (d.name == wanted) return &d;
  return nullptr;
}

InstalledSet scan_installed(const InstallEnvironment& env) {
  InstalledSet set;
  std::vector<std::filesystem::path> roots{env.scheme.purelib};
  if (env.scheme.platlib != env.scheme.purelib) roots.push_back(env.scheme.platlib);
  for (const std::filesystem::path& root : roots) {
    std::error_code ec;
    std::vector<std::filesystem::path> dirs;
    for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() > kDistInfo.size() && name.ends_with(kDistInfo) && it->is_directory(ec)) dirs.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const std::filesystem::path& dir : dirs) {
      std::string why;
      if (std::optional<InstalledDistribution> dist = read_dist_info(dir, why)) {
        set.distributions.push_back(std::move(*dist));
      } else {
        set.warnings.push_back("ignoring " + dir.string() + ": " + why);
      }
    }
  }
  std::stable_sort(set.distributions.begin(), set.distributions.end(),
                   [](const InstalledDistribution& a, const InstalledDistribution& b) { return a.name < b.name; });
  return set;
}

}  // namespace thoth
