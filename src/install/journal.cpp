#include "install/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <unordered_set>
#include <system_error>

#include "install/files.hpp"
#include "install/ini.hpp"
#include "thoth/install.hpp"

namespace thoth::install_detail {
namespace {

constexpr std::string_view kHeader = "thoth-install-journal 1\n";

std::string escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char next = text[++i];
    out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
  }
  return out;
}

bool exists_no_follow(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Removes directories left empty below (not including) the `keep` roots, walking up from `dir`.
void prune_empty(std::filesystem::path dir, const std::vector<std::filesystem::path>& keep) {
  while (!dir.empty() && dir.has_relative_path()) {
    if (std::find(keep.begin(), keep.end(), dir) != keep.end()) return;
    bool under_a_root = std::any_of(keep.begin(), keep.end(), [&](const std::filesystem::path& root) {
      auto [r, d] = std::mismatch(root.begin(), root.end(), dir.begin(), dir.end());
      return r == root.end();
    });
    if (!under_a_root || ::rmdir(dir.c_str()) != 0) return;
    dir = dir.parent_path();
  }
}

}  // namespace

Journal::Journal(std::filesystem::path dir, bool durable) : dir_(std::move(dir)), durable_(durable) {}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::write_line_batch(const std::string& text) {
  if (fd_ < 0) {
    make_directories(dir_);
    std::filesystem::path file = dir_ / "journal";
    fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_io("create the install journal", file, errno);
    write_line_batch(std::string(kHeader));
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_io("write the install journal", dir_ / "journal", errno);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  // Written before the changes it announces, the journal survives the process being killed. Through a
  // power loss, it is ahead of them on a file system that commits metadata in order (ext4's
  // data=ordered); elsewhere only fdatasync() makes sure, and on ext4 it would also wait for every
  // unpacked file still in the page cache, so it is asked for (InstallOptions::durable_journal).
  if (durable_ && ::fdatasync(fd_) != 0) throw_io("write the install journal", dir_ / "journal", errno);
}

void Journal::record(const std::vector<JournalEntry>& entries) {
  if (entries.empty()) return;
  std::string text;
  for (const JournalEntry& e : entries) {
    switch (e.kind) {
      case JournalEntry::Kind::Moved:
        text += "moved\t" + escape(e.path) + "\t" + escape(e.backup) + "\n";
        break;
      case JournalEntry::Kind::MadeDirectory:
        text += "dir\t" + escape(e.path) + "\n";
        break;
      case JournalEntry::Kind::CreatedFile:
        text += "file\t" + escape(e.path) + "\n";
        break;
    }
  }
  write_line_batch(text);
  entries_.insert(entries_.end(), entries.begin(), entries.end());
}

void Journal::record_commit() { write_line_batch("commit\n"); }

std::vector<std::string> Journal::roll_back() {
  std::vector<std::string> failed;
  std::unordered_set<std::string> never_moved;
  for (const JournalEntry& e : entries_)
    if (e.kind == JournalEntry::Kind::Moved && !exists_no_follow(e.backup)) never_moved.insert(e.path);
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    switch (it->kind) {
      case JournalEntry::Kind::CreatedFile:
        if (!never_moved.count(it->path) && ::unlink(it->path.c_str()) != 0 && errno != ENOENT)
          failed.push_back("remove " + it->path);
        break;
      case JournalEntry::Kind::MadeDirectory:
        if (::rmdir(it->path.c_str()) != 0 && errno != ENOENT) failed.push_back("remove directory " + it->path);
        break;
      case JournalEntry::Kind::Moved:
        if (exists_no_follow(it->backup) && ::rename(it->backup.c_str(), it->path.c_str()) != 0)
          failed.push_back("restore " + it->path + " from " + it->backup);
        break;
    }
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  entries_.clear();
  if (failed.empty()) remove_tree(dir_);
  return failed;
}

void Journal::finish(const std::vector<std::filesystem::path>& keep) {
  std::vector<std::filesystem::path> parents;
  for (const JournalEntry& e : entries_) {
    if (e.kind != JournalEntry::Kind::Moved) continue;
    remove_tree(e.backup);  // backups outside backup_dir() (another file system) go one by one
    parents.push_back(std::filesystem::path(e.path).parent_path());
  }
  std::sort(parents.begin(), parents.end(), [](const auto& a, const auto& b) {
    return std::distance(a.begin(), a.end()) > std::distance(b.begin(), b.end());
  });
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  for (const std::filesystem::path& dir : parents) prune_empty(dir, keep);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  remove_tree(dir_);
}

std::optional<std::string> Journal::recover(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& keep) {
  std::optional<std::string> text = read_small_file(dir / "journal");
  if (!text) {
    // No journal: at most scratch space of a transaction that never started changing anything.
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) remove_tree(dir);
    return std::nullopt;
  }
  Journal journal(dir);
  bool committed = false;
  std::string_view rest = *text;
  if (rest.starts_with(kHeader)) rest.remove_prefix(kHeader.size());
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) break;  // a line cut short by the interruption: never acted on
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    if (line == "commit") {
      committed = true;
      continue;
    }
    std::size_t tab = line.find('\t');
    std::string_view kind = line.substr(0, tab), args = tab == std::string_view::npos ? "" : line.substr(tab + 1);
    if (kind == "moved") {
      std::size_t sep = args.find('\t');
      journal.entries_.push_back({JournalEntry::Kind::Moved, unescape(args.substr(0, sep)),
                                  unescape(sep == std::string_view::npos ? "" : args.substr(sep + 1))});
    } else if (kind == "dir") {
      journal.entries_.push_back({JournalEntry::Kind::MadeDirectory, unescape(args), {}});
    } else if (kind == "file") {
      journal.entries_.push_back({JournalEntry::Kind::CreatedFile, unescape(args), {}});
    }
  }
  if (committed) {
    journal.finish(keep);
    return "finished the cleanup of an interrupted transaction (" + dir.string() + ")";
  }
  std::vector<std::string> failed = journal.roll_back();
  if (!failed.empty())
    throw InstallError("cannot roll back the interrupted transaction in " + dir.string() + " (" + failed.front() +
                       "); fix the permissions and run again, the journal is kept");
  return "rolled back an interrupted transaction (" + dir.string() + ")";
}

}  // namespace thoth::install_detail
