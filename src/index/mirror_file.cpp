// What one file of a mirror's directory contributes to the pages: its name, hash and the two facts of
// its core metadata that simple pages carry (Requires-Python, the PEP 658 metadata file).
#include <optional>

#include "index/dist_files.hpp"
#include "index/mirror.hpp"
#include "thoth/archive.hpp"
#include "thoth/hash.hpp"
#include "thoth/metadata.hpp"
#include "thoth/net.hpp"
#include "thoth/pep508.hpp"
#include "thoth/tags.hpp"

namespace thoth::idx {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The Requires-Python value as written, "" when absent: simple pages repeat it (PEP 503
// data-requires-python, PEP 691 requires-python) as PyPI does, from the uploaded metadata.
std::string requires_python_of(const CoreMetadata& meta) {
  const auto values = meta.all("Requires-Python");
  return values.empty() ? std::string() : std::string(values.front());
}

// A distribution whose metadata names another project or version is one pip refuses to install
// ("inconsistent name/version"); a mirror that listed it would only move the failure.
std::optional<std::string> release_mismatch(const CoreMetadata& meta, const std::string& project,
                                            const Version& version, const std::string& filename,
                                            const char* member) {
  if (normalize_name(meta.name) != project) {
    return filename + ": its " + member + " names the project \"" + meta.name + "\", not " + project;
  }
  if (meta.version != version) {
    return filename + ": its " + member + " says version " + meta.version.str() + ", its name " + version.str();
  }
  return std::nullopt;
}

// An sdist without PKG-INFO (very old ones) is named as PEP 625 names sdists: a PEP 440 version holds
// no '-', so the project name ends at the last one.
std::optional<SdistName> split_sdist_name(const std::string& filename) {
  const std::string_view stem =
      std::string_view(filename).substr(0, filename.size() - sdist_extension(filename).size());
  const std::size_t dash = stem.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  return SdistName::parse_for_project(filename, normalize_name(stem.substr(0, dash)));
}

void read_sdist(const std::filesystem::path& path, MirrorFile& f, DistRead& out) {
  std::optional<std::string> pkg_info = read_archive_member(path, is_root_pkg_info, metadata_limits());
  std::optional<CoreMetadata> meta;
  if (pkg_info) {
    try {
      meta = CoreMetadata::parse(*pkg_info);
    } catch (const MetadataError& e) {
      // pip builds such an sdist all the same: it is listed, without what PKG-INFO would have said.
      out.warning = f.filename + " (PKG-INFO): " + e.what() + "; listed without its Requires-Python";
    }
  }
  // pip's rule splits the name where the project name from PKG-INFO ends (a legacy "foo-1.0-1.tar.gz"
  // is foo 1.0.post1); without PKG-INFO, at the last '-'.
  std::optional<SdistName> name = meta ? SdistName::parse_for_project(f.filename, normalize_name(meta->name))
                                       : split_sdist_name(f.filename);
  // PEP 508 "Names": the project's page directory is named after it.
  if (name && !is_valid_name(name->name)) name.reset();
  if (!name) {
    out.warning = f.filename + ": the name is not {project}-{version}" +
                  (meta ? " for the project \"" + meta->name + "\" of its PKG-INFO" : std::string()) + " with a PEP 440 version";
    return;
  }
  f.project = std::move(name->name);
  f.version = std::move(name->version);
  if (meta) {
    if (auto mismatch = release_mismatch(*meta, f.project, f.version, f.filename, "PKG-INFO")) {
      out.warning = std::move(*mismatch);
      return;
    }
    // PEP 643: a field listed in Dynamic is not known until the sdist is built.
    if (!meta->is_dynamic("Requires-Python")) f.requires_python = requires_python_of(*meta);
  }
  out.file = std::move(f);
}

void read_wheel(const std::filesystem::path& path, MirrorFile& f, DistRead& out) {
  WheelName name = WheelName::parse(f.filename);
  out.metadata = read_wheel_metadata_text(path);
  CoreMetadata meta;
  try {
    meta = CoreMetadata::parse(out.metadata);
  } catch (const MetadataError& e) {
    out.warning = f.filename + " (METADATA): " + e.what();
    return;
  }
  if (auto mismatch = release_mismatch(meta, name.name, name.version, f.filename, "METADATA")) {
    out.warning = std::move(*mismatch);
    return;
  }
  f.project = std::move(name.name);
  f.version = std::move(name.version);
  f.requires_python = requires_python_of(meta);
  f.metadata_sha256 = sha256_hex(out.metadata);
  f.metadata_size = out.metadata.size();
  out.file = std::move(f);
}

}  // namespace

EntryKind classify_entry(std::string_view filename) {
  if (filename.empty() || filename.front() == '.') return EntryKind::hidden;
  if (ends_with(filename, ".whl")) return EntryKind::wheel;
  if (has_sdist_extension(filename)) return EntryKind::sdist;
  constexpr std::string_view kSidecar = ".metadata";
  if (ends_with(filename, kSidecar)) {
    const EntryKind of = classify_entry(filename.substr(0, filename.size() - kSidecar.size()));
    if (of == EntryKind::wheel || of == EntryKind::sdist) return EntryKind::sidecar;
  }
  return EntryKind::other;
}

std::string read_wheel_metadata_text(const std::filesystem::path& wheel) {
  FileByteSource source(wheel);
  ZipReader zip(source, wheel.filename().string());
  return read_wheel_metadata(zip);
}

DistRead read_dist_file(const std::filesystem::path& path, EntryKind kind) {
  DistRead out;
  MirrorFile f;
  f.filename = path.filename().string();
  f.wheel = kind == EntryKind::wheel;
  try {
    if (f.wheel) {
      read_wheel(path, f, out);
    } else {
      read_sdist(path, f, out);
    }
    // The hash last: the whole file is read only for a file that is listed.
    if (out.file) out.file->sha256 = sha256_file_hex(path);
  } catch (const Error& e) {
    // A bad wheel name (TagError), a corrupt archive (ArchiveError), a file that cannot be read
    // (NetError from the hash): each message names the file.
    out.file.reset();
    out.metadata.clear();
    out.warning = e.what();
  }
  return out;
}

}  // namespace thoth::idx
