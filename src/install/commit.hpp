// The second half of a transaction: with every wheel verified and laid out, plan what moves aside
// and what is created, journal it, carry it out, and roll it back on any failure.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "install/layout.hpp"
#include "thoth/install.hpp"

namespace thoth::install_detail {

struct CommitRequest {
  const InstallEnvironment& env;
  const InstallOptions& options;
  const InstalledSet& installed;
  std::filesystem::path transaction_dir;   // the journal and backups go here
  std::vector<WheelLayout*> layouts;        // to install
  std::vector<std::string> remove;          // normalised names to uninstall
};

// Applies the request; `report` arrives with the notes and warnings gathered so far. Throws
// InstallError after restoring the environment.
InstallReport commit_changes(const CommitRequest& request, InstallReport report);

// The directories a transaction never removes, even when it leaves them empty.
std::vector<std::filesystem::path> scheme_roots(const InstallEnvironment& env);

}  // namespace thoth::install_detail
