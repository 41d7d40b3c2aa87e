// Direct references (`name @ url`, a wheel or sdist path or URL): each becomes a candidate of its own.
#include <filesystem>

#include "thoth/net.hpp"  // redact_url
#include "thoth/session.hpp"
#include "base/link.hpp"

namespace thoth {

namespace {

// Whether `name` ends in `ext` and is more than that (".whl" alone is no wheel).
bool has_suffix(std::string_view name, std::string_view ext) { return name.size() > ext.size() && name.ends_with(ext); }

}  // namespace

std::string local_file_url(const std::string& path) {
  return base::link_url(std::filesystem::absolute(path).lexically_normal().string());
}

std::string where(const UserRequirement& r) {
  return r.origin.empty() ? std::string("command line") : r.origin + ":" + std::to_string(r.line);
}

// A direct reference (`name @ url`, a wheel or sdist path or URL) becomes a candidate of its own, named
// and versioned by its file name (PEP 427 / PEP 625). Source trees need a build: not supported here.
Candidate direct_candidate(UserRequirement& r) {
  std::string link = r.requirement.url.empty() ? r.link : r.requirement.url;
  // A file: URL without a host ("name @ file:./dist/x.whl", "file:/abs/x.whl"; RFC 8089 appendix E.2)
  // names a local path, relative to the working directory as pip reads it (url_to_path). packaging
  // accepts such requirements since 23.2 (#120).
  std::string fragment;  // kept for its #sha256=
  if (base::is_file_url(link) && !base::split_url(link).has_authority) {
    const base::UrlParts parts = base::split_url(link);
    if (parts.has_fragment) fragment = "#" + std::string(parts.fragment);
    link = base::percent_decode(parts.path);
  }
  std::string url = link.find("://") != std::string::npos ? link : local_file_url(link) + fragment;
  std::string filename = base::url_filename(url);
  DistFile file;
  file.filename = filename;
  file.url = std::string(url.substr(0, url.find('#')));
  std::string name;
  Version version;
  auto ends_with = [&](std::string_view ext) { return has_suffix(filename, ext); };
  if (r.editable || (!ends_with(".whl") && !ends_with(".tar.gz") && !ends_with(".zip") && !ends_with(".tar.bz2") &&
                     !ends_with(".tar.xz") && !ends_with(".tgz") && !ends_with(".tar"))) {
    throw SessionError(where(r) + ": " + redact_url(link) +
                                        " is a source tree or VCS link; locking one needs a build, which thoth "
                                        "lock does not do (give a wheel or sdist file instead)");
  }
  // The name and version come from the file name alone (thoth does not build to learn them): one that
  // does not spell them is an error naming the line it came from.
  try {
    if (ends_with(".whl")) {
      file.kind = DistFile::Kind::Wheel;
      file.wheel = WheelName::parse(filename);
      name = file.wheel->name;
      version = file.wheel->version;
    } else {
      file.kind = DistFile::Kind::Sdist;
      SdistName sd = SdistName::parse(filename);
      name = sd.name;
      version = sd.version;
    }
  } catch (const TagError& e) {
    throw SessionError(where(r) + ": cannot lock " + link + ": its file name " + filename +
                       " does not give the project's name and version (" + e.what() +
                       "); name the file NAME-VERSION as PEP 427/625 spell it");
  }
  // The link's own #sha256= and the line's --hash options.
  if (auto frag = url.find('#'); frag != std::string::npos) {
    std::string_view f = std::string_view(url).substr(frag + 1);
    if (f.rfind("sha256=", 0) == 0) file.hashes["sha256"] = std::string(f.substr(7, f.find('&') - 7));
  }
  for (const std::string& h : r.hashes)
    if (h.rfind("sha256:", 0) == 0) file.hashes["sha256"] = h.substr(7);
  // A local file's size is known without asking anyone (PEP 751 records it).
  if (link.find("://") == std::string::npos) {
    std::error_code ec;
    auto size = std::filesystem::file_size(link, ec);
    if (!ec) file.size = size;
  }

  if (r.requirement.name.empty()) {
    r.requirement.name = name;
  } else if (normalize_name(r.requirement.name) != name) {
    throw SessionError(where(r) + ": " + redact_url(link) + " is a distribution of " + name + ", not of " +
                                        r.requirement.name);
  }
  r.requirement.url = url;
  Candidate c;
  c.name = name;
  c.version = version;
  c.files.push_back(std::move(file));
  return c;
}

}  // namespace thoth
