// The options part of one requirements-file line (pip's per-file and per-requirement options), split
// like a shell command line and parsed like optparse does: "-i URL", "-iURL", "--index-url URL",
// "--index-url=URL".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/inputs.hpp"

namespace thoth {

// A bad option on a line: the file parser turns it into the InputError that shows the line with a caret
// under `column`.
class LineOptionError : public InputError {
 public:
  LineOptionError(const std::string& message, std::size_t column) : InputError(message), column_(column) {}
  std::size_t column() const { return column_; }

 private:
  std::size_t column_;
};

struct LineOptions {
  std::vector<std::string> requirement_files;  // -r
  std::vector<std::string> constraint_files;   // -c
  std::optional<std::string> editable;         // -e
  std::optional<std::string> index_url;        // -i
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;         // -f
  bool no_index = false;
  std::vector<std::string> no_binary;
  std::vector<std::string> only_binary;
  bool prefer_binary = false;
  bool require_hashes = false;
  bool pre = false;
  std::vector<std::string> trusted_hosts;
  std::vector<std::string> hashes;  // --hash=algo:hex, algorithm lower-cased
  std::vector<std::string> config_settings;  // -C/--config-settings KEY=VALUE (for sdist builds)
};

// Splits `line` into its requirement part (written to `args`: the space-separated words before the
// first one starting with '-', as pip's break_args_options does) and parses the rest. Beside a
// requirement only --hash and --config-settings are allowed, unless `requirement_with_index_options`
// (pipenv's install lines, parse_install_line), where the index options say where it comes from.
// Throws LineOptionError with the column of the offending word.
LineOptions parse_line_options(std::string_view line, std::string& args, bool requirement_with_index_options = false);

// The user-facing "FILE:LINE: message" block with the line (URL passwords masked) and a caret under
// `column`.
std::string format_line_error(std::string_view origin, int line, std::string_view message, std::string_view text,
                              std::size_t column);

}  // namespace thoth
