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

namespace thoth {

namespace {

// "a, b" (or "none") for a message.
std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

void check_offered(const std::vector<std::string>& asked, const std::vector<std::string>& offered,
                   const std::string& what, const std::string& lock_name) {
  for (const std::string& a : asked) {
    const bool found = std::any_of(offered.begin(), offered.end(),
                                   [&](const std::string& o) { return normalize_name(o) == normalize_name(a); });
    if (!found)
      throw LockError(lock_name + " offers no " + what + " '" + a + "' (its " + what + "s: " + listed(offered) + ")");
  }
}

}  // namespace

void select_from_lock(Lock& lock, const std::vector<std::string>& extras, const std::vector<std::string>& groups,
                      const std::string& lock_name) {
  if (extras.empty() && groups.empty()) return;
  if (lock.format != LockFormat::pylock)
    throw LockError("extras and dependency groups are chosen from a pylock.toml (PEP 751); " + lock_name +
                    " is a " + std::string(lock_format_name(lock.format)) + " lock");
  // PEP 751 "extras" / "dependency-groups": an installer MUST check that what is asked for is offered.
  check_offered(extras, lock.extras, "extra", lock_name);
  check_offered(groups, lock.dependency_groups, "dependency group", lock_name);
  lock.selection = LockSelection{extras, groups.empty() ? lock.default_groups : groups};
}

}  // namespace thoth
