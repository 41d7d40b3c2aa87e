#include "install/commit.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "install/compile.hpp"
#include "install/files.hpp"
#include "install/journal.hpp"
#include "install/link.hpp"

namespace thoth::install_detail {
namespace {

bool exists_no_follow(const std::string& path, bool* is_dir = nullptr) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return false;
  if (is_dir) *is_dir = S_ISDIR(st.st_mode);
  return true;
}

bool within(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end() || (std::next(r) == root.end() && r->empty());
}

// The files uninstalling `dist` removes: RECORD's paths, the bytecode of its .py files (pip's
// uninstallation_paths: <stem>.pyc and .pyo beside them, __pycache__/<stem>.<tag>.pyc for any tag), and
// whatever else is left in its .dist-info directory. Paths outside `root` are not touched (pip's
// is_local rule) and reported.
std::set<std::string> removal_paths(const InstalledDistribution& dist, const std::filesystem::path& root,
                                    std::vector<std::string>& warnings) {
  std::set<std::string> out;
  std::map<std::filesystem::path, std::vector<std::string>> pycache;  // directory -> its entries
  const std::filesystem::path base = dist.dist_info.parent_path();
  for (const RecordEntry& e : dist.record) {
    std::filesystem::path path = (base / e.path).lexically_normal();
    if (!within(path, root)) {
      warnings.push_back("not removing " + path.string() + " of " + dist.display_name + ": it is outside " + root.string());
      continue;
    }
    // A directory in RECORD is not the distribution's alone (a namespace package, a shared data
    // directory): only its files go, and the directory if they leave it empty.
    bool is_dir = false;
    if (exists_no_follow(path.native(), &is_dir) && !is_dir) out.insert(path.native());
    if (path.extension() != ".py") continue;
    const std::string stem = path.stem().string();
    for (const char* ext : {".pyc", ".pyo"}) {
      std::filesystem::path sibling = path.parent_path() / (stem + ext);
      if (exists_no_follow(sibling.native())) out.insert(sibling.native());
    }
    std::filesystem::path cache_dir = path.parent_path() / "__pycache__";
    auto [it, fresh] = pycache.try_emplace(cache_dir);
    if (fresh) {
      std::error_code ec;
      for (std::filesystem::directory_iterator d(cache_dir, ec), end; !ec && d != end; d.increment(ec))
        it->second.push_back(d->path().filename().string());
    }
    for (const std::string& name : it->second) {
      // <stem>.<tag>.pyc or <stem>.<tag>.opt-N.pyc, the tag itself without dots.
      if (!name.starts_with(stem + ".") || !name.ends_with(".pyc")) continue;
      std::string_view middle = std::string_view(name).substr(stem.size() + 1, name.size() - stem.size() - 5);
      std::size_t dot = middle.find('.');
      if (dot == std::string_view::npos || middle.substr(dot + 1).starts_with("opt-")) out.insert((cache_dir / name).native());
    }
  }
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator d(dist.dist_info, ec), end; !ec && d != end; d.increment(ec))
    if (!d->is_directory(ec)) out.insert(d->path().native());
  return out;
}

class Commit {
 public:
  Commit(const CommitRequest& request, InstallReport report)
      : r_(request),
        report_(std::move(report)),
        journal_(request.transaction_dir, request.options.durable_journal),
        linker_(request.options.link_mode) {}

  InstallReport run() {
    plan_removals();
    plan_destinations();
    try {
      journal_.record(intents_);
      carry_out(journal_.entries());
      place_files();
      if (r_.options.compile && !r_.env.cache_tag.empty()) compile();
      write_records();
      journal_.record_commit();
    } catch (const std::exception& e) {
      std::vector<std::string> failed = journal_.roll_back();
      std::string message = e.what();
      if (!failed.empty())
        message += "; the rollback could not " + failed.front() + " (the journal in " + r_.transaction_dir.string() +
                   " is kept: fix the cause and run thoth again to finish it)";
      throw InstallError(message);
    }
    journal_.finish(scheme_roots(r_.env));
    return finish_report();
  }

 private:
  // Which file a destination gets; `file` is null for the RECORD.
  struct Owner {
    WheelLayout* layout;
    const PlacedFile* file;
  };

  // What goes: the distributions named, and the installed versions of what is installed.
  void plan_removals() {
    std::set<std::string> removing(r_.remove.begin(), r_.remove.end());
    for (WheelLayout* layout : r_.layouts)
      if (r_.installed.find(layout->name)) removing.insert(layout->name);
    for (const std::string& name : removing) {
      const InstalledDistribution* dist = r_.installed.find(name);
      report_.removed.push_back(*dist);
      std::set<std::string> files = removal_paths(*dist, r_.env.removal_root, report_.warnings);
      removed_files_.insert(files.begin(), files.end());
    }
    make_directories(journal_.backup_dir());
    struct stat st {};
    ::stat(journal_.backup_dir().c_str(), &st);
    backup_device_ = st.st_dev;
    for (const std::string& path : removed_files_) move_aside(path);
  }

  // Every destination goes to one wheel, the last by name, as pip's installs one after the other
  // leave it; what is in the way is moved aside; missing directories are made.
  void plan_destinations() {
    for (WheelLayout* layout : r_.layouts) {
      for (const PlacedFile& file : layout->files) destinations_.push_back({file.destination, {layout, &file}});
      destinations_.push_back({(layout->dist_info / "RECORD").native(), {layout, nullptr}});
    }
    std::stable_sort(destinations_.begin(), destinations_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Of several wheels placing one path, the last (stable sort: the last by name) keeps it.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < destinations_.size(); ++i) {
      if (i + 1 < destinations_.size() && destinations_[i].first == destinations_[i + 1].first) {
        report_.warnings.push_back(destinations_[i].first + " is in more than one wheel; " +
                                   destinations_[i + 1].second.layout->display_name + "'s is kept");
        continue;
      }
      if (kept != i) destinations_[kept] = std::move(destinations_[i]);
      ++kept;
    }
    destinations_.resize(kept);
    std::set<std::string> new_dirs;
    std::unordered_set<std::string> seen_dirs;
    for (const auto& [destination, owner] : destinations_) {
      bool is_dir = false;
      for (std::size_t slash = destination.rfind('/'); slash != std::string::npos && slash > 0;
           slash = destination.rfind('/', slash - 1)) {
        std::string dir = destination.substr(0, slash);
        if (!seen_dirs.insert(dir).second) break;
        // A file of the version being replaced may stand where the new one has a directory: it is
        // moved aside before the directories are made.
        if (!removed_files_.count(dir) && exists_no_follow(dir, &is_dir)) {
          if (!is_dir) throw InstallError("cannot install into " + dir + ": a file is in the way; remove it and run again");
          break;
        }
        new_dirs.insert(std::move(dir));
      }
      // Nothing can be in the way in a directory still to be made (in a fresh environment, most of
      // them): no lstat there.
      std::size_t slash = destination.rfind('/');
      if (slash != std::string::npos && slash > 0 && new_dirs.count(destination.substr(0, slash))) continue;
      if (!removed_files_.count(destination) && exists_no_follow(destination, &is_dir)) {
        if (is_dir)
          throw InstallError("cannot install " + destination + " of " + owner.layout->display_name +
                             ": a directory is in the way; remove it and run again");
        move_aside(destination);
      }
    }
    // Parents before children: a path sorts before its descendants.
    for (const std::string& dir : new_dirs) intents_.push_back({JournalEntry::Kind::MadeDirectory, dir, {}});
    for (const auto& [destination, owner] : destinations_) intents_.push_back({JournalEntry::Kind::CreatedFile, destination, {}});
  }

  // Journals a move of `path` to a backup: in the transaction's backup directory when rename()
  // reaches it, else beside the file.
  void move_aside(const std::string& path) {
    if (!moved_.insert(path).second) return;
    std::string parent = path.substr(0, path.rfind('/'));
    auto [it, fresh] = reaches_backups_.try_emplace(parent, true);
    if (fresh) {
      struct stat st {};
      it->second = ::stat(parent.c_str(), &st) != 0 || st.st_dev == backup_device_;
    }
    std::string n = std::to_string(backup_counter_++);
    intents_.push_back({JournalEntry::Kind::Moved, path,
                        it->second ? (journal_.backup_dir() / n).native() : parent + "/.thoth-backup-" + n});
  }

  void carry_out(const std::vector<JournalEntry>& entries) {
    for (const JournalEntry& e : entries) {
      if (e.kind == JournalEntry::Kind::Moved && ::rename(e.path.c_str(), e.backup.c_str()) != 0)
        throw_io("move aside", e.path, errno);
      if (e.kind == JournalEntry::Kind::MadeDirectory && ::mkdir(e.path.c_str(), 0777) != 0 && errno != EEXIST)
        throw_io("create directory", e.path, errno);
    }
  }

  // The files of each wheel, wheels shared out among the workers.
  void place_files() {
    std::map<const WheelLayout*, std::size_t> index_of;
    for (std::size_t i = 0; i < r_.layouts.size(); ++i) index_of[r_.layouts[i]] = i;
    std::vector<std::vector<std::pair<const std::string*, const PlacedFile*>>> work(r_.layouts.size());
    for (const auto& [destination, owner] : destinations_)
      if (owner.file) work[index_of[owner.layout]].emplace_back(&destination, owner.file);
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::exception_ptr error;
    auto worker = [&] {
      std::map<Placement, std::size_t> counts;
      std::size_t written = 0;
      DirectoryFds dirs;  // this worker's: the directories do not change while files are placed
      for (std::size_t i; (i = next++) < work.size();) {
        try {
          for (const auto& [destination, file] : work[i])
            place(*destination, *file, r_.layouts[i]->unpacked.scratch, dirs, counts, written);
        } catch (...) {
          std::lock_guard guard(mutex);
          if (!error) error = std::current_exception();
          next = work.size();
        }
      }
      std::lock_guard guard(mutex);
      for (auto [mode, count] : counts) placements_[mode] += count;
      written_ += written;
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < r_.options.jobs && t < work.size(); ++t) helpers.emplace_back(worker);
    worker();
    for (std::thread& t : helpers) t.join();
    if (error) std::rethrow_exception(error);
  }

  void place(const std::string& destination, const PlacedFile& file, bool movable, DirectoryFds& dirs,
             std::map<Placement, std::size_t>& counts, std::size_t& written) {
    if (r_.options.before_place) r_.options.before_place(std::filesystem::path(destination));
    if (!file.generated()) {
      ++counts[linker_.place(file.source, destination, file.executable, movable, dirs)];
      return;
    }
    write_new_file(destination, file.content, file.executable);
    // distlib's ScriptMaker gives scripts r-x for everyone on top of the umask's mode.
    if (file.executable) ::chmod(destination.c_str(), (0666 & ~current_umask()) | 0555);
    ++written;
  }

  // One run of the interpreter for every .py file placed; bytecode already there is moved aside
  // like any file replaced.
  void compile() {
    std::vector<std::string> sources;
    std::size_t first_new = intents_.size();
    std::unordered_set<std::string> pycache_dirs;
    std::vector<JournalEntry> created;
    for (const auto& [destination, owner] : destinations_) {
      if (!owner.file || !destination.ends_with(".py")) continue;
      sources.push_back(destination);
      std::string pyc = pyc_path(destination, r_.env.cache_tag);
      compiled_[owner.layout].push_back(pyc);
      std::string pycache = pyc.substr(0, pyc.rfind('/'));
      if (pycache_dirs.insert(pycache).second && !exists_no_follow(pycache))
        created.push_back({JournalEntry::Kind::MadeDirectory, pycache, {}});
      if (exists_no_follow(pyc)) move_aside(pyc);
      created.push_back({JournalEntry::Kind::CreatedFile, pyc, {}});
    }
    std::vector<JournalEntry> more(intents_.begin() + static_cast<std::ptrdiff_t>(first_new), intents_.end());
    more.insert(more.end(), created.begin(), created.end());
    journal_.record(more);
    carry_out(more);
    compile_sources(r_.env, sources, r_.transaction_dir / "compile");
    for (auto& [layout, pycs] : compiled_) {
      std::erase_if(pycs, [](const std::string& p) { return !exists_no_follow(p); });
      report_.compiled_files += pycs.size();
    }
  }

  void write_records() {
    for (WheelLayout* layout : r_.layouts) {
      std::filesystem::path record = layout->dist_info / "RECORD";
      if (r_.options.before_place) r_.options.before_place(record);
      write_new_file(record, installed_record(*layout, compiled_[layout]), false);
      ++written_;
    }
  }

  InstallReport finish_report() {
    for (WheelLayout* layout : r_.layouts)
      report_.installed.push_back({layout->name, layout->display_name, layout->version, layout->dist_info,
                                   layout->files.size() + compiled_[layout].size() + 1, layout->unpacked.from_cache});
    report_.linked_files = placements_[Placement::Hardlink] + placements_[Placement::Reflink] + placements_[Placement::Rename];
    report_.copied_files = placements_[Placement::Copy];
    report_.written_files = written_;
    report_.link_mode = LinkMode::Auto;  // stays Auto when every file was renamed from scratch space
    std::size_t most = placements_[Placement::Rename];
    for (auto [placement, mode] : {std::pair{Placement::Hardlink, LinkMode::Hardlink},
                                   std::pair{Placement::Reflink, LinkMode::Reflink}, std::pair{Placement::Copy, LinkMode::Copy}})
      if (placements_[placement] > most) {
        most = placements_[placement];
        report_.link_mode = mode;
      }
    return std::move(report_);
  }

  const CommitRequest& r_;
  InstallReport report_;
  Journal journal_;
  Linker linker_;
  std::set<std::string> removed_files_;
  std::unordered_set<std::string> moved_;
  std::vector<std::pair<std::string, Owner>> destinations_;  // sorted by path
  std::vector<JournalEntry> intents_;
  dev_t backup_device_ = 0;
  std::unordered_map<std::string, bool> reaches_backups_;  // parent directory -> rename() reaches the backups
  std::size_t backup_counter_ = 0;
  std::map<Placement, std::size_t> placements_;
  std::size_t written_ = 0;
  std::map<WheelLayout*, std::vector<std::string>> compiled_;
};

}  // namespace

std::vector<std::filesystem::path> scheme_roots(const InstallEnvironment& env) {
  return {env.scheme.purelib, env.scheme.platlib, env.scheme.scripts, env.scheme.data, env.scheme.headers, env.prefix};
}

InstallReport commit_changes(const CommitRequest& request, InstallReport report) {
  return Commit(request, std::move(report)).run();
}

}  // namespace thoth::install_detail
