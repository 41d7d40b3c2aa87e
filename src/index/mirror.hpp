// The parts of write_mirror (thoth/mirror.hpp): what one distribution file contributes to the pages
// (mirror_file.cpp), the pages themselves (mirror_pages.cpp) and the record of the last run
// (mirror_state.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/pep440.hpp"

namespace thoth::idx {

// One distribution file as the pages list it.
struct MirrorFile {
  std::string filename;
  std::string project;  // normalised (PEP 503)
  Version version;
  bool wheel = true;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string sha256;
  std::string requires_python;   // as the metadata writes it; "" when it has none
  std::string metadata_sha256;   // of the PEP 658 sidecar (wheels); "" when there is none
  std::uint64_t metadata_size = 0;

  friend bool operator==(const MirrorFile&, const MirrorFile&) = default;
};

// ---- Files -------------------------------------------------------------------------------------

// What a directory entry is to the mirror: a distribution, the PEP 658 file of one, a hidden file
// (a name starting with '.', such as the temporaries of atomic writes), or anything else.
enum class EntryKind { wheel, sdist, sidecar, hidden, other };
EntryKind classify_entry(std::string_view filename);

struct DistRead {
  std::optional<MirrorFile> file;  // without size and mtime (the caller's stat gives them)
  std::string metadata;            // a wheel's METADATA text: the sidecar to publish
  std::string warning;             // why the file is left out, or what is missing from its entry
};

// Reads a distribution file: its sha256 and the facts of its core metadata (a wheel's METADATA, an
// sdist's PKG-INFO). A file to leave out (a bad wheel name, an unreadable archive, a wheel's METADATA
// that cannot be parsed, metadata naming another project or version, an sdist name that does not
// split into a project and a PEP 440 version) comes back without `file`, the reason in `warning`.
DistRead read_dist_file(const std::filesystem::path& path, EntryKind kind);

// A wheel's METADATA text (for a sidecar that went missing since the file was read). Throws
// ArchiveError.
std::string read_wheel_metadata_text(const std::filesystem::path& wheel);

// ---- Pages -------------------------------------------------------------------------------------

// Text for an HTML attribute value or element content: & < > " ' as character references.
std::string html_escape(std::string_view text);

// `files_prefix` is what comes before a file's percent-encoded name in its URL: "../../" (relative
// to simple/<project>/) or an absolute base ending in '/'. `files` are one project's, in page order.
std::string project_html(std::string_view project, const std::vector<const MirrorFile*>& files,
                         std::string_view files_prefix);
std::string project_json(std::string_view project, const std::vector<const MirrorFile*>& files,
                         std::string_view files_prefix);
// `projects`: normalised names, sorted.
std::string root_html(const std::vector<std::string>& projects);
std::string root_json(const std::vector<std::string>& projects);

// ---- State -------------------------------------------------------------------------------------

// The files of the last run by name; empty when `text` is not a state this version wrote (the run
// then reads every file again).
std::map<std::string, MirrorFile> parse_state(std::string_view text);
std::string state_text(const std::vector<MirrorFile>& files);

}  // namespace thoth::idx
