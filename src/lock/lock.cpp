#include <algorithm>

#include "thoth/lock.hpp"

namespace thoth {

std::optional<LockFormat> parse_lock_format(std::string_view text) {
  if (text == "requirements") return LockFormat::requirements;
  if (text == "pylock") return LockFormat::pylock;
  if (text == "report") return LockFormat::report;
  return std::nullopt;
}

std::string_view lock_format_name(LockFormat format) {
  switch (format) {
    case LockFormat::requirements: return "requirements";
    case LockFormat::pylock: return "pylock";
    case LockFormat::pipfile: return "pipfile";
    case LockFormat::report: break;
  }
  return "report";
}

std::string write_lock(LockFormat format, const Lock& lock, const RequirementsStyle& style) {
  switch (format) {
    case LockFormat::requirements: return write_requirements(lock, style);
    case LockFormat::pylock: return write_pylock(lock);
    case LockFormat::pipfile: throw LockError("a Pipfile.lock is written from a Pipfile (thoth lock --pipfile)");
    case LockFormat::report: break;
  }
  return write_report(lock);
}

const LockedPackage* Lock::find(std::string_view normalized_name) const {
  auto it = std::lower_bound(packages.begin(), packages.end(), normalized_name,
                             [](const LockedPackage& p, std::string_view n) { return p.name < n; });
  return it != packages.end() && it->name == normalized_name ? &*it : nullptr;
}

LockFormat detect_lock_format(std::string_view text, std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  // PEP 751 "File Name": pylock.toml or pylock.<name>.toml.
  if (name.size() >= 11 && name.substr(0, 7) == "pylock." && name.substr(name.size() - 5) == ".toml")
    return LockFormat::pylock;
  if (name == "Pipfile.lock") return LockFormat::pipfile;
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  // Pipfile.lock under another name: JSON whose _meta names the pipfile-spec.
  const bool json = i < text.size() && text[i] == '{';
  if (json && text.find("\"pipfile-spec\"") != std::string_view::npos && text.find("\"_meta\"") != std::string_view::npos)
    return LockFormat::pipfile;
  if (name.size() > 5 && name.substr(name.size() - 5) == ".json") return LockFormat::report;
  if (json) return LockFormat::report;
  // A TOML lock names its version on a line of its own; a requirements file cannot contain that key.
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.substr(0, 12) == "lock-version") return LockFormat::pylock;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return LockFormat::requirements;
}

Lock read_lock(std::string_view text, const std::string& path) {
  switch (detect_lock_format(text, path)) {
    case LockFormat::requirements: return read_requirements_lock(text, path);
    case LockFormat::pylock: return read_pylock(text, path);
    case LockFormat::pipfile: return read_pipfile_lock(text, path, {"default"}, {});
    case LockFormat::report: break;
  }
  return read_report(text, path);
}

}  // namespace thoth
