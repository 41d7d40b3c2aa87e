// Building wheels for Session::install, and the metadata of sdists for the resolution: the session's
// half of a PEP 517 build (what goes into the build environment, resolved and installed by thoth
// itself); thoth/build.hpp runs the backend.
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
  // PEP 517 config_settings: -C KEY=VALUE items for every hook of its build (thoth/build.hpp); they
  // key the built-wheel cache too.
  std::vector<std::string> config_settings;

  // Its entry in the cache of built wheels (BuiltWheelCache::entry); empty: not cached.
  std::string cache_entry() const;
};

// Whether the cache of built wheels holds one in `cache_entry` (SourceToBuild::cache_entry) that fits
// the session's target (then build_wheel needs no sdist file).
bool has_built_wheel(Session& session, const std::string& cache_entry);

// The wheel built from `source` for the environment `env`: from the cache of built wheels when it has
// one that fits the session's target, else built (in an isolated environment whose requirements are
// resolved from the session's indexes and installed by Session::install, or in `env` itself without
// isolation), checked to be the named project at the expected version, cached, and left in `out_dir`
// (or in the cache). Throws InstallError / BuildError naming the package.
std::filesystem::path build_wheel(Session& session, const SourceToBuild& source, const InstallEnvironment& env,
                                  const InstallSettings& settings, const std::filesystem::path& out_dir);

// The METADATA the cache holds in `cache_entry` (SourceToBuild::cache_entry) for the session's target:
// kept from an earlier metadata build, or read from a wheel built from it earlier that fits. nullopt
// otherwise.
std::optional<std::string> cached_metadata(Session& session, const std::string& cache_entry, const std::string& label);

// The core metadata (METADATA text) of `source`, an sdist, as a build by the interpreter `python`
// makes it: PEP 517 prepare_metadata_for_build_wheel, or, for a backend without that optional hook,
// build_wheel and the wheel's METADATA (as pip does; that wheel goes to the cache of built wheels, so
// the install does not build again). The build environment is made as for build_wheel (isolated unless
// settings.build.isolation is false). The text is kept in the source's cache entry (its sha256 and
// config settings) under the target's most specific tag (a setup.py may compute its dependencies from the interpreter). Throws
// InstallError / BuildError naming the package (its build needs itself: settings.build.stack).
std::string build_metadata(Session& session, const SourceToBuild& source, const std::string& python,
                           const InstallSettings& settings);

// The session's metadata builder (BuildingSource::Builder) for the sdist `file` of `candidate`: the
// cached metadata, else the sdist fetched (file:// read in place) and build_metadata run by `python`.
// A build that fails, or metadata that cannot be parsed, throws NeedsBuildError with build_failed()
// naming the package (the build's output goes to the session's notes, shown with -v): the resolver
// passes over that version. Errors of the indexes and the network (IndexError, NetError) go on as
// they are.
std::shared_ptr<const CoreMetadata> metadata_from_build(Session& session, const Candidate& candidate,
                                                        const DistFile& file, const std::string& python,
                                                        const InstallSettings& settings);

}  // namespace thoth::session_detail
