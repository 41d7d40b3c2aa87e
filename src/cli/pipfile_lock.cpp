// `thoth lock --pipfile` / `thoth pipenv lock`: the command line over thoth/session.hpp lock_pipfile.
#include "cli/pipfile_lock.hpp"

#include "cli/exit_codes.hpp"

namespace thoth::cli {

void add_pipfile_output_options(CLI::App& cmd, PipfileLockArgs& args) {
  cmd.add_option("-o,--output", args.output, "Write the lock to FILE (default: the Pipfile's path + .lock; '-': stdout)")
      ->type_name("FILE");
  cmd.add_option("--pipenv-hash", args.hash,
                 "_meta.hash as current pipenv computes it (canonical: package names normalised, the default) "
                 "or as pipenv up to 2025 did (legacy: names as written)")
      ->type_name("VARIANT");
  cmd.add_option("--categories", args.categories,
                 "Lock only these categories besides default (space- or comma-separated, as pipenv's --categories)")
      ->type_name("NAMES")
      ->allow_extra_args(false);
}

int run_pipfile_lock(const PipfileLockArgs& args, Context& ctx) {
  const std::optional<PipfileHash> variant = parse_pipfile_hash(args.hash);
  if (!variant) throw CliError(ExitCode::Usage, "invalid --pipenv-hash '" + args.hash + "' (expected canonical or legacy)");
  std::vector<std::string> categories;
  for (const std::string& value : args.categories) {
    std::string word;
    for (std::size_t i = 0; i <= value.size(); ++i) {
      if (i == value.size() || value[i] == ',' || value[i] == ' ') {
        if (!word.empty()) categories.push_back(word);
        word.clear();
      } else {
        word += value[i];
      }
    }
  }
  CommandEnvironment env(ctx);
  const Pipfile pipfile = load_pipfile(args.pipfile, env.session());
  Session session(args.index, pipfile_target(pipfile, args.target), env.session());
  std::vector<PipfileLockCategory> locks = lock_pipfile(session, pipfile, args.resolve, categories);
  const std::string text = write_pipfile_lock(pipfile, *variant, locks);
  ctx.keep_until_exit(session.release_for_exit());
  if (args.dry_run) {
    write_output("-", text, ctx.out);
    return code(ExitCode::Success);
  }
  const std::string output = !args.output.empty() ? args.output : args.pipfile == "-" ? "-" : args.pipfile + ".lock";
  write_output(output, text, ctx.out);
  if (output != "-") ctx.note("wrote " + output);
  return code(ExitCode::Success);
}

}  // namespace thoth::cli
