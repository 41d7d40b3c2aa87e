#include "cli/lock_upgrade.hpp"

#include <sys/stat.h>

#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"  // report_warnings
#include "cli/io.hpp"
#include "thoth/lock.hpp"

namespace thoth::cli {

UpgradeOptions parse_upgrade_options(bool upgrade_all, const std::vector<std::string>& packages) {
  // pip-compile: "Only one of --upgrade or --upgrade-package can be provided as an argument."
  if (upgrade_all && !packages.empty())
    throw CliError(ExitCode::Usage, "give either --upgrade or --upgrade-package, not both (--upgrade upgrades every package)");
  UpgradeOptions out;
  out.all = upgrade_all;
  for (const std::string& text : packages) {
    Requirement r;
    try {
      r = Requirement::parse(text);
    } catch (const RequirementError& e) {
      throw CliError(ExitCode::Usage, "invalid --upgrade-package '" + text + "' (expected NAME or NAME==VERSION): " + e.what());
    }
    if (!r.url.empty() || r.marker)
      throw CliError(ExitCode::Usage, "invalid --upgrade-package '" + text + "' (expected NAME or NAME==VERSION)");
    out.names.insert(r.normalized_name());
    // Only a bound to upgrade to: as a constraint it restricts the project and adds none (pip-compile
    // applies it only to projects already required or pinned).
    if (!r.specifier.specifiers().empty()) out.constraints.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, Version> existing_pins(const std::string& output, const UpgradeOptions& upgrade,
                                             const Context& ctx) {
  if (upgrade.all || output_kind(output) != OutputKind::replace) return {};
  struct stat st {};
  if (::stat(output.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  try {
    std::string text = read_input(output, ctx.in, "existing lock");
    std::map<std::string, Version> pins = pinned_versions(read_lock(text, output), upgrade.names);
    ctx.note("keeping the " + std::to_string(pins.size()) + " pin(s) of " + output + " where they still fit");
    return pins;
  } catch (const std::exception& e) {
    report_warnings(ctx, {"not reusing the pins of " + output + " (" + e.what() + "); resolving afresh"});
    return {};
  }
}

}  // namespace thoth::cli
