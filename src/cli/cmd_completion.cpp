// `thoth completion bash|zsh`: prints the shell completion script, generated from the command-line
// definition (cli/completion.hpp), on stdout.
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/exit_codes.hpp"

namespace thoth::cli {

Command add_completion_command(CLI::App& root, Context& ctx) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand("completion", "Print the shell completion script for bash or zsh");
  cmd->add_option("SHELL", *shell, "bash or zsh")->required()->type_name("SHELL");
  cmd->footer(
      "bash: source <(thoth completion bash), or save it as\n"
      "~/.local/share/bash-completion/completions/thoth. zsh: save it as _thoth in a directory of\n"
      "$fpath, or source <(thoth completion zsh) after compinit.");
  return {cmd, [&root, &ctx, shell]() {
            ctx.out << completion_script(root, *shell);
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
