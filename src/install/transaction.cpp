// Transaction: workers verify and lay out wheels as they are handed in; commit() applies the plan
// under the rollback journal (the rule and the layout of the transaction directory are in
// thoth/install.hpp and install/journal.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "install/compile.hpp"
#include "install/files.hpp"
#include "install/journal.hpp"
#include "install/layout.hpp"
#include "install/link.hpp"
#include "install/unpack.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

using namespace install_detail;

namespace {

constexpr std::string_view kTransactionDir = ".thoth-transaction";

// The directory a transaction locks and keeps its journal in: purelib (the target directory with
// --target), made if missing.
std::filesystem::path lock_dir(const InstallEnvironment& env) { return env.scheme.purelib; }

std::vector<std::filesystem::path> scheme_roots(const InstallEnvironment& env) {
  return {env.scheme.purelib, env.scheme.platlib, env.scheme.scripts, env.scheme.data, env.scheme.headers, env.prefix};
}

// An exclusive flock(2) on a directory, held while the object lives.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::filesystem::path& dir) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw_io("open", dir, errno);
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd_);
      throw_io("lock", dir, err);
    }
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

bool exists_no_follow(const std::filesystem::path& path, bool* is_dir = nullptr) {
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
std::set<std::filesystem::path> removal_paths(const InstalledDistribution& dist, const std::filesystem::path& root,
                                              std::vector<std::string>& warnings) {
  std::set<std::filesystem::path> out;
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
    if (exists_no_follow(path, &is_dir) && !is_dir) out.insert(path);
    if (path.extension() != ".py") continue;
    const std::string stem = path.stem().string();
    for (const char* ext : {".pyc", ".pyo"}) {
      std::filesystem::path sibling = path.parent_path() / (stem + ext);
      if (exists_no_follow(sibling)) out.insert(sibling);
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
      if (dot == std::string_view::npos || middle.substr(dot + 1).starts_with("opt-")) out.insert(cache_dir / name);
    }
  }
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator d(dist.dist_info, ec), end; !ec && d != end; d.increment(ec))
    if (!d->is_directory(ec)) out.insert(d->path());
  return out;
}

struct Job {
  WheelToInstall wheel;
  std::optional<WheelLayout> layout;
  std::exception_ptr error;
};

}  // namespace

std::string_view link_mode_name(LinkMode mode) {
  switch (mode) {
    case LinkMode::Auto: return "auto";
    case LinkMode::Hardlink: return "hardlink";
    case LinkMode::Reflink: return "reflink";
    case LinkMode::Copy: return "copy";
  }
  return "auto";
}

struct Transaction::State {
  InstallEnvironment env;
  InstallOptions options;
  std::unique_ptr<DirectoryLock> lock;
  std::filesystem::path transaction_dir;
  InstalledSet installed;
  std::vector<std::string> notes;
  std::vector<std::string> remove_names;

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::unique_ptr<Job>> jobs;  // stable addresses; workers take them by index
  std::size_t next_job = 0, unfinished = 0;
  bool stopping = false, committed = false;
  std::vector<std::thread> workers;
  std::atomic<unsigned> scratch_counter{0};

  void work() {
    std::unique_lock guard(mutex);
    for (;;) {
      wake.wait(guard, [this] { return stopping || next_job < jobs.size(); });
      if (next_job >= jobs.size()) return;
      Job& job = *jobs[next_job++];
      guard.unlock();
      try {
        std::filesystem::path scratch;
        if (options.cache_dir.empty()) scratch = transaction_dir / "unpack" / std::to_string(scratch_counter++);
        UnpackedWheel unpacked = unpack_wheel(job.wheel, options.cache_dir, scratch);
        job.layout = lay_out_wheel(std::move(unpacked), job.wheel, env, options);
      } catch (...) {
        job.error = std::current_exception();
      }
      guard.lock();
      --unfinished;
      wake.notify_all();
    }
  }

  void stop_workers() {
    {
      std::lock_guard guard(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread& t : workers) t.join();
    workers.clear();
  }

  InstallReport apply();
};

Transaction::Transaction(InstallEnvironment env, InstallOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.env = std::move(env);
  s.options = std::move(options);
  if (s.options.jobs == 0) s.options.jobs = 1;
  make_directories(lock_dir(s.env));
  s.lock = std::make_unique<DirectoryLock>(lock_dir(s.env));
  s.transaction_dir = lock_dir(s.env) / kTransactionDir;
  if (std::optional<std::string> note = Journal::recover(s.transaction_dir, scheme_roots(s.env))) s.notes.push_back(*note);
  s.installed = scan_installed(s.env);
}

Transaction::~Transaction() {
  state_->stop_workers();
  // Without a journal the directory holds only scratch space (a journal left by a failed rollback
  // stays for the next run).
  std::error_code ec;
  if (!state_->committed && !std::filesystem::exists(state_->transaction_dir / "journal", ec))
    remove_tree(state_->transaction_dir);
}

void Transaction::add(WheelToInstall wheel) {
  State& s = *state_;
  std::lock_guard guard(s.mutex);
  s.jobs.push_back(std::make_unique<Job>(Job{std::move(wheel), std::nullopt, nullptr}));
  ++s.unfinished;
  if (s.workers.size() < s.options.jobs && s.workers.size() < s.unfinished)
    s.workers.emplace_back([&s] { s.work(); });
  s.wake.notify_one();
}

void Transaction::remove(std::string_view name) {
  State& s = *state_;
  if (!s.installed.find(name))
    throw InstallError("cannot uninstall " + std::string(name) + ": it is not installed in " + s.env.scheme.purelib.string());
  s.remove_names.push_back(normalize_name(name));
}

bool Transaction::cached(std::string_view sha256) const {
  return load_cached(state_->options.cache_dir, sha256).has_value();
}

InstallReport Transaction::commit() {
  State& s = *state_;
  {
    std::unique_lock guard(s.mutex);
    s.wake.wait(guard, [&s] { return s.unfinished == 0; });
  }
  s.stop_workers();
  for (const auto& job : s.jobs)
    if (job->error) std::rethrow_exception(job->error);  // nothing has changed yet
  InstallReport report = s.apply();
  s.committed = true;
  return report;
}

InstallReport Transaction::State::apply() {
  InstallReport report;
  report.notes = notes;
  report.warnings = installed.warnings;
  std::vector<WheelLayout*> layouts;
  for (auto& job : jobs) {
    report.warnings.insert(report.warnings.end(), job->layout->warnings.begin(), job->layout->warnings.end());
    layouts.push_back(&*job->layout);
  }
  std::stable_sort(layouts.begin(), layouts.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (std::size_t i = 1; i < layouts.size(); ++i)
    if (layouts[i]->name == layouts[i - 1]->name)
      throw InstallError("two wheels of " + layouts[i]->display_name + " were given (" + layouts[i - 1]->version + ", " +
                         layouts[i]->version + "); install one version");

  // What goes: the distributions named, and the installed versions of what is installed.
  std::set<std::string> removing(remove_names.begin(), remove_names.end());
  for (WheelLayout* layout : layouts)
    if (installed.find(layout->name)) removing.insert(layout->name);
  std::set<std::filesystem::path> removed_files;
  for (const std::string& name : removing) {
    const InstalledDistribution* dist = installed.find(name);
    report.removed.push_back(*dist);
    std::set<std::filesystem::path> files = removal_paths(*dist, env.removal_root, report.warnings);
    removed_files.insert(files.begin(), files.end());
  }

  // Every destination goes to one wheel: the last by name, as pip's sequential installs leave it.
  struct Owner {
    WheelLayout* layout;
    const PlacedFile* file;  // nullptr: the RECORD
  };
  std::map<std::filesystem::path, Owner> destinations;
  for (WheelLayout* layout : layouts) {
    for (const PlacedFile& file : layout->files) {
      auto [it, fresh] = destinations.insert_or_assign(file.destination, Owner{layout, &file});
      (void)it;
      if (!fresh) report.warnings.push_back(file.destination.string() + " is in more than one wheel; " + layout->display_name + "'s is kept");
    }
    destinations.insert_or_assign(layout->dist_info / "RECORD", Owner{layout, nullptr});
  }

  Journal journal(transaction_dir);
  std::vector<JournalEntry> intents;
  std::set<std::filesystem::path> moved;
  std::size_t backup_counter = 0;
  struct stat journal_st {};
  make_directories(journal.backup_dir());
  ::stat(journal.backup_dir().c_str(), &journal_st);
  std::map<std::filesystem::path, bool> same_device;  // parent directory -> rename() reaches the backups
  auto move_aside = [&](const std::filesystem::path& path) {
    if (!moved.insert(path).second) return;
    std::filesystem::path parent = path.parent_path();
    auto [it, fresh] = same_device.try_emplace(parent, true);
    if (fresh) {
      struct stat st {};
      it->second = ::stat(parent.c_str(), &st) != 0 || st.st_dev == journal_st.st_dev;
    }
    std::string n = std::to_string(backup_counter++);
    std::filesystem::path backup = it->second ? journal.backup_dir() / n : parent / (".thoth-backup-" + n);
    intents.push_back({JournalEntry::Kind::Moved, path, backup});
  };
  for (const std::filesystem::path& path : removed_files) move_aside(path);
  std::set<std::filesystem::path> new_dirs;
  std::map<std::filesystem::path, bool> dir_exists;
  for (const auto& [destination, target] : destinations) {
    bool is_dir = false;
    if (!removed_files.count(destination) && exists_no_follow(destination, &is_dir)) {
      if (is_dir)
        throw InstallError("cannot install " + destination.string() + " of " + target.layout->display_name +
                           ": a directory is in the way; remove it and run again");
      move_aside(destination);
    }
    for (std::filesystem::path dir = destination.parent_path(); !dir.empty() && dir.has_relative_path(); dir = dir.parent_path()) {
      auto [it, fresh] = dir_exists.try_emplace(dir, false);
      if (!fresh) break;
      it->second = exists_no_follow(dir, &is_dir);
      if (it->second) {
        if (!is_dir)
          throw InstallError("cannot install into " + dir.string() + ": a file is in the way; remove it and run again");
        break;
      }
      new_dirs.insert(dir);
    }
  }
  // Parents before children: a shorter path sorts first among its descendants.
  for (const std::filesystem::path& dir : new_dirs) intents.push_back({JournalEntry::Kind::MadeDirectory, dir, {}});
  for (const auto& [destination, target] : destinations) intents.push_back({JournalEntry::Kind::CreatedFile, destination, {}});

  Linker linker(options.link_mode);
  std::atomic<std::size_t> written{0};
  std::map<Placement, std::size_t> mode_counts;
  std::mutex counts_mutex;
  std::map<WheelLayout*, std::vector<std::filesystem::path>> compiled;
  try {
    journal.record(intents);
    for (const JournalEntry& e : journal.entries()) {
      if (e.kind == JournalEntry::Kind::Moved && ::rename(e.path.c_str(), e.backup.c_str()) != 0)
        throw_io("move aside", e.path, errno);
      if (e.kind == JournalEntry::Kind::MadeDirectory && ::mkdir(e.path.c_str(), 0777) != 0 && errno != EEXIST)
        throw_io("create directory", e.path, errno);
    }

    // Place the files, wheel by wheel on the workers.
    std::map<const WheelLayout*, std::size_t> index_of;
    for (std::size_t i = 0; i < layouts.size(); ++i) index_of[layouts[i]] = i;
    std::vector<std::vector<std::pair<const std::filesystem::path*, const PlacedFile*>>> work(layouts.size());
    for (const auto& [destination, target] : destinations)
      if (target.file) work[index_of[target.layout]].emplace_back(&destination, target.file);
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    auto place_all = [&] {
      std::map<Placement, std::size_t> local;
      for (std::size_t i; (i = next++) < work.size();) {
        try {
          for (const auto& [destination, file] : work[i]) {
            if (options.before_place) options.before_place(*destination);
            if (file->generated()) {
              write_new_file(*destination, file->content, file->executable);
              if (file->executable) ::chmod(destination->c_str(), (0666 & ~current_umask()) | 0555);
              ++written;
            } else {
              ++local[linker.place(file->source, *destination, file->executable, layouts[i]->unpacked.scratch)];
            }
          }
        } catch (...) {
          std::lock_guard guard(error_mutex);
          if (!error) error = std::current_exception();
          next = work.size();
        }
      }
      std::lock_guard guard(counts_mutex);
      for (auto [mode, count] : local) mode_counts[mode] += count;
    };
    std::vector<std::thread> placers;
    for (unsigned t = 1; t < options.jobs && t < work.size(); ++t) placers.emplace_back(place_all);
    place_all();
    for (std::thread& t : placers) t.join();
    if (error) std::rethrow_exception(error);

    // Optional bytecode, then RECORD with the .pyc files in it (pip adds them the same way).
    if (options.compile && !env.cache_tag.empty()) {
      std::vector<std::filesystem::path> sources;
      std::vector<JournalEntry> more;
      std::set<std::filesystem::path> pycache_dirs;
      for (const auto& [destination, target] : destinations) {
        if (!target.file || destination.extension() != ".py") continue;
        sources.push_back(destination);
        std::filesystem::path pyc = pyc_path(destination, env.cache_tag);
        compiled[target.layout].push_back(pyc);
        std::filesystem::path dir = pyc.parent_path();
        bool dir_is_dir = false;
        if (!pycache_dirs.count(dir) && !exists_no_follow(dir, &dir_is_dir)) {
          pycache_dirs.insert(dir);
          more.push_back({JournalEntry::Kind::MadeDirectory, dir, {}});
        }
        if (exists_no_follow(pyc)) {
          std::size_t before = intents.size();
          move_aside(pyc);
          more.insert(more.end(), intents.begin() + static_cast<std::ptrdiff_t>(before), intents.end());
        }
        more.push_back({JournalEntry::Kind::CreatedFile, pyc, {}});
      }
      journal.record(more);
      for (const JournalEntry& e : more)
        if (e.kind == JournalEntry::Kind::Moved && ::rename(e.path.c_str(), e.backup.c_str()) != 0)
          throw_io("move aside", e.path, errno);
      compile_sources(env, sources, transaction_dir / "compile");
      for (auto& [layout, pycs] : compiled) {
        std::erase_if(pycs, [](const std::filesystem::path& p) { return !exists_no_follow(p); });
        report.compiled_files += pycs.size();
      }
    }
    for (WheelLayout* layout : layouts) {
      std::filesystem::path record = layout->dist_info / "RECORD";
      if (options.before_place) options.before_place(record);
      write_new_file(record, installed_record(*layout, compiled[layout]), false);
      ++written;
    }
    journal.record_commit();
  } catch (const std::exception& e) {
    std::vector<std::string> failed = journal.roll_back();
    std::string message = e.what();
    if (!failed.empty())
      message += "; the rollback could not " + failed.front() + " (the journal in " + transaction_dir.string() +
                 " is kept: fix the cause and run thoth again to finish it)";
    throw InstallError(message);
  }
  journal.finish(scheme_roots(env));

  for (WheelLayout* layout : layouts)
    report.installed.push_back({layout->name, layout->display_name, layout->version, layout->dist_info,
                                layout->files.size() + compiled[layout].size() + 1, layout->unpacked.from_cache});
  report.linked_files = mode_counts[Placement::Hardlink] + mode_counts[Placement::Reflink] + mode_counts[Placement::Rename];
  report.copied_files = mode_counts[Placement::Copy];
  report.written_files = written;
  report.link_mode = LinkMode::Auto;  // stays Auto when every file was renamed from scratch space
  std::size_t most = mode_counts[Placement::Rename];
  for (auto [placement, mode] : {std::pair{Placement::Hardlink, LinkMode::Hardlink}, std::pair{Placement::Reflink, LinkMode::Reflink},
                                 std::pair{Placement::Copy, LinkMode::Copy}})
    if (mode_counts[placement] > most) {
      most = mode_counts[placement];
      report.link_mode = mode;
    }
  return report;
}

std::optional<std::string> recover_interrupted(const InstallEnvironment& env) {
  std::error_code ec;
  if (!std::filesystem::is_directory(lock_dir(env), ec)) return std::nullopt;
  DirectoryLock lock(lock_dir(env));
  return Journal::recover(lock_dir(env) / kTransactionDir, scheme_roots(env));
}

InstallReport install_wheels(const InstallEnvironment& env, std::vector<WheelToInstall> wheels,
                             const InstallOptions& options, const std::vector<std::string>& remove) {
  Transaction transaction(env, options);
  for (const std::string& name : remove) transaction.remove(name);
  for (WheelToInstall& wheel : wheels) transaction.add(std::move(wheel));
  return transaction.commit();
}

InstallReport uninstall(const InstallEnvironment& env, const std::vector<std::string>& names, const InstallOptions& options) {
  return install_wheels(env, {}, options, names);
}

}  // namespace thoth
