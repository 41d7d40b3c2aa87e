#include "cli/completion.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "cli/exit_codes.hpp"

namespace thoth::cli {

namespace {

// What the word after an option (or a positional argument) completes to.
enum class Values { None, Files, Dirs, Other };  // None: a flag, it takes no value

struct OptionSpec {
  std::vector<std::string> names;  // "-o", "--output"
  std::string help;
  Values values = Values::None;
};

// One command of the tree, named by the words that select it ("thoth", "thoth kb check").
struct CommandSpec {
  std::string path;
  std::vector<std::pair<std::string, std::string>> subcommands;  // name, description
  std::vector<OptionSpec> options;
  Values arguments = Values::None;  // what its positional arguments complete to
};

// The convention of completion.hpp: the type name says what a value is.
Values values_of(const CLI::Option& opt) {
  if (opt.get_type_size() == 0 || opt.get_expected_max() == 0) return Values::None;
  const std::string& type = opt.get_type_name();
  if (type == "FILE" || type == "PATH" || type == "OUT") return Values::Files;
  if (type == "DIR" || type == "DIR|URL") return Values::Dirs;
  return Values::Other;
}

bool has_name(const std::vector<OptionSpec>& options, const std::string& name) {
  return std::any_of(options.begin(), options.end(), [&](const OptionSpec& o) {
    return std::find(o.names.begin(), o.names.end(), name) != o.names.end();
  });
}

// Walks `app` and its subcommands depth first. `inherited` holds the options of the parent that a
// fallthrough subcommand also accepts (the global -v/-q after the command name).
void collect(const CLI::App& app, const std::string& path, const std::vector<OptionSpec>& inherited,
             std::vector<CommandSpec>& out) {
  CommandSpec spec;
  spec.path = path;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional()) {
      if (spec.arguments == Values::None) spec.arguments = values_of(*opt);
      continue;
    }
    OptionSpec o;
    for (const std::string& s : opt->get_snames()) o.names.push_back("-" + s);
    for (const std::string& l : opt->get_lnames()) o.names.push_back("--" + l);
    o.help = opt->get_description();
    o.values = values_of(*opt);
    if (!o.names.empty()) spec.options.push_back(std::move(o));
  }
  if (app.get_fallthrough()) {
    for (const OptionSpec& o : inherited) {
      if (!has_name(spec.options, o.names.front())) spec.options.push_back(o);
    }
  }
  const std::vector<const CLI::App*> subs = app.get_subcommands([](const CLI::App* sub) {
    return !sub->get_group().empty();  // hidden when its group is empty
  });
  for (const CLI::App* sub : subs) spec.subcommands.emplace_back(sub->get_name(), sub->get_description());
  const std::vector<OptionSpec> options = spec.options;
  out.push_back(std::move(spec));
  for (const CLI::App* sub : subs) collect(*sub, path + " " + sub->get_name(), options, out);
}

// A word for a shell script between single quotes (the same rule in bash and zsh).
std::string shell_quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

// The names of the options whose values are `wanted` (any value when `any_value`), space-separated.
std::string option_names(const CommandSpec& spec, bool any_value, Values wanted = Values::None) {
  std::string words;
  for (const OptionSpec& o : spec.options) {
    if (any_value ? o.values == Values::None : o.values != wanted) continue;
    for (const std::string& n : o.names) words += (words.empty() ? "" : " ") + n;
  }
  return words;
}

std::string all_option_names(const CommandSpec& spec) {
  std::string words;
  for (const OptionSpec& o : spec.options) {
    for (const std::string& n : o.names) words += (words.empty() ? "" : " ") + n;
  }
  return words;
}

std::string subcommand_names(const CommandSpec& spec) {
  std::string words;
  for (const auto& [name, help] : spec.subcommands) words += (words.empty() ? "" : " ") + name;
  return words;
}

const char* values_word(Values v) {
  switch (v) {
    case Values::Files: return "file";
    case Values::Dirs: return "dir";
    case Values::Other: return "value";
    case Values::None: break;
  }
  return "";
}

// The lines of _thoth_spec shared by both shells: the plain word lists the walk over the command
// line tests membership in.
void spec_words(std::string& s, const CommandSpec& c) {
  s += "      _thoth_cmds=" + shell_quoted(subcommand_names(c)) + "\n";
  s += "      _thoth_opts=" + shell_quoted(all_option_names(c)) + "\n";
  s += "      _thoth_valued=" + shell_quoted(option_names(c, true)) + "\n";
  s += "      _thoth_files=" + shell_quoted(option_names(c, false, Values::Files)) + "\n";
  s += "      _thoth_dirs=" + shell_quoted(option_names(c, false, Values::Dirs)) + "\n";
  s += "      _thoth_args=" + shell_quoted(values_word(c.arguments)) + "\n";
}

std::string bash_script(const std::vector<CommandSpec>& commands) {
  std::string s =
      "# bash completion for thoth, generated by `thoth completion bash` from its command-line\n"
      "# definition. Load it with: source <(thoth completion bash)\n"
      "\n"
      "# _thoth_spec PATH: the subcommands and options of the command PATH (\"thoth kb check\").\n"
      "_thoth_spec() {\n"
      "  _thoth_cmds= _thoth_opts= _thoth_valued= _thoth_files= _thoth_dirs= _thoth_args=\n"
      "  case \"$1\" in\n";
  for (const CommandSpec& c : commands) {
    s += "    " + shell_quoted(c.path) + ")\n";
    spec_words(s, c);
    s += "      ;;\n";
  }
  s += R"(  esac
}

# _thoth_complete_values KIND CUR: file names, directory names, or nothing (a value thoth cannot guess).
# mapfile, not COMPREPLY=($(...)): a file name may hold spaces.
_thoth_complete_values() {
  case "$1" in
    file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$2") ;;
    dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$2") ;;
    *) COMPREPLY=() ;;
  esac
}

_thoth() {
  local _thoth_cmds _thoth_opts _thoth_valued _thoth_files _thoth_dirs _thoth_args
  local cur=${COMP_WORDS[COMP_CWORD]} prev= path=thoth word skip= i
  [[ ${COMP_WORDS[0]##*/} == thoth-install ]] && path='thoth install'
  _thoth_spec "$path"
  # Follow the subcommands typed so far, stepping over options and the values they take. bash splits
  # --option=value into three words: "=" means a value follows.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == = ]]; then skip=1; continue; fi
    if [[ -n $skip ]]; then skip=; continue; fi
    case $word in
      --) break ;;
      -*) [[ " $_thoth_valued " == *" $word "* ]] && skip=1 ;;
      *) if [[ " $_thoth_cmds " == *" $word "* ]]; then path="$path $word"; _thoth_spec "$path"; fi ;;
    esac
  done
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  if [[ $cur == = ]]; then
    cur=
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  if [[ $prev == -* && " $_thoth_valued " == *" $prev "* ]]; then
    if [[ " $_thoth_files " == *" $prev "* ]]; then _thoth_complete_values file "$cur"
    elif [[ " $_thoth_dirs " == *" $prev "* ]]; then _thoth_complete_values dir "$cur"
    else _thoth_complete_values value "$cur"
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_thoth_opts" -- "$cur")
    return 0
  fi
  mapfile -t COMPREPLY < <(compgen -W "$_thoth_cmds" -- "$cur")
  ((${#COMPREPLY[@]} == 0)) && _thoth_complete_values "$_thoth_args" "$cur"
  return 0
}

complete -F _thoth thoth thoth-install
)";
  return s;
}

// "name:description" for zsh's _describe: a colon in the name is escaped, the description is one line.
std::string described(const std::string& name, const std::string& help) {
  std::string item;
  for (char c : name) {
    if (c == ':') item += '\\';
    item += c;
  }
  item += ':';
  for (char c : help) item += (c == '\n' || c == '\t') ? ' ' : c;
  return shell_quoted(item);
}

std::string zsh_script(const std::vector<CommandSpec>& commands) {
  std::string s =
      "#compdef thoth thoth-install\n"
      "# zsh completion for thoth, generated by `thoth completion zsh` from its command-line definition.\n"
      "# Install it as _thoth in a directory of $fpath, or load it with: source <(thoth completion zsh)\n"
      "\n"
      "# _thoth_spec PATH: the subcommands and options of the command PATH (\"thoth kb check\"), as plain\n"
      "# words and, for display, with their descriptions.\n"
      "_thoth_spec() {\n"
      "  _thoth_cmds= _thoth_opts= _thoth_valued= _thoth_files= _thoth_dirs= _thoth_args=\n"
      "  _thoth_cmd_items=() _thoth_opt_items=()\n"
      "  case \"$1\" in\n";
  for (const CommandSpec& c : commands) {
    s += "    " + shell_quoted(c.path) + ")\n";
    spec_words(s, c);
    s += "      _thoth_cmd_items=(";
    for (const auto& [name, help] : c.subcommands) s += "\n        " + described(name, help);
    s += ")\n      _thoth_opt_items=(";
    for (const OptionSpec& o : c.options) {
      for (const std::string& n : o.names) s += "\n        " + described(n, o.help);
    }
    s += ")\n      ;;\n";
  }
  s += R"(  esac
}

# _thoth_complete_values KIND: file names, directory names, or a hint that a value is expected.
_thoth_complete_values() {
  case "$1" in
    file) _files ;;
    dir) _files -/ ;;
    value) _message 'value' ;;
    *) return 1 ;;
  esac
}

_thoth() {
  local _thoth_cmds _thoth_opts _thoth_valued _thoth_files _thoth_dirs _thoth_args
  local -a _thoth_cmd_items _thoth_opt_items
  local cmdpath=thoth word skip= prev opt kind i
  [[ $service == thoth-install ]] && cmdpath='thoth install'
  _thoth_spec "$cmdpath"
  # Follow the subcommands typed so far, stepping over options and the values they take.
  for ((i = 2; i < CURRENT; i++)); do
    word=${words[i]}
    if [[ -n $skip ]]; then skip=; continue; fi
    case $word in
      --) break ;;
      -*=*) ;;
      -*) [[ " $_thoth_valued " == *" $word "* ]] && skip=1 ;;
      *) if [[ " $_thoth_cmds " == *" $word "* ]]; then cmdpath="$cmdpath $word"; _thoth_spec "$cmdpath"; fi ;;
    esac
  done
  prev=${words[CURRENT - 1]}
  opt=
  if [[ $PREFIX == -*=* ]]; then
    opt=${PREFIX%%=*}
    compset -P '*='
  elif [[ $prev == -* ]]; then
    opt=$prev
  fi
  if [[ -n $opt && " $_thoth_valued " == *" $opt "* ]]; then
    kind=value
    [[ " $_thoth_files " == *" $opt "* ]] && kind=file
    [[ " $_thoth_dirs " == *" $opt "* ]] && kind=dir
    _thoth_complete_values $kind
    return
  fi
  if [[ $PREFIX == -* ]]; then
    _describe 'option' _thoth_opt_items
    return
  fi
  if (( ${#_thoth_cmd_items} )); then
    _describe 'command' _thoth_cmd_items && return
  fi
  _thoth_complete_values "$_thoth_args"
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
  _thoth "$@"
else
  compdef _thoth thoth thoth-install
fi
)";
  return s;
}

}  // namespace

std::string completion_script(const CLI::App& root, std::string_view shell) {
  if (shell != "bash" && shell != "zsh") {
    throw CliError(ExitCode::Usage, "unknown shell '" + std::string(shell) + "' (give bash or zsh)");
  }
  std::vector<CommandSpec> commands;
  collect(root, root.get_name(), {}, commands);
  return shell == "bash" ? bash_script(commands) : zsh_script(commands);
}

}  // namespace thoth::cli
