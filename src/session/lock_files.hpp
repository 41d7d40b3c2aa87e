// Choosing and fetching the files of a lock for a target (Session::choose_files, Session::download).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "thoth/session.hpp"

namespace thoth::session_detail {

// Throws SessionError when the lock's PEP 751 environments or requires-python exclude `target`;
// `lock_name` names the lock in the message.
void check_lock_applies(const Lock& lock, const Target& target, const std::string& lock_name);

// Session::choose_files over `source` for `target` (check_lock_applies first).
std::vector<ChosenFile> choose_lock_files(const Lock& lock, const Target& target, PackageSource& source,
                                          const FileChoice& choice);

// Session::download through `client`; `progress` (may be null) watches each transfer.
std::vector<DownloadedFile> download_files(HttpClient& client, const std::vector<ChosenFile>& files,
                                           const std::filesystem::path& directory,
                                           const std::function<void(const DownloadedFile&)>& on_ready,
                                           DownloadProgress* progress);

}  // namespace thoth::session_detail
