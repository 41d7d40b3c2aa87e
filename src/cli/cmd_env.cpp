// `thoth env`: prints the target document (thoth/target.hpp) for the active interpreter, another
// interpreter, a target file, or pip-style target options. Its output is valid --target-env input.
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/target_options.hpp"

namespace thoth::cli {

namespace {

struct EnvArgs {
  TargetSettings target;
  std::string output;  // -o FILE; empty = stdout
};

}  // namespace

Command add_env_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<EnvArgs>();
  CLI::App* cmd = root.add_subcommand("env", "Print the target environment (markers, tags) as JSON");
  // CLI11 prints footers as given: the line breaks are ours.
  cmd->footer(
      "Without target options the target is $VIRTUAL_ENV/bin/python when VIRTUAL_ENV is set, else\n"
      "python3 on PATH. --python-version, --platform, --implementation and --abi replace those facts of\n"
      "that interpreter (or of --python), as pip download does. The document is described in thoth(1).");
  add_target_options(*cmd, args->target);
  cmd->add_option("-o,--output", args->output, "Write the document to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  return {cmd, [args, &ctx]() {
            CommandEnvironment env(ctx);
            Target target = resolve_target(args->target, env.session());
            std::string json = target.to_json();
            if (json.empty() || json.back() != '\n') json += '\n';
            write_output(args->output, json, ctx.out);
            if (!args->output.empty() && args->output != "-") ctx.note("wrote " + args->output);
            return code(ExitCode::Success);
          }};
}

}  // namespace thoth::cli
