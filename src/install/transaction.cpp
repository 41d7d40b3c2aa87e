// Transaction: workers verify and lay out wheels as they are handed in; commit() applies the plan
// under the rollback journal (the rule and the layout of the transaction directory are in
// thoth/install.hpp and install/journal.hpp).
#include <fcntl.h>
#include <sys/file.h>
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

#include "install/commit.hpp"
#include "install/files.hpp"
#include "install/journal.hpp"
#include "install/layout.hpp"
#include "install/unpack.hpp"
#include "thoth/pep508.hpp"

namespace thoth {

using namespace install_detail;

namespace {

constexpr std::string_view kTransactionDir = ".thoth-transaction";

// The directory a transaction locks and keeps its journal in: purelib (the target directory with
// --target), made if missing.
std::filesystem::path lock_dir(const InstallEnvironment& env) { return env.scheme.purelib; }

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
  std::deque<std::unique_ptr<Job>> jobs;  // in the order added; stable addresses
  // The jobs no worker has taken, largest wheel first: with the large ones started early, the
  // workers finish together instead of one unpacking the last large wheel alone.
  std::multimap<std::uintmax_t, Job*, std::greater<>> pending;
  std::size_t unfinished = 0;
  bool stopping = false, committed = false;
  std::vector<std::thread> workers;
  std::atomic<unsigned> scratch_counter{0};

  void work() {
    std::unique_lock guard(mutex);
    for (;;) {
      wake.wait(guard, [this] { return stopping || !pending.empty(); });
      if (pending.empty()) return;
      Job& job = *pending.begin()->second;
      pending.erase(pending.begin());
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
  std::error_code ec;
  std::uintmax_t size = wheel.file.empty() ? 0 : std::filesystem::file_size(wheel.file, ec);
  std::lock_guard guard(s.mutex);
  s.jobs.push_back(std::make_unique<Job>(Job{std::move(wheel), std::nullopt, nullptr}));
  s.pending.emplace(ec ? 0 : size, s.jobs.back().get());
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
  return commit_changes({env, options, installed, transaction_dir, std::move(layouts), remove_names}, std::move(report));
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
