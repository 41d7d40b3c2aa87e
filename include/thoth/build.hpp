// Building wheels from source trees (sdists and local project directories) through their PEP 517 build
// backend, run by the target interpreter; part of the installer (install/).
//
//   read_build_system(dir)      pyproject.toml's [build-system] (PEP 518), or the legacy setuptools
//                               default when there is none (PEP 517 "Source trees")
//   unpack_sdist(file, dir)     extracts an sdist and finds its source tree
//   make_build_venv(python,dir) a fresh `python -m venv --without-pip` for an isolated build
//   run_build_hook(...)         one hook in a fresh interpreter (PEP 517 "Build backend interface")
//   BuiltWheelCache             wheels built from sdists, and the metadata their builds prepared, kept
//                               by the sdist's sha256 and the build's config_settings
//
// What to install into the build environment (resolving [build-system] requires from the indexes) is
// the session's business (src/session/build.cpp); this module only runs the interpreter.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "thoth/install.hpp"

namespace thoth {

// A build that failed in the backend: what() names the package and the hook; output() is everything
// the backend printed (stdout and stderr, interleaved as written), for the user to read.
class BuildError : public InstallError {
 public:
  BuildError(const std::string& message, std::string output) : InstallError(message), output_(std::move(output)) {}
  const std::string& output() const { return output_; }

 private:
  std::string output_;
};

// PEP 518 "build-system table".
struct BuildSystem {
  std::vector<std::string> requirements;   // `requires`: PEP 508 requirements of the build environment
  std::string backend;                     // "module" or "module:object" (PEP 517 build-backend)
  std::vector<std::string> backend_path;   // in-tree backend directories, relative to the source tree
  bool from_pyproject = false;             // false: the legacy default below

  friend bool operator==(const BuildSystem&, const BuildSystem&) = default;
};

// Reads <source_dir>/pyproject.toml's [build-system]. Without the file or the table, PEP 517 "Source
// trees" falls back to setuptools: requires ["setuptools>=40.8.0"] (PEP 518's fallback, as pip) and
// the backend setuptools.build_meta:__legacy__; a table without build-backend gets that backend with
// its own requires. Throws InstallError naming the file for invalid TOML, a table without requires
// (PEP 518: "must"), a value of the wrong type, or a backend-path outside the source tree (PEP 517:
// "must" be within it).
BuildSystem read_build_system(const std::filesystem::path& source_dir);
// The same, from the file's text (`label` names it in errors).
BuildSystem parse_build_system(std::string_view pyproject_toml, const std::string& label);

// Extracts `sdist` (tar.gz, zip, ...) into `destination` and returns its source tree: the one top-level
// directory the sdist spec ("Source distribution format") requires, else `destination` itself.
// Throws InstallError naming the file.
std::filesystem::path unpack_sdist(const std::filesystem::path& sdist, const std::filesystem::path& destination);

// A new virtual environment at `dir` made by `python -m venv --without-pip` (PEP 405: it sees none of
// the packages of `python`'s environment), probed. Throws InstallError.
InstallEnvironment make_build_venv(const std::string& python, const std::filesystem::path& dir);

// PEP 517 config_settings ("Config settings": a dictionary the user gives the frontend for the backend)
// as pip makes them from its -C/--config-settings KEY=VALUE options: split at the first '='; a key given
// once maps to its value, a key given again to the list of its values in the order given (pip's
// _handle_config_settings). thoth keeps them as the "KEY=VALUE" items given; the hook runner makes the
// dictionary. Items in another order of keys make the same dictionary: this is the one order (keys
// sorted, each key's values in the order given) that names them, e.g. in the cache of built wheels.
std::vector<std::string> canonical_config_settings(std::vector<std::string> items);

// How a hook is run.
struct BuildBackend {
  std::string python;               // the interpreter that imports the backend
  bool isolated = true;             // -I: no PYTHONPATH, no user site (an isolated build environment)
  std::filesystem::path source_dir;  // the hooks' working directory (PEP 517: the source tree root)
  BuildSystem system;
  std::string label;                // names the package in messages, e.g. "foo 1.0 (foo-1.0.tar.gz)"
  // -C KEY=VALUE items in the order given, handed to every hook as its config_settings dictionary
  // (canonical_config_settings); none: config_settings=None, as pip passes it.
  std::vector<std::string> config_settings;
  // When set, each line the hooks print is handed to it as it comes (pip -v), and a failed hook's
  // BuildError carries no output (it was shown already).
  std::function<void(std::string_view line)> echo_line;
};

// What a hook answered.
struct HookResult {
  bool missing = false;              // the backend does not define the hook (optional hooks only)
  std::vector<std::string> values;   // get_requires_*: the requirements; build_*: the file's basename;
                                     // prepare_metadata_*: the .dist-info directory's basename
  std::string output;                // what the backend printed
};

// Runs one PEP 517 hook (get_requires_for_build_wheel, prepare_metadata_for_build_wheel, build_wheel,
// get_requires_for_build_editable, build_editable) in a fresh process of backend.python, through thoth's
// hook runner (hook_runner_script); `directory` is the hooks' wheel_directory (metadata_directory for
// prepare_metadata_for_build_wheel; unused by the get_requires hooks); `scratch` a directory
// for the runner's answer. Throws BuildError naming the package and hook when the backend cannot be
// imported or the hook raises or answers with the wrong type.
HookResult run_build_hook(const BuildBackend& backend, const std::string& hook, const std::filesystem::path& directory,
                          const std::filesystem::path& scratch);
std::string_view hook_runner_script();

// Wheels built from sdists: <cache_dir>/built-v1/<sha256[0:2]>/<entry>/<wheel file>, keyed by the sdist
// file's sha256 (an sdist of the same bytes builds the same project) and the build's config_settings
// (entry()). A directory may hold wheels for several interpreters (a compiled extension builds a wheel
// per ABI): the caller says which fit.
// Beside them, <key>.METADATA: the core metadata a build prepared for the resolver (PEP 517
// prepare_metadata_for_build_wheel), per interpreter (`key`: the caller's name for it; a setup.py may
// compute its dependencies from the interpreter that runs it).
// Entries are written to a temporary name and renamed into place: complete or absent.
class BuiltWheelCache {
 public:
  explicit BuiltWheelCache(std::filesystem::path cache_dir) : root_(std::move(cache_dir) / "built-v1") {}

  // The entry of the sdist of `sdist_sha256` built with `config_settings` (-C KEY=VALUE items): the
  // sha256 alone without settings; with them, "<sha256>/config-<sha256 of the canonical settings>",
  // so that a wheel built with other settings, or none, is never handed back. (pip keys its wheel cache
  // by the sdist's URL alone and reuses a wheel built with other settings: pypa/pip#11164.)
  static std::string entry(const std::string& sdist_sha256, const std::vector<std::string>& config_settings);

  // The cached wheel of `entry` whose file name `usable` accepts (the best by `rank`, lower is
  // better, when several do). `usable` returns the rank or nullopt.
  std::optional<std::filesystem::path> find(
      const std::string& entry,
      const std::function<std::optional<std::size_t>(const std::string& filename)>& usable) const;
  // Copies `wheel` into `entry` and returns the cached path. Throws InstallError.
  std::filesystem::path store(const std::string& entry, const std::filesystem::path& wheel) const;

  // The METADATA text kept in `entry` for the interpreter `key`, if any.
  std::optional<std::string> find_metadata(const std::string& entry, const std::string& key) const;
  // Keeps `metadata` in `entry` for `key`. Throws InstallError.
  void store_metadata(const std::string& entry, const std::string& key, const std::string& metadata) const;

 private:
  std::filesystem::path root_;
};

}  // namespace thoth
