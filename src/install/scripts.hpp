// Scripts a wheel install generates or rewrites (binary distribution format, "Installing a wheel":
// "#!python" rewriting; "Entry points specification", "Use for scripts": console_scripts and
// gui_scripts launchers). The text is what pip writes (distlib's ScriptMaker as pip configures it), so
// an environment looks the same whichever tool installed it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thoth::install_detail {

// distlib's _build_shebang for `executable` on POSIX: "#!<executable>\n", or for a path with a space
// or longer than a shebang line allows, the /bin/sh trampoline.
std::string shebang_for(std::string_view executable);

// A script whose first line starts with "#!python" (also "#!pythonw") with that line replaced by
// "#!<executable>\n" (pip's fix_script); nullopt for any other script.
std::optional<std::string> rewrite_python_shebang(std::string_view script, std::string_view executable);

struct Launcher {
  std::string name;     // the script's file name
  std::string content;  // shebang + distlib's script template
};

// The launchers of entry_points.txt's [console_scripts] and [gui_scripts] sections (on POSIX both
// are plain scripts), with pip's special case of pip and easy_install (versioned names for the
// target's `python_version`, "3.11"). Throws InstallError naming `label` for an entry point without
// a callable ("module:function") or a name that is not a plain file name.
std::vector<Launcher> make_launchers(std::string_view entry_points_txt, std::string_view executable,
                                     std::string_view python_version, std::string_view label);

}  // namespace thoth::install_detail
