// Shell completion scripts for bash and zsh, generated from the CLI11 definition of the program (the
// App tree app.cpp builds), so that a new command or option completes without anyone editing a list.
//
// What a word after an option completes to follows the option's type name (what `--help` shows):
// FILE, PATH and OUT complete file names, DIR and DIR|URL directory names, any other name nothing (a
// value thoth cannot guess). Positional arguments follow the same rule; subcommands complete first.
#pragma once

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace thoth::cli {

// The completion script for `shell` ("bash" or "zsh") of every command and option under `root`.
// Throws CliError (usage) for another shell.
std::string completion_script(const CLI::App& root, std::string_view shell);

}  // namespace thoth::cli
