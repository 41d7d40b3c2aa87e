#include "cli/lock_selection.hpp"

#include <algorithm>

#include "cli/exit_codes.hpp"
#include "thoth/pipfile.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {
namespace {

// pipenv's category selection for `pipenv sync` / `install --deploy`: default (and develop with --dev),
// or the --categories given (space- or comma-separated; Pipfile section names mean their lock names).
std::vector<std::string> pipfile_lock_categories(bool dev, const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const std::string& value : given) {
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t end = value.find_first_of(", ", start);
      if (end == std::string::npos) end = value.size();
      if (end > start) {
        std::string name = pipfile_lock_name(std::string_view(value).substr(start, end - start));
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
      }
      start = end + 1;
    }
  }
  if (!out.empty()) return out;
  out.push_back("default");
  if (dev) out.push_back("develop");
  return out;
}

}  // namespace

void add_lock_selection_options(CLI::App& cmd, LockSelection& selection, const std::string& verb) {
  cmd.add_flag("--dev", selection.dev, "Pipfile.lock: " + verb + " the develop category too (as pipenv sync --dev)");
  cmd.add_option("--categories", selection.categories,
                 "Pipfile.lock: " + verb + " these categories instead (space- or comma-separated, as pipenv's --categories)")
      ->type_name("NAMES")
      ->allow_extra_args(false);
  cmd.add_option("--extra", selection.extras,
                 "pylock.toml: " + verb + " the packages whose marker asks for this extra (\"NAME\" in extras; PEP 751)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd.add_option("--group", selection.groups,
                 "pylock.toml: " + verb + " this dependency group instead of its default-groups (\"NAME\" in dependency_groups)")
      ->type_name("NAME")
      ->allow_extra_args(false);
}

void require_lock_for_selection(const LockSelection& selection, bool from_lock) {
  if (!from_lock && (!selection.extras.empty() || !selection.groups.empty()))
    throw CliError(ExitCode::Usage, "--extra and --group choose from a pylock.toml: give --lock FILE (for requirements, "
                                    "write the extras in them: name[extra])");
}

Lock read_selected_lock(const std::string& path, const LockSelection& selection, Context& ctx) {
  const std::string text = read_input(path, ctx.in, "lock file");
  const std::string name = path == "-" ? "<stdin>" : path;
  Lock lock;
  if (detect_lock_format(text, name) == LockFormat::pipfile) {
    lock = read_pipfile_lock(text, name, pipfile_lock_categories(selection.dev, selection.categories),
                             [&ctx](std::string_view var) { return ctx.getenv(std::string(var)); });
  } else {
    if (selection.dev || !selection.categories.empty())
      throw CliError(ExitCode::Usage, "--dev and --categories select categories of a Pipfile.lock; " + name + " is not one");
    lock = read_lock(text, name);
  }
  select_from_lock(lock, selection.extras, selection.groups, name);
  return lock;
}

}  // namespace thoth::cli
