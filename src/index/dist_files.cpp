#include "index/dist_files.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace thoth::idx {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool has_sdist_extension(std::string_view filename) {
  // pip's SUPPORTED_EXTENSIONS minus ".whl" (utils/unpacking.py), matched case-sensitively as pip does.
  static constexpr std::string_view kExtensions[] = {".tar.gz", ".tgz",  ".tar", ".zip",    ".tar.bz2", ".tbz",
                                                     ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"};
  return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                     [&](std::string_view ext) { return filename.size() > ext.size() && ends_with(filename, ext); });
}

std::optional<DistFile> make_dist_file(std::string filename, std::string url, std::string_view project) {
  DistFile f;
  if (ends_with(filename, ".whl")) {
    try {
      f.wheel = WheelName::parse(filename);
    } catch (const TagError&) {
      return std::nullopt;  // pip skips links whose wheel name is invalid
    }
    if (!project.empty() && f.wheel->name != project) return std::nullopt;
    f.kind = DistFile::Kind::Wheel;
  } else if (has_sdist_extension(filename)) {
    if (!project.empty() && !SdistName::parse_for_project(filename, project)) return std::nullopt;
    f.kind = DistFile::Kind::Sdist;
  } else {
    return std::nullopt;
  }
  f.filename = std::move(filename);
  f.url = std::move(url);
  return f;
}

}  // namespace thoth::idx

namespace thoth {

std::optional<Version> file_version(const DistFile& file, std::string_view project) {
  if (file.kind == DistFile::Kind::Wheel) {
    if (file.wheel) return file.wheel->name == project ? std::optional<Version>(file.wheel->version) : std::nullopt;
    try {
      WheelName w = WheelName::parse(file.filename);
      return w.name == project ? std::optional<Version>(w.version) : std::nullopt;
    } catch (const TagError&) {
      return std::nullopt;
    }
  }
  if (auto s = SdistName::parse_for_project(file.filename, project)) return s->version;
  return std::nullopt;
}

std::vector<Candidate> group_candidates(std::string_view project, std::vector<DistFile> files) {
  // Version order is PEP 440's, under which 1.0 == 1.0.0: those files form one candidate.
  std::map<Version, std::vector<DistFile>, std::greater<>> by_version;
  for (auto& f : files) {
    auto v = file_version(f, project);
    if (!v) continue;
    by_version[*v].push_back(std::move(f));
  }
  std::vector<Candidate> out;
  out.reserve(by_version.size());
  for (auto& [version, group] : by_version) out.push_back(Candidate{std::string(project), version, std::move(group)});
  return out;
}

bool Candidate::yanked() const {
  // PEP 592: a release is yanked when every one of its files is.
  if (files.empty()) return false;
  return std::all_of(files.begin(), files.end(), [](const DistFile& f) { return f.yanked.has_value(); });
}

}  // namespace thoth
