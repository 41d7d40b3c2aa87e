// Index settings as pip assembles them (pip/_internal/configuration.py and cli/parser.py): config
// files, then PIP_* environment variables, then the command line.
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include "thoth/index.hpp"
#include "base/ascii.hpp"
#include "base/trim.hpp"


namespace thoth {
namespace {

// pip's _normalize_name: "Index_URL" and "--index-url" are the same key.
std::string normalize_key(std::string_view name) {
  std::string k = base::ascii_lower(name);
  for (auto& c : k)
    if (c == '_') c = '-';
  if (k.rfind("--", 0) == 0) k.erase(0, 2);
  return k;
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Python's strtobool, which pip applies to boolean options from files and the environment.
std::optional<bool> parse_bool(std::string_view v) {
  std::string s = base::ascii_lower(base::trim(v));
  for (const char* t : {"y", "yes", "t", "true", "on", "1"})
    if (s == t) return true;
  for (const char* f : {"n", "no", "f", "false", "off", "0"})
    if (s == f) return false;
  return std::nullopt;
}

using Section = std::map<std::string, ConfigSetting>;  // normalized key -> value and where it was set

// An INI file as Python's configparser reads it (RawConfigParser defaults): "[section]" headers,
// "key = value" or "key: value", full-line '#'/';' comments, indented continuation lines joined by
// "\n". Only [global] and [install] are returned.
void parse_ini(const ConfigText& file, Section& global, Section& install, std::vector<std::string>* warnings) {
  std::istringstream in(file.text);
  std::string line;
  std::string section;
  bool in_section = false;
  Section* target = nullptr;
  std::string* last_value = nullptr;
  std::size_t last_indent = 0;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string stripped(base::trim(line));
    std::size_t indent = line.find_first_not_of(" \t");
    if (stripped.empty() || stripped[0] == '#' || stripped[0] == ';') {
      continue;
    }
    if (last_value != nullptr && indent > last_indent) {
      // A continuation line of the previous value.
      *last_value += "\n" + stripped;
      continue;
    }
    last_value = nullptr;
    if (stripped.front() == '[' && stripped.back() == ']') {
      section = stripped.substr(1, stripped.size() - 2);
      in_section = true;
      target = section == "global" ? &global : section == "install" ? &install : nullptr;
      continue;
    }
    std::size_t sep = stripped.find_first_of("=:");
    if (!in_section || sep == std::string::npos || sep == 0) {
      if (warnings) {
        warnings->push_back(file.path + ":" + std::to_string(lineno) + ": ignored line \"" + stripped + "\"" +
                            (in_section ? " (expected key = value)" : " (not inside a [section])"));
      }
      continue;
    }
    std::string key = normalize_key(base::trim(std::string_view(stripped).substr(0, sep)));
    std::string value(base::trim(std::string_view(stripped).substr(sep + 1)));
    if (target != nullptr) {
      ConfigSetting& setting = (*target)[key];
      setting = ConfigSetting{value, file.path + " [" + section + "] " + key};
      last_value = &setting.value;
      last_indent = indent;
    }
  }
}

// One setting applied in pip's order; list options replace what an earlier setting gave.
void apply(IndexConfig& c, const std::string& key, const std::string& value, const std::string& origin,
           std::vector<std::string>* warnings) {
  if (base::trim(value).empty()) return;  // pip ignores empty values
  if (key == "index-url") {
    c.index_url = std::string(base::trim(value));
  } else if (key == "extra-index-url") {
    c.extra_index_urls = split_ws(value);
  } else if (key == "find-links") {
    c.find_links = split_ws(value);
  } else if (key == "trusted-host") {
    c.trusted_hosts = split_ws(value);
  } else if (key == "no-index") {
    if (auto b = parse_bool(value)) {
      c.no_index = *b;
    } else if (warnings) {
      warnings->push_back(origin + ": \"" + value + "\" is not a valid value for no-index (use yes/no, true/false, 1/0)");
    }
  }
}

}  // namespace

std::optional<IndexStrategy> parse_index_strategy(std::string_view text) {
  if (text == "first-index" || text == "first_index") return IndexStrategy::first_index;
  if (text == "unsafe-best-match" || text == "unsafe_best_match") return IndexStrategy::unsafe_best_match;
  return std::nullopt;
}

std::vector<std::filesystem::path> pip_config_paths(const Environment& env, const std::filesystem::path& site_prefix) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  std::vector<std::filesystem::path> out;
  const auto config_file = get("PIP_CONFIG_FILE");
  if (config_file && *config_file == "/dev/null") return out;  // pip: load no file at all

  // Global: platformdirs' site_config_dir (XDG_CONFIG_DIRS, default /etc/xdg) + /etc.
  std::string dirs(base::trim(get("XDG_CONFIG_DIRS").value_or("")));
  if (dirs.empty()) dirs = "/etc/xdg";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string d = dirs.substr(start, colon - start);
    if (!d.empty()) out.push_back(std::filesystem::path(d) / "pip" / "pip.conf");
    start = colon + 1;
  }
  out.emplace_back("/etc/pip.conf");

  // User: the legacy ~/.pip/pip.conf, then the XDG one, unless PIP_CONFIG_FILE names an existing file.
  std::error_code ec;
  const bool env_file_exists = config_file && !config_file->empty() && std::filesystem::exists(*config_file, ec);
  if (!env_file_exists) {
    const auto home = get("HOME");
    if (home && !home->empty()) out.push_back(std::filesystem::path(*home) / ".pip" / "pip.conf");
    std::string xdg(base::trim(get("XDG_CONFIG_HOME").value_or("")));
    if (!xdg.empty()) {
      out.push_back(std::filesystem::path(xdg) / "pip" / "pip.conf");
    } else if (home && !home->empty()) {
      out.push_back(std::filesystem::path(*home) / ".config" / "pip" / "pip.conf");
    }
  }
  // Site: the environment's own pip.conf.
  if (!site_prefix.empty()) out.push_back(site_prefix / "pip.conf");
  // PIP_CONFIG_FILE overrides every file before it.
  if (config_file && !config_file->empty()) out.emplace_back(*config_file);
  return out;
}

std::vector<ConfigText> read_config_files(const std::vector<std::filesystem::path>& paths) {
  std::vector<ConfigText> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) continue;
    std::ifstream in(p, std::ios::binary);
    if (!in) continue;
    out.push_back(ConfigText{p.string(), std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())});
  }
  return out;
}

ConfigSettings pip_config_settings(const std::vector<ConfigText>& files, const Environment& env,
                                   std::vector<std::string>* warnings) {
  // Later files override earlier ones key by key; then pip applies [global], then the command's
  // section ([install]), then the environment, each replacing the previous value of an option
  // (pip's ConfigOptionParser._update_defaults over _get_ordered_configuration_items). pip ignores
  // empty values.
  Section global, install;
  for (const auto& f : files) parse_ini(f, global, install, warnings);
  ConfigSettings out;
  for (const Section* section : {&global, &install}) {
    for (const auto& [key, setting] : *section) {
      if (!base::trim(setting.value).empty()) out.emplace_back(key, setting);
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("PIP_", 0) != 0 || name == "PIP_CONFIG_FILE" || base::trim(value).empty()) continue;
    out.emplace_back(normalize_key(name.substr(4)), ConfigSetting{value, name});
  }
  return out;
}

const ConfigSetting* find_setting(const ConfigSettings& settings, std::string_view key) {
  for (auto it = settings.rbegin(); it != settings.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

IndexConfig load_index_config(const std::vector<ConfigText>& files, const Environment& env,
                              const IndexOptions& command_line, std::vector<std::string>* warnings) {
  return load_index_config(pip_config_settings(files, env, warnings), command_line, warnings);
}

IndexConfig load_index_config(const ConfigSettings& settings, const IndexOptions& command_line,
                              std::vector<std::string>* warnings) {
  IndexConfig c;
  for (const auto& [key, setting] : settings) apply(c, key, setting.value, setting.origin, warnings);
  // The command line: options given replace, list options append (optparse "append" onto defaults).
  if (command_line.index_url) c.index_url = *command_line.index_url;
  for (const auto& u : command_line.extra_index_urls) c.extra_index_urls.push_back(u);
  for (const auto& u : command_line.find_links) c.find_links.push_back(u);
  for (const auto& h : command_line.trusted_hosts) c.trusted_hosts.push_back(h);
  if (command_line.no_index) c.no_index = *command_line.no_index;
  if (command_line.strategy) c.strategy = *command_line.strategy;
  if (command_line.exclude_newer) c.exclude_newer = *command_line.exclude_newer;
  for (const auto& [name, url] : command_line.project_indexes) c.project_indexes[name] = url;
  return c;
}

}  // namespace thoth
