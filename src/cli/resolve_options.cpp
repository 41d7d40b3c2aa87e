#include "cli/resolve_options.hpp"

#include <vector>

namespace thoth::cli {

namespace {

// --only-binary / --no-binary: each occurrence is appended to settings.binary as it is parsed, so
// both options share one ordered list.
void add_binary_option(CLI::App& cmd, const std::string& name, bool no_binary, ResolveSettings& settings,
                       const std::string& description, const std::string& group) {
  cmd.add_option(
         name,
         [&settings, no_binary](const CLI::results_t& values) {
           // Run at every occurrence (trigger_on_parse): the newest value is the last one.
           if (!values.empty()) settings.binary.push_back({no_binary, values.back()});
           return true;
         },
         description)
      ->type_name("NAMES")
      ->allow_extra_args(false)
      ->trigger_on_parse()
      ->group(group);
}

}  // namespace

void add_requirement_options(CLI::App& cmd, RequirementInputs& inputs) {
  cmd.add_option("requirements", inputs.requirements, "Requirements, e.g. 'requests>=2' or ./dist/x.whl")
      ->type_name("REQ");
  cmd.add_option("-r,--requirement", inputs.requirement_files, "Requirements file (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd.add_option("-c,--constraint", inputs.constraint_files, "Constraints file (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
}

void add_config_settings_option(CLI::App& cmd, RequirementInputs& inputs) {
  cmd.add_option("-C,--config-settings", inputs.config_settings,
                 "PEP 517 config setting for the builds of the requirements named here (repeatable; a key given "
                 "again makes a list)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
}

void add_resolve_options(CLI::App& cmd, ResolveSettings& settings, const std::string& group) {
  cmd.add_flag("--pre", settings.pre, "Allow pre-releases and development releases")->group(group);
  add_binary_option(cmd, "--only-binary", false, settings, "Use only wheels for these projects (:all:, :none:, a,b)",
                    group);
  add_binary_option(cmd, "--no-binary", true, settings, "Use only sdists for these projects (:all:, :none:, a,b)",
                    group);
  cmd.add_flag("--prefer-binary", settings.prefer_binary, "Prefer wheels over newer sdists")->group(group);
  cmd.add_option("--max-candidates", settings.max_candidates,
                 "Give up resolving after considering this many candidate versions (default 200000)")
      ->type_name("N")
      ->group(group);
}

}  // namespace thoth::cli
