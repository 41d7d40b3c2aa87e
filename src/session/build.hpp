// Building wheels for Session::install: the session's half of a PEP 517 build (what goes into the
// build environment, resolved and installed by thoth itself); thoth/build.hpp runs the backend.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "thoth/session.hpp"

namespace thoth::session_detail {

// A source to build.
struct SourceToBuild {
  std::string name;                // normalised project name
  std::optional<Version> version;  // the version it must build, when known
  std::string label;               // names it in messages: "foo 1.0 (foo-1.0.tar.gz)"
  std::filesystem::path sdist;     // the sdist file (empty: `tree` is a source tree to build in place)
  std::filesystem::path tree;
  std::string sdist_sha256;        // keys the built-wheel cache (empty: not cached)
  bool editable = false;           // PEP 660 build_editable instead of build_wheel
};

// Whether the cache of built wheels holds one built from the sdist of this sha256 that fits the
// session's target (then build_wheel needs no sdist file).
bool has_built_wheel(Session& session, const std::string& sdist_sha256);

// The wheel built from `source` for the environment `env`: from the cache of built wheels when it has
// one that fits the session's target, else built (in an isolated environment whose requirements are
// resolved from the session's indexes and installed by Session::install, or in `env` itself without
// isolation), checked to be the named project at the expected version, cached, and left in `out_dir`
// (or in the cache). Throws InstallError / BuildError naming the package.
std::filesystem::path build_wheel(Session& session, const SourceToBuild& source, const InstallEnvironment& env,
                                  const InstallSettings& settings, const std::filesystem::path& out_dir);

}  // namespace thoth::session_detail
