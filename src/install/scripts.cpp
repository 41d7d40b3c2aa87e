#include "install/scripts.hpp"

#include <map>

#include "install/ini.hpp"
#include "thoth/install.hpp"

namespace thoth::install_detail {
namespace {

// distlib/scripts.py SCRIPT_TEMPLATE (distlib 0.3.6, as vendored by pip 23).
constexpr std::string_view kTemplate =
    "# -*- coding: utf-8 -*-\n"
    "import re\n"
    "import sys\n"
    "from %module% import %import_name%\n"
    "if __name__ == '__main__':\n"
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
    "    sys.exit(%func%())\n";

// Linux's limit on a shebang line (BINPRM_BUF_SIZE), as distlib counts it: "#!", path, newline.
constexpr std::size_t kMaxShebang = 127;

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
}

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

// "module:attr.attr [extras]" -> {module, attr.attr}; the callable is required for a script.
std::optional<std::pair<std::string, std::string>> parse_callable(std::string_view value) {
  std::size_t bracket = value.find('[');
  if (bracket != std::string_view::npos) value = value.substr(0, bracket);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto dotted = [](std::string_view s) {
    std::size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    if (b == std::string_view::npos) return std::string();
    s = s.substr(b, e - b + 1);
    bool ok = !s.empty() && s.front() != '.' && s.back() != '.';
    for (char c : s) ok = ok && (is_word(c) || c == '.');
    return ok ? std::string(s) : std::string();
  };
  std::string module = dotted(value.substr(0, colon)), attr = dotted(value.substr(colon + 1));
  if (module.empty() || attr.empty()) return std::nullopt;
  return std::make_pair(module, attr);
}

std::string launcher_text(const std::string& module, const std::string& attr, std::string_view executable) {
  std::string body(kTemplate);
  replace_all(body, "%module%", module);
  replace_all(body, "%import_name%", attr.substr(0, attr.find('.')));
  replace_all(body, "%func%", attr);
  return shebang_for(executable) + body;
}

}  // namespace

std::string shebang_for(std::string_view executable) {
  // distlib ScriptMaker._get_shebang / _build_shebang: a path with a space is quoted, and then (or
  // when too long for the kernel) run through /bin/sh.
  bool has_space = executable.find(' ') != std::string_view::npos;
  std::string quoted = has_space ? "\"" + std::string(executable) + "\"" : std::string(executable);
  if (!has_space && quoted.size() + 3 <= kMaxShebang) return "#!" + quoted + "\n";
  return "#!/bin/sh\n'''exec' " + quoted + " \"$0\" \"$@\"\n' '''\n";
}

std::optional<std::string> rewrite_python_shebang(std::string_view script, std::string_view executable) {
  if (!script.starts_with("#!python")) return std::nullopt;
  std::size_t nl = script.find('\n');
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : script.substr(nl + 1);
  return "#!" + std::string(executable) + "\n" + std::string(rest);
}

std::vector<Launcher> make_launchers(std::string_view entry_points_txt, std::string_view executable,
                                     std::string_view python_version, std::string_view label) {
  Ini ini = parse_ini(entry_points_txt, IniStyle::EntryPoints);
  // Later definitions of a name replace earlier ones (importlib.metadata's entry points, read into
  // a dict by pip); order of generation is the file's.
  std::vector<std::pair<std::string, std::string>> specs;
  auto set = [&specs](std::string name, std::string value) {
    for (auto& s : specs)
      if (s.first == name) {
        s.second = std::move(value);
        return;
      }
    specs.emplace_back(std::move(name), std::move(value));
  };
  for (const IniEntry& e : ini.entries)
    if (e.section == "console_scripts" || e.section == "gui_scripts") set(e.key, e.value);

  // pip/_internal/operations/install/wheel.py get_console_script_specs: pip and easy_install get
  // versioned names for the interpreter they are installed for, and their own versioned names go.
  auto take = [&specs](std::string_view name) -> std::optional<std::string> {
    for (auto it = specs.begin(); it != specs.end(); ++it)
      if (it->first == name) {
        std::string value = it->second;
        specs.erase(it);
        return value;
      }
    return std::nullopt;
  };
  auto drop_versioned = [&specs](std::string_view stem, char separator) {
    std::erase_if(specs, [&](const auto& s) {
      std::string_view n = s.first;
      if (!n.starts_with(stem)) return false;
      n.remove_prefix(stem.size());
      if (separator == '-') {  // easy_install(-\d+\.\d+)?
        if (n.empty()) return true;
        if (n.front() != '-') return false;
        n.remove_prefix(1);
      }
      // \d+(\.\d+)? (pip's form also accepts a bare number)
      std::size_t dot = n.find('.');
      auto digits = [](std::string_view d) { return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos; };
      if (separator == '-') return dot != std::string_view::npos && digits(n.substr(0, dot)) && digits(n.substr(dot + 1));
      if (n.empty()) return true;
      return dot == std::string_view::npos ? digits(n) : digits(n.substr(0, dot)) && digits(n.substr(dot + 1));
    });
  };
  std::vector<std::pair<std::string, std::string>> generate;
  std::string major(python_version.substr(0, python_version.find('.')));
  if (std::optional<std::string> pip = take("pip")) {
    generate.emplace_back("pip", *pip);
    generate.emplace_back("pip" + major, *pip);
    generate.emplace_back("pip" + std::string(python_version), *pip);
    drop_versioned("pip", 0);
  }
  if (std::optional<std::string> easy_install = take("easy_install")) {
    generate.emplace_back("easy_install", *easy_install);
    generate.emplace_back("easy_install-" + std::string(python_version), *easy_install);
    drop_versioned("easy_install", '-');
  }
  generate.insert(generate.end(), specs.begin(), specs.end());

  std::vector<Launcher> out;
  for (const auto& [name, value] : generate) {
    if (name.empty() || name == "." || name == ".." || name.find_first_of("/\\\0\n", 0, 4) != std::string::npos)
      throw InstallError(std::string(label) + ": entry point name \"" + name +
                         "\" is not a file name; the wheel's entry_points.txt is invalid, fix the project");
    std::optional<std::pair<std::string, std::string>> callable = parse_callable(value);
    if (!callable)
      throw InstallError(std::string(label) + ": script entry point " + name + " = " + value +
                         " has no callable (module:function); fix the project's entry points");
    out.push_back({name, launcher_text(callable->first, callable->second, executable)});
  }
  return out;
}

}  // namespace thoth::install_detail
