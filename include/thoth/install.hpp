// Installing wheels into a Python environment, transactionally.
//
//   InstallEnvironment::probe(python)   runs the target interpreter once: its install scheme, whether
//                                       it is a virtual environment, whether it is externally managed
//   scan_installed(env)                 the *.dist-info directories installed there
//   Transaction                         removes installed distributions (by RECORD) and installs wheels,
//                                       all or nothing
//
// How a command uses it: probe the environment (refuse with check_not_externally_managed unless the
// user overrides, as pip does), scan what is installed to decide what to skip, open a Transaction,
// hand each wheel to add() as soon as its download is verified (workers verify and unpack it
// meanwhile), name the distributions to remove, and commit(). Everything before commit() leaves the
// environment untouched; commit() either installs everything or restores the environment as it was.
//
// The cache of unpacked wheels: <cache_dir>/wheels-v1/<sha256[0:2]>/<sha256>/ holds `files/` (the
// wheel's members, every one checked against the wheel's RECORD) and `manifest` (one line per file:
// path, RECORD hash, size, executable bit). It is keyed by the sha256 of the wheel file and written to
// a temporary directory renamed into place, so an entry is complete or absent; two processes unpacking
// the same wheel leave one entry. Files are linked from there into the environment (hard link; reflink
// where the file system offers it; copy otherwise), except the files the installer generates
// (launchers, #!python scripts, RECORD, INSTALLER, REQUESTED, direct_url.json), which are written.
// With hard links the environment shares inodes with the cache: editing an installed file in place
// edits the cached copy too (as with uv); LinkMode::Copy avoids that.
//
// The journal: a transaction holds an exclusive flock(2) on the purelib directory (the target
// directory with --target) and writes <purelib>/.thoth-transaction/journal before it changes anything
// (fdatasync'ed with InstallOptions::durable_journal).
// It lists every move aside (the replaced files go under .thoth-transaction/backup/, or beside
// themselves as .thoth-backup-N when on another file system), every directory and file it will
// create, and finally a "commit" line. The rule for whoever finds a journal (the next
// Transaction or recover_interrupted(), under the same lock): no "commit" line -> roll back (remove
// what was created, put back what was moved aside); a "commit" line -> finish (delete the backups).
// Either way the directory is then removed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/error.hpp"

namespace thoth {

// Everything the installer refuses or fails at. what() is one line naming the wheel or file and the
// fix.
class InstallError : public Error {
 public:
  using Error::Error;
};

// Where each kind of file goes ("Binary distribution format", "Installing a wheel": the scheme keys of
// <name>-<version>.data/ are purelib, platlib, scripts, headers and data).
struct InstallScheme {
  std::filesystem::path purelib, platlib, scripts, data;
  // Headers go to <headers>/<distribution name> (pip's layout: <prefix>/include/site/pythonX.Y/ in
  // a virtual environment, sysconfig's "include" path otherwise).
  std::filesystem::path headers;

  friend bool operator==(const InstallScheme&, const InstallScheme&) = default;
};

struct InstallEnvironment {
  std::string python;          // the interpreter as the caller named it
  std::string executable;      // sys.executable: what shebangs name
  std::string version;         // "3.11" (sys.version_info[:2])
  std::string cache_tag;       // sys.implementation.cache_tag, e.g. "cpython-311" (empty: no pyc)
  std::filesystem::path prefix, base_prefix;  // sys.prefix, sys.base_prefix
  bool in_venv = false;        // prefix != base_prefix (PEP 405)
  // PEP 668 "Marking an interpreter as using an external package manager": the EXTERNALLY-MANAGED
  // file in sysconfig's stdlib directory, for an interpreter that is not a virtual environment, and
  // the message it carries ([externally-managed] Error=, or the default text).
  std::optional<std::filesystem::path> externally_managed_marker;
  std::string externally_managed_message;
  InstallScheme scheme;
  // Paths RECORD entries may name for uninstallation to remove them (pip's is_local): sys.prefix
  // in a virtual environment, the target directory with --target, anything ("/") otherwise.
  std::filesystem::path removal_root = "/";

  // Runs `python` once (-I -S, an embedded script; CPython 3.8+ and PyPy) and reads its scheme as pip
  // computes it (sysconfig's preferred "prefix" scheme). Throws InstallError naming the interpreter.
  static InstallEnvironment probe(const std::string& python);
  // The same, with the interpreter's answer already at hand (the probe's JSON document).
  static InstallEnvironment from_probe_output(std::string_view json, const std::string& python);
  static std::string_view probe_script();

  // pip's --target DIR for `interpreter`: purelib, platlib and data are DIR, scripts DIR/bin,
  // headers DIR/include/site/pythonX.Y; never externally managed (pip skips the PEP 668 check with
  // --target); uninstallation confined to DIR.
  InstallEnvironment for_target_directory(const std::filesystem::path& dir) const;

  bool externally_managed() const { return externally_managed_marker.has_value(); }
};

// PEP 668: throws InstallError with the marker's message and the way out (a virtual environment, or
// --break-system-packages) when `env` is externally managed.
void check_not_externally_managed(const InstallEnvironment& env);

// One row of RECORD ("Recording installed projects", "The RECORD file").
struct RecordEntry {
  std::string path;                   // as written: '/'-separated, relative to the lib directory
  std::string hash;                   // "sha256=<urlsafe base64, no padding>", or empty
  std::optional<std::uint64_t> size;  // empty when not given

  friend bool operator==(const RecordEntry&, const RecordEntry&) = default;
};

// RECORD text: CSV rows as Python's csv module reads them. Throws InstallError naming `label`.
std::vector<RecordEntry> parse_record(std::string_view text, std::string_view label);
// RECORD text as pip writes it: rows sorted, csv quoting, "\r\n" line ends.
std::string format_record(std::vector<RecordEntry> rows);
// "sha256=" + urlsafe base64 of the digest without padding ("The RECORD file").
std::string record_hash(std::string_view bytes);

// An installed distribution ("Recording installed projects": a <name>-<version>.dist-info directory
// in purelib or platlib).
struct InstalledDistribution {
  std::string name;          // normalised (PEP 503)
  std::string display_name;  // METADATA's Name as written
  std::string version;       // METADATA's Version as written
  std::filesystem::path dist_info;  // absolute path of the .dist-info directory
  std::vector<RecordEntry> record;  // relative to dist_info's parent directory
  std::string installer;            // INSTALLER's first line, empty if absent
  bool requested = false;           // REQUESTED exists
  std::optional<std::string> direct_url;  // direct_url.json's text (PEP 610)
};

struct InstalledSet {
  std::vector<InstalledDistribution> distributions;  // sorted by name
  std::vector<std::string> warnings;  // unreadable .dist-info directories, named, skipped

  const InstalledDistribution* find(std::string_view name) const;  // by any spelling of the name
};

// Scans purelib and platlib (once if they are the same) for *.dist-info directories. Broken ones
// (no METADATA, no RECORD, an unreadable RECORD) are left out with a warning.
InstalledSet scan_installed(const InstallEnvironment& env);

// PEP 610 direct_url.json: written for a wheel installed from a URL or a path the user gave, never
// for one found on an index or a find-links page.
struct DirectUrl {
  std::string url;  // without credentials
  // "archive_info" with the archive's hash (sha256 hex; empty: an empty archive_info), or
  // "dir_info" for a local directory (editable true/false).
  enum class Kind { Archive, Directory } kind = Kind::Archive;
  std::string archive_sha256;
  bool editable = false;
};
// The document as pip writes it (json.dumps(..., sort_keys=True)).
std::string format_direct_url(const DirectUrl& direct_url);

struct WheelToInstall {
  std::filesystem::path file;  // the wheel on local disk
  // The expected sha256 (hex) of the file: the unpacked cache entry is found by it, and a file that
  // does not hash to it is refused. Empty: the file is hashed to find its entry, and not checked.
  std::string sha256;
  // The wheel's file name (PEP 427) when `file` is not named after it (a cached download); empty:
  // file.filename().
  std::string filename;
  bool requested = false;             // a direct requirement: write REQUESTED (PEP 376)
  std::optional<DirectUrl> direct_url;  // PEP 610
};

// How files get from the cache of unpacked wheels into the environment.
enum class LinkMode {
  Auto,      // hard link, else reflink, else copy: probed once per (cache, destination) file system
  Hardlink,
  Reflink,   // FICLONE
  Copy,
};
std::string_view link_mode_name(LinkMode mode);

struct InstallOptions {
  // Where unpacked wheels are kept (wheels-v1/ below it). Empty: no cache, each wheel is unpacked
  // into the transaction's directory inside the environment and renamed into place.
  std::filesystem::path cache_dir;
  LinkMode link_mode = LinkMode::Auto;
  // Worker threads verifying and unpacking wheels (and placing their files at commit).
  unsigned jobs = 2;
  // Byte-compile the installed .py files with the target interpreter's compileall (one run) and add
  // the .pyc files to RECORD, as pip does by default.
  bool compile = false;
  std::string installer = "thoth";  // INSTALLER's content (PEP 376)
  // fdatasync() the journal before each batch of changes, for rollback after a power loss on file
  // systems that do not order metadata (ext4 data=ordered does). Off by default: on ext4 it also
  // waits for the freshly unpacked wheels to be written out.
  bool durable_journal = false;
  // A test seam: called before each file is written or linked into the environment; an exception it
  // throws fails the install there, as a full disk would.
  std::function<void(const std::filesystem::path& destination)> before_place;
};

struct InstalledWheel {
  std::string name, display_name, version;
  std::filesystem::path dist_info;
  std::size_t files = 0;  // RECORD rows
  bool from_cache = false;  // the unpacked tree was already cached
};

struct InstallReport {
  std::vector<InstalledWheel> installed;               // sorted by name
  std::vector<InstalledDistribution> removed;          // sorted by name
  LinkMode link_mode = LinkMode::Auto;                 // the mode used for most files
  std::size_t linked_files = 0, copied_files = 0, written_files = 0, compiled_files = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // e.g. an interrupted transaction rolled back first
};

// Finishes or rolls back a transaction a previous run left in `env` (see the journal rule above);
// a note saying what it did, or nullopt when there was none. Throws InstallError when it cannot.
std::optional<std::string> recover_interrupted(const InstallEnvironment& env);

// One install/uninstall transaction. Holds the environment's lock from construction to commit() or
// destruction; a transaction not committed changes nothing.
class Transaction {
 public:
  // Takes the lock (waiting for another thoth process) and recovers an interrupted transaction.
  // Throws InstallError.
  Transaction(InstallEnvironment env, InstallOptions options);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Queues a wheel: a worker checks its sha256 and unpacks it (or finds it unpacked) while the caller
  // goes on. An installed distribution of the same name is replaced. Errors surface at commit().
  void add(WheelToInstall wheel);
  // Removes an installed distribution (any spelling of its name); throws InstallError if it is not
  // installed.
  void remove(std::string_view name);
  // True when the cache holds the unpacked wheel of this sha256: a caller may skip its download.
  bool cached(std::string_view sha256) const;

  // Waits for the workers, then moves the replaced files aside, places every file (wheels shared
  // among `jobs` threads), optionally compiles, writes the RECORDs and commits. On any failure the
  // environment is restored and InstallError thrown. Call once, after the last add() and remove();
  // add() and remove() are for one thread (the workers run on their own).
  InstallReport commit();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The one-call forms: installs `wheels` (replacing installed versions) and removes `remove`.
InstallReport install_wheels(const InstallEnvironment& env, std::vector<WheelToInstall> wheels,
                             const InstallOptions& options, const std::vector<std::string>& remove = {});
InstallReport uninstall(const InstallEnvironment& env, const std::vector<std::string>& names,
                        const InstallOptions& options = {});

}  // namespace thoth
