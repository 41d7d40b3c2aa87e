#include "index/dist_files.hpp"

#include <algorithm>

namespace thoth::idx {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view sdist_extension(std::string_view filename) {
  // pip's SUPPORTED_EXTENSIONS minus ".whl" (utils/unpacking.py), matched case-sensitively as pip does.
  // No extension is a suffix of another, so at most one matches.
  static constexpr std::string_view kExtensions[] = {".tar.gz", ".tgz",  ".tar", ".zip",    ".tar.bz2", ".tbz",
                                                     ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"};
  for (std::string_view ext : kExtensions) {
    if (filename.size() > ext.size() && ends_with(filename, ext)) return ext;
  }
  return {};
}

bool has_sdist_extension(std::string_view filename) { return !sdist_extension(filename).empty(); }

bool is_root_pkg_info(std::string_view member) {
  if (member.substr(0, 2) == "./") member.remove_prefix(2);
  std::size_t slash = member.find('/');
  return slash != std::string_view::npos && slash > 0 && member.substr(slash + 1) == "PKG-INFO";
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
    if (!project.empty()) {
      auto sdist = SdistName::parse_for_project(filename, project);
      if (!sdist) return std::nullopt;
      f.sdist_version = std::move(sdist->version);
    }
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
  // Each file's version: a wheel's is parsed already; an sdist's comes from its name.
  std::vector<std::optional<Version>> sdist_versions(files.size());
  std::vector<std::pair<const Version*, std::size_t>> keyed;
  keyed.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const DistFile& f = files[i];
    if (f.wheel) {
      if (f.wheel->name == project) keyed.emplace_back(&f.wheel->version, i);
    } else if (f.sdist_version && f.kind == DistFile::Kind::Sdist) {
      keyed.emplace_back(&*f.sdist_version, i);  // its name was checked against this project
    } else if ((sdist_versions[i] = file_version(f, project))) {
      keyed.emplace_back(&*sdist_versions[i], i);
    }
  }
  // Newest first; files of one version keep their page order. Version order is PEP 440's, under
  // which 1.0 == 1.0.0: those files form one candidate (named by the first one's spelling).
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return *a.first > *b.first; });
  std::vector<Candidate> out;
  for (std::size_t k = 0; k < keyed.size();) {
    Candidate c{std::string(project), *keyed[k].first, {}};
    std::size_t end = k;
    while (end < keyed.size() && *keyed[end].first == c.version) ++end;
    c.files.reserve(end - k);
    for (; k < end; ++k) c.files.push_back(std::move(files[keyed[k].second]));
    out.push_back(std::move(c));
  }
  return out;
}

bool Candidate::yanked() const {
  std::vector<FileTraits> traits;
  files.traits(traits);
  return all_yanked(traits);
}

}  // namespace thoth
