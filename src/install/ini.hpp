// The small text formats of a .dist-info directory: the INI dialects the installer reads: entry_points.txt ("Entry points specification", "File
// format": importlib.metadata's reading, lines stripped, no continuation lines) and PEP 668's
// EXTERNALLY-MANAGED (configparser's reading, where indented lines continue a value).
#pragma once

#include <optional>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace thoth::install_detail {

struct IniEntry {
  std::string section, key, value;
};

struct Ini {
  std::vector<IniEntry> entries;  // in file order
  const std::string* find(std::string_view section, std::string_view key) const;
};

enum class IniStyle { EntryPoints, ConfigParser };

// Lines starting with '#' or ';' are comments; "[name]" opens a section; "key = value" (or "key:
// value" in configparser's style) adds an entry. Lines that are neither are ignored.
Ini parse_ini(std::string_view text, IniStyle style = IniStyle::ConfigParser);

// The value of `key` (case-insensitive) in an email-style header block (WHEEL, METADATA: "Key:
// value" lines up to the first empty line), trimmed; the first occurrence; empty when absent.
std::string header_value(std::string_view text, std::string_view key);

// A whole small file (at most 64 MiB), or nullopt when it cannot be read.
std::optional<std::string> read_small_file(const std::filesystem::path& path);

}  // namespace thoth::install_detail
