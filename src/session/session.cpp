// The Session: one run's client, source and target, and the resolve pipeline every command shares.
#include <algorithm>
#include <cmath>
#include <set>

#include "session/alarm.hpp"
#include "session/build.hpp"
#include "session/building_source.hpp"
#include "session/lock_files.hpp"
#include "session/requirements_input.hpp"
#include "thoth/hash.hpp"
#include "thoth/session.hpp"

namespace thoth {

namespace {

constexpr double kMaxResolveTimeout = 1e7;  // seconds (115 days): far beyond use, far from overflow
static_assert(kMaxResolveTimeout == 10000000, "the message below names the limit");

const Candidate* find_version(const std::vector<Candidate>& candidates, const Version& v) {
  for (const Candidate& c : candidates)
    if (c.version == v) return &c;
  return nullptr;
}

// Runs the resolver; a timeout is reported in the terms of the option that set it. Exit status 1, as
// for no solution. The limit covers the network too: when it passes, the client's requests are
// cancelled (a slow server cannot keep the resolver waiting past it), and whatever then fails is the
// timeout.
Resolution resolve_in_time(Resolver& resolver, const std::vector<RootRequirement>& roots,
                           const std::vector<Requirement>& constraints, const ResolveOptions& options,
                           const Policy& policy, HttpClient* client) {
  std::optional<session_detail::Alarm> alarm;
  if (options.timeout && client != nullptr) alarm.emplace(*options.timeout, [client] { client->cancel_all(); });
  try {
    Resolution resolution = resolver.resolve(roots, constraints, policy);
    // Unless the limit passed just as it ended: the client is cancelled, what follows would fail.
    if (!alarm || !alarm->rang()) return resolution;
  } catch (const ResolutionError& e) {
    if (!options.timeout || !(e.timed_out() || (alarm && alarm->rang()))) throw;
  } catch (const Error&) {
    if (!alarm || !alarm->rang()) throw;  // a failure of its own, not a request the alarm stopped
  }
  throw ResolutionError(std::string(ResolutionError::timeout(*options.timeout).what()) +
                            " (--resolve-timeout): allow more time, or narrow the requirements",
                        "", true);
}

}  // namespace

std::optional<std::string> SessionEnvironment::getenv(const std::string& name) const {
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

class Session::Impl {
 public:
  Impl(Session& self, IndexSettings index, TargetSettings target, const SessionEnvironment& env)
      : self_(self), index_settings_(std::move(index)), target_settings_(std::move(target)), env_(env) {}

  void warn(std::string_view text) const {
    if (env_.messages != nullptr) env_.messages->warning(text);
  }
  void note(std::string_view text) const {
    if (env_.messages != nullptr) env_.messages->note(text);
  }
  void warn_all(const std::vector<std::string>& texts) const {
    for (const std::string& t : texts) warn(t);
  }

  RequirementSet read_requirements(const RequirementInputs& inputs) {
    auto read = [this](const std::string& path_or_url) {
      // The run's client, set up from the command line and pip's configuration alone (the files'
      // own index options are not known yet), for a file given by URL.
      std::string text = session_detail::is_requirements_url(path_or_url)
                             ? session_detail::fetch_requirements_file(
                                   client_for(make_index_setup(index_settings_, quiet_env()).http), path_or_url)
                             : read_local_file(path_or_url);
      input_files_.emplace_back(path_or_url, text);
      return text;
    };
    RequirementSet set = session_detail::read_requirement_inputs(inputs, read, env_.env);
    warn_all(set.warnings);
    return set;
  }

  void open(const IndexOptions& from_files, const std::vector<std::string>& prefetch) {
    setup_ = make_index_setup(index_settings_, env_, from_files);
    if (!setup_->cache_dir.empty()) note("cache: " + setup_->cache_dir.string());
    // A client made earlier for a requirements file read by URL was set up before the files' own index
    // options were known: it learns their trusted hosts and credentials now (the rest of the HTTP
    // options come from the command line and pip's configuration only, the same both times).
    if (client_) client_->add_origins(setup_->http.trusted_hosts, setup_->http.credential_urls);
    HttpClient& client = client_for(setup_->http);
    std::vector<std::string> warnings;
    source_ = std::make_unique<session_detail::BuildingSource>(
        build_source(setup_->config, client, &warnings, &source_urls_),
        [this](const Candidate& c, const DistFile& f, const NeedsBuildError&) { return metadata_by_build(c, f); });
    warn_all(warnings);
    // An interpreter that has to be run (its facts not cached yet) keeps the command waiting for tens
    // of milliseconds: meanwhile the index pages of the roots that need no target are requested
    // (loading libcurl on the way).
    auto prefetch_pages = [this, &prefetch] { this->prefetch(prefetch); };
    target_ = resolve_target(target_settings_, env_, setup_->cache_dir,
                             prefetch.empty() ? std::function<void()>() : std::function<void()>(prefetch_pages));
    // An sdist is built for its metadata only by the interpreter resolved for: the metadata a build
    // elsewhere would make need not hold on a --platform/--python-version/... or --target-env target.
    builds_.build.allowed = target_settings_.target_env.empty() && !target_settings_.has_overrides();
    if (builds_.build.allowed)
      build_python_ = target_settings_.python.empty() ? default_python(env_.env) : target_settings_.python;
  }

  void record_pages() {
    record_pages_ = true;
    if (client_) client_->record_pages();
  }
  void prefetch(const std::vector<std::string>& names) {
    try {
      for (const std::string& name : names) source_->prefetch_candidates(name);
    } catch (...) {
      // A hint only: the resolution asks again and reports what goes wrong.
    }
  }
  const std::vector<std::pair<std::string, std::string>>& input_files() const { return input_files_; }

  void set_build_isolation(bool isolation) { builds_.build.isolation = isolation; }

  ResolveOptions resolve_options(RequirementSet& inputs, const ResolveSettings& settings) const {
    ResolveOptions options;
    options.target = target();
    options.binary = inputs.options.binary;
    // The command line after the files: pip applies these options in the order it reads them.
    try {
      for (const BinaryOption& o : settings.binary) apply_binary_option(options.binary, o.value, o.no_binary);
    } catch (const Error& e) {
      throw SessionError(std::string("invalid --no-binary/--only-binary value: ") + e.what());
    }
    options.binary.prefer_binary = options.binary.prefer_binary || settings.prefer_binary;
    options.allow_prereleases = settings.pre || inputs.options.pre;
    if (settings.timeout_seconds) {
      const double t = *settings.timeout_seconds;
      if (!(t > 0 && t <= kMaxResolveTimeout))
        throw SessionError("invalid --resolve-timeout (expected seconds > 0, at most 10000000)");
      // Whole milliseconds, rounded up: any positive value stays positive (0.0004 s must not become 0 ms).
      options.timeout = std::chrono::milliseconds(static_cast<long long>(std::ceil(t * 1000)));
    }
    if (settings.max_candidates) {
      // 0 would mean "no bound" to the resolver: the command line always keeps one.
      if (*settings.max_candidates < 1)
        throw SessionError("invalid --max-candidates (expected a whole number of candidate versions, at least 1)");
      options.max_candidates = static_cast<std::size_t>(*settings.max_candidates);
    }
    for (UserRequirement& r : inputs.requirements) {
      if (!r.link.empty() || !r.requirement.url.empty()) options.direct.push_back(direct_candidate(r));
    }
    return options;
  }

  static std::vector<RootRequirement> roots_of(const RequirementSet& inputs) {
    std::vector<RootRequirement> roots;
    for (const UserRequirement& r : inputs.requirements) {
      // pip-compile's "# via -r FILE" for a requirement read from FILE; nothing for the command line.
      roots.push_back({r.requirement, r.origin.empty() ? std::string() : "-r " + r.origin});
    }
    return roots;
  }

  static std::vector<Requirement> constraints_of(const RequirementSet& inputs, const std::vector<Requirement>& extra) {
    std::vector<Requirement> constraints;
    for (const UserRequirement& c : inputs.constraints) {
      if (c.requirement.name.empty())
        throw SessionError(where(c) + ": a constraint must name a project (" + redact_url(c.link) + ")");
      constraints.push_back(c.requirement);
    }
    constraints.insert(constraints.end(), extra.begin(), extra.end());
    return constraints;
  }

  Resolution resolve(const RequirementSet& inputs, const ResolveOptions& options, const Policy& policy,
                     const std::vector<Requirement>& extra_constraints) {
    const std::vector<RootRequirement> roots = roots_of(inputs);
    const std::vector<Requirement> constraints = constraints_of(inputs, extra_constraints);
    note("resolving " + std::to_string(roots.size()) + " requirement(s) for Python " + options.target.python_version.str());
    // pip hands its binary and pre-release options on to its build environments.
    builds_.build.binary = options.binary;
    builds_.build.pre = options.allow_prereleases;
    builds_.build.config_settings = config_settings_by_project(inputs);
    Resolution resolution = resolve_in_time(resolver(options), roots, constraints, options, policy, client_.get());
    warn_all(source_->take_warnings());
    warn_all(resolution.warnings);
    note("resolved " + std::to_string(resolution.pins.size()) + " package(s)");
    return resolution;
  }

  LockInputs lock_inputs(Resolution& resolution, const RequirementSet& inputs, const ResolveOptions& options,
                         const LockNeeds& needs) {
    LockInputs out;
    out.tool_version = THOTH_VERSION;
    out.requirements = inputs.requirements;
    out.constraints = inputs.constraints;
    out.index = setup_->config;
    out.source_urls = source_urls_;
    out.binary = options.binary;
    for (Pin& pin : resolution.pins) {
      const Candidate* candidate = nullptr;
      if (!pin.direct_url.empty()) {
        for (const Candidate& c : options.direct)
          if (c.name == pin.name) candidate = &c;
      } else {
        candidate = find_version(source_->candidates(pin.name), pin.version);
      }
      if (needs.release_files && candidate != nullptr && pin.direct_url.empty())
        out.release_files[pin.name] = candidate->files;
      // The report carries the whole metadata; pylock its Requires-Python (spec "packages.requires-python").
      if (needs.metadata && candidate != nullptr && !pin.files.empty())
        out.metadata[pin.name] = source_->metadata(*candidate, pin.files.front());
    }
    // Files without a sha256 (an index that lists none) are downloaded and hashed, all at once: pip-compile
    // does the same for --generate-hashes, and PEP 751 requires a hash for every file.
    std::vector<DistFile*> unhashed;
    for (auto& [name, files] : out.release_files)
      for (DistFile& f : files) unhashed.push_back(&f);
    if (needs.pin_hashes || needs.release_files)
      for (Pin& pin : resolution.pins)
        for (DistFile& f : pin.files) unhashed.push_back(&f);
    std::erase_if(unhashed, [](const DistFile* f) { return !f->sha256().empty(); });
    fill_missing_hashes(unhashed);
    return out;
  }

  Advice advise(const RequirementSet& inputs, const ResolveOptions& options, const KnowledgeBase& kb,
                Recommendation recommendation, const SearchOptions& search, const std::vector<Requirement>& extra) {
    LatestPolicy latest;
    resolve(inputs, options, latest, extra);  // no resolution at all: explained as for a plain lock
    ResolverCallbacks callbacks = resolver_callbacks(resolver(options), roots_of(inputs), constraints_of(inputs, extra));
    note("searching under the " + std::string(recommendation_name(recommendation)) + " recommendation");
    Advice advice = thoth::advise(callbacks.resolve, callbacks.versions, kb, recommendation, search);
    // The best stack's warnings: the search's own, then each vetoed fact it could not avoid, by name.
    warn_all(advice.stacks.front().justification.warnings);
    note("visited " + std::to_string(advice.stats.states) + " stack(s) in " + std::to_string(advice.stats.iterations) +
         " move(s), " + std::to_string(advice.stats.elapsed.count()) + " ms");
    return advice;
  }

  Sample sample(const RequirementSet& inputs, const ResolveOptions& options, const SampleOptions& sampling) {
    LatestPolicy latest;
    resolve(inputs, options, latest, {});  // no resolution at all: explained as for a plain lock
    ResolverCallbacks callbacks = resolver_callbacks(resolver(options), roots_of(inputs), constraints_of(inputs, {}));
    return thoth::sample(callbacks.resolve, sampling);
  }

  // The session's resolver, made with the first call's options and kept: what it learns about each
  // project serves every later resolution (the advisor re-resolves thousands of times).
  Resolver& resolver(const ResolveOptions& options) {
    if (!resolver_) resolver_ = std::make_unique<Resolver>(*source_, options);
    return *resolver_;
  }

  std::vector<ChosenFile> choose_files(const Lock& lock, const FileChoice& choice) {
    return session_detail::choose_lock_files(lock, *target_, *source_, choice);
  }

  std::vector<DownloadedFile> download(const std::vector<ChosenFile>& files, const std::filesystem::path& directory,
                                       const std::function<void(const DownloadedFile&)>& on_ready) {
    return session_detail::download_files(*client_, files, directory, on_ready, env_.progress);
  }

  std::vector<std::shared_ptr<void>> release_for_exit() {
    std::vector<std::shared_ptr<void>> out;
    if (resolver_) out.push_back(std::shared_ptr<void>(std::move(resolver_)));
    if (source_) out.push_back(std::shared_ptr<void>(std::move(source_)));
    return out;
  }

  const IndexSetup& setup() const { return *setup_; }
  HttpClient& client() { return *client_; }
  PackageSource& source() { return *source_; }
  const std::vector<std::string>& source_urls() const { return source_urls_; }
  const Target& target() const { return *target_; }
  const SessionEnvironment& environment() const { return env_; }

 private:
  // The run's one client, made on first use with `options`.
  HttpClient& client_for(const HttpOptions& options) {
    if (!client_) {
      client_ = std::make_unique<HttpClient>(options);
      if (record_pages_) client_->record_pages();
    }
    return *client_;
  }

  // The environment without a messages sink: for setting up early, before the messages of the full
  // setup (which open() reports) would be said twice.
  SessionEnvironment quiet_env() const {
    SessionEnvironment quiet = env_;
    quiet.messages = nullptr;
    return quiet;
  }

  // BuildingSource's builder: builds the metadata of an sdist whose dependencies are not static, for an
  // interpreter's own target (else nullptr: the resolver passes the version over). --only-binary
  // never gets here (the resolver reads no sdist then).
  std::shared_ptr<const CoreMetadata> metadata_by_build(const Candidate& c, const DistFile& f) {
    if (!builds_.build.allowed) return nullptr;
    InstallSettings settings = builds_;
    settings.build.stack.insert(settings.build.stack.end(), metadata_stack_.begin(), metadata_stack_.end());
    // The names whose metadata builds are under way: a build requirement needing one of them again is
    // a cycle (session_detail::build_metadata refuses it).
    metadata_stack_.push_back(c.name);
    struct Pop {
      std::vector<std::string>& stack;
      ~Pop() { stack.pop_back(); }
    } pop{metadata_stack_};
    return session_detail::metadata_from_build(self_, c, f, build_python_, settings);
  }

  void fill_missing_hashes(const std::vector<DistFile*>& files) {
    if (files.empty()) return;
    std::vector<std::string> urls;
    for (const DistFile* f : files)
      if (std::find(urls.begin(), urls.end(), f->url) == urls.end()) urls.push_back(f->url);
    std::vector<HttpRequest> requests;
    for (const std::string& url : urls) {
      note("hashing " + redact_url(url) + " (the index gives no sha256)");
      HttpRequest req(url);
      req.cache = CachePolicy::no_store;
      requests.push_back(std::move(req));
    }
    std::vector<HttpResponse> responses = client_->fetch_all(std::move(requests));
    for (DistFile* f : files) {
      const auto at = std::find(urls.begin(), urls.end(), f->url) - urls.begin();
      f->hashes["sha256"] = sha256_hex(responses[static_cast<std::size_t>(at)].body);
    }
  }

  Session& self_;
  IndexSettings index_settings_;
  TargetSettings target_settings_;
  const SessionEnvironment& env_;
  std::optional<IndexSetup> setup_;
  std::unique_ptr<HttpClient> client_;
  bool record_pages_ = false;
  std::vector<std::pair<std::string, std::string>> input_files_;  // path or URL, text
  std::unique_ptr<PackageSource> source_;
  std::vector<std::string> source_urls_;
  std::optional<Target> target_;
  std::unique_ptr<Resolver> resolver_;
  InstallSettings builds_;                   // how metadata builds run (their `build` part)
  std::string build_python_;                 // the interpreter that runs them
  std::vector<std::string> metadata_stack_;  // the projects whose metadata builds are under way
};

Session::Session(IndexSettings index, TargetSettings target, const SessionEnvironment& env)
    : impl_(std::make_unique<Impl>(*this, std::move(index), std::move(target), env)) {}
Session::~Session() = default;

RequirementSet Session::read_requirements(const RequirementInputs& inputs) { return impl_->read_requirements(inputs); }
void Session::open(const IndexOptions& from_files, const std::vector<std::string>& prefetch) {
  impl_->open(from_files, prefetch);
}
const IndexSetup& Session::setup() const { return impl_->setup(); }
HttpClient& Session::client() { return impl_->client(); }
PackageSource& Session::source() { return impl_->source(); }
const std::vector<std::string>& Session::source_urls() const { return impl_->source_urls(); }
void Session::set_build_isolation(bool isolation) { impl_->set_build_isolation(isolation); }
const Target& Session::target() const { return impl_->target(); }
const SessionEnvironment& Session::environment() const { return impl_->environment(); }
Resolver& Session::resolver(const ResolveOptions& options) { return impl_->resolver(options); }
Advice Session::advise(const RequirementSet& inputs, const ResolveOptions& options, const KnowledgeBase& kb,
                       Recommendation recommendation, const SearchOptions& search,
                       const std::vector<Requirement>& extra_constraints) {
  return impl_->advise(inputs, options, kb, recommendation, search, extra_constraints);
}
Sample Session::sample(const RequirementSet& inputs, const ResolveOptions& options, const SampleOptions& sampling) {
  return impl_->sample(inputs, options, sampling);
}
ResolveOptions Session::resolve_options(RequirementSet& inputs, const ResolveSettings& settings) const {
  return impl_->resolve_options(inputs, settings);
}
Resolution Session::resolve(const RequirementSet& inputs, const ResolveOptions& options, const Policy& policy,
                            const std::vector<Requirement>& extra_constraints) {
  return impl_->resolve(inputs, options, policy, extra_constraints);
}
Lock Session::resolve_lock(RequirementSet& inputs, const ResolveSettings& settings, const Policy& policy,
                           const LockNeeds& needs) {
  ResolveOptions options = resolve_options(inputs, settings);
  Resolution resolution = resolve(inputs, options, policy);
  return to_lock(resolution, lock_inputs(resolution, inputs, options, needs));
}
LockInputs Session::lock_inputs(Resolution& resolution, const RequirementSet& inputs, const ResolveOptions& options,
                                const LockNeeds& needs) {
  return impl_->lock_inputs(resolution, inputs, options, needs);
}
std::vector<ChosenFile> Session::choose_files(const Lock& lock, const FileChoice& choice) {
  return impl_->choose_files(lock, choice);
}
std::vector<DownloadedFile> Session::download(const std::vector<ChosenFile>& files,
                                              const std::filesystem::path& directory,
                                              const std::function<void(const DownloadedFile&)>& on_ready) {
  return impl_->download(files, directory, on_ready);
}
std::vector<std::shared_ptr<void>> Session::release_for_exit() { return impl_->release_for_exit(); }
void Session::record_pages() { impl_->record_pages(); }
void Session::prefetch(const std::vector<std::string>& names) { impl_->prefetch(names); }
const std::vector<std::pair<std::string, std::string>>& Session::input_files() const { return impl_->input_files(); }

}  // namespace thoth
