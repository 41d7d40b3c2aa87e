// `thoth lock`: resolves requirements (files and arguments, as pip reads them) for a target environment
// and writes the result as a lock file: requirements.txt in pip-compile's layout (default), PEP 751
// pylock.toml, or pip's installation report JSON. The file is written only when everything succeeded,
// and atomically. The pipeline itself is the session's (thoth/session.hpp); this file is the command
// line and the output.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/compile_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress_display.hpp"
#include "cli/advice_options.hpp"
#include "cli/index_options.hpp"
#include "cli/lock_memo.hpp"
#include "cli/pipfile_lock.hpp"
#include "cli/resolve_options.hpp"
#include "cli/target_options.hpp"
#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

namespace {

struct LockArgs {
  RequirementInputs inputs;  // REQ... arguments, -r and -c files
  std::string output;
  std::string format = "requirements";
  bool generate_hashes = false;
  bool allow_unsafe = false;
  ResolveSettings resolve;
  bool upgrade = false;
  std::vector<std::string> upgrade_packages;
  std::vector<std::string> unsafe_packages;
  bool no_header = false;
  bool no_annotate = false;
  bool strip_extras = false;
  std::string annotation_style = "split";
  bool emit_index_url = true;
  bool dry_run = false;
  bool no_memo = false;  // --no-memo: resolve even when an earlier run's lock could be reused
  bool no_build_isolation = false;
  TargetSettings target;
  IndexSettings index;
  AdviceArgs advice;
  // --pipfile [PATH]: lock a Pipfile into Pipfile.lock instead (the options below apply then).
  std::optional<std::string> pipfile;
  std::string pipenv_hash = "canonical";
  std::vector<std::string> categories;
};

// The roots whose index pages can be fetched before the target is known: named, not direct, no marker
// (a marker waits for the target, so as not to fetch what it may rule out).
std::vector<std::string> prefetchable_roots(const RequirementSet& inputs) {
  std::vector<std::string> names;
  for (const UserRequirement& r : inputs.requirements) {
    if (r.link.empty() && r.requirement.url.empty() && !r.requirement.marker && !r.requirement.name.empty())
      names.push_back(r.requirement.name);
  }
  return names;
}

RequirementsStyle requirements_style(const LockArgs& args, const CLI::App& cmd, const Context& ctx) {
  RequirementsStyle style;
  if (auto custom = ctx.getenv("CUSTOM_COMPILE_COMMAND"); custom && !custom->empty()) {
    style.command = *custom;  // pip-compile's override for wrappers (make targets, scripts)
  } else {
    style.command = compile_command(cmd);
  }
  style.generate_hashes = args.generate_hashes;
  style.allow_unsafe = args.allow_unsafe;
  for (const std::string& name : args.unsafe_packages) style.unsafe_packages.push_back(normalize_name(name));
  style.header = !args.no_header;
  style.annotate = !args.no_annotate;
  style.strip_extras = args.strip_extras;
  style.emit_index_url = args.emit_index_url;
  style.annotation_style = args.annotation_style == "line" ? RequirementsStyle::AnnotationStyle::line
                                                           : RequirementsStyle::AnnotationStyle::split;
  return style;
}

// thoth lock --pipfile: the options of the Pipfile pipeline, refusing those that only make sense for
// requirements inputs.
int run_lock_pipfile(const LockArgs& args, Context& ctx) {
  if (!args.inputs.requirements.empty() || !args.inputs.requirement_files.empty() || !args.inputs.constraint_files.empty())
    throw CliError(ExitCode::Usage, "--pipfile locks the Pipfile's packages: give no requirements, -r or -c with it");
  if (!args.inputs.config_settings.empty())
    throw CliError(ExitCode::Usage, "--config-settings applies to the requirements named on the command line (as in "
                                    "pip); --pipfile takes none");
  if (args.format != "requirements") throw CliError(ExitCode::Usage, "--format does not apply to --pipfile (it writes Pipfile.lock)");
  PipfileLockArgs p;
  p.pipfile = args.pipfile->empty() ? "Pipfile" : *args.pipfile;
  p.output = args.output;
  p.hash = args.pipenv_hash;
  p.categories = args.categories;
  p.dry_run = args.dry_run;
  p.resolve = args.resolve;
  p.target = args.target;
  p.index = args.index;
  p.advice = args.advice;
  return run_pipfile_lock(p, ctx);
}

// Writes the lock made (or remembered) to -o, or shows it for --dry-run.
int write_lock_text(const LockArgs& args, const std::string& text, Context& ctx) {
  if (args.dry_run) {
    // pip-compile --dry-run shows the lock and changes nothing. It prints to stderr; the lock is this
    // command's output, so it goes to stdout as without -o.
    write_output("-", text, ctx.out);
    if (ctx.verbosity != Verbosity::Quiet) ctx.err << "Dry-run, so nothing updated.\n";
    return code(ExitCode::Success);
  }
  write_output(args.output, text, ctx.out);
  if (!args.output.empty() && args.output != "-") ctx.note("wrote " + args.output);
  return code(ExitCode::Success);
}

int run_lock(const LockArgs& args, const CLI::App& cmd, Context& ctx) {
  if (args.pipfile) return run_lock_pipfile(args, ctx);
  // The knowledge-guided search, when asked for: checked (and its knowledge bases read) first.
  std::optional<AdviceRequest> advice;
  if (!args.advice.recommend.empty()) {
    advice.emplace(advice_request(args.advice));
  } else if (!args.advice.kb.empty() || !args.advice.justify.empty()) {
    throw CliError(ExitCode::Usage, "--kb and --justify need --recommend TYPE (or use thoth advise)");
  }
  std::optional<LockFormat> format = parse_lock_format(args.format);
  if (!format) {
    throw CliError(ExitCode::Usage,
                   "invalid --format '" + args.format + "' (expected requirements, pylock or report)");
  }
  if (args.annotation_style != "split" && args.annotation_style != "line") {
    throw CliError(ExitCode::Usage, "invalid --annotation-style '" + args.annotation_style + "' (expected split or line)");
  }
  for (const std::string& name : args.unsafe_packages) {
    if (!is_valid_name(name))
      throw CliError(ExitCode::Usage, "invalid --unsafe-package '" + name + "' (expected a project name)");
  }
  // A lock of a hundred packages allocates about 10 MB (parsed listings, metadata, the solver): the
  // heap is reserved a few MiB at a time, as it fills.

  UpgradeOptions upgrade = parse_upgrade_options(args.upgrade, args.upgrade_packages);
  std::optional<ProgressDisplay> progress;  // the builds of sdists' metadata, on a terminal
  CommandEnvironment env(ctx);
  show_progress(progress, ctx, env);
  auto session = std::make_unique<Session>(args.index, args.target, env.session());
  session->set_build_isolation(!args.no_build_isolation);
  // Files that list nothing lock nothing, as pip-compile makes an empty lock of an empty
  // requirements.in; a command line without any input is a mistake.
  if (args.inputs.requirements.empty() && args.inputs.requirement_files.empty())
    throw CliError(ExitCode::Usage, "nothing to lock: give requirements or requirements files as arguments, or -r FILE");
  // The resolution memo (cli/lock_memo.hpp) needs every page the run reads, from the first.
  const bool memo_possible = !ctx.command_line.empty() && !advice && !args.no_memo;
  if (memo_possible) session->record_pages();
  RequirementSet inputs = session->read_requirements(args.inputs);
  // Without an existing lock the resolution takes the latest versions; with one, it keeps its pins
  // where they still fit, and their pages are asked for from the start (after the memo's pages, which
  // are mostly the same, when the memo is on).
  session->open(inputs.options.index, prefetchable_roots(inputs));
  const std::optional<std::string> previous = advice ? std::nullopt : read_previous_lock(args.output, env);
  const LockMemo memo(ctx, *session, inputs, args.output, previous, !memo_possible);
  const std::size_t warnings_before = env.warnings();
  std::optional<std::string> remembered = memo.find(*session);
  if (remembered) {
    ctx.note("the inputs and index pages are those of an earlier run: its lock is written again");
    return write_lock_text(args, *remembered, ctx);
  }
  std::map<std::string, Version> pins = existing_pins(previous, args.output, upgrade, env);
  std::vector<std::string> pinned;
  for (const auto& pin : pins) pinned.push_back(pin.first);
  session->prefetch(pinned);
  ResolveOptions options = session->resolve_options(inputs, args.resolve);
  std::unique_ptr<Resolution> resolution;
  if (advice) {
    Advice found = session->advise(inputs, options, advice->kb, advice->recommendation, advice->search,
                                   upgrade.constraints);
    report_justification(found, args.advice, ctx);
    resolution = std::make_unique<Resolution>(std::move(found.stacks.front().resolution));
  } else {
    PreferPinnedPolicy policy(std::move(pins));
    resolution = std::make_unique<Resolution>(session->resolve(inputs, options, policy, upgrade.constraints));
  }

  // What the chosen format needs beyond the pins: every file of each pinned version (hashes), core
  // metadata (report, pylock), a hash for every listed file (pylock).
  const bool hashes = *format == LockFormat::requirements && args.generate_hashes;
  LockNeeds needs;
  needs.release_files = hashes;
  needs.pin_hashes = hashes || *format == LockFormat::pylock;
  needs.metadata = *format != LockFormat::requirements;
  LockInputs lock_inputs = session->lock_inputs(*resolution, inputs, options, needs);
  auto lock = std::make_unique<Lock>(to_lock(*resolution, lock_inputs));
  std::string text = write_lock(*format, *lock, requirements_style(args, cmd, ctx));
  // Done: the parsed listings, what the resolution learnt about each project and what the lock was made
  // of are left to the OS (freeing them is a tenth of a warm run's instructions).
  ctx.keep_until_exit(session->release_for_exit());
  ctx.keep_until_exit(resolution);
  ctx.keep_until_exit(lock);
  memo.keep(*session, text, env.warnings() - warnings_before);
  return write_lock_text(args, text, ctx);
}

// The options of `thoth lock` and `thoth advise`, which differ only in whether advice is asked for.
void add_lock_options(CLI::App* cmd, LockArgs& a, bool advise) {
  LockArgs* args = &a;
  add_requirement_options(*cmd, args->inputs);
  add_config_settings_option(*cmd, args->inputs);
  cmd->add_option("-o,--output,--output-file", args->output, "Write the lock to FILE ('-' for stdout, the default)")
      ->type_name("FILE");
  cmd->add_option("--format", args->format, "requirements (default), pylock or report")->type_name("FORMAT");
  cmd->add_flag("--generate-hashes", args->generate_hashes,
                "Add --hash lines for every file of each pinned version (requirements format)");
  cmd->add_flag("--allow-unsafe", args->allow_unsafe,
                "Pin the unsafe packages too (pip-compile comments them out by default)");
  cmd->add_option("--unsafe-package", args->unsafe_packages,
                  "Consider NAME unsafe (repeatable; replaces the default setuptools, distribute, pip)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_flag("--dry-run", args->dry_run, "Print the lock on stdout and write no file");
  if (!advise) {
    cmd->add_flag("--no-memo", args->no_memo,
                  "Resolve even when an earlier run with the same inputs and index pages made this lock");
    const std::string pipenv_group = "Pipfile options";
    cmd->add_option("--pipfile", args->pipfile,
                    "Lock a Pipfile (default ./Pipfile) into Pipfile.lock beside it, as pipenv lock does")
        ->type_name("[PATH]")
        ->expected(0, 1)
        ->group(pipenv_group);
    cmd->add_option("--pipenv-hash", args->pipenv_hash,
                    "Pipfile.lock's _meta.hash: canonical (names normalised, current pipenv; default) or legacy")
        ->type_name("VARIANT")
        ->group(pipenv_group);
    cmd->add_option("--categories", args->categories, "With --pipfile: lock only these categories besides default")
        ->type_name("NAMES")
        ->allow_extra_args(false)
        ->group(pipenv_group);
  }
  const std::string out_group = "Output options (requirements format)";
  cmd->add_flag("--no-header", args->no_header, "Leave out the comment block naming the command")->group(out_group);
  cmd->add_flag("--no-annotate", args->no_annotate, "Leave out the '# via' comments")->group(out_group);
  cmd->add_option("--annotation-style", args->annotation_style, "split (default: '# via' on lines of their own) or line")
      ->type_name("STYLE")
      ->group(out_group);
  cmd->add_flag("--strip-extras", args->strip_extras, "Write pins without their [extras]")->group(out_group);
  cmd->add_flag("--emit-index-url,!--no-emit-index-url", args->emit_index_url,
                "Write (default) or leave out the --index-url and --extra-index-url lines")
      ->group(out_group);
  const std::string group = "Resolution options";
  cmd->add_flag("-U,--upgrade", args->upgrade, "Ignore the pins of the existing -o FILE (otherwise kept where they fit)")
      ->group(group);
  cmd->add_option("-P,--upgrade-package", args->upgrade_packages,
                  "Ignore the existing pin of NAME, optionally upgrading to NAME==VERSION (repeatable)")
      ->type_name("NAME[==VER]")
      ->allow_extra_args(false)
      ->group(group);
  add_resolve_options(*cmd, args->resolve, group);
  cmd->add_flag("--no-build-isolation", args->no_build_isolation,
                "Build sdists for their metadata in the --python interpreter's environment as it is (PEP 517)")
      ->group(group);
  cmd->add_option("--resolve-timeout", args->resolve.timeout_seconds, "Give up resolving after this many seconds")
      ->type_name("SECONDS")
      ->group(group);
  add_advice_options(*cmd, args->advice, advise);
  add_target_options(*cmd, args->target);
  add_index_options(*cmd, args->index);
}

}  // namespace

Command add_lock_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<LockArgs>();
  CLI::App* cmd = root.add_subcommand("lock", "Resolve requirements and write a lock file");
  cmd->footer(
      "Requirements come from arguments (as pip install takes them) and -r files; -c files only\n"
      "restrict versions. Options inside requirements files apply too; the command line wins. The lock\n"
      "is written to stdout, or atomically to -o FILE: requirements.txt as pip-compile writes it\n"
      "(default), PEP 751 pylock.toml (--format pylock), or pip's installation report (--format report).\n"
      "As with pip-compile, the versions an existing -o FILE pins are kept while they still fit the\n"
      "inputs; -U releases all of them, -P NAME one. The target is the active interpreter unless target\n"
      "options say otherwise; --recommend TYPE searches as thoth advise does. See thoth(1).");
  add_lock_options(cmd, *args, /*advise=*/false);
  return {cmd, [args, cmd, &ctx]() { return run_lock(*args, *cmd, ctx); }};
}

Command add_advise_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<LockArgs>();
  CLI::App* cmd = root.add_subcommand("advise", "Lock the best-scored stack a knowledge base leads to");
  cmd->footer(
      "Takes the inputs and outputs of thoth lock. Instead of the newest versions, searches the valid\n"
      "resolutions (hill climbing or simulated annealing; every stack it visits is a complete resolution\n"
      "by the exact resolver, so the lock installs) for the best score under --recommend and the facts\n"
      "of the --kb knowledge bases, and writes that stack's lock. --justify FILE says why each version\n"
      "was chosen over a newer one (a table on a terminal). See thoth(1) and thoth-kb(5).");
  add_lock_options(cmd, *args, /*advise=*/true);
  return {cmd, [args, cmd, &ctx]() { return run_lock(*args, *cmd, ctx); }};
}

}  // namespace thoth::cli
