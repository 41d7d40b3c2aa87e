// Option parsing for requirements-file lines. pip accepts exactly these options in a file
// (pip/_internal/req/req_file.py SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ).
#include "inputs/line_options.hpp"

#include <algorithm>
#include <cctype>

#include "thoth/pep508.hpp"

namespace thoth {
namespace {

struct Word {
  std::string text;
  std::size_t column = 0;
};

// POSIX shell word splitting (Python's shlex.split): quotes group, backslash escapes outside single
// quotes; an unterminated quote is an error.
std::vector<Word> shell_split(std::string_view s, std::size_t base_column) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    Word w;
    w.column = base_column + i;
    char quote = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (quote == '\'') {
        if (c == '\'') quote = 0;
        else w.text += c;
      } else if (quote == '"') {
        if (c == '"') quote = 0;
        else if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == '$')) w.text += s[++i];
        else w.text += c;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < s.size()) {
        w.text += s[++i];
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        break;
      } else {
        w.text += c;
      }
    }
    if (quote) throw LineOptionError("unterminated quote in options", w.column);
    words.push_back(std::move(w));
  }
  return words;
}

enum class Opt {
  Requirement, Constraint, Editable, IndexUrl, ExtraIndexUrl, FindLinks, NoIndex, NoBinary, OnlyBinary,
  PreferBinary, RequireHashes, Pre, TrustedHost, UseFeature, Hash, ConfigSettings,
};

struct OptSpec {
  std::string_view short_name;  // "" if none
  std::string_view long_name;
  Opt opt;
  bool takes_value;
};

constexpr OptSpec kOptions[] = {
    {"-r", "--requirement", Opt::Requirement, true},
    {"-c", "--constraint", Opt::Constraint, true},
    {"-e", "--editable", Opt::Editable, true},
    {"-i", "--index-url", Opt::IndexUrl, true},
    {"", "--extra-index-url", Opt::ExtraIndexUrl, true},
    {"-f", "--find-links", Opt::FindLinks, true},
    {"", "--no-index", Opt::NoIndex, false},
    {"", "--no-binary", Opt::NoBinary, true},
    {"", "--only-binary", Opt::OnlyBinary, true},
    {"", "--prefer-binary", Opt::PreferBinary, false},
    {"", "--require-hashes", Opt::RequireHashes, false},
    {"", "--pre", Opt::Pre, false},
    {"", "--trusted-host", Opt::TrustedHost, true},
    {"", "--use-feature", Opt::UseFeature, true},
    {"", "--hash", Opt::Hash, true},
    {"-C", "--config-settings", Opt::ConfigSettings, true},
};

// pip accepts only strong hashes in --hash (pip/_internal/utils/hashes.py STRONG_HASHES).
std::string checked_hash(const Word& w, std::string_view value) {
  std::size_t colon = value.find(':');
  if (colon == std::string_view::npos)
    throw LineOptionError("--hash needs ALGORITHM:HEX, e.g. --hash=sha256:<64 hex digits>", w.column);
  std::string algo(value.substr(0, colon));
  std::transform(algo.begin(), algo.end(), algo.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view hex = value.substr(colon + 1);
  std::size_t want = algo == "sha256" ? 64 : algo == "sha384" ? 96 : algo == "sha512" ? 128 : 0;
  if (want == 0) throw LineOptionError("unsupported hash algorithm \"" + algo + "\" (use sha256, sha384 or sha512)", w.column);
  if (hex.size() != want || !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); }))
    throw LineOptionError("malformed " + algo + " hash (expected " + std::to_string(want) + " hex digits)", w.column);
  std::string lower(hex);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return algo + ":" + lower;
}

}  // namespace

LineOptions parse_line_options(std::string_view line, std::string& args, bool requirement_with_index_options) {
  // pip's break_args_options: words separated by single spaces until one starts with '-'.
  std::size_t pos = 0;
  std::size_t options_start = line.size();
  while (pos < line.size()) {
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    if (line[pos] == '-') {
      options_start = pos;
      break;
    }
    pos = end + 1;
  }
  std::string_view arg_part = line.substr(0, std::min(options_start, line.size()));
  while (!arg_part.empty() && arg_part.back() == ' ') arg_part.remove_suffix(1);
  args = std::string(arg_part);

  LineOptions out;
  std::vector<Word> words = shell_split(line.substr(std::min(options_start, line.size())), options_start);
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    std::string_view text = w.text;
    const OptSpec* spec = nullptr;
    std::optional<std::string> value;
    for (const OptSpec& s : kOptions) {
      if (text.rfind("--", 0) == 0) {
        if (text == s.long_name || (s.takes_value && text.size() > s.long_name.size() &&
                                    text.substr(0, s.long_name.size()) == s.long_name && text[s.long_name.size()] == '=')) {
          spec = &s;
          if (text.size() > s.long_name.size()) value = std::string(text.substr(s.long_name.size() + 1));
          break;
        }
      } else if (!s.short_name.empty() && text.rfind(s.short_name, 0) == 0) {
        spec = &s;
        if (text.size() > 2) value = std::string(text.substr(text[2] == '=' ? 3 : 2));
        break;
      }
    }
    if (!spec) {
      // Deliberately refused (man/thoth.1): they pass arguments to setup.py, which thoth never runs. pip
      // itself has dropped --install-option and deprecated --global-option.
      for (std::string_view legacy : {"--install-option", "--global-option"})
        if (text.substr(0, legacy.size()) == legacy)
          throw LineOptionError(std::string(legacy) + " is not supported by thoth (it passes options to setup.py); "
                                "remove it from the line", w.column);
      if (text.rfind("-", 0) != 0)
        throw LineOptionError("unexpected \"" + w.text + "\" after the options (a requirement goes first on its line)", w.column);
      throw LineOptionError("unknown option " + w.text + " (pip allows only its own options in a requirements file)", w.column);
    }
    if (spec->takes_value && !value) {
      if (i + 1 >= words.size()) throw LineOptionError(std::string(spec->long_name) + " needs a value", w.column);
      value = words[++i].text;
    }
    if (!spec->takes_value && value) throw LineOptionError(std::string(spec->long_name) + " takes no value", w.column);
    switch (spec->opt) {
      case Opt::Requirement: out.requirement_files.push_back(*value); break;
      case Opt::Constraint: out.constraint_files.push_back(*value); break;
      case Opt::Editable: out.editable = *value; break;
      case Opt::IndexUrl: out.index_url = *value; break;
      case Opt::ExtraIndexUrl: out.extra_index_urls.push_back(*value); break;
      case Opt::FindLinks: out.find_links.push_back(*value); break;
      case Opt::NoIndex: out.no_index = true; break;
      case Opt::NoBinary: out.no_binary.push_back(*value); break;
      case Opt::OnlyBinary: out.only_binary.push_back(*value); break;
      case Opt::PreferBinary: out.prefer_binary = true; break;
      case Opt::RequireHashes: out.require_hashes = true; break;
      case Opt::Pre: out.pre = true; break;
      case Opt::TrustedHost: out.trusted_hosts.push_back(*value); break;
      case Opt::UseFeature: break;  // pip feature flags change pip's internals only; none applies to thoth
      case Opt::Hash: out.hashes.push_back(checked_hash(w, *value)); break;
      case Opt::ConfigSettings:
        // pip's _handle_config_settings: KEY=VALUE, split at the first '='.
        if (value->find('=') == std::string::npos)
          throw LineOptionError("--config-settings needs KEY=VALUE, got \"" + *value + "\"", w.column);
        out.config_settings.push_back(*value);
        break;
    }
  }
  if (!args.empty()) {
    // Per-requirement lines allow only --hash and --config-settings (pip ignores file-level options
    // there; thoth refuses them so nothing is silently dropped).
    const bool no_index_options = (!out.index_url && out.extra_index_urls.empty() && out.find_links.empty() &&
                                   !out.no_index && out.trusted_hosts.empty()) ||
                                  requirement_with_index_options;
    bool only_hashes = out.requirement_files.empty() && out.constraint_files.empty() && !out.editable &&
                       no_index_options && out.no_binary.empty() && out.only_binary.empty() && !out.prefer_binary &&
                       !out.require_hashes && !out.pre;
    if (!only_hashes)
      throw LineOptionError("only --hash and --config-settings may follow a requirement on its line; put other "
                            "options on a line of their own",
                            options_start);
  }
  return out;
}

void apply_binary_option(BinaryPolicy& policy, std::string_view value, bool no_binary) {
  bool& target_all = no_binary ? policy.no_binary_all : policy.only_binary_all;
  bool& other_all = no_binary ? policy.only_binary_all : policy.no_binary_all;
  std::vector<std::string>& target = no_binary ? policy.no_binary : policy.only_binary;
  std::vector<std::string>& other = no_binary ? policy.only_binary : policy.no_binary;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t end = value.find(',', start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view item = value.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    if (item == ":all:") {
      target.clear();
      other.clear();
      other_all = false;
      target_all = true;
    } else if (item == ":none:") {
      target.clear();
      target_all = false;
    } else {
      std::string name = normalize_name(item);
      other.erase(std::remove(other.begin(), other.end(), name), other.end());
      if (std::find(target.begin(), target.end(), name) == target.end()) target.push_back(name);
    }
  }
}

}  // namespace thoth
