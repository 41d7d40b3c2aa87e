// Wheel file names: PEP 427 "File name convention", checked as packaging.utils.parse_wheel_filename.
#include <algorithm>
#include <array>

#include "tags/text.hpp"
#include "thoth/pep508.hpp"
#include "thoth/tags.hpp"

namespace thoth {

namespace {

[[noreturn]] void fail(std::string_view filename, std::string_view why) {
  throw TagError("invalid wheel filename \"" + std::string(filename) + "\": " + std::string(why));
}

// PEP 427 "Escaping and Unicode": the name part holds word characters and '.', never '-'
// (escaped to '_'). Bytes >= 0x80 are let through as the Unicode word characters packaging admits.
bool valid_name_part(std::string_view name) {
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || tags_text::is_digit(c) || c == '_' ||
              c == '.' || u >= 0x80;
    if (!ok) return false;
  }
  return !name.empty() && name.find("__") == std::string_view::npos;
}

}  // namespace

WheelName WheelName::parse(std::string_view filename) {
  constexpr std::string_view ext = ".whl";
  if (filename.size() < ext.size() || filename.substr(filename.size() - ext.size()) != ext) {
    fail(filename, "the extension must be '.whl'");
  }
  std::string_view stem = filename.substr(0, filename.size() - ext.size());

  // PEP 427: name-version[-build]-python-abi-platform, i.e. 4 or 5 dashes.
  const auto dashes = static_cast<std::size_t>(std::count(stem.begin(), stem.end(), '-'));
  if (dashes != 4 && dashes != 5) {
    fail(filename, "expected name-version[-build]-python-abi-platform (4 or 5 dashes), found " +
                       std::to_string(dashes) + " dashes");
  }
  std::array<std::string_view, 6> parts;
  for (std::size_t i = 0, start = 0; i <= dashes; ++i) {
    const std::size_t dash = i == dashes ? stem.size() : stem.find('-', start);
    parts[i] = stem.substr(start, dash - start);
    start = dash + 1;
  }
  const std::size_t n = dashes + 1;
  if (!valid_name_part(parts[0])) {
    fail(filename, "invalid project name \"" + std::string(parts[0]) + "\"");
  }

  WheelName out;
  out.name = normalize_name(parts[0]);
  try {
    out.version = Version::parse(parts[1]);
  } catch (const VersionError&) {
    fail(filename, "invalid version \"" + std::string(parts[1]) + "\"");
  }

  if (n == 6) {
    // PEP 427: the build tag must start with a digit; it sorts as (number, rest).
    std::string_view build = parts[2];
    std::size_t digits = 0;
    while (digits < build.size() && tags_text::is_digit(build[digits])) ++digits;
    if (digits == 0) fail(filename, "build tag \"" + std::string(build) + "\" does not start with a digit");
    std::uint64_t number = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      auto d = static_cast<std::uint64_t>(build[i] - '0');
      if (number > (UINT64_MAX - d) / 10) fail(filename, "build number too large");
      number = number * 10 + d;
    }
    out.build = std::make_pair(number, std::string(build.substr(digits)));
  }

  const std::string_view tag_text = stem.substr(static_cast<std::size_t>(parts[n - 3].data() - stem.data()));
  try {
    out.tags = parse_tag_set(parts[n - 3], parts[n - 2], parts[n - 1], tag_text);
  } catch (const TagError&) {
    fail(filename, "invalid compatibility tag \"" + std::string(tag_text) + "\"");
  }
  return out;
}

}  // namespace thoth
