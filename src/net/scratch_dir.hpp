// A client's private scratch directory (downloads in progress, HttpClient::scratch_file), and the
// removal of those that killed processes left behind. A directory is named
// thoth-scratch-HOST-PID-XXXXXX and its owner holds a flock() on it for as long as it lives: the
// kernel drops the lock when the process dies however it dies, so a directory nobody holds is
// left over, and the name says whether its process could still be running.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace thoth::net {

class ScratchDir {
 public:
  // Creates a new directory under `root` (made if missing) and locks it. Throws NetError
  // (local_file), naming `fix` as the way out, when it cannot.
  ScratchDir(const std::filesystem::path& root, const std::string& fix);
  // Removes the directory with whatever is in it.
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
};

// A directory left over by a ScratchDir is stale when nobody holds its lock and either its process
// is gone (HOST is `host` and no process PID exists) or it was last modified more than a day
// before `now` (Unix time): another host's PID cannot be checked, and a PID may have been reused.
// Removes the stale ones directly under `root` and returns how many; never throws (a directory
// that cannot be removed is left for the next time).
std::size_t remove_stale_scratch(const std::filesystem::path& root, std::int64_t now);

// This machine's name as it appears in scratch directory names.
std::string scratch_host();

}  // namespace thoth::net
