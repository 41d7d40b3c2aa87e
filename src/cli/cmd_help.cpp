// `thoth help [COMMAND...]`: the same text as `thoth --help` / `thoth COMMAND... --help`, on stdout.
// man/thoth.1 says the same of each command at more length.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace thoth::cli {

Command add_help_command(CLI::App& root, Context& ctx) {
  auto topic = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = root.add_subcommand("help", "Show help for thoth or for one command");
  cmd->add_option("COMMAND", *topic, "The command to describe (a nested one as 'debug candidates')")
      ->type_name("");
  return {cmd, [&root, &ctx, topic]() {
            // Not root.help(): that follows the selected subcommand, which is `help` itself here.
            const CLI::App* app = &root;
            std::string name = root.get_name();
            for (const std::string& word : *topic) {
              const CLI::App* sub = nullptr;
              try {
                sub = app->get_subcommand(word);
              } catch (const CLI::OptionNotFound&) {
              }
              name += " " + word;
              if (sub == nullptr) {
                throw CliError(ExitCode::Usage, "unknown command '" + name.substr(root.get_name().size() + 1) +
                                                    "' (see 'thoth help')");
              }
              app = sub;
            }
            ctx.out << app->get_formatter()->make_help(app, name, CLI::AppFormatMode::Normal);
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
