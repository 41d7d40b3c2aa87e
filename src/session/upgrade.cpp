// pip-compile's incremental model: the pins of an existing lock, kept where they still fit.
#include <sys/stat.h>

#include <sstream>

#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth {

UpgradeOptions parse_upgrade_options(bool upgrade_all, const std::vector<std::string>& packages) {
  // pip-compile: "Only one of --upgrade or --upgrade-package can be provided as an argument."
  if (upgrade_all && !packages.empty())
    throw SessionError("give either --upgrade or --upgrade-package, not both (--upgrade upgrades every package)");
  UpgradeOptions out;
  out.all = upgrade_all;
  for (const std::string& text : packages) {
    Requirement r;
    try {
      r = Requirement::parse(text);
    } catch (const RequirementError& e) {
      throw SessionError("invalid --upgrade-package '" + text + "' (expected NAME or NAME==VERSION): " + e.what());
    }
    if (!r.url.empty() || r.marker)
      throw SessionError("invalid --upgrade-package '" + text + "' (expected NAME or NAME==VERSION)");
    out.names.insert(r.normalized_name());
    // Only a bound to upgrade to: as a constraint it restricts the project and adds none (pip-compile
    // applies it only to projects already required or pinned).
    if (!r.specifier.specifiers().empty()) out.constraints.push_back(std::move(r));
  }
  return out;
}

std::optional<std::string> read_previous_lock(const std::string& path, Messages& messages) {
  if (output_kind(path) != OutputKind::replace) return std::nullopt;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  try {
    std::istringstream no_stdin;  // the path is a regular file, never "-"
    return read_input(path, no_stdin, "existing lock");
  } catch (const std::exception& e) {
    messages.warning("not reusing the pins of " + path + " (" + e.what() + "); resolving afresh");
    return std::nullopt;
  }
}

std::map<std::string, Version> existing_pins(const std::optional<std::string>& text, const std::string& path,
                                             const UpgradeOptions& upgrade, Messages& messages) {
  if (upgrade.all || !text) return {};
  try {
    std::map<std::string, Version> pins = pinned_versions(read_lock(*text, path), upgrade.names);
    messages.note("keeping the " + std::to_string(pins.size()) + " pin(s) of " + path + " where they still fit");
    return pins;
  } catch (const std::exception& e) {
    messages.warning("not reusing the pins of " + path + " (" + e.what() + "); resolving afresh");
    return {};
  }
}

}  // namespace thoth
