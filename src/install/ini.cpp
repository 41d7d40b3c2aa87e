#include "install/ini.hpp"
#include "base/trim.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace thoth::install_detail {
const std::string* Ini::find(std::string_view section, std::string_view key) const {
  for (const IniEntry& e : entries)
    if (e.section == section && e.key == key) return &e.value;
  return nullptr;
}

Ini parse_ini(std::string_view text, IniStyle style) {
  // configparser folds option names to lower case (RawConfigParser.optionxform).
  const bool fold_keys = style == IniStyle::ConfigParser;
  Ini ini;
  std::string section;
  bool continuing = false;  // the previous line was a configparser value that may continue
  std::size_t blank_lines = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::string_view line = base::trim(raw);
    if (style == IniStyle::ConfigParser && continuing) {
      // configparser: an indented line continues the value; blank lines inside it are kept.
      if (line.empty()) {
        ++blank_lines;
        continue;
      }
      if (raw.front() == ' ' || raw.front() == '\t') {
        std::string& value = ini.entries.back().value;
        value.append(blank_lines + 1, '\n');
        value.append(line);
        blank_lines = 0;
        continue;
      }
    }
    continuing = false;
    blank_lines = 0;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(base::trim(line.substr(1, line.size() - 2)));
      continue;
    }
    std::size_t eq = style == IniStyle::ConfigParser ? line.find_first_of("=:") : line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key(base::trim(line.substr(0, eq)));
    if (fold_keys)
      for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ini.entries.push_back({section, std::move(key), std::string(base::trim(line.substr(eq + 1)))});
    continuing = true;
  }
  return ini;
}

std::string header_value(std::string_view text, std::string_view key) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (base::trim(line).empty()) break;  // the body starts
    std::size_t colon = line.find(':');
    if (colon != key.size() || line.front() == ' ' || line.front() == '\t') continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(line[i])) == std::tolower(static_cast<unsigned char>(key[i]));
    if (same) return std::string(base::trim(line.substr(colon + 1)));
  }
  return {};
}

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad() || out.str().size() > (64u << 20)) return std::nullopt;
  return std::move(out).str();
}

}  // namespace thoth::install_detail
