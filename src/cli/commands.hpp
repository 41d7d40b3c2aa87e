// The subcommands of `thoth`. Each lives in its own cmd_<name>.cpp and exposes one function that adds
// its CLI11 subcommand (options bound to storage the returned action owns) and returns the action to run
// when the command line selects it. app.cpp lists these functions; nothing else knows the commands.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace thoth::cli {

struct Command {
  CLI::App* app = nullptr;
  // Runs the command after the whole command line parsed cleanly; returns the exit code. Errors are
  // thrown and mapped by report_current_exception().
  std::function<int()> run;
};

using AddCommand = Command (*)(CLI::App& root, Context& ctx);

Command add_env_command(CLI::App& root, Context& ctx);
Command add_lock_command(CLI::App& root, Context& ctx);
Command add_advise_command(CLI::App& root, Context& ctx);
Command add_kb_command(CLI::App& root, Context& ctx);
Command add_sample_command(CLI::App& root, Context& ctx);
Command add_debug_command(CLI::App& root, Context& ctx);
Command add_cache_command(CLI::App& root, Context& ctx);
Command add_help_command(CLI::App& root, Context& ctx);
Command add_completion_command(CLI::App& root, Context& ctx);
Command add_mirror_command(CLI::App& root, Context& ctx);
Command add_download_command(CLI::App& root, Context& ctx);
Command add_install_command(CLI::App& root, Context& ctx);
Command add_sync_command(CLI::App& root, Context& ctx);
Command add_uninstall_command(CLI::App& root, Context& ctx);
Command add_pipenv_command(CLI::App& root, Context& ctx);
Command add_pipenv_resolver_command(CLI::App& root, Context& ctx);

}  // namespace thoth::cli
