#include "cli/app.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/version.hpp"

namespace thoth::cli {

namespace {

// Every command, in the order `thoth --help` lists them. A new command adds one line here.
struct CommandEntry {
  std::string_view name;  // as its add_* function names it
  AddCommand add;
};
constexpr CommandEntry kCommands[] = {
    {"install", add_install_command}, {"sync", add_sync_command}, {"uninstall", add_uninstall_command},
    {"env", add_env_command},     {"lock", add_lock_command}, {"advise", add_advise_command},
    {"kb", add_kb_command}, {"sample", add_sample_command}, {"debug", add_debug_command},
    {"cache", add_cache_command}, {"help", add_help_command},
    {"download", add_download_command}, {"mirror", add_mirror_command}, {"pipenv", add_pipenv_command},
    {"pipenv-resolver", add_pipenv_resolver_command}, {"completion", add_completion_command},
};

// Commands that describe the others (their help, their completion): they need every command built.
bool describes_commands(std::string_view name) { return name == "help" || name == "completion"; }

// The command a command line runs, when it is the only one that needs building: the first word that
// is not an option (the global options take no value). Building the others, their options and help
// texts, is a good part of what a warm `thoth lock` spends before it starts. `help` and `completion`
// describe them all, and an unknown word needs them all for its message: empty then.
std::string_view only_command(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (w == "--") break;
    if (!w.empty() && w[0] == '-') continue;
    const bool known = std::any_of(std::begin(kCommands), std::end(kCommands),
                                   [&](const CommandEntry& c) { return c.name == w; });
    return known && !describes_commands(w) ? std::string_view(w) : std::string_view();
  }
  return {};
}

// CLI11's help, without its "Excludes: ..." and "..." annotations: the descriptions say that in words.
// Every help text ends with a newline (CLI11 leaves a footer without one).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override {
    std::string text = CLI::Formatter::make_help(app, std::move(name), mode);
    if (!text.empty() && text.back() != '\n') text += '\n';
    return text;
  }
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_type_size() == 0 || opt->get_type_name().empty()) return {};
    return " " + opt->get_type_name();
  }
};

// The deepest subcommand the parser entered, for the "(see 'thoth help X')" hint.
const CLI::App* selected_command(const CLI::App& root) {
  const CLI::App* app = &root;
  while (!app->get_subcommands().empty()) app = app->get_subcommands().front();
  return app;
}

std::string help_hint(const CLI::App& root) {
  // The chain of commands the parser entered: "debug candidates" for a nested one.
  std::string path;
  int depth = 0;
  for (const CLI::App* app = &root; !app->get_subcommands().empty(); ++depth) {
    app = app->get_subcommands().front();
    path += (path.empty() ? "" : " ") + app->get_name();
  }
  if (depth == 0) return " (see 'thoth help')";
  if (depth == 1) return " (see 'thoth help " + path + "')";
  return " (see 'thoth " + path + " --help')";
}

// CLI11's messages are fine but sometimes start with a capital or span lines; ours are one line.
std::string parse_error_message(const CLI::ParseError& e) {
  std::string msg = one_line(e.what());
  if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z' && (msg.size() < 2 || !(msg[1] >= 'A' && msg[1] <= 'Z'))) {
    msg[0] = static_cast<char>(msg[0] - 'A' + 'a');
  }
  return msg;
}

// Words the parser did not consume. allow_extras() keeps CLI11 from throwing its ExtrasError ("The
// following arguments were not expected: ...") so that the message can say what the first word is.
std::string leftover_message(const CLI::App& root) {
  std::vector<std::string> left = root.remaining(true);
  if (left.empty()) return {};
  std::string first = left.front();
  if (first.size() > 1 && first[0] == '-') {
    auto eq = first.find('=');
    if (eq != std::string::npos) first.resize(eq);
    return "unknown option " + first;
  }
  if (selected_command(root) == &root) return "unknown command '" + first + "'";
  return "unexpected argument '" + first + "'";
}

int usage_error(Context& ctx, const std::string& message, const CLI::App& root) {
  ctx.err << "thoth: error: " << message << help_hint(root) << '\n';
  return code(ExitCode::Usage);
}

int run_parsed(const std::string& program, std::vector<std::string> words, Context& ctx) {
  CLI::App root("thoth: Python dependency resolution for any target environment", "thoth");
  // Settings inherited by every subcommand added below: leftovers are reported by us, and the global
  // flags (-v, -q) may also follow the command name.
  root.formatter(std::make_shared<HelpFormatter>());
  root.allow_extras();
  root.fallthrough();
  root.require_subcommand(0, 1);
  root.set_help_flag("-h,--help", "Show this help and exit");
  root.set_version_flag("--version", "thoth " + std::string(kVersion), "Show the version and exit");
  root.footer(
      "Global options may also follow the command. Run 'thoth help COMMAND' for the options of one\n"
      "command; thoth(1) describes exit codes and the target document.");

  bool verbose = false;
  bool quiet = false;
  CLI::Option* verbose_opt = root.add_flag("-v,--verbose", verbose, "Explain what is being done on stderr");
  root.add_flag("-q,--quiet", quiet, "Print nothing but results and errors")->excludes(verbose_opt);

  std::vector<Command> commands;
  const std::string_view only = program == "thoth-install" ? std::string_view() : only_command(words);
  for (const CommandEntry& c : kCommands) {
    if (only.empty() || c.name == only) commands.push_back(c.add(root, ctx));
  }

  if (program == "thoth-install") {
    // One program, two names: `thoth-install ARGS` is `thoth install ARGS`.
    bool have_install = std::any_of(commands.begin(), commands.end(),
                                    [](const Command& c) { return c.app->get_name() == "install"; });
    if (!have_install) {
      ctx.err << "thoth: the install command is not available in this build\n";
      return code(ExitCode::Usage);
    }
    words.insert(words.begin(), "install");
  }

  // CLI11 wants the arguments reversed, without the program name.
  std::reverse(words.begin(), words.end());
  try {
    root.parse(words);
  } catch (const CLI::CallForHelp&) {
    ctx.out << root.help();  // follows the selected subcommand
    return code(ExitCode::Success);
  } catch (const CLI::CallForAllHelp&) {
    ctx.out << root.help("", CLI::AppFormatMode::All);
    return code(ExitCode::Success);
  } catch (const CLI::CallForVersion& e) {
    ctx.out << e.what() << '\n';
    return code(ExitCode::Success);
  } catch (const CLI::ParseError& e) {
    return usage_error(ctx, parse_error_message(e), root);
  }

  if (std::string left = leftover_message(root); !left.empty()) return usage_error(ctx, left, root);

  ctx.verbosity = verbose ? Verbosity::Verbose : quiet ? Verbosity::Quiet : Verbosity::Normal;
  for (const Command& cmd : commands) {
    if (cmd.app->parsed()) return cmd.run();
  }
  // No command: the overview, as `thoth --help` prints it.
  ctx.out << root.help();
  return code(ExitCode::Success);
}

}  // namespace

int run(const std::vector<std::string>& args, Context& ctx) {
  try {
    std::vector<std::string> words(args.empty() ? args.begin() : args.begin() + 1, args.end());
    std::string program = args.empty() ? "thoth" : std::filesystem::path(args.front()).filename().string();
    return run_parsed(program, std::move(words), ctx);
  } catch (...) {
    return report_current_exception(ctx.err);
  }
}

}  // namespace thoth::cli
