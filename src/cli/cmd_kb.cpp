// `thoth kb`: the knowledge bases the advisor reads (thoth-kb(5)). import-osv converts security
// advisories in the OSV format into facts; check validates a KB and names every bad fact; explain lists
// the facts that apply to one version; observe records how a tested lock did as a fact.
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/target_options.hpp"
#include "thoth/knowledge_base.hpp"
#include "thoth/lock.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

namespace {

struct KbArgs {
  std::vector<std::string> paths;  // import-osv inputs, or the KB to check
  std::string output;
  std::vector<std::string> kb;     // explain
  std::string pin;                 // explain NAME==VERSION
  std::string lock_file;           // observe
  std::string result;              // observe: pass | fail
  std::string message;             // observe
  TargetSettings target;           // explain, observe: the target the markers are evaluated on
};

bool has_target(const TargetSettings& t) { return !t.python.empty() || !t.target_env.empty() || t.has_overrides(); }

int run_import(const KbArgs& args, Context& ctx) {
  if (args.paths.empty()) throw CliError(ExitCode::Usage, "give the OSV files, directories or .zip archives to import");
  if (args.output.empty()) throw CliError(ExitCode::Usage, "give the knowledge base to write with -o FILE ('-' for stdout)");
  std::vector<std::filesystem::path> paths(args.paths.begin(), args.paths.end());
  OsvImport imported = import_osv(paths);
  for (const std::string& p : imported.problems) ctx.warning(p);
  write_output(args.output, knowledge_base_json(imported.facts), ctx.out);
  if (ctx.verbosity != Verbosity::Quiet) {
    ctx.err << "thoth: " << imported.facts.size() << " fact(s) from " << imported.imported << " of "
            << imported.records << " advisory record(s) in " << imported.files << " document(s); skipped "
            << imported.malformed << " malformed, " << imported.withdrawn << " withdrawn, "
            << imported.other_ecosystems << " other-ecosystem entr" << (imported.other_ecosystems == 1 ? "y" : "ies")
            << ", " << imported.ignored_ranges << " GIT/SEMVER range(s)\n";
  }
  return code(ExitCode::Success);
}

int run_check(const KbArgs& args, Context& ctx) {
  if (args.paths.size() != 1) throw CliError(ExitCode::Usage, "give one knowledge base file or directory to check");
  KbCheck check = check_knowledge_base(args.paths.front());
  for (const std::string& n : check.notes) ctx.note(n);
  for (const std::string& e : check.errors) ctx.err << "thoth: error: " << e << '\n';
  if (!check.ok()) return code(ExitCode::Usage);
  ctx.out << args.paths.front() << ": " << check.facts << " fact(s) in " << check.files << " file(s), all valid\n";
  return code(ExitCode::Success);
}

int run_explain(const KbArgs& args, Context& ctx) {
  if (args.kb.empty()) throw CliError(ExitCode::Usage, "give the knowledge bases to look in with --kb PATH");
  std::vector<std::filesystem::path> paths(args.kb.begin(), args.kb.end());
  KnowledgeBase kb = load_knowledge_bases(paths);
  std::optional<Target> target;
  CommandEnvironment env(ctx);
  if (has_target(args.target)) target = resolve_target(args.target, env.session());
  ctx.out << format_explanation(args.pin, explain(kb, args.pin, target ? &*target : nullptr));
  return code(ExitCode::Success);
}

int run_observe(const KbArgs& args, Context& ctx) {
  if (args.lock_file.empty()) throw CliError(ExitCode::Usage, "give the lock that was tested with --lock FILE");
  if (args.result != "pass" && args.result != "fail")
    throw CliError(ExitCode::Usage, "invalid --result '" + args.result + "' (expected pass or fail)");
  if (args.output.empty()) throw CliError(ExitCode::Usage, "give the knowledge base to record into with -o FILE");
  const Lock lock = read_lock(read_input(args.lock_file, ctx.in, "lock file"), args.lock_file);
  std::vector<PinnedVersion> pins;
  for (const LockedPackage& p : lock.packages)
    if (p.version) pins.push_back({p.name, *p.version});
  if (pins.empty()) throw CliError(ExitCode::Usage, args.lock_file + " pins no version to record");
  std::optional<Target> target;
  CommandEnvironment env(ctx);
  if (has_target(args.target)) target = resolve_target(args.target, env.session());
  Fact fact = observe(pins, args.result == "pass" ? Outcome::Pass : Outcome::Fail, args.message,
                      target ? &*target : nullptr);
  // The KB grows by the new fact: the old facts as they were, then this one.
  std::vector<Fact> facts;
  std::error_code ec;
  if (std::filesystem::exists(args.output, ec)) {
    KnowledgeBase existing = load_knowledge_bases({args.output});
    facts.assign(existing.facts().begin(), existing.facts().end());
  }
  facts.push_back(std::move(fact));
  write_output(args.output, knowledge_base_json(facts), ctx.out);
  ctx.note("recorded " + args.result + " of " + std::to_string(pins.size()) + " pin(s) in " + args.output);
  return code(ExitCode::Success);
}

}  // namespace

Command add_kb_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<KbArgs>();
  CLI::App* cmd = root.add_subcommand("kb", "Knowledge bases for thoth advise: import, check, explain, observe");
  cmd->footer("The format of a knowledge base is described in thoth-kb(5).");
  cmd->require_subcommand(1, 1);

  CLI::App* import = cmd->add_subcommand("import-osv", "Convert OSV security advisories (files, dirs, .zip) to facts");
  import->add_option("paths", args->paths, "OSV JSON files, directories of them, or .zip archives")->type_name("PATH");
  import->add_option("-o,--output", args->output, "Knowledge base to write ('-' for stdout)")->type_name("FILE");

  CLI::App* check = cmd->add_subcommand("check", "Validate a knowledge base, naming every bad fact");
  check->add_option("path", args->paths, "A knowledge base file or directory")->type_name("PATH");

  CLI::App* explain_cmd = cmd->add_subcommand("explain", "List the facts that apply to NAME==VERSION");
  explain_cmd->add_option("pin", args->pin, "NAME==VERSION")->type_name("NAME==VERSION")->required();
  explain_cmd->add_option("--kb", args->kb, "Knowledge base file or directory (repeatable)")
      ->type_name("PATH")
      ->allow_extra_args(false);
  add_target_options(*explain_cmd, args->target);

  CLI::App* observe_cmd = cmd->add_subcommand("observe", "Record how a tested lock did, as a fact");
  observe_cmd->add_option("--lock", args->lock_file, "The lock that was tested")->type_name("FILE");
  observe_cmd->add_option("--result", args->result, "pass or fail")->type_name("RESULT");
  observe_cmd->add_option("--message", args->message, "What was seen (kept as the fact's message)")->type_name("TEXT");
  observe_cmd->add_option("-o,--output", args->output, "Knowledge base to add the fact to (created if missing)")
      ->type_name("FILE");
  add_target_options(*observe_cmd, args->target);

  return {cmd, [args, import, check, explain_cmd, observe_cmd, &ctx]() {
            if (import->parsed()) return run_import(*args, ctx);
            if (check->parsed()) return run_check(*args, ctx);
            if (explain_cmd->parsed()) return run_explain(*args, ctx);
            (void)observe_cmd;
            return run_observe(*args, ctx);
          }};
}

}  // namespace thoth::cli
