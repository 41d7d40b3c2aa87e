// `thoth pipenv lock`: pipenv's `pipenv lock` (Pipfile -> Pipfile.lock) done by thoth; and
// `thoth pipenv-resolver`: pipenv's resolver program (its JSON request/response protocol), so that
// pipenv itself can hand its locking to thoth.
#include <memory>
#include <sstream>

#include "cli/advice_options.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_options.hpp"
#include "cli/pipfile_lock.hpp"
#include "cli/resolve_options.hpp"
#include "cli/target_options.hpp"
#include "thoth/pipenv_resolver.hpp"

namespace thoth::cli {

Command add_pipenv_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<PipfileLockArgs>();
  CLI::App* cmd = root.add_subcommand("pipenv", "pipenv's commands done by thoth: lock");
  cmd->require_subcommand(1, 1);
  CLI::App* lock = cmd->add_subcommand("lock", "Lock a Pipfile into Pipfile.lock, as pipenv lock does");
  lock->footer(
      "Resolves the Pipfile's default category ([packages]), then every other category with default's\n"
      "pins as constraints, against the Pipfile's sources, for the Python of its [requires] section, and\n"
      "writes Pipfile.lock in pipenv's layout with the _meta.hash pipenv checks (pipenv verify, pipenv\n"
      "sync, pipenv install --deploy accept it). See thoth(1).");
  lock->add_option("--pipfile", args->pipfile, "The Pipfile to lock (default: ./Pipfile; '-': stdin)")->type_name("PATH");
  add_pipfile_output_options(*lock, *args);
  lock->add_flag("--dry-run", args->dry_run, "Print the lock on stdout and write no file");
  add_resolve_options(*lock, args->resolve, "Resolution options");
  add_target_options(*lock, args->target);
  add_index_options(*lock, args->index);
  add_advice_options(*lock, args->advice, /*advise=*/false);
  return {cmd, [args, &ctx]() { return run_pipfile_lock(*args, ctx); }};
}

namespace {

struct ResolverArgs {
  std::string request_file;
  std::string response_file;
  AdviceArgs advice;
  TargetSettings target;
  IndexSettings index;
};

// pipenv/resolver/main.py's exit contract: 0 for success and for a resolution error (the response
// says which), 1 for an internal error, 2 for a request of another schema version. A response is
// written in every case but an unwritable response file.
int run_resolver(const ResolverArgs& args, Context& ctx) {
  std::optional<AdviceRequest> advice;
  if (!args.advice.recommend.empty()) {
    advice.emplace(advice_request(args.advice));
  } else if (!args.advice.kb.empty() || !args.advice.justify.empty()) {
    throw CliError(ExitCode::Usage, "--kb and --justify need --recommend TYPE");
  }
  auto respond = [&](const ResolverResponse& response, int status) {
    write_output(args.response_file, write_resolver_response(response), ctx.out);
    return status;
  };
  ResolverResponse failure;
  failure.kind = ResolverResponse::Kind::internal_error;
  failure.pip_version = std::string("thoth ") + THOTH_VERSION;
  ResolverRequest request;
  try {
    std::istringstream none;
    request = parse_resolver_request(read_input(args.request_file, args.request_file == "-" ? ctx.in : none, "request file"));
  } catch (const ResolverProtocolError& e) {
    failure.message = e.what();
    ctx.warning(e.what());
    return respond(failure, e.schema_mismatch() ? 2 : 1);
  } catch (const SessionError& e) {
    failure.message = e.what();
    ctx.warning(e.what());
    return respond(failure, 1);
  }
  CommandEnvironment env(ctx);
  ResolverAdvice resolver_advice;
  if (advice) {
    resolver_advice.kb = &advice->kb;
    resolver_advice.recommendation = advice->recommendation;
    resolver_advice.search = advice->search;
  }
  ResolverResponse response;
  try {
    response = serve_resolver_request(request, args.index, args.target, env.session(), advice ? &resolver_advice : nullptr);
  } catch (const ResolverProtocolError& e) {
    failure.message = e.what();
    ctx.warning(e.what());
    return respond(failure, 1);
  }
  for (const std::string& w : response.warnings) ctx.warning(w);
  if (response.kind == ResolverResponse::Kind::resolution_error) ctx.warning(response.message);
  if (response.kind == ResolverResponse::Kind::internal_error) ctx.warning(response.message);
  return respond(response, response.kind == ResolverResponse::Kind::internal_error ? 1 : 0);
}

}  // namespace

Command add_pipenv_resolver_command(CLI::App& root, Context& ctx) {
  auto args = std::make_shared<ResolverArgs>();
  CLI::App* cmd = root.add_subcommand("pipenv-resolver", "Serve one pipenv resolver request (pipenv's JSON protocol)");
  cmd->footer(
      "Reads a ResolverRequest (pipenv's resolver protocol, schema version 1) from --request-file and\n"
      "writes the ResolverResponse to --response-file: the locked entries, a resolution_error with the\n"
      "conflicts, or an internal_error. Exit status 0 for success and resolution errors, 1 for an\n"
      "internal error, 2 for a request of another schema version. With --recommend the advisor's stack\n"
      "is returned, its score and justification in diagnostics.resolver_log. packaging/pipenv/ registers\n"
      "thoth as pipenv's resolver backend (PIPENV_RESOLVER=thoth). See thoth(1).");
  cmd->add_option("--request-file", args->request_file, "The ResolverRequest JSON ('-': stdin)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--response-file", args->response_file, "Where to write the ResolverResponse JSON ('-': stdout)")
      ->type_name("FILE")
      ->required();
  add_advice_options(*cmd, args->advice, /*advise=*/false);
  add_target_options(*cmd, args->target);
  add_index_options(*cmd, args->index);
  return {cmd, [args, &ctx]() { return run_resolver(*args, ctx); }};
}

}  // namespace thoth::cli
