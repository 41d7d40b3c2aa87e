// `thoth lock --pipfile` / `thoth pipenv lock`: the command line over thoth/session.hpp lock_pipfile.
#include "cli/pipfile_lock.hpp"

#include "cli/exit_codes.hpp"

namespace thoth::cli {

namespace {

// --justify for several categories: {"default": <thoth advise's document>, "develop": ...}; the
// tables on a terminal, each under its category's name.
void report_pipfile_justification(const std::vector<std::pair<std::string, Advice>>& advice, const AdviceArgs& args,
                                  Context& ctx) {
  if (!args.justify.empty()) {
    std::string json = "{";
    for (std::size_t i = 0; i < advice.size(); ++i) {
      std::string body = justification_json(advice[i].second);
      while (!body.empty() && body.back() == '\n') body.pop_back();
      json += (i == 0 ? "\n" : ",\n") + python_json(JsonValue::of(advice[i].first)) + ": " + body;
    }
    write_output(args.justify, json + "\n}\n", ctx.out);
  }
  if (ctx.err_is_terminal && ctx.verbosity != Verbosity::Quiet && args.justify != "-")
    for (const auto& [category, a] : advice) ctx.err << "[" << category << "]\n" << justification_table(a);
}

}  // namespace

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
  // The knowledge-guided search, when asked for: checked (and its knowledge bases read) first.
  std::optional<AdviceRequest> advice;
  if (!args.advice.recommend.empty()) {
    advice.emplace(advice_request(args.advice));
  } else if (!args.advice.kb.empty() || !args.advice.justify.empty()) {
    throw CliError(ExitCode::Usage, "--kb and --justify need --recommend TYPE");
  }
  CommandEnvironment env(ctx);
  const Pipfile pipfile = load_pipfile(args.pipfile, env.session());
  Session session(args.index, pipfile_target(pipfile, args.target), env.session());
  PipfileLockSettings settings;
  settings.resolve = args.resolve;
  settings.categories = categories;
  // Local projects (path entries) are built by the interpreter --python names, else python3 on PATH.
  settings.build_environment = [&args, &ctx]() {
    const std::string python = !args.target.python.empty() ? args.target.python : default_python(ctx.env);
    ctx.note("probing the environment of " + python + " to build local projects");
    return InstallEnvironment::probe(python);
  };
  if (advice) {
    settings.kb = &advice->kb;
    settings.recommendation = advice->recommendation;
    settings.search = advice->search;
  }
  PipfileLockOutcome locked = lock_pipfile(session, pipfile, settings);
  const std::string text = write_pipfile_lock(pipfile, *variant, locked.categories);
  if (advice) report_pipfile_justification(locked.advice, args.advice, ctx);
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
