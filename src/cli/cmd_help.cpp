// `thoth help [COMMAND]`: the same text as `thoth --help` / `thoth COMMAND --help`, on stdout.
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace thoth::cli {

Command add_help_command(CLI::App& root, Context& ctx) {
  auto topic = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand("help", "Show help for thoth or for one command");
  cmd->add_option("COMMAND", *topic, "The command to describe")->type_name("");
  return {cmd, [&root, &ctx, topic]() {
            if (topic->empty()) {
              // Not root.help(): that follows the selected subcommand, which is `help` itself here.
              ctx.out << root.get_formatter()->make_help(&root, root.get_name(), CLI::AppFormatMode::Normal);
              return code(ExitCode::Success);
            }
            CLI::App* sub = nullptr;
            try {
              sub = root.get_subcommand(*topic);
            } catch (const CLI::OptionNotFound&) {
            }
            if (sub == nullptr) {
              throw CliError(ExitCode::Usage, "unknown command '" + *topic + "' (see 'thoth help')");
            }
            ctx.out << sub->get_formatter()->make_help(sub, root.get_name() + " " + sub->get_name(),
                                                       CLI::AppFormatMode::Normal);
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
