// `thoth install` (also `thoth-install`), `thoth sync` and `thoth uninstall`: pip's install habits on
// top of the session. Requirements are resolved for the environment's own interpreter (what is
// installed already is kept where it fits, as pip keeps it), or a lock is installed as it is; the
// session downloads what is missing and installs it in one transaction.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress_display.hpp"
#include "cli/index_options.hpp"
#include "cli/lock_selection.hpp"
#include "cli/resolve_options.hpp"
#include "cli/target_options.hpp"
#include "thoth/install.hpp"
#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

namespace {

struct InstallArgs {
  RequirementInputs inputs;
  std::string lock_file;
  LockSelection selection;  // of the --lock: categories, extras, dependency groups
  bool upgrade = false;
  bool no_deps = false;
  bool force_reinstall = false;
  bool require_hashes = false;
  bool dry_run = false;
  std::string report;
  std::string target_dir;
  bool break_system_packages = false;
  bool compile = false;
  bool no_build_isolation = false;
  std::string link_mode = "auto";
  ResolveSettings resolve;
  TargetSettings target;
  IndexSettings index;
};

std::optional<LinkMode> parse_link_mode(const std::string& text) {
  for (LinkMode m : {LinkMode::Auto, LinkMode::Hardlink, LinkMode::Reflink, LinkMode::Copy})
    if (text == link_mode_name(m)) return m;
  return std::nullopt;
}

// The environment to install into: --python, else $VIRTUAL_ENV, else python3 on PATH; --target DIR
// puts everything under DIR instead. PEP 668: an externally managed interpreter is refused unless the
// user says --break-system-packages, and (as pip) not checked for --dry-run or --target.
InstallEnvironment install_environment(const InstallArgs& args, const std::string& python, const Context& ctx) {
  ctx.note("probing the environment of " + python);
  InstallEnvironment env = InstallEnvironment::probe(python);
  if (!args.target_dir.empty()) return env.for_target_directory(std::filesystem::absolute(args.target_dir));
  if (!args.dry_run && !args.break_system_packages) check_not_externally_managed(env);
  return env;
}

// pip's --require-hashes mode (on when asked, or when any requirement carries --hash): every package
// of the resolution must be pinned with == by a requirement that gives its hashes, and is installed
// only from a file with one of them.
void require_hashes(Lock& lock, const RequirementSet& inputs) {
  std::vector<std::string> missing;
  for (LockedPackage& p : lock.packages) {
    const UserRequirement* pinned = nullptr;
    for (const UserRequirement& r : inputs.requirements) {
      if (r.requirement.name.empty() || normalize_name(r.requirement.name) != p.name || r.hashes.empty()) continue;
      const auto& specs = r.requirement.specifier.specifiers();
      const bool exact = specs.size() == 1 && ((specs[0].op() == Specifier::Op::Equal && !specs[0].wildcard()) ||
                                               specs[0].op() == Specifier::Op::Arbitrary);
      if (exact || !r.requirement.url.empty() || !r.link.empty()) pinned = &r;
    }
    if (pinned == nullptr) {
      missing.push_back(p.name + "==" + (p.version ? p.version->str() : std::string()));
      continue;
    }
    p.hashes = pinned->hashes;
    std::sort(p.hashes.begin(), p.hashes.end());
  }
  if (!missing.empty()) {
    std::string list;
    for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw CliError(ExitCode::Usage, "in --require-hashes mode every package must be pinned with == and --hash; these "
                                    "are not: " + list + " (lock with 'thoth lock --generate-hashes')");
  }
}

// pip's messages, on stdout unless the report goes there.
void print_outcome(const InstallOutcome& outcome, bool dry_run, bool report_on_stdout, Context& ctx) {
  if (ctx.verbosity == Verbosity::Quiet) return;
  std::ostream& out = report_on_stdout ? ctx.err : ctx.out;
  for (const std::string& s : outcome.plan.satisfied) ctx.note("requirement already satisfied: " + s);
  auto names = [](const std::vector<const LockedPackage*>& packages) {
    std::string out;
    for (const LockedPackage* p : packages)
      out += (out.empty() ? "" : " ") + (p->display_name.empty() ? p->name : p->display_name) + "-" +
             (p->version ? p->version->str() : std::string());
    return out;
  };
  if (dry_run) {
    // pip's own words, which scripts grep for.
    if (!outcome.plan.install.empty()) out << "Would install " << names(outcome.plan.install) << '\n';
    for (const InstalledDistribution* d : outcome.plan.remove)
      out << "Would uninstall " << d->display_name << "-" << d->version << '\n';
    return;
  }
  if (!outcome.report) {
    out << "Nothing to install: every package is installed at its version already\n";
    return;
  }
  for (const InstalledDistribution& d : outcome.report->removed)
    ctx.note("removed " + d.display_name + "-" + d.version);
  if (!outcome.report->installed.empty()) {
    std::string list;
    for (const InstalledWheel& w : outcome.report->installed)
      list += (list.empty() ? "" : " ") + w.display_name + "-" + w.version;
    out << "Successfully installed " << list << '\n';
  }
  if (!outcome.plan.remove.empty()) {
    std::string list;
    for (const InstalledDistribution* d : outcome.plan.remove)
      list += (list.empty() ? "" : " ") + d->display_name + "-" + d->version;
    out << "Successfully uninstalled " << list << '\n';
  }
}

int run_install(const InstallArgs& args, bool sync, Context& ctx) {
  const std::optional<LinkMode> link_mode = parse_link_mode(args.link_mode);
  if (!link_mode)
    throw CliError(ExitCode::Usage, "invalid --link-mode '" + args.link_mode + "' (expected auto, hardlink, reflink or copy)");
  const bool from_lock = !args.lock_file.empty();
  const bool has_requirements =
      !args.inputs.requirements.empty() || !args.inputs.requirement_files.empty() || !args.inputs.editables.empty();
  if (sync && !from_lock) throw CliError(ExitCode::Usage, "thoth sync needs --lock FILE (the lock to make the environment match)");
  if (from_lock && (has_requirements || !args.inputs.constraint_files.empty()))
    throw CliError(ExitCode::Usage, "give either --lock FILE or requirements, not both (a lock is already resolved)");
  if (from_lock && !args.inputs.config_settings.empty())
    throw CliError(ExitCode::Usage, "--config-settings applies to the requirements named on the command line (as in "
                                    "pip), and a --lock FILE names none: install the package to build with "
                                    "'thoth install -C KEY=VALUE NAME==VERSION' instead");
  if (!from_lock && !has_requirements)
    throw CliError(ExitCode::Usage, "nothing to install: give requirements, -r FILE or --lock FILE");
  require_lock_for_selection(args.selection, from_lock);
  // pip: platform and ABI options only where nothing is installed into the running environment.
  if (args.target.has_overrides() && args.target_dir.empty() && !args.dry_run) {
    throw CliError(ExitCode::Usage, "--python-version, --platform, --implementation and --abi need --target DIR or "
                                    "--dry-run (the environment's own interpreter decides what fits it)");
  }

  CommandEnvironment command_env(ctx);
  std::optional<ProgressDisplay> progress;
  show_progress(progress, ctx, command_env);
  const std::string python = !args.target.python.empty() ? args.target.python : default_python(ctx.env);
  InstallEnvironment env = install_environment(args, python, ctx);
  TargetSettings target = args.target;
  target.python = python;
  Session session(args.index, target, command_env.session());
  session.set_build_isolation(!args.no_build_isolation);

  InstallSettings settings;
  settings.force_reinstall = args.force_reinstall;
  settings.dry_run = args.dry_run;
  settings.sync = sync;
  settings.compile = args.compile;
  settings.link_mode = *link_mode;
  settings.build.isolation = !args.no_build_isolation;
  settings.build.allowed = !args.target.has_overrides();

  Lock lock;
  if (from_lock) {
    lock = read_selected_lock(args.lock_file, args.selection, ctx);
    session.open(lock.options.index);
  } else {
    RequirementSet inputs = session.read_requirements(args.inputs);
    session.open(inputs.options.index);
    // pip hands its binary and pre-release options on to the installs of build environments.
    RequirementSet options_only;
    options_only.options = inputs.options;
    const ResolveOptions build_options = session.resolve_options(options_only, args.resolve);
    settings.build.binary = build_options.binary;
    settings.build.pre = build_options.allow_prereleases;
    // Local projects (./proj, -e DIR) are built first: the resolution needs their metadata.
    settings.direct_urls = session.build_local_projects(inputs, env, settings);
    const bool hash_mode = args.require_hashes || inputs.options.require_hashes ||
                           std::any_of(inputs.requirements.begin(), inputs.requirements.end(),
                                       [](const UserRequirement& r) { return !r.hashes.empty(); });
    // What is installed stays where it still fits (pip's default "only-if-needed" strategy); -U lets the
    // named requirements move to their newest versions, their dependencies only if they must.
    std::map<std::string, Version> keep;
    if (!args.force_reinstall) {
      for (const InstalledDistribution& d : scan_installed(env).distributions) {
        try {
          keep.emplace(d.name, Version::parse(d.version));
        } catch (const VersionError&) {
          // A version that is not PEP 440 cannot be preferred: resolved afresh.
        }
      }
    }
    if (args.upgrade)
      for (const UserRequirement& r : inputs.requirements)
        if (!r.requirement.name.empty()) keep.erase(normalize_name(r.requirement.name));
    PreferPinnedPolicy policy(keep);
    ResolveOptions options = session.resolve_options(inputs, args.resolve);
    options.ignore_dependencies = args.no_deps;
    settings.build.config_settings = config_settings_by_project(inputs);
    Resolution resolution = session.resolve(inputs, options, policy);
    LockNeeds needs;
    needs.pin_hashes = true;
    needs.metadata = !args.report.empty();
    lock = to_lock(resolution, session.lock_inputs(resolution, inputs, options, needs));
    if (hash_mode) require_hashes(lock, inputs);
  }

  InstallOutcome outcome = session.install(lock, env, settings);
  if (!args.report.empty()) {
    // pip's installation report: what is (or would be) installed.
    Lock installed = lock;
    std::erase_if(installed.packages, [&](const LockedPackage& p) {
      return std::none_of(outcome.plan.install.begin(), outcome.plan.install.end(),
                          [&](const LockedPackage* i) { return i->name == p.name; });
    });
    // A local project is resolved from the wheel built for it, but pip's report names the project's
    // directory (PEP 610 dir_info), as its direct_url.json does.
    for (LockedPackage& p : installed.packages)
      if (auto local = settings.direct_urls.find(p.name);
          local != settings.direct_urls.end() && local->second.kind == DirectUrl::Kind::Directory) {
        p.direct_url = local->second.url;
        p.editable = local->second.editable;
        p.files.clear();
      }
    write_output(args.report, write_report(installed), ctx.out);
  }
  print_outcome(outcome, args.dry_run, args.report == "-", ctx);
  return code(ExitCode::Success);
}

void add_install_options(CLI::App& cmd, InstallArgs& args, bool sync) {
  if (!sync) {
    add_requirement_options(cmd, args.inputs);
    cmd.add_option("-e,--editable", args.inputs.editables,
                   "Install a local project in editable mode (PEP 660: its backend's build_editable)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    add_config_settings_option(cmd, args.inputs);
  }
  cmd.add_option("--lock", args.lock_file,
                 "Install a lock as it is: requirements.txt with pins, pylock.toml, Pipfile.lock or a report ('-' for stdin)")
      ->type_name("FILE");
  add_lock_selection_options(cmd, args.selection, "install");
  if (!sync) {
    cmd.add_flag("-U,--upgrade", args.upgrade, "Upgrade the named requirements to their newest versions");
    cmd.add_flag("--no-deps", args.no_deps, "Install the requirements alone, not their dependencies");
    cmd.add_flag("--require-hashes", args.require_hashes,
                 "Every package must be pinned with == and --hash (on when any requirement has --hash)");
  }
  cmd.add_flag("--force-reinstall", args.force_reinstall, "Reinstall packages even when installed at that version");
  cmd.add_flag("--dry-run", args.dry_run, "Say what would be installed and change nothing");
  cmd.add_option("--report", args.report, "Write pip's installation report of what is installed to FILE ('-': stdout)")
      ->type_name("FILE");
  cmd.add_option("-t,--target", args.target_dir, "Install into DIR instead of the environment (pip's --target)")
      ->type_name("DIR");
  cmd.add_flag("--break-system-packages", args.break_system_packages,
                "Install into an externally managed interpreter (PEP 668) anyway");
  cmd.add_flag("--compile", args.compile, "Byte-compile the installed Python files");
  cmd.add_flag("--no-build-isolation", args.no_build_isolation,
               "Build sdists in the target environment as it is, installing no build requirements (PEP 517)");
  cmd.add_option("--link-mode", args.link_mode,
                 "How files come from the cache of unpacked wheels: auto (default), hardlink, reflink or copy")
      ->type_name("MODE");
  const std::string group = "Resolution options";
  if (!sync) add_resolve_options(cmd, args.resolve, group);
  add_target_options(cmd, args.target);
  add_index_options(cmd, args.index);
}

}  // namespace

Command add_install_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<InstallArgs>();
  CLI::App* cmd = root.add_subcommand("install", "Install packages into an environment (as pip install)");
  cmd->footer(
      "Installs into $VIRTUAL_ENV, else the environment of python3 on PATH (or --python PATH).\n"
      "Requirements are resolved for that interpreter; installed packages are kept where they fit,\n"
      "-U upgrades the named ones. --lock FILE installs a lock as it is. Everything is downloaded and\n"
      "checked first, then installed in one transaction: a failure leaves the environment as it was.\n"
      "Called as thoth-install, thoth is this command. See thoth-install(1).");
  add_install_options(*cmd, *args, /*sync=*/false);
  return {cmd, [args, &ctx]() { return run_install(*args, /*sync=*/false, ctx); }};
}

Command add_sync_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<InstallArgs>();
  CLI::App* cmd = root.add_subcommand("sync", "Make an environment match a lock exactly");
  cmd->footer(
      "Installs what --lock FILE pins and is missing or at another version, and removes what the lock\n"
      "does not list (except pip, setuptools, wheel, distribute and pkg-resources, as pip-sync), in\n"
      "one transaction.");
  add_install_options(*cmd, *args, /*sync=*/true);
  return {cmd, [args, &ctx]() { return run_install(*args, /*sync=*/true, ctx); }};
}

namespace {

struct UninstallArgs {
  std::vector<std::string> names;
  bool yes = false;
  std::string python;
  std::string target_dir;
  bool break_system_packages = false;
};

int run_uninstall(const UninstallArgs& args, Context& ctx) {
  if (args.names.empty()) throw CliError(ExitCode::Usage, "give the names of the packages to uninstall");
  const std::string python = args.python.empty() ? default_python(ctx.env) : args.python;
  InstallEnvironment env = InstallEnvironment::probe(python);
  if (!args.target_dir.empty()) {
    env = env.for_target_directory(std::filesystem::absolute(args.target_dir));
  } else if (!args.break_system_packages) {
    check_not_externally_managed(env);
  }
  InstalledSet installed = scan_installed(env);
  std::vector<std::string> present;
  for (const std::string& name : args.names) {
    if (installed.find(name) == nullptr) {
      // pip's words; not an error, as in pip.
      ctx.warning("Skipping " + name + " as it is not installed.");
      continue;
    }
    present.push_back(name);
  }
  if (present.empty()) return code(ExitCode::Success);
  InstallReport report = uninstall(env, present);
  if (ctx.verbosity != Verbosity::Quiet) {
    for (const InstalledDistribution& d : report.removed)
      ctx.out << "Successfully uninstalled " << d.display_name << "-" << d.version << '\n';
  }
  return code(ExitCode::Success);
}

}  // namespace

Command add_uninstall_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<UninstallArgs>();
  CLI::App* cmd = root.add_subcommand("uninstall", "Remove installed packages (by their RECORD)");
  cmd->footer("Removes each named package's files as its RECORD lists them, in one transaction. A name that\n"
              "is not installed is skipped with a warning, as pip does.");
  cmd->add_option("names", args->names, "Packages to remove")->type_name("NAME");
  cmd->add_flag("-y,--yes", args->yes, "Do not ask for confirmation (thoth never asks; accepted for pip's habits)");
  cmd->add_option("--python", args->python, "The interpreter whose environment to change")->type_name("PATH");
  cmd->add_option("-t,--target", args->target_dir, "Remove from a --target DIR installation")->type_name("DIR");
  cmd->add_flag("--break-system-packages", args->break_system_packages,
                "Change an externally managed interpreter (PEP 668) anyway");
  return {cmd, [args, &ctx]() { return run_uninstall(*args, ctx); }};
}

}  // namespace thoth::cli
