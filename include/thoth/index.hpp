// What exists: the candidates (versions and their files) that package indexes and find-links locations
// offer for a project, and each candidate's core metadata. The resolver sees only the PackageSource
// interface; implementations read PEP 503 HTML / PEP 691 JSON simple pages over HTTP or file://, flat
// find-links directories or pages, and compose several sources.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thoth/error.hpp"
#include "thoth/metadata.hpp"
#include "thoth/pep440.hpp"
#include "thoth/tags.hpp"
#include "thoth/target.hpp"

namespace thoth {

// Thrown for a broken index page, a project page that cannot be fetched, metadata whose hash does not
// match, or a file that cannot be read. The message names the (redacted) URL or path.
class IndexError : public Error {
 public:
  using Error::Error;
};

// PackageSource::metadata for a candidate whose dependencies are only known by building it: an sdist
// whose PKG-INFO is older than Metadata-Version 2.2 or marks Requires-Dist / Requires-Python dynamic
// (PEP 643). Not a broken index: the resolver treats that version as unusable (as uv's --no-build
// does) and tells the user. A source that builds such sdists for their metadata (the session's, for
// an interpreter's own environment) throws it with build_failed() when the build did not succeed:
// what() then says why.
class NeedsBuildError : public IndexError {
 public:
  explicit NeedsBuildError(const std::string& message, bool build_failed = false)
      : IndexError(message), build_failed_(build_failed) {}
  bool build_failed() const { return build_failed_; }

 private:
  bool build_failed_ = false;
};

// One file of a release as an index lists it (PEP 503 anchor / PEP 691 file object).
struct DistFile {
  enum class Kind : std::uint8_t { Wheel, Sdist };

  std::string filename;
  std::string url;                           // absolute (http(s)://, file://)
  Kind kind = Kind::Wheel;
  std::optional<WheelName> wheel;            // set for wheels
  std::optional<Version> sdist_version;      // set for sdists listed on a project's page (name checked)
  std::map<std::string, std::string> hashes; // algorithm -> lower-case hex (PEP 503 fragment / PEP 691 hashes)
  std::string requires_python;               // as given by the index, "" if none (PEP 503 data-requires-python)
  std::optional<std::string> yanked;         // PEP 592: set when yanked; the reason, possibly ""
  // PEP 658/714: the index serves <url>.metadata; value is its hash ("sha256" -> hex) or empty when the
  // index only says "true".
  std::optional<std::map<std::string, std::string>> core_metadata;
  std::optional<std::string> upload_time;    // PEP 700, ISO 8601
  std::optional<std::uint64_t> size;         // PEP 700
  std::size_t index_position = 0;            // which source of a composite offered it (0 = first)

  std::string sha256() const {
    auto it = hashes.find("sha256");
    return it == hashes.end() ? std::string() : it->second;
  }

  // Every field: the listing cache's round trip is tested with it, so a field added here and not to
  // the digest fails that test instead of vanishing on warm runs. Versions compare by value (1.0 ==
  // 1.0.0); the test checks their spelling separately.
  friend bool operator==(const DistFile&, const DistFile&) = default;
};

// What choosing among a release's files needs to know of one file (pip's LinkEvaluator and
// _sort_key): enough to rank every file of every release without reading URLs and hashes.
struct FileTraits {
  DistFile::Kind kind = DistFile::Kind::Wheel;
  const std::vector<Tag>* tags = nullptr;  // a wheel's tags; nullptr for an sdist or an unparsed wheel name
  // Ids name a value for the whole process, so that two files with the same id have the same value
  // without comparing them; 0: unknown. A digest packs them as its page's process-unique serial above
  // the low kIdPositionBits, and 1 + the value's position in the page's table below.
  static constexpr int kIdPositionBits = 24;
  // `*tags` by id (a digest's tag set).
  std::uint64_t tag_set_id = 0;
  bool has_build = false;                  // PEP 427 build tag: number, then the rest
  std::uint64_t build_number = 0;
  std::string_view build_suffix;
  std::string_view requires_python;
  std::uint64_t requires_python_id = 0;  // `requires_python` by id (a digest's string)
  bool yanked = false;
  std::string_view yank_reason;

  static FileTraits of(const DistFile& f);
};

// PEP 592: a release is yanked when every one of its files is (and it has files).
bool all_yanked(const std::vector<FileTraits>& files);

// Files kept encoded until something reads them. A resolution ranks every file of every release of
// every project (FileTraits) but reads the URLs and hashes of one release per project, so a
// listing read back from the cache (index/listing_digest.cpp) decodes the rest on first use.
class EncodedFiles {
 public:
  virtual ~EncodedFiles() = default;
  virtual std::size_t size() const = 0;
  // Appends the traits of every file, in order; they stay valid while this object lives.
  virtual void traits(std::vector<FileTraits>& out) const = 0;
  // Every file, decoded once (safe to call from several threads).
  const std::vector<DistFile>& files() const;

 protected:
  virtual std::vector<DistFile> decode() const = 0;

 private:
  // Not std::call_once: glibc's pthread_once makes a futex call for every first call, and a
  // resolution decodes the files of a hundred versions and more.
  mutable std::atomic<bool> decoded_{false};
  mutable std::mutex decoding_;
  mutable std::vector<DistFile> files_;
};

// The files of a candidate: a vector of DistFile, or files still encoded (decoded on first read;
// copies share the decoding). Writing through it first makes the list its own.
class FileList {
 public:
  using value_type = DistFile;
  using iterator = std::vector<DistFile>::iterator;
  using const_iterator = std::vector<DistFile>::const_iterator;

  FileList() = default;
  FileList(std::vector<DistFile> files) : own_(std::move(files)) {}  // NOLINT: a vector is a list
  FileList(std::initializer_list<DistFile> files) : own_(files) {}
  explicit FileList(std::shared_ptr<const EncodedFiles> encoded) : encoded_(std::move(encoded)) {}

  const std::vector<DistFile>& get() const { return encoded_ ? encoded_->files() : own_; }
  operator const std::vector<DistFile>&() const { return get(); }  // NOLINT: read as a vector
  std::vector<DistFile>& edit();

  // Neither decodes.
  std::size_t size() const { return encoded_ ? encoded_->size() : own_.size(); }
  bool empty() const { return size() == 0; }
  // The traits of every file, in order, into `out` (cleared first); valid while this list is unchanged.
  void traits(std::vector<FileTraits>& out) const;
  bool encoded() const { return encoded_ != nullptr; }

  const_iterator begin() const { return get().begin(); }
  const_iterator end() const { return get().end(); }
  const DistFile& operator[](std::size_t i) const { return get()[i]; }
  const DistFile& front() const { return get().front(); }

  iterator begin() { return edit().begin(); }
  iterator end() { return edit().end(); }
  DistFile& operator[](std::size_t i) { return edit()[i]; }
  DistFile& front() { return edit().front(); }
  void push_back(DistFile f) { edit().push_back(std::move(f)); }
  void reserve(std::size_t n) { edit().reserve(n); }

 private:
  std::vector<DistFile> own_;
  std::shared_ptr<const EncodedFiles> encoded_;  // set: the files are these, not own_
};

// One version of a project with every file the sources list for it (not yet filtered for a target).
struct Candidate {
  std::string name;  // normalised (PEP 503)
  Version version;
  FileList files;

  // PEP 592: a version is yanked when all its files are.
  bool yanked() const;
};

// Which distributions may be used (pip's --only-binary / --no-binary / --prefer-binary), per project.
struct BinaryPolicy {
  bool only_binary_all = false;
  bool no_binary_all = false;
  std::vector<std::string> only_binary;  // normalised names
  std::vector<std::string> no_binary;    // normalised names
  bool prefer_binary = false;

  bool wheels_allowed(std::string_view name) const;
  bool sdists_allowed(std::string_view name) const;
};

// The interpreter version a Requires-Python (a file's data-requires-python, core metadata, a lock's
// requires-python) is checked against, as pip checks it: sys.version_info[:3] (pip's
// check_requires_python), so the release of the target's full version without its pre-release part (a
// 3.11.0rc1 interpreter is 3.11.0); major.minor when the full version is not known.
Version requires_python_version(const Target& target);
// Whether `requires_python` admits `python` (a requires_python_version): an empty value admits every
// version, and so does one that is not a valid specifier set (pip ignores an invalid
// data-requires-python and keeps the file).
bool python_matches(std::string_view requires_python, const Version& python);

// The files of `candidate` usable on `target` under `policy`, best first: wheels by the rank of their best
// tag in target.tags (PEP 425 priority), ties broken by build tag (higher first), then sdists. Files whose
// requires_python excludes the target's Python are dropped. Empty means no usable file.
std::vector<const DistFile*> usable_files(const Candidate& candidate, const Target& target,
                                          const BinaryPolicy& policy);
// The same choice made from the files' traits, as positions in the release's file list (ranking every
// release does not need the files themselves), for release after release of one project (`project`:
// the normalised name), with what depends only on the project and the target (its Python, the binary
// policy, the last Requires-Python seen) worked out once.
class FileChooser {
 public:
  FileChooser(std::string_view project, const Target& target, const BinaryPolicy& policy);
  // The positions of the files the target can use, best first.
  std::vector<std::uint32_t> usable(const std::vector<FileTraits>& files);
  // usable().front(), in one pass without allocating (a resolution asks it of every release).
  std::optional<std::uint32_t> best(const std::vector<FileTraits>& files);
  // The rank of a wheel's tags on the target (TagSet::best_rank), remembered per file position.
  std::optional<std::size_t> rank(std::uint32_t position, const std::vector<Tag>& tags, std::uint64_t tag_set_id = 0);
  // Whether a file's Requires-Python admits the target's Python (remembered: most files of a project
  // say the same). `id`: FileTraits::requires_python_id, which spares comparing the text.
  bool python_allowed(std::string_view requires_python, std::uint64_t id = 0);

  // A usable file's place in the order of usable().
  struct Ranked {
    std::uint32_t position;
    std::size_t rank;  // tag rank for wheels; sdists after every wheel
    std::uint64_t build_number;
    std::string_view build_suffix;
    bool has_build;
  };

 private:
  std::optional<Ranked> ranked(const FileTraits& f, std::uint32_t position);

  const Target& target_;
  Version python_;
  bool wheels_ = true;
  bool sdists_ = true;
  std::optional<std::string> last_requires_;  // the files of a project nearly all say the same
  std::uint64_t last_requires_id_ = 0;
  bool last_allowed_ = true;
};

// The resolver's view of the world. Implementations cache what they fetch and are thread-compatible:
// one resolver thread calls them; they may fetch in parallel internally.
class PackageSource {
 public:
  virtual ~PackageSource() = default;

  // Every version the sources offer for the project (normalised or not), newest first, with
  // Candidate::name normalised. An unknown project gives an empty list, never an error; an unreachable
  // or broken index throws IndexError. The source keeps the list: the reference stays valid, and the
  // list unchanged, as long as the source.
  virtual const std::vector<Candidate>& candidates(std::string_view name) = 0;

  // Core metadata for one version, read from `file` (one of candidate.files): the PEP 658 sidecar if the
  // index offers one, else the wheel's METADATA (by HTTP range requests when possible), else the sdist's
  // PKG-INFO when PEP 643 says it is static. Throws IndexError (e.g. an sdist that needs a build).
  // Never null. Sources keep what they read and hand out the same object: the resolver and the lock
  // writer both read it, and a parsed METADATA is costly to copy.
  virtual std::shared_ptr<const CoreMetadata> metadata(const Candidate& candidate, const DistFile& file) = 0;

  // Hints: start fetching now what the resolver will ask for soon. Never throw; errors surface on the
  // real call.
  virtual void prefetch_candidates(std::string_view /*name*/) {}
  virtual void prefetch_metadata(const Candidate& /*candidate*/, const DistFile& /*file*/) {}

  // Non-fatal notes gathered since the last call (e.g. files dropped by --exclude-newer because the
  // index gives no upload time), for the caller to show; library code never prints.
  virtual std::vector<std::string> take_warnings() { return {}; }
};

// ---- Simple repository pages -------------------------------------------------------------------

// What one project page lists.
struct ProjectPage {
  std::vector<DistFile> files;        // page order; urls absolute and without fragment
  std::vector<std::string> versions;  // PEP 700 "versions" (JSON pages only), as written
  std::string api_version;            // PEP 629 / PEP 691 repository version, "" when the page has none
};

// PEP 503 HTML page at `page_url`. Anchors are read anywhere in the document (attribute names and tags
// case-insensitive, values quoted with ' or " or unquoted, character references decoded); hrefs are
// resolved against the first <base href> or the page URL. With a non-empty `project` (normalised),
// links that are not a wheel or sdist of that project are dropped; with "" (find-links pages) every
// wheel and every file with an sdist extension is kept. Throws IndexError naming the URL for a page
// declaring an unsupported repository version (PEP 629) or cut off inside a tag.
ProjectPage parse_html_page(std::string_view html, std::string_view page_url, std::string_view project);

// PEP 691 JSON page (meta.api-version major 1 required). Same filtering as parse_html_page. Throws
// IndexError naming the URL for malformed JSON or fields of the wrong type.
ProjectPage parse_json_page(std::string_view json, std::string_view page_url, std::string_view project);

// The version `file` is for when it is a distribution of `project` (normalised): the wheel's name must
// normalise to it; an sdist name is split as pip does (SdistName::parse_for_project). nullopt otherwise.
std::optional<Version> file_version(const DistFile& file, std::string_view project);

// The files of `project` grouped into candidates, newest version first (1.0 and 1.0.0 are one
// candidate); files of other projects or without a PEP 440 version are skipped. File order is kept
// within a candidate.
std::vector<Candidate> group_candidates(std::string_view project, std::vector<DistFile> files);

// A point in time for --exclude-newer / PEP 700 upload-time: RFC 3339 "2024-01-31T12:00:00Z" (fraction
// and numeric offsets allowed, 'T' or ' ' separator) or a date "2024-01-31" (00:00 UTC). Milliseconds
// since the Unix epoch; nullopt when the text is not such a time.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// ---- Configuration -----------------------------------------------------------------------------

enum class IndexStrategy : std::uint8_t {
  first_index,        // a project comes from the first index that has it (dependency confusion guard)
  unsafe_best_match,  // every index's versions are merged, the best version wins wherever it is
};

// Parses "first-index" / "unsafe-best-match"; nullopt otherwise.
std::optional<IndexStrategy> parse_index_strategy(std::string_view text);

// Where packages come from (pip's --index-url, --extra-index-url, --find-links, --no-index,
// --trusted-host, plus uv's --index-strategy and --exclude-newer).
struct IndexConfig {
  std::string index_url = "https://pypi.org/simple";
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;  // directories, file:// or http(s) URLs of pages
  bool no_index = false;
  // "host" or "host:port": allowed over plain http (pip's secure-origin rule). The caller also copies
  // them into HttpOptions::trusted_hosts, which skips certificate checks for them.
  std::vector<std::string> trusted_hosts;
  IndexStrategy strategy = IndexStrategy::first_index;
  // Projects that may come from one index only (normalised name -> that index's URL, which must be
  // the index URL or an extra one): pipenv's `index = "name"` on a Pipfile entry, also a guard
  // against dependency confusion. No other index and no find-links location is asked for them.
  std::map<std::string, std::string> project_indexes;
  // As given (see parse_timestamp); checked by build_source. Index files uploaded at or after it are
  // left out, and so are index files without a PEP 700 upload-time (uv's rule for indexes; a warning
  // says how many). Find-links files never have one and are kept (uv's rule for flat indexes).
  std::optional<std::string> exclude_newer;
};

// Index options given on the command line (or a requirements file): unset fields leave the configured
// value; list options are appended to the configured lists, as pip's optparse "append" options are.
struct IndexOptions {
  std::optional<std::string> index_url;
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;
  std::optional<bool> no_index;
  std::vector<std::string> trusted_hosts;
  std::optional<IndexStrategy> strategy;
  std::optional<std::string> exclude_newer;
  std::map<std::string, std::string> project_indexes;  // added to IndexConfig::project_indexes
};

using Environment = std::map<std::string, std::string>;

// pip's configuration files in the order pip loads them (later files override earlier ones): global
// ($XDG_CONFIG_DIRS or /etc/xdg, each + /pip/pip.conf, then /etc/pip.conf), user (~/.pip/pip.conf,
// then $XDG_CONFIG_HOME or ~/.config, + /pip/pip.conf; skipped when $PIP_CONFIG_FILE names an existing
// file), site (`site_prefix`/pip.conf when given), then $PIP_CONFIG_FILE. Empty when PIP_CONFIG_FILE is
// /dev/null (pip then reads no file). Paths that do not exist are included; the reader skips them.
std::vector<std::filesystem::path> pip_config_paths(const Environment& env,
                                                    const std::filesystem::path& site_prefix = {});

struct ConfigText {
  std::string path;  // for messages
  std::string text;
};

// The contents of those of `paths` that exist and can be read.
std::vector<ConfigText> read_config_files(const std::vector<std::filesystem::path>& paths);

// One option value from pip's configuration and where it was set, for messages: "PIP_TIMEOUT" or
// "/etc/pip.conf [global] timeout".
struct ConfigSetting {
  std::string value;
  std::string origin;
};
// Option name (normalised as pip does: "client-cert" for Client_Cert, --client-cert, PIP_CLIENT_CERT)
// and value, in the order pip applies them; the last one for a name wins.
using ConfigSettings = std::vector<std::pair<std::string, ConfigSetting>>;

// pip's configuration as option defaults: the [global] values of the files (in load order, later
// files replacing earlier ones key by key), then their [install] values, then every PIP_<NAME>
// variable but PIP_CONFIG_FILE. Empty values are left out, as pip ignores them. Lines that are not
// "key = value" inside a section become messages in `warnings`.
ConfigSettings pip_config_settings(const std::vector<ConfigText>& files, const Environment& env,
                                   std::vector<std::string>* warnings = nullptr);
// The value that wins for `name`, or nullptr.
const ConfigSetting* find_setting(const ConfigSettings& settings, std::string_view name);

// The index settings pip would use: pip.conf files (in load order; [global], then [install], which
// wins), then PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, PIP_TRUSTED_HOST (space separated
// lists) and PIP_NO_INDEX, then the command line. Unusable lines or values (a bad boolean, a key
// without '=') are skipped with a message in `warnings`.
IndexConfig load_index_config(const std::vector<ConfigText>& files, const Environment& env,
                              const IndexOptions& command_line, std::vector<std::string>* warnings = nullptr);
// The same from settings already read (pip_config_settings), e.g. when other options are read from
// them too.
IndexConfig load_index_config(const ConfigSettings& settings, const IndexOptions& command_line,
                              std::vector<std::string>* warnings = nullptr);

class HttpClient;

// The http(s) URLs of the configuration that may carry credentials for their origin: the index URLs
// (none with no_index, as pip's MultiDomainBasicAuth gets no index URLs then) and the find-links page
// URLs. Give them to the client as HttpOptions::credential_urls so that a user:password given in one
// also authenticates the absolute file links, .metadata files and range reads on the same server.
std::vector<std::string> credential_urls(const IndexConfig& config);

// The PackageSource for a configuration: a CompositeSource over the index (unless no_index), the extra
// indexes and the find-links locations, reading through `client` (which must outlive the source).
// A missing find-links directory, and an http:// index on a host that is neither local nor trusted
// (which pip ignores too), become messages in `warnings` and are left out. `source_urls` receives the
// base URL of each source created, in DistFile::index_position order (redacted; "" for a find-links
// location). Throws IndexError for an unusable configuration (a bad --exclude-newer date, an index URL
// that is not http(s)/file).
std::unique_ptr<PackageSource> build_source(const IndexConfig& config, HttpClient& client,
                                            std::vector<std::string>* warnings = nullptr,
                                            std::vector<std::string>* source_urls = nullptr);

// ---- `thoth debug candidates` ------------------------------------------------------------------

// What the sources offer for one version, seen from a target.
struct CandidateReport {
  Version version;
  bool yanked = false;
  std::string yank_reason;                // of the first yanked file with a reason
  std::size_t file_count = 0;
  std::vector<const DistFile*> usable;    // usable_files(), best first
  std::vector<std::string> requires_python;  // distinct values of the files, in file order
};

std::vector<CandidateReport> report_candidates(const std::vector<Candidate>& candidates, const Target& target,
                                               const BinaryPolicy& policy);

// ---- `thoth cache` -----------------------------------------------------------------------------

// $XDG_CACHE_HOME/thoth, else $HOME/.cache/thoth. Throws IndexError when neither variable is set.
std::filesystem::path default_cache_dir(const Environment& env);

// One store under the cache directory (a directory thoth creates and alone writes to).
struct CacheStoreUsage {
  std::string dir;   // "pages-v1"
  std::string what;  // for `thoth cache info`: "index pages and responses"
  std::uint64_t entries = 0, bytes = 0;
};

// Every store: pages-v1 (HTTP responses: index pages, wheel metadata), blobs-v1 (content-addressed
// files: PEP 658 metadata, downloads), derived-v1 (index pages already parsed), wheels-v1 (unpacked
// wheels that installs link from; one entry per wheel), built-v1 (wheels and metadata built from
// sdists), interpreters-v1 (probed interpreter facts), scratch-v1 (downloads left unfinished).
struct CacheUsage {
  std::vector<CacheStoreUsage> stores;

  // The store named `dir` ("pages-v1"); an empty row when there is none of that name.
  CacheStoreUsage store(std::string_view dir) const;
  std::uint64_t entries() const;
  std::uint64_t bytes() const;
};
CacheUsage cache_usage(const std::filesystem::path& dir);
// Removes the cache's stores (only the directories thoth creates) and returns what they held.
CacheUsage clean_cache(const std::filesystem::path& dir);

}  // namespace thoth
