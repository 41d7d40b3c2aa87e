// Which part of a lock a command takes: the categories of a Pipfile.lock (pipenv's --dev and
// --categories), the extras and dependency groups of a pylock.toml (PEP 751). Shared by the commands
// that read a lock as it is: install, sync and download.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "thoth/lock.hpp"

namespace thoth::cli {

struct LockSelection {
  bool dev = false;                     // Pipfile.lock: also the develop category
  std::vector<std::string> categories;  // Pipfile.lock: these categories instead
  std::vector<std::string> extras;      // pylock.toml: the extras asked for
  std::vector<std::string> groups;      // pylock.toml: the dependency groups (default: its default-groups)
};

// --dev, --categories, --extra and --group; `verb` ("install", "download") says in their help what
// the command does with the packages they select.
void add_lock_selection_options(CLI::App& cmd, LockSelection& selection, const std::string& verb);

// The selection needs a lock to choose from: a usage error when the command was given requirements.
void require_lock_for_selection(const LockSelection& selection, bool from_lock);

// The lock in `path` ('-': stdin) with the selection applied: a Pipfile.lock's categories (default,
// and develop with --dev, unless --categories names others), a pylock's extras and groups. A
// selection the lock's format has no such thing for is a usage error.
Lock read_selected_lock(const std::string& path, const LockSelection& selection, Context& ctx);

}  // namespace thoth::cli
