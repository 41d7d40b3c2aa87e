// The rollback journal of a transaction (the rule is in thoth/install.hpp). Every change is recorded
// before it is made, as an intent; undoing an intent that was never carried out is harmless:
//   moved <path> <backup>   rolled back by renaming the backup over the path, if the backup exists
//   dir <path>              a directory created; rolled back by removing it if empty
//   file <path>             a file created; rolled back by removing it, unless the same path was
//                           also to be moved aside and that never happened (then it is the original)
//   commit                  the transaction is complete: only the backups remain to be deleted
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace thoth::install_detail {

struct JournalEntry {
  enum class Kind { Moved, MadeDirectory, CreatedFile } kind;
  std::string path;    // absolute
  std::string backup;  // Moved only
};

class Journal {
 public:
  // The transaction directory (<purelib>/.thoth-transaction); nothing is written yet. `durable`:
  // wait for each batch of entries to reach the disk before going on.
  explicit Journal(std::filesystem::path dir, bool durable = false);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path backup_dir() const { return dir_ / "backup"; }

  // Appends entries in one write (the file is created on first use). Throws InstallError.
  void record(const std::vector<JournalEntry>& entries);
  void record_commit();
  const std::vector<JournalEntry>& entries() const { return entries_; }

  // Undoes every recorded intent (newest first), then removes the transaction directory. Returns
  // the paths it could not restore (empty: the environment is as it was).
  std::vector<std::string> roll_back();
  // After commit: deletes the backups, removes directories the removals left empty (below the
  // `keep` roots) and the transaction directory. Best effort.
  void finish(const std::vector<std::filesystem::path>& keep);

  // What a previous run left in `dir`: nullopt when there is no journal; otherwise rolls it back (or
  // finishes it when it was committed) and says so. Throws InstallError if a rollback is incomplete.
  static std::optional<std::string> recover(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& keep);

 private:
  void write_line_batch(const std::string& text);

  std::filesystem::path dir_;
  bool durable_ = false;
  int fd_ = -1;
  std::vector<JournalEntry> entries_;
};

}  // namespace thoth::install_detail
