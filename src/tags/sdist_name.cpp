// Source distribution file names.
#include <array>

#include "tags/text.hpp"
#include "thoth/pep508.hpp"
#include "thoth/tags.hpp"
#include "base/ascii.hpp"

namespace thoth {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// pip's utils/misc.splitext: os.path.splitext, then a trailing ".tar" joins the extension.
std::pair<std::string_view, std::string_view> split_ext(std::string_view filename) {
  std::size_t dot = filename.rfind('.');
  // posixpath.splitext ignores leading dots of the base name.
  std::size_t first_non_dot = filename.find_first_not_of('.');
  if (dot == std::string_view::npos || first_non_dot == std::string_view::npos || dot < first_non_dot) {
    return {filename, {}};
  }
  std::string_view base = filename.substr(0, dot);
  std::string_view ext = filename.substr(dot);
  if (base.size() >= 4 && base::ascii_lower(base.substr(base.size() - 4)) == ".tar") {
    return {base.substr(0, base.size() - 4), filename.substr(base.size() - 4)};
  }
  return {base, ext};
}

// normalize_name(raw) == canonical, without building the normalised string (this runs for every '-'
// of every sdist name on an index page).
bool normalizes_to(std::string_view raw, std::string_view canonical) {
  std::size_t j = 0;
  bool in_run = false;
  for (char c : raw) {
    const bool sep = c == '-' || c == '_' || c == '.';
    if (sep && in_run) continue;
    in_run = sep;
    const char want = sep ? '-' : (c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    if (j >= canonical.size() || canonical[j] != want) return false;
    ++j;
  }
  return j == canonical.size();
}

// The source archive extensions pip unpacks (pip/_internal/utils/unpacking.py, with bz2 and lzma).
constexpr std::array<std::string_view, 11> kSourceExtensions = {
    ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz",
    ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"};

}  // namespace

SdistName SdistName::parse(std::string_view filename) {
  // PEP 625: the extension is .tar.gz; .zip is the legacy form packaging still accepts.
  std::string_view stem;
  if (ends_with(filename, ".tar.gz")) {
    stem = filename.substr(0, filename.size() - 7);
  } else if (ends_with(filename, ".zip")) {
    stem = filename.substr(0, filename.size() - 4);
  } else {
    throw TagError("invalid sdist filename \"" + std::string(filename) +
                   "\": the extension must be '.tar.gz' or '.zip'");
  }
  // A PEP 440 version holds no '-', so the name ends at the last one.
  std::size_t dash = stem.rfind('-');
  if (dash == std::string_view::npos || dash == 0) {
    throw TagError("invalid sdist filename \"" + std::string(filename) +
                   "\": expected {name}-{version}.tar.gz");
  }
  SdistName out;
  out.name = normalize_name(stem.substr(0, dash));
  std::string_view version = stem.substr(dash + 1);
  try {
    out.version = Version::parse(version);
  } catch (const VersionError&) {
    throw TagError("invalid sdist filename \"" + std::string(filename) + "\": invalid version \"" +
                   std::string(version) + "\"");
  }
  return out;
}

std::optional<SdistName> SdistName::parse_for_project(std::string_view filename,
                                                      std::string_view project) {
  auto [stem, ext] = split_ext(filename);
  if (std::find(kSourceExtensions.begin(), kSourceExtensions.end(), ext) == kSourceExtensions.end()) {
    return std::nullopt;
  }
  // pip's _find_name_version_sep: the first '-' whose prefix normalises to the project name.
  std::string canonical = normalize_name(project);
  for (std::size_t i = 0; i < stem.size(); ++i) {
    if (stem[i] != '-' || !normalizes_to(stem.substr(0, i), canonical)) continue;
    std::string_view version = stem.substr(i + 1);
    if (version.empty()) return std::nullopt;
    std::optional<Version> v = Version::try_parse(version);
    if (!v) return std::nullopt;
    return SdistName{std::move(canonical), std::move(*v)};
  }
  return std::nullopt;
}

}  // namespace thoth
