// write_mirror (thoth/mirror.hpp): scans the directory, reads what changed since the last run, puts
// each wheel's METADATA beside it, then rewrites the pages whose text changes and removes what left.
// Order matters to a client reading the tree meanwhile: files and sidecars are in place before a page
// names them, and files leave only after no page names them any more.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "index/mirror.hpp"
#include "index/url.hpp"
#include "net/atomic_file.hpp"
#include "thoth/archive.hpp"
#include "thoth/hash.hpp"
#include "thoth/mirror.hpp"
#include "thoth/net.hpp"
#include "base/url_text.hpp"

namespace thoth {
namespace {

namespace fs = std::filesystem;
using idx::EntryKind;
using idx::MirrorFile;

constexpr const char* kStateFile = ".thoth-mirror.json";

// Where the files are and how pages reach them.
struct Layout {
  fs::path dir;              // the distribution files, canonical
  fs::path simple;
  fs::path files;
  bool placed = false;       // files are hard-linked or copied from DIR into `files`
  std::string files_prefix;  // what precedes a file's name in its URL (see idx::project_html)
};

Layout layout_of(const MirrorOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.dir, ec)) {
    throw IndexError(options.dir.string() + " is not a directory (a mirror is made from a directory of wheels and sdists)");
  }
  if (!options.base_url.empty() && !base::is_http_url(options.base_url) && !base::is_file_url(options.base_url)) {
    throw IndexError("the base URL " + options.base_url + " is not an http(s):// or file:// URL");
  }
  const fs::path dir = fs::canonical(options.dir, ec);
  if (ec) throw IndexError("cannot resolve " + options.dir.string() + ": " + ec.message());
  const fs::path out = options.out.empty() ? dir : fs::weakly_canonical(fs::absolute(options.out), ec);
  if (ec) throw IndexError("cannot resolve " + options.out.string() + ": " + ec.message());

  Layout layout;
  layout.dir = dir;
  layout.simple = out / "simple";
  // A DIR inside OUT is linked where it is, by relative URLs that survive moving OUT; any other DIR
  // is brought inside as OUT/files, so that OUT alone is the whole repository.
  const fs::path relative = dir.lexically_relative(out);
  const bool inside = !relative.empty() && *relative.begin() != "..";
  std::string relative_url = "../../";
  if (inside) {
    if (*relative.begin() == "simple") {
      throw IndexError("the files cannot be inside " + layout.simple.string() + ", where the mirror's pages go");
    }
    layout.files = dir;
    if (relative != ".") {
      idx::append_encoded_path(relative_url, relative.generic_string());
      relative_url.push_back('/');
    }
  } else {
    layout.files = out / "files";
    layout.placed = true;
    relative_url += "files/";
  }
  if (options.base_url.empty()) {
    layout.files_prefix = std::move(relative_url);
  } else {
    layout.files_prefix = options.base_url;
    while (!layout.files_prefix.empty() && layout.files_prefix.back() == '/') layout.files_prefix.pop_back();
    layout.files_prefix.push_back('/');
  }
  return layout;
}

void write_whole(const fs::path& path, std::string_view text) {
  if (!net::write_file_atomic(path, text)) throw IndexError("cannot write " + path.string() + " (is the directory writable?)");
}

// Writes `text` unless the file already holds exactly it; true when it wrote.
bool write_if_changed(const fs::path& path, std::string_view text) {
  if (std::optional<std::string> existing = read_file(path); existing && *existing == text) return false;
  write_whole(path, text);
  return true;
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Makes `dest` the file `source` (a hard link, else a copy); `unchanged` says the source is as the
// last run saw it, so a destination of its size is taken to be the copy made then. True if copied.
bool place(const fs::path& source, const struct stat& source_stat, const fs::path& dest, bool unchanged) {
  struct stat st {};
  if (::stat(dest.c_str(), &st) == 0) {
    if (st.st_dev == source_stat.st_dev && st.st_ino == source_stat.st_ino) return false;
    if (unchanged && static_cast<std::uint64_t>(st.st_size) == static_cast<std::uint64_t>(source_stat.st_size)) {
      return false;
    }
  }
  // A link under a temporary name renamed over the destination: readers see the old file or the new.
  const fs::path temp = dest.parent_path() / ("." + dest.filename().string() + ".link." + std::to_string(::getpid()));
  ::unlink(temp.c_str());
  if (::link(source.c_str(), temp.c_str()) == 0) {
    if (::rename(temp.c_str(), dest.c_str()) == 0) return false;
    ::unlink(temp.c_str());
  }
  // Another file system, or one without hard links.
  if (!net::copy_file_atomic(source, dest)) {
    throw IndexError("cannot copy " + source.string() + " to " + dest.string());
  }
  return true;
}

// The sidecar of a wheel (PEP 658: the METADATA file's bytes at "<file url>.metadata"). `text` is the
// METADATA just read, or empty when the file was not read this run.
void publish_metadata(const Layout& layout, const fs::path& wheel, MirrorFile& f, const std::string& text) {
  const fs::path sidecar = layout.files / (f.filename + ".metadata");
  if (text.empty()) {
    struct stat st {};
    if (::stat(sidecar.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) == f.metadata_size) return;
    // Gone since the last run: read it again from the wheel (its hash cannot have changed with the
    // wheel's size and modification time unchanged, but the page is made from what is written).
    const std::string again = idx::read_wheel_metadata_text(wheel);
    f.metadata_sha256 = sha256_hex(again);
    f.metadata_size = again.size();
    write_whole(sidecar, again);
    return;
  }
  write_if_changed(sidecar, text);
}

struct Scan {
  std::vector<MirrorFile> files;
  std::size_t read = 0;
  std::size_t copied = 0;
  std::vector<std::string> warnings;
};

Scan scan(const Layout& layout, const std::map<std::string, MirrorFile>& last) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(layout.dir, ec)) {
    if (e.is_regular_file(ec)) entries.push_back(e.path());  // directories (simple/, files/) are not listed
  }
  if (ec) throw IndexError("cannot list " + layout.dir.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end());  // the file system's order must not decide anything

  Scan out;
  if (layout.placed) fs::create_directories(layout.files, ec);
  for (const fs::path& path : entries) {
    const std::string name = path.filename().string();
    const EntryKind kind = idx::classify_entry(name);
    if (kind == EntryKind::hidden || kind == EntryKind::sidecar) continue;
    if (kind == EntryKind::other) {
      out.warnings.push_back(name + " is not a wheel or an sdist; left out of the mirror");
      continue;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      out.warnings.push_back(name + " cannot be read; left out of the mirror");
      continue;
    }
    MirrorFile f;
    std::string metadata;
    auto seen = last.find(name);
    const bool unchanged = seen != last.end() && seen->second.size == static_cast<std::uint64_t>(st.st_size) &&
                           seen->second.mtime_ns == mtime_ns(st) && seen->second.wheel == (kind == EntryKind::wheel);
    if (unchanged) {
      f = seen->second;
    } else {
      ++out.read;
      idx::DistRead r = idx::read_dist_file(path, kind);
      if (!r.warning.empty()) out.warnings.push_back(r.file ? r.warning : r.warning + "; left out of the mirror");
      if (!r.file) continue;
      f = std::move(*r.file);
      f.size = static_cast<std::uint64_t>(st.st_size);
      f.mtime_ns = mtime_ns(st);
      metadata = std::move(r.metadata);
    }
    if (f.wheel) {
      try {
        publish_metadata(layout, path, f, metadata);
      } catch (const ArchiveError& e) {
        out.warnings.push_back(std::string(e.what()) + "; left out of the mirror");
        continue;
      }
    }
    if (layout.placed && place(path, st, layout.files / name, unchanged)) ++out.copied;
    out.files.push_back(std::move(f));
  }
  return out;
}

// Removes what the pages no longer name: the sidecars of files that left (and, when files are
// brought into OUT/files, the files themselves). A file of DIR itself is never removed.
void remove_departed(const Layout& layout, const std::map<std::string, MirrorFile>& last,
                     const std::vector<MirrorFile>& files) {
  std::set<std::string_view> kept;
  for (const MirrorFile& f : files) kept.insert(f.filename);
  std::error_code ec;
  for (const auto& [name, f] : last) {
    if (kept.count(name)) continue;
    if (!f.metadata_sha256.empty()) fs::remove(layout.files / (name + ".metadata"), ec);
    if (layout.placed) fs::remove(layout.files / name, ec);
  }
}

// The project directories under simple/ that no current project owns: their pages go, and the
// directory when nothing else is in it.
std::vector<std::string> remove_stale_projects(const fs::path& simple, const std::set<std::string>& projects) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(simple, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory(ec) || projects.count(name)) continue;
    const bool had_html = fs::remove(e.path() / "index.html", ec);
    const bool had_json = fs::remove(e.path() / "index.json", ec);
    fs::remove(e.path(), ec);
    if (had_html || had_json) removed.push_back(name);
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

}  // namespace

MirrorResult write_mirror(const MirrorOptions& options) {
  const Layout layout = layout_of(options);
  const fs::path state_path = layout.simple / kStateFile;
  const std::map<std::string, MirrorFile> last = idx::parse_state(read_file(state_path).value_or(""));

  Scan found = scan(layout, last);
  MirrorResult result;
  result.simple_dir = layout.simple;
  result.index_url = idx::path_to_file_url(layout.simple);
  result.files_dir = layout.files;
  result.files = found.files.size();
  result.read = found.read;
  result.copied = found.copied;
  result.warnings = std::move(found.warnings);

  // Page order: by project, then version (oldest first, as PyPI lists them), then file name.
  std::vector<MirrorFile>& files = found.files;
  std::sort(files.begin(), files.end(), [](const MirrorFile& a, const MirrorFile& b) {
    if (a.project != b.project) return a.project < b.project;
    if (a.version != b.version) return a.version < b.version;
    return a.filename < b.filename;
  });
  std::set<std::string> projects;
  for (std::size_t i = 0; i < files.size();) {
    const std::string& project = files[i].project;
    std::vector<const MirrorFile*> page;
    for (; i < files.size() && files[i].project == project; ++i) page.push_back(&files[i]);
    const fs::path dir = layout.simple / project;
    const bool html = write_if_changed(dir / "index.html", idx::project_html(project, page, layout.files_prefix));
    const bool json = write_if_changed(dir / "index.json", idx::project_json(project, page, layout.files_prefix));
    if (html || json) result.written.push_back(project);
    projects.insert(project);
  }
  const std::vector<std::string> names(projects.begin(), projects.end());
  const bool root_html = write_if_changed(layout.simple / "index.html", idx::root_html(names));
  const bool root_json = write_if_changed(layout.simple / "index.json", idx::root_json(names));
  result.root_written = root_html || root_json;
  result.projects = names.size();
  result.removed = remove_stale_projects(layout.simple, projects);
  remove_departed(layout, last, files);

  std::sort(files.begin(), files.end(), [](const MirrorFile& a, const MirrorFile& b) { return a.filename < b.filename; });
  write_if_changed(state_path, idx::state_text(files));
  return result;
}

}  // namespace thoth
