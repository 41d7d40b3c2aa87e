// One run's shared setup and pipeline, for every command that reads indexes: the user's options (plain
// structs: the command line is parsed in cli/, which fills them) -> pip's configuration and the index
// client with its cache -> the target environment -> the requirements -> a resolution with a policy
// -> what lock files and the installer need of it. `lock`, `install`, `advise`, `download` and the
// pipenv backend differ only in what they do with the result; none repeats another's setup.
//
// A Session is built once per command and owns the one HttpClient of the run (requirements files
// fetched by URL, index pages, metadata, downloads all go through it), the package source over it and
// the target. Messages for the user (warnings always, notes with -v) go to the caller's Messages sink
// as they arise; nothing here prints.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/advise.hpp"
#include "thoth/error.hpp"
#include "thoth/index.hpp"
#include "thoth/inputs.hpp"
#include "thoth/install.hpp"
#include "thoth/lock.hpp"
#include "thoth/net.hpp"
#include "thoth/pipfile.hpp"
#include "thoth/resolve.hpp"
#include "thoth/target.hpp"

namespace thoth {

// A bad option value or an input the session cannot use (a source tree given to a command that cannot
// build, a constraint without a name): the user's to fix. what() names the option or input.
class SessionError : public Error {
 public:
  using Error::Error;
};

// Where user-facing messages go. The CLI prints them ("thoth: warning: ...", notes only with -v);
// tests collect them.
class Messages {
 public:
  virtual ~Messages() = default;
  virtual void warning(std::string_view text) = 0;
  virtual void note(std::string_view text) = 0;
};

// Index and network options as the user gave them, unvalidated (pip's --index-url, --extra-index-url,
// --find-links, --no-index, --trusted-host, --cert, --client-cert, --timeout, --retries, --proxy, plus
// --index-strategy, --exclude-newer, --cache-dir, --no-cache, --offline). Empty / unset: not given.
struct IndexSettings {
  std::string index_url;
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;
  bool no_index = false;
  std::string index_strategy;  // first-index | unsafe-best-match
  std::vector<std::string> trusted_hosts;
  std::string cert;
  std::string client_cert;
  std::string exclude_newer;
  std::string cache_dir;
  bool no_cache = false;
  bool offline = false;
  std::optional<double> timeout;  // seconds
  std::optional<double> retries;  // checked as a whole number
  std::string proxy;
};

// Which environment to resolve for: an interpreter or a target document, and pip's
// --python-version / --platform / --implementation / --abi on top.
struct TargetSettings {
  std::string python;                  // --python PATH
  std::string target_env;              // --target-env FILE ("-" = the session's standard input)
  std::string python_version;          // --python-version X.Y
  std::vector<std::string> platforms;  // --platform P (repeatable)
  std::string implementation;          // --implementation cp
  std::vector<std::string> abis;       // --abi A (repeatable)

  bool has_overrides() const {
    return !python_version.empty() || !platforms.empty() || !implementation.empty() || !abis.empty();
  }
};

// What a command is given to work in: the process environment as it was at start (never getenv()),
// standard input for "-" arguments, and the messages sink.
// Watches files being downloaded, for a progress display. Called from the network thread, so an
// implementation locks what it shares; `total` is 0 while the size is unknown.
class DownloadProgress {
 public:
  virtual ~DownloadProgress() = default;
  virtual void received(const std::string& filename, std::uint64_t received, std::uint64_t total) = 0;
  virtual void finished(const std::string& filename) = 0;
};

// Watches PEP 517 builds (of a wheel, or of an sdist's metadata during the resolution), for a
// progress display: build_started when thoth begins one (its build environment, then the backend),
// build_finished when it ends, either way. Called on the thread that builds; a build whose build
// requirements must be built in turn has those inside it, so several may be under way. `what` names
// the build, e.g. "foo 1.0 (sdist)".
class BuildProgress {
 public:
  virtual ~BuildProgress() = default;
  virtual void build_started(const std::string& what) = 0;
  virtual void build_finished(const std::string& what) = 0;
};

struct SessionEnvironment {
  Environment env;
  std::istream* in = nullptr;
  Messages* messages = nullptr;
  DownloadProgress* progress = nullptr;       // none: downloads are silent
  BuildProgress* build_progress = nullptr;    // none: builds are shown by -v notes only
  // -v: messages shows notes, and what build backends print is echoed there as it comes (pip -v)
  // instead of being kept for the error of a failed build.
  bool verbose = false;

  std::optional<std::string> getenv(const std::string& name) const;
};

// ---- Files ---------------------------------------------------------------------------------------
// Reading input files and writing output files: `-` means standard input / output, errors name the
// file, and output files are replaced atomically so a reader never sees half a file (devices and FIFOs
// are written in place).

// The whole content of `path` (or of `in` when path is "-"). `what` says what the file is for in the
// error message, e.g. "target file". Throws SessionError naming the file.
std::string read_input(const std::string& path, std::istream& in, const std::string& what);

// How write_output() writes a path.
enum class OutputKind {
  stream,    // "" or "-" (and /dev/stdout): the `out` stream
  in_place,  // an existing device, FIFO or socket, or a name in /proc (/dev/fd/N, /dev/stderr): opened
             // and written as it is (renaming over a device node would replace it with a plain file)
  replace,   // a regular file or a new one: written beside its final target and renamed over it
};
OutputKind output_kind(const std::string& path);

// Writes `content` to `path` as output_kind() says. A regular file is written to a temporary name in
// the directory of the file that `path` finally names (through any symlinks, which are kept) and
// renamed over it, so it is either the old file or the complete new one; an existing file's
// permission bits (and, where allowed, owner) carry over. Throws SessionError naming the file.
void write_output(const std::string& path, const std::string& content, std::ostream& out);

// ---- Index setup ---------------------------------------------------------------------------------

// Everything needed to read indexes: the merged configuration, the HTTP options (with the cache) and
// the cache directory (empty with --no-cache, or when no cache can be had).
struct IndexSetup {
  IndexConfig config;
  HttpOptions http;
  std::filesystem::path cache_dir;
};

// Combines, lowest precedence first: pip.conf files and PIP_* variables (as pip reads them), then
// `from_files` (options of requirements files), then `settings`; list options accumulate. --cert,
// --client-cert, --timeout, --retries and --proxy are each the setting, else PIP_CERT (...), else pip.conf
// ([install] over [global]); the CA bundle then falls back to REQUESTS_CA_BUNDLE, then CURL_CA_BUNDLE
// (pip's order). The cache is --cache-dir, else $XDG_CACHE_HOME/thoth or ~/.cache/thoth; none with
// --no-cache, and none (with a warning) when it cannot be written. Throws SessionError for a bad value.
IndexSetup make_index_setup(const IndexSettings& settings, const SessionEnvironment& env,
                            const IndexOptions& from_files = {});

// The cache directory --cache-dir names (made absolute), else the default one. Throws IndexError when
// there is no default (neither XDG_CACHE_HOME nor HOME set).
std::filesystem::path cache_directory(const std::string& cache_dir_setting, const Environment& env);

// ---- Target --------------------------------------------------------------------------------------

// The active interpreter: $VIRTUAL_ENV/bin/python when VIRTUAL_ENV is set, else `python3` found on
// $PATH. Throws SessionError when there is none.
std::string default_python(const Environment& env);

// Running an interpreter to learn its facts costs tens of milliseconds, more than a whole warm
// resolution: the answer is kept in the cache directory and reused while the interpreter file is
// unchanged. A cached answer is used only for the same path, the same executable file (device, inode,
// size, modification and change times of the file the path resolves to), the same kernel (uname:
// platform_release and platform_version are markers) and the same probe script. Interpreters that
// are scripts (a pyenv shim picks its Python from the environment) are never cached. Throws TagError as
// Target::probe does.
//
// `meanwhile`, when given, runs on a second thread while the interpreter runs (not for a cached
// answer): a caller starts work that does not need the target, such as fetching index pages. It must
// not throw, and it has finished when this returns.
Target probe_interpreter(const std::string& python, const std::filesystem::path& cache_dir,
                         const std::function<void()>& meanwhile = {});

// The interpreter a pyenv shim at `python` would run, chosen as pyenv chooses it: the versions of
// $PYENV_VERSION, else of the first .python-version file from $PYENV_DIR or the working directory up,
// else of $PYENV_ROOT/version, else "system" (the program on PATH after the shims); the first of them
// that has the shim's program ($PYENV_ROOT/versions/V/bin/NAME; the shim's own PYENV_ROOT). nullopt
// when `python` is not a pyenv shim, or names a version pyenv would resolve further (a prefix such
// as "3.11", a plugin's): then the shim itself is run.
std::optional<std::string> pyenv_shim_target(const std::string& python, const Environment& env);

// The target the settings describe: a target document, else the interpreter (--python, else the
// active one) probed through the cache under `cache_dir`, with pip's overrides applied. Throws
// SessionError or TagError.
Target resolve_target(const TargetSettings& settings, const SessionEnvironment& env,
                      const std::filesystem::path& cache_dir = {}, const std::function<void()>& meanwhile = {});

// ---- Requirements ------------------------------------------------------------------------------

// The requirements of one command: files (-r), constraint files (-c) and arguments. An argument that
// names an existing *.in / *.txt file is read as a requirements file, as pip-compile and uv take their
// source files positionally.
struct RequirementInputs {
  std::vector<std::string> requirement_files;
  std::vector<std::string> constraint_files;
  std::vector<std::string> requirements;
  std::vector<std::string> editables;  // -e DIR: local projects to install in editable mode (PEP 660)
  // -C/--config-settings KEY=VALUE of the command line: the config settings of `requirements` and
  // `editables` (not of the files' requirements, as in pip; config_settings_by_project).
  std::vector<std::string> config_settings;
};

// Where a requirement came from, for messages: "FILE:LINE" or "command line".
std::string where(const UserRequirement& r);

// The PEP 517 config settings (-C KEY=VALUE items) of each project the requirements name, by
// normalised name, for every build of it: its metadata during resolution, its wheel at install. pip's
// scope since pip 23.1: a requirement has the command line's -C when named there or with -e, its own
// line's when read from a requirements file (the command line's do not reach those: pypa/pip#12310);
// constraints and dependencies get none (pypa/pip#11941). Requirements without a name yet (a bare
// path or URL) are skipped. Throws SessionError when two requirements give one project different
// settings (pip would use one set and drop the other unsaid).
std::map<std::string, std::vector<std::string>> config_settings_by_project(const RequirementSet& inputs);

// "file:///abs/path" for a local path (made absolute), percent-encoding what a URL path cannot hold.
std::string local_file_url(const std::string& path);

// The candidate a direct reference names (`name @ url`, a wheel or sdist path or URL), named and
// versioned by its file name (PEP 427 / PEP 625); fills in the requirement's name (from the file name)
// and its URL. Throws SessionError for a source tree or VCS link (it needs a build) and for a file of
// another project than the one named.
Candidate direct_candidate(UserRequirement& r);

// ---- Resolution ----------------------------------------------------------------------------------

// One --only-binary or --no-binary value ("a,b", ":all:", ":none:").
struct BinaryOption {
  bool no_binary = false;  // --no-binary; else --only-binary
  std::string value;
};

// How to resolve, beyond the requirements: pip's --pre, --only-binary / --no-binary (applied after the
// files' own, in the order given, so the last one for a project wins) and --prefer-binary, and a time
// limit.
struct ResolveSettings {
  bool pre = false;
  std::vector<BinaryOption> binary;
  bool prefer_binary = false;
  std::optional<double> timeout_seconds;
  // --max-candidates: ResolveOptions::max_candidates (at least 1; its default when unset).
  std::optional<long long> max_candidates;
};

// pip-compile's incremental model (`thoth lock -o FILE`): the pins of an existing lock are kept where
// they still satisfy the inputs, except those that --upgrade / --upgrade-package release.
struct UpgradeOptions {
  bool all = false;                      // --upgrade
  std::set<std::string> names;           // normalised names of --upgrade-package
  std::vector<Requirement> constraints;  // --upgrade-package NAME<spec>: the new version's bounds
};

// Parses the --upgrade / --upgrade-package values: NAME or NAME==VER (any PEP 508 specifier, as pip's
// install_req_from_line), not both options together. Throws SessionError naming the bad value.
UpgradeOptions parse_upgrade_options(bool upgrade_all, const std::vector<std::string>& packages);

// The text of the lock file a run will replace (-o PATH), whose pins it keeps: nullopt for a path that
// is not an existing regular file (a new file, "-", /dev/stdout, a pipe: never read), and, with a
// warning, for one that cannot be read (the run then resolves afresh).
std::optional<std::string> read_previous_lock(const std::string& path, Messages& messages);

// The versions that lock pins (normalised name -> version), as preferences: none without one, or
// under --upgrade. A text that cannot be read as a lock is ignored with a warning, as pip-compile
// ignores its lines that are not pins. `path` names it in messages.
std::map<std::string, Version> existing_pins(const std::optional<std::string>& text, const std::string& path,
                                             const UpgradeOptions& upgrade, Messages& messages);

// What a lock needs beyond the pins (Session::lock_inputs).
struct LockNeeds {
  bool release_files = false;  // every file of each pinned version, all with a sha256 (--generate-hashes)
  bool pin_hashes = false;     // a sha256 for every usable file of each pin (pylock, installs)
  bool metadata = false;       // each pin's core metadata (report, pylock's requires-python)
};

// ---- Files of a lock -----------------------------------------------------------------------------

// One file to fetch for a locked package.
struct ChosenFile {
  std::string name;     // normalised package name
  std::string version;  // as locked; "" for a direct reference without one
  LockedFile file;      // url, filename, hashes (a sha256 unless the lock gives no hash at all)
};

// Which files of a lock to choose (Session::choose_files).
struct FileChoice {
  // Every file of each locked version (for `thoth download --all-files`: a mirror that serves any
  // target), not only the best one for the session's target.
  bool all_files = false;
  std::string lock_name = "the lock";  // names the lock in messages, e.g. the file it was read from
};

// Where a download went and what it is.
struct DownloadedFile {
  ChosenFile chosen;
  std::filesystem::path path;
  std::string sha256;  // of the file on disk, always known
  bool reused = false;  // already there with the right hash: not fetched again
};

// ---- Installing -----------------------------------------------------------------------------------

// How Session::install builds the packages it has only an sdist of (PEP 517, src/session/build.cpp).
struct BuildSettings {
  // pip's default: each build runs in a fresh virtual environment holding only its [build-system]
  // requires and what get_requires_for_build_wheel adds, resolved and installed by thoth from the
  // session's indexes. false (--no-build-isolation): the backend runs in the target environment as it
  // is, and nothing is installed for it.
  bool isolation = true;
  // The run's --no-binary / --only-binary / --prefer-binary and --pre, which apply to build
  // requirements too (as pip passes them to its build environment).
  BinaryPolicy binary;
  bool pre = false;
  // false for a target that is not the interpreter's own (--platform, --python-version, ...): no wheel
  // built here would fit it.
  bool allowed = true;
  // The packages whose builds this install serves, outermost first: a build needing one of them again
  // is a cycle.
  std::vector<std::string> stack;
  // PEP 517 config_settings (-C KEY=VALUE items, thoth/build.hpp) for the builds of these projects, by
  // normalised name (config_settings_by_project); never for the builds of build requirements.
  std::map<std::string, std::vector<std::string>> config_settings;
};

// How Session::install treats what is installed already.
struct InstallSettings {
  bool force_reinstall = false;  // pip's --force-reinstall: reinstall even what is installed at that version
  bool dry_run = false;          // decide, fetch nothing, change nothing
  // `thoth sync`: also remove what the lock does not list, except the installer's own tooling (pip,
  // setuptools, wheel, distribute, pkg-resources), which pip-sync leaves alone too.
  bool sync = false;
  bool compile = false;  // byte-compile what is installed (one compileall run)
  LinkMode link_mode = LinkMode::Auto;
  BuildSettings build;
  // PEP 610 direct_url.json of the packages built from local projects (Session::build_local_projects),
  // by normalised name: they record their directory, not the wheel built from it, and are installed
  // even when that version is installed already (the sources may have changed), as pip does.
  std::map<std::string, DirectUrl> direct_urls;
};

struct InstallPlan {
  std::vector<const LockedPackage*> install;    // to install or replace, by name
  std::vector<std::string> satisfied;           // "name==version": installed at the locked version already
  std::vector<const InstalledDistribution*> remove;  // sync: installed, not in the lock
  InstalledSet installed;                       // what was there
};

// What Session::install did (or, for a dry run, would do).
struct InstallOutcome {
  InstallPlan plan;
  std::optional<InstallReport> report;  // absent for a dry run or when there was nothing to do
};

// ---- The session -------------------------------------------------------------------------------

class Session {
 public:
  // `env` must outlive the session.
  Session(IndexSettings index, TargetSettings target, const SessionEnvironment& env);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Reads the requirements: files (nested -r/-c, per-line options, ${VAR}), constraint files and
  // arguments; http(s):// files through the session's client. Throws InputError, NetError.
  RequirementSet read_requirements(const RequirementInputs& inputs);

  // Sets up the index configuration, merging `from_files` (the requirements files' options) under the
  // command line, and the client and source over it. Then the target: an interpreter that must be run
  // (not cached) runs while the index pages of `prefetch` (the roots that need no target to be
  // known) are requested. Call once, before the accessors below.
  void open(const IndexOptions& from_files, const std::vector<std::string>& prefetch = {});
  // Requests the index pages of `names` now: the projects a previous lock pins, which the resolution
  // will most likely read again, so that a warm run revalidates them all in parallel instead of one
  // dependency level at a time. A hint: errors surface when the resolution asks.
  void prefetch(const std::vector<std::string>& names);
  // Keeps a record of every index page the session's client reads (HttpClient::record_pages), for the
  // resolution memo: call before read_requirements() and open().
  void record_pages();
  // Every requirements and constraints file read_requirements() read (nested ones too), as given
  // (path or URL), with its text.
  const std::vector<std::pair<std::string, std::string>>& input_files() const;

  const IndexSetup& setup() const;
  HttpClient& client();
  PackageSource& source();
  // Base URL of each source of source(), in DistFile::index_position order; "" for a find-links location.
  const std::vector<std::string>& source_urls() const;
  const Target& target() const;
  const SessionEnvironment& environment() const;

  // The resolution learns the dependencies of an sdist whose PKG-INFO does not state them (older than
  // Metadata-Version 2.2, or Requires-Dist / Requires-Python Dynamic: PEP 643) from a PEP 517 build of
  // its metadata (prepare_metadata_for_build_wheel, else build_wheel), as pip does, when the target is
  // an interpreter's own (no --target-env, --platform, --python-version, --implementation, --abi): the
  // build runs that interpreter, in an isolated environment made as Session::install makes it (the
  // resolution's binary and pre-release options apply to its requirements). The metadata is cached by
  // the sdist's sha256 beside the built wheels. A build that fails passes that version over with a
  // warning (its output is a note, shown with -v); for other targets the version is passed over
  // unbuilt. false here: builds run in the interpreter's environment as it is (--no-build-isolation).
  void set_build_isolation(bool isolation);

  // The resolver's options for `inputs`: the target, the binary policy (the files' then `settings`),
  // pre-releases, the time limit and a candidate per direct reference (whose requirement gets its name
  // and URL filled in). Throws SessionError for a bad value.
  ResolveOptions resolve_options(RequirementSet& inputs, const ResolveSettings& settings) const;

  // Resolves the roots of `inputs` (labelled "-r FILE" for pip-compile's `# via`) under its
  // constraints and `extra_constraints`, with `policy`. The resolver is kept: a second call reuses what
  // it learnt (the advisor re-resolves many times); a session resolves with one ResolveOptions, those
  // of its first call. Throws ResolutionError (a timeout said in terms of
  // --resolve-timeout), IndexError, NetError.
  Resolution resolve(const RequirementSet& inputs, const ResolveOptions& options, const Policy& policy,
                     const std::vector<Requirement>& extra_constraints = {});

  // The knowledge-guided search (thoth/advise.hpp) over the requirements of `inputs`, on the session's
  // resolver: the plain resolution first (a failure there explains itself, as resolve() does), then
  // the search under `recommendation` and `kb` within `search`'s budget. The advice points into `kb`.
  Advice advise(const RequirementSet& inputs, const ResolveOptions& options, const KnowledgeBase& kb,
                Recommendation recommendation, const SearchOptions& search,
                const std::vector<Requirement>& extra_constraints = {});

  // Dependency Monkey (thoth/advise.hpp sample()): distinct valid resolutions of `inputs` drawn across
  // the space, on the session's resolver.
  Sample sample(const RequirementSet& inputs, const ResolveOptions& options, const SampleOptions& sampling);

  // The session's resolver (made with `options` on first use, then kept), for callers that re-resolve
  // themselves with policies of their own (the advisor).
  Resolver& resolver(const ResolveOptions& options);

  // The lock inputs of a resolution: the files, hashes and metadata `needs` asks for, fetched in
  // parallel where missing (an index that lists no sha256 has its files downloaded and hashed, as
  // pip-compile does), plus the requirements, index configuration and sources it was made from.
  LockInputs lock_inputs(Resolution& resolution, const RequirementSet& inputs, const ResolveOptions& options,
                         const LockNeeds& needs);

  // resolve_options, resolve and lock_inputs in one step, for commands that only need the Lock: the
  // requirements of `inputs` resolved with `policy` for the target.
  Lock resolve_lock(RequirementSet& inputs, const ResolveSettings& settings, const Policy& policy,
                    const LockNeeds& needs);

  // The file to fetch for each package of `lock` that the target needs (its marker holds): a direct
  // reference's archive; else the best of the files the lock lists for the target (wheels by their
  // tags' rank in the target's order, higher build tags first, then sdists); else, for a lock that
  // records only versions and hashes (requirements files), the best file the indexes offer for that
  // version, among those matching a hash when the lock gives hashes (pip's --require-hashes rule).
  // Throws SessionError naming the package: a local source tree (needs a build), a lock whose
  // environments or Requires-Python exclude the target, no file for the target, no file with a locked
  // hash. Call after open() with the lock's index options.
  std::vector<ChosenFile> choose_files(const Lock& lock, const FileChoice& choice = {});

  // Downloads `files` into `directory` (created if missing) in parallel, each checked against its
  // sha256 while it streams and written under a temporary name until complete; a file already there
  // with the right hash is kept, not fetched again. Files with a sha256 also go to the cache's
  // content-addressed store, so a later download or install of the same file needs no network.
  // `on_ready`, when given, is called with each file as soon as it is complete, in the order of
  // `files` (the installer unpacks one while the next ones still arrive). Throws NetError (a download failed or its hash
  // differs), SessionError (the directory).
  std::vector<DownloadedFile> download(const std::vector<ChosenFile>& files, const std::filesystem::path& directory,
                                       const std::function<void(const DownloadedFile&)>& on_ready = {});

  // Makes `env` hold what `lock` pins for the session's target: the packages not installed at their
  // locked version are downloaded (in parallel, hash-checked; wheels already unpacked in the cache
  // need no download) and installed in one transaction that replaces the installed versions, all or
  // nothing; with settings.sync, what the lock does not list is removed in the same transaction. A
  // package whose chosen file is an sdist is built into a wheel first (settings.build; a wheel built
  // from the same sdist before comes from the cache), before anything changes. Throws InstallError
  // (exit status 4; BuildError when a backend fails), NetError, SessionError.
  InstallOutcome install(const Lock& lock, const InstallEnvironment& env, const InstallSettings& settings);

  // Builds each requirement of `inputs` that names a local project directory (`./proj`,
  // `name @ file:///dir`, `-e DIR`) into a wheel for `env` (PEP 517 build_wheel; PEP 660 build_editable
  // for an editable one) as Session::install builds sdists, and points the requirement at that wheel,
  // so that the resolution reads its metadata and installs it. Returns the direct_url.json each of them
  // records (InstallSettings::direct_urls). Throws SessionError (-e of something not a directory, a
  // directory that is no Python project), InstallError / BuildError.
  std::map<std::string, DirectUrl> build_local_projects(RequirementSet& inputs, const InstallEnvironment& env,
                                                        const InstallSettings& settings);

  // Hands out the session's big structures (parsed listings, the resolver's catalog) for a caller that
  // is about to exit and leaves them to the operating system instead of freeing them one by one.
  std::vector<std::shared_ptr<void>> release_for_exit();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Pipfile -------------------------------------------------------------------------------------

// Reads and parses a Pipfile ("-": the session environment's standard input). Throws SessionError
// when it cannot be read, InputError when it is not a valid Pipfile.
Pipfile load_pipfile(const std::string& path, const SessionEnvironment& env);

// The target a Pipfile asks for: [requires] python_full_version, else python_version, becomes the
// target's Python version (as --python-version) unless `given` names one or a target document.
TargetSettings pipfile_target(const Pipfile& pipfile, TargetSettings given);

// How lock_pipfile locks.
struct PipfileLockSettings {
  ResolveSettings resolve;
  std::vector<std::string> categories;  // lock names or sections besides default; empty: all of them
  // The environment whose interpreter builds the local projects that `path` / `file` entries name
  // (PEP 517, as `thoth install ./proj` builds them), asked for once and only when there is one;
  // unset: such entries are refused. `build` says how (isolation, binary options).
  std::function<InstallEnvironment()> build_environment;
  BuildSettings build;
  // The advisor, when given: each category is searched (default first, the others under default's
  // advised pins) and its best stack is locked.
  const KnowledgeBase* kb = nullptr;
  Recommendation recommendation = Recommendation::Stable;
  SearchOptions search;
};

struct PipfileLockOutcome {
  std::vector<PipfileLockCategory> categories;
  std::vector<std::pair<std::string, Advice>> advice;  // per category (lock name), with settings.kb
};

// pipenv's `pipenv lock`: the default category resolved first, then each other category of
// settings.categories resolved with default's pins as constraints, so that what both install is the
// same version (pipenv's resolved_default_deps). The indexes are the Pipfile's sources (under the
// command line's options; an entry's `index` restricts it to that source), pre-releases as [pipenv]
// allow_prereleases or settings.resolve.pre. Each lock lists every file hash of each pinned version.
// Opens the session. Throws as Session::resolve does (a category that conflicts with default's pins
// says so), InputError for an unknown category, SessionError for a VCS entry or a local project
// without settings.build_environment, InstallError / BuildError when a local project fails to build.
PipfileLockOutcome lock_pipfile(Session& session, const Pipfile& pipfile, const PipfileLockSettings& settings);

}  // namespace thoth
