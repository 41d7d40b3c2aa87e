// `thoth sample` (Dependency Monkey): distinct valid resolutions of the requirements drawn across the
// space of versions, each written as a lock, so that a project can test the combinations it would
// meet; `thoth kb observe` then records how each did.
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/compile_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "cli/resolve_options.hpp"
#include "cli/target_options.hpp"
#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

namespace {

struct SampleArgs {
  RequirementInputs inputs;
  std::string output_dir;
  std::string format = "requirements";
  std::size_t count = 10;
  std::uint64_t seed = 0;
  bool generate_hashes = false;
  ResolveSettings resolve;
  TargetSettings target;
  IndexSettings index;
};

// lock-001.txt, lock-002.pylock.toml (PEP 751 names a lock pylock.NAME.toml), lock-003.json.
std::string lock_name(std::size_t n, LockFormat format) {
  std::string digits = std::to_string(n);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  switch (format) {
    case LockFormat::requirements: return "lock-" + std::string(digits) + ".txt";
    case LockFormat::pylock: return "pylock.sample-" + std::string(digits) + ".toml";
    case LockFormat::pipfile: return "Pipfile.sample-" + std::string(digits) + ".lock";
    case LockFormat::report: break;
  }
  return "lock-" + std::string(digits) + ".json";
}

int run_sample(const SampleArgs& args, const CLI::App& cmd, Context& ctx) {
  std::optional<LockFormat> format = parse_lock_format(args.format);
  if (!format)
    throw CliError(ExitCode::Usage, "invalid --format '" + args.format + "' (expected requirements, pylock or report)");
  if (args.output_dir.empty()) throw CliError(ExitCode::Usage, "give the directory to write the locks into with -o DIR");
  if (args.count == 0) throw CliError(ExitCode::Usage, "invalid --count 0 (ask for at least one lock)");
  if (args.inputs.requirements.empty() && args.inputs.requirement_files.empty())
    throw CliError(ExitCode::Usage, "nothing to sample: give requirements or -r FILE");
  CommandEnvironment env(ctx);
  Session session(args.index, args.target, env.session());
  RequirementSet inputs = session.read_requirements(args.inputs);
  session.open(inputs.options.index);
  ResolveOptions options = session.resolve_options(inputs, args.resolve);
  SampleOptions sampling;
  sampling.count = args.count;
  sampling.seed = args.seed;
  Sample sample = session.sample(inputs, options, sampling);

  LockNeeds needs;
  needs.release_files = *format == LockFormat::requirements && args.generate_hashes;
  needs.pin_hashes = needs.release_files || *format == LockFormat::pylock;
  needs.metadata = *format != LockFormat::requirements;
  RequirementsStyle style;
  style.command = compile_command(cmd);
  style.generate_hashes = args.generate_hashes;
  std::error_code ec;
  std::filesystem::create_directories(args.output_dir, ec);
  for (std::size_t i = 0; i < sample.resolutions.size(); ++i) {
    Resolution& r = sample.resolutions[i];
    const Lock lock = to_lock(r, session.lock_inputs(r, inputs, options, needs));
    const std::string path = (std::filesystem::path(args.output_dir) / lock_name(i + 1, *format)).string();
    write_output(path, write_lock(*format, lock, style), ctx.out);
    ctx.note("wrote " + path);
  }
  if (ctx.verbosity != Verbosity::Quiet) {
    ctx.err << "thoth: " << sample.resolutions.size() << " distinct resolution(s) in " << args.output_dir << " ("
            << sample.attempts << " attempt(s), " << sample.infeasible << " without a resolution)\n";
  }
  return code(ExitCode::Success);
}

}  // namespace

Command add_sample_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* cmd = root.add_subcommand("sample", "Write distinct valid resolutions as locks, to test them (Dependency Monkey)");
  cmd->footer(
      "Draws up to --count distinct resolutions of the requirements across the space of versions (each\n"
      "one valid: found by the exact resolver with versions offered in a random order, reproducible by\n"
      "--seed) and writes each as a lock in -o DIR. Record how a tested lock did with thoth kb observe.");
  add_requirement_options(*cmd, args->inputs);
  cmd->add_option("-o,--output", args->output_dir, "Directory to write the locks into")->type_name("DIR");
  cmd->add_option("--count", args->count, "How many distinct resolutions (default 10)")->type_name("N");
  cmd->add_option("--seed", args->seed, "Seed of the random version orders")->type_name("N");
  cmd->add_option("--format", args->format, "requirements (default), pylock or report")->type_name("FORMAT");
  cmd->add_flag("--generate-hashes", args->generate_hashes, "Add --hash lines (requirements format)");
  add_resolve_options(*cmd, args->resolve, "Resolution options");
  add_target_options(*cmd, args->target);
  add_index_options(*cmd, args->index);
  return {cmd, [args, cmd, &ctx]() { return run_sample(*args, *cmd, ctx); }};
}

}  // namespace thoth::cli
