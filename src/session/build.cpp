// PEP 517 builds for Session::install (wheels) and for the resolution (an sdist's metadata): the build
// environment's requirements are resolved from the session's own indexes and installed by the
// session's installer, the backend then runs in it (thoth/build.hpp), and the wheel or metadata is
// cached by the sdist's hash.
#include "session/build.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/ascii.hpp"
#include "base/url_text.hpp"
#include "thoth/archive.hpp"
#include "thoth/build.hpp"

namespace thoth::session_detail {

namespace {

void note(Session& session, const std::string& text) {
  if (Messages* m = session.environment().messages) m->note(text);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
  return out;
}

// A build under way, for the session's progress display (SessionEnvironment::build_progress): from
// the start of its build environment to its end, whichever way it ends.
class ShownBuild {
 public:
  ShownBuild(Session& session, const SourceToBuild& source, bool metadata)
      : progress_(session.environment().build_progress) {
    if (progress_ == nullptr) return;
    // "foo 1.0 (sdist)", "foo 1.0 (sdist, metadata)", "foo (editable)"; a local project without a
    // name yet by its label (its directory).
    what_ = source.name.empty() ? source.label : source.name;
    if (source.version) what_ += " " + source.version->str();
    const char* kind = !source.sdist.empty() ? "sdist" : source.editable ? "editable" : "local project";
    what_ += std::string(" (") + kind + (metadata ? ", metadata)" : ")");
    progress_->build_started(what_);
  }
  ~ShownBuild() {
    if (progress_ != nullptr) progress_->build_finished(what_);
  }
  ShownBuild(const ShownBuild&) = delete;
  ShownBuild& operator=(const ShownBuild&) = delete;

 private:
  BuildProgress* progress_;
  std::string what_;
};

// Removes a build's scratch tree (unpacked sources, the build environment) when the build is done.
struct ScratchTree {
  std::filesystem::path path;
  ~ScratchTree() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Installs `requirements` into the build environment `venv`: a resolution of its own (the latest
// versions, the run's binary and pre-release options) on the session's indexes, then Session::install,
// which builds in turn what has only an sdist.
void install_build_requirements(Session& session, const std::vector<std::string>& requirements,
                                const InstallEnvironment& venv, const InstallSettings& settings,
                                const SourceToBuild& source) {
  if (requirements.empty()) return;
  note(session, "installing the build requirements of " + source.label + ": " + joined(requirements));
  RequirementSet inputs;
  for (const std::string& text : requirements) {
    UserRequirement r;
    try {
      r.requirement = Requirement::parse(text);
    } catch (const RequirementError& e) {
      throw InstallError(source.label + ": invalid build requirement '" + text + "' (" + e.what() + ")");
    }
    if (!r.requirement.url.empty())
      throw InstallError(source.label + ": build requirement '" + text +
                         "' is a direct reference, which thoth does not install into build environments");
    inputs.requirements.push_back(std::move(r));
  }
  ResolveOptions options;
  options.target = session.target();
  options.binary = settings.build.binary;
  options.allow_prereleases = settings.build.pre;
  Resolution resolution;
  try {
    Resolver resolver(session.source(), options);
    std::vector<RootRequirement> roots;
    for (const UserRequirement& r : inputs.requirements) roots.push_back({r.requirement, ""});
    resolution = resolver.resolve(roots, {});
  } catch (const ResolutionError& e) {
    throw InstallError(source.label + ": cannot resolve its build requirements (" + joined(requirements) +
                       "): " + e.what());
  }
  if (Messages* m = session.environment().messages)
    for (const std::string& w : resolution.warnings) m->warning(source.label + ": build requirements: " + w);
  LockNeeds needs;
  needs.pin_hashes = true;
  const Lock lock = to_lock(resolution, session.lock_inputs(resolution, inputs, options, needs));
  InstallSettings inner;
  inner.link_mode = settings.link_mode;
  inner.build = settings.build;
  inner.build.stack.push_back(source.name);
  // The user's config settings are for the packages they name, not for what builds them (pip 23.1+
  // hands them on to no dependency).
  inner.build.config_settings.clear();
  session.install(lock, venv, inner);
}

// The rank of a cached wheel on the session's target (lower is better), nullopt if it does not fit.
std::optional<std::size_t> rank_on_target(const Session& session, const std::string& filename) {
  try {
    return session.target().tags.best_rank(WheelName::parse(filename));
  } catch (const TagError&) {
    return std::nullopt;
  }
}

// pip refuses a build whose wheel is another project or version than the one resolved ("inconsistent
// name/version"): installing it would leave the environment unlike the resolution.
void check_built(const SourceToBuild& source, const std::filesystem::path& wheel) {
  WheelName built;
  try {
    built = WheelName::parse(wheel.filename().string());
  } catch (const TagError& e) {
    throw InstallError(source.label + ": the build backend wrote a wheel with an invalid name: " + e.what());
  }
  if (!source.name.empty() && built.name != source.name)
    throw InstallError(source.label + ": the build made a wheel of " + built.name + " (" + wheel.filename().string() +
                       "), not of " + source.name);
  if (source.version && built.version != *source.version)
    throw InstallError(source.label + ": the build made version " + built.version.str() + " (" +
                       wheel.filename().string() + "), not " + source.version->str());
}

std::optional<std::filesystem::path> cached_wheel(Session& session, const std::string& cache_entry) {
  const std::filesystem::path& cache_dir = session.setup().cache_dir;
  if (cache_dir.empty() || cache_entry.empty()) return std::nullopt;
  auto usable = [&](const std::string& filename) { return rank_on_target(session, filename); };
  return BuiltWheelCache(cache_dir).find(cache_entry, usable);
}

// A build that needs itself (its build requirements lead back to it) would never end.
void check_not_building(const SourceToBuild& source, const InstallSettings& settings) {
  const auto& stack = settings.build.stack;
  if (std::find(stack.begin(), stack.end(), source.name) != stack.end())
    throw InstallError(source.label + ": its build needs itself (build requirements " + joined(stack, " -> ") +
                       " -> " + source.name + "); install a wheel of " + source.name + " first");
}

// The source tree of `source` ready for the hooks of a `kind` ("wheel", "editable") build by `python`:
// unpacked under `scratch`, its [build-system] read and, isolated, a fresh build environment holding
// its requirements and those the backend's get_requires_for_build_<kind> adds.
BuildBackend prepare_backend(Session& session, const SourceToBuild& source, const std::string& python,
                             const InstallSettings& settings, const std::filesystem::path& scratch,
                             const std::string& kind) {
  std::filesystem::path tree = source.tree;
  if (!source.sdist.empty()) tree = unpack_sdist(source.sdist, scratch / "src");
  BuildBackend backend;
  if (session.environment().verbose)
    backend.echo_line = [&session](std::string_view line) { note(session, "  " + std::string(line)); };
  backend.source_dir = tree;
  backend.system = read_build_system(tree);
  backend.label = source.label;
  backend.config_settings = source.config_settings;
  backend.isolated = settings.build.isolation;
  backend.python = python;
  if (backend.isolated) {
    InstallEnvironment venv = make_build_venv(python, scratch / "env");
    backend.python = venv.python;
    install_build_requirements(session, backend.system.requirements, venv, settings, source);
    // PEP 517 get_requires_for_build_wheel / PEP 660 get_requires_for_build_editable: optional, more
    // requirements the backend needs for this build (PEP 517: also before prepare_metadata_for_build_wheel).
    HookResult more = run_build_hook(backend, "get_requires_for_build_" + kind, scratch, scratch);
    if (!more.missing) install_build_requirements(session, more.values, venv, settings, source);
  }
  return backend;
}

// The key of the session's target among an sdist's cached metadata: its most specific tag (the
// interpreter, its ABI and its platform).
std::string metadata_key(const Session& session) {
  const std::vector<Tag>& tags = session.target().tags.tags();
  return tags.empty() ? std::string() : tags.front().str();
}

// A file the backend wrote, whole; nullopt when it cannot be read.
std::optional<std::string> read_written_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

std::string wheel_metadata(const std::filesystem::path& wheel, const std::string& label) {
  try {
    FileByteSource bytes(wheel);
    ZipReader zip(bytes, wheel.filename().string());
    return read_wheel_metadata(zip);
  } catch (const ArchiveError& e) {
    throw InstallError(label + ": cannot read the METADATA of the wheel " + wheel.filename().string() + ": " + e.what());
  }
}

}  // namespace

std::string SourceToBuild::cache_entry() const {
  return sdist_sha256.empty() ? std::string() : BuiltWheelCache::entry(sdist_sha256, config_settings);
}

bool has_built_wheel(Session& session, const std::string& cache_entry) {
  return cached_wheel(session, cache_entry).has_value();
}

std::filesystem::path build_wheel(Session& session, const SourceToBuild& source, const InstallEnvironment& env,
                                  const InstallSettings& settings, const std::filesystem::path& out_dir) {
  const std::filesystem::path& cache_dir = session.setup().cache_dir;
  const std::string entry = source.cache_entry();
  const bool cacheable = !cache_dir.empty() && !entry.empty() && !source.editable;
  if (cacheable) {
    if (auto cached = cached_wheel(session, entry)) {
      note(session, "using the wheel built earlier from " + source.label + ": " + cached->filename().string());
      return *cached;
    }
  }
  if (source.sdist.empty() && source.tree.empty())
    throw InstallError(source.label + ": its built wheel left the cache meanwhile; run the install again");
  if (!settings.build.allowed)
    throw InstallError(source.label + ": only a source distribution fits, and a wheel built here would not fit "
                       "the --platform/--python-version/--implementation/--abi target (use --only-binary :all: "
                       "or pick a version with a wheel)");
  check_not_building(source, settings);

  note(session, "building a wheel from " + source.label +
                    (settings.build.isolation ? "" : " in the target environment (--no-build-isolation)"));
  ShownBuild shown(session, source, /*metadata=*/false);
  ScratchTree scratch{session.client().scratch_file("build-" + source.name)};
  const std::string kind = source.editable ? "editable" : "wheel";
  const BuildBackend backend = prepare_backend(session, source, env.python, settings, scratch.path, kind);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  HookResult built = run_build_hook(backend, "build_" + kind, out_dir, scratch.path);
  if (built.missing) {
    if (source.editable)
      throw InstallError(source.label + ": its build backend " + backend.system.backend +
                         " cannot make editable installs (it has no PEP 660 build_editable hook); install it "
                         "without -e");
    throw BuildError(source.label + ": its build backend " + backend.system.backend +
                         " has no build_wheel hook (PEP 517 makes it mandatory)",
                     built.output);
  }
  const std::filesystem::path wheel = out_dir / (built.values.empty() ? std::string() : built.values.front());
  if (built.values.empty() || !std::filesystem::is_regular_file(wheel, ec) || wheel.extension() != ".whl")
    throw BuildError(source.label + ": build_" + kind + " of " + backend.system.backend + " named no wheel it wrote (" +
                         (built.values.empty() ? std::string("nothing") : built.values.front()) + ")",
                     built.output);
  check_built(source, wheel);
  note(session, "built " + wheel.filename().string());
  if (cacheable) return BuiltWheelCache(cache_dir).store(entry, wheel);
  return wheel;
}

std::optional<std::string> cached_metadata(Session& session, const std::string& cache_entry, const std::string& label) {
  const std::filesystem::path& cache_dir = session.setup().cache_dir;
  const std::string key = metadata_key(session);
  if (cache_dir.empty() || cache_entry.empty() || key.empty()) return std::nullopt;
  if (auto text = BuiltWheelCache(cache_dir).find_metadata(cache_entry, key)) {
    note(session, "using the metadata built earlier from " + label);
    return text;
  }
  if (auto wheel = cached_wheel(session, cache_entry)) {
    try {
      std::string text = wheel_metadata(*wheel, label);
      note(session, "using the metadata of the wheel built earlier from " + label + ": " + wheel->filename().string());
      return text;
    } catch (const InstallError&) {
      // An unreadable cached wheel: the metadata is built again.
    }
  }
  return std::nullopt;
}

std::string build_metadata(Session& session, const SourceToBuild& source, const std::string& python,
                           const InstallSettings& settings) {
  check_not_building(source, settings);
  note(session, "building the metadata of " + source.label + " to learn its dependencies" +
                    (settings.build.isolation ? "" : " (in the target environment: --no-build-isolation)"));
  ShownBuild shown(session, source, /*metadata=*/true);
  ScratchTree scratch{session.client().scratch_file("metadata-" + source.name)};
  const BuildBackend backend = prepare_backend(session, source, python, settings, scratch.path, "wheel");
  // PEP 517 prepare_metadata_for_build_wheel: optional; its answer names the .dist-info directory it
  // wrote into metadata_directory.
  const std::filesystem::path metadata_dir = scratch.path / "metadata";
  std::error_code ec;
  std::filesystem::create_directories(metadata_dir, ec);
  HookResult prepared = run_build_hook(backend, "prepare_metadata_for_build_wheel", metadata_dir, scratch.path);
  std::string text;
  const std::filesystem::path& cache_dir = session.setup().cache_dir;
  const std::string entry = source.cache_entry();
  const bool cacheable = !cache_dir.empty() && !entry.empty();
  if (!prepared.missing) {
    const std::string dist_info = prepared.values.empty() ? std::string() : prepared.values.front();
    const std::filesystem::path file = metadata_dir / dist_info / "METADATA";
    std::optional<std::string> read;
    if (!dist_info.empty() && dist_info.find('/') == std::string::npos && dist_info.ends_with(".dist-info"))
      read = read_written_file(file);
    if (!read)
      throw BuildError(source.label + ": prepare_metadata_for_build_wheel of " + backend.system.backend +
                           " named no .dist-info directory with a METADATA it wrote (" +
                           (dist_info.empty() ? std::string("nothing") : dist_info) + ")",
                       prepared.output);
    text = std::move(*read);
  } else {
    // pip's fallback for a backend without the hook: the wheel itself, whose METADATA is the answer.
    const std::filesystem::path wheel_dir = scratch.path / "wheel";
    std::filesystem::create_directories(wheel_dir, ec);
    HookResult built = run_build_hook(backend, "build_wheel", wheel_dir, scratch.path);
    const std::filesystem::path wheel = wheel_dir / (built.values.empty() ? std::string() : built.values.front());
    if (built.missing || built.values.empty() || !std::filesystem::is_regular_file(wheel, ec) ||
        wheel.extension() != ".whl")
      throw BuildError(source.label + ": build_wheel of " + backend.system.backend + " named no wheel it wrote",
                       built.output);
    check_built(source, wheel);
    text = wheel_metadata(wheel, source.label);
    if (cacheable && rank_on_target(session, wheel.filename().string()))
      BuiltWheelCache(cache_dir).store(entry, wheel);
  }
  note(session, "built the metadata of " + source.label);
  if (cacheable) BuiltWheelCache(cache_dir).store_metadata(entry, metadata_key(session), text);
  return text;
}

std::shared_ptr<const CoreMetadata> metadata_from_build(Session& session, const Candidate& candidate,
                                                        const DistFile& file, const std::string& python,
                                                        const InstallSettings& settings) {
  SourceToBuild source;
  source.name = candidate.name;
  source.version = candidate.version;
  source.label = candidate.name + " " + candidate.version.str() + " (" + file.filename + ")";
  source.sdist_sha256 = base::ascii_lower(file.sha256());
  if (auto it = settings.build.config_settings.find(candidate.name); it != settings.build.config_settings.end())
    source.config_settings = it->second;
  try {
    std::optional<std::string> text = cached_metadata(session, source.cache_entry(), source.label);
    std::optional<ScratchTree> fetched;
    if (!text) {
      if (auto path = base::file_url_to_path(file.url)) {
        source.sdist = *path;
      } else {
        // Through the cache's content-addressed store when the index gives a sha256: the install
        // that follows finds it there.
        fetched.emplace();
        fetched->path = session.client().scratch_file("sdist-" + candidate.name);
        ChosenFile chosen{candidate.name, candidate.version.str(), LockedFile::of(file)};
        const std::vector<DownloadedFile> got = session.download({chosen}, fetched->path);
        source.sdist = got.front().path;
        if (source.sdist_sha256.empty()) {
          source.sdist_sha256 = got.front().sha256;
          text = cached_metadata(session, source.cache_entry(), source.label);
        }
      }
    }
    if (!text) text = build_metadata(session, source, python, settings);
    try {
      return std::make_shared<const CoreMetadata>(CoreMetadata::parse(*text));
    } catch (const MetadataError& e) {
      throw InstallError(source.label + ": the metadata its build prepared cannot be read: " + e.what());
    }
  } catch (const InstallError& e) {
    // pip stops the whole run here; thoth passes over the version, as over any it cannot install, and
    // the resolver says so (another version, or an explanation naming this one).
    if (const auto* build = dynamic_cast<const BuildError*>(&e); build != nullptr && !build->output().empty())
      note(session, "the output of the build of " + source.label + ":\n" + build->output());
    throw NeedsBuildError(e.what(), true);
  }
}

}  // namespace thoth::session_detail

namespace thoth {

std::map<std::string, DirectUrl> Session::build_local_projects(RequirementSet& inputs, const InstallEnvironment& env,
                                                               const InstallSettings& settings) {
  std::map<std::string, DirectUrl> out;
  for (UserRequirement& r : inputs.requirements) {
    const std::string link = !r.link.empty() ? r.link : r.requirement.url;
    std::filesystem::path dir;
    if (auto path = link.find("://") == std::string::npos ? std::optional<std::filesystem::path>(link)
                                                           : base::file_url_to_path(link)) {
      dir = *path;
    }
    std::error_code ec;
    if (dir.empty() || !std::filesystem::is_directory(dir, ec)) {
      if (r.editable)
        throw SessionError(where(r) + ": -e " + (link.empty() ? r.requirement.name : link) +
                           ": an editable install needs a local project directory (pip's VCS editables are not "
                           "supported)");
      continue;
    }
    dir = std::filesystem::absolute(dir).lexically_normal();
    if (!std::filesystem::exists(dir / "pyproject.toml", ec) && !std::filesystem::exists(dir / "setup.py", ec))
      throw SessionError(where(r) + ": " + dir.string() +
                         " is not a Python project (it has neither pyproject.toml nor setup.py)");
    session_detail::SourceToBuild source;
    if (!r.requirement.name.empty()) source.name = normalize_name(r.requirement.name);
    source.label = r.requirement.name.empty() ? dir.string() : r.requirement.name + " (" + dir.string() + ")";
    source.tree = dir;
    source.editable = r.editable;
    source.config_settings = r.config_settings;
    // pip builds a local project in place (since pip 21.3): the backend may leave build/ and *.egg-info.
    const std::filesystem::path wheel =
        session_detail::build_wheel(*this, source, env, settings, client().scratch_file("local"));
    const WheelName built = WheelName::parse(wheel.filename().string());
    // PEP 610 "dir_info": the directory's file:// URL; editable only for -e.
    DirectUrl direct;
    direct.url = local_file_url(dir.string());
    direct.kind = DirectUrl::Kind::Directory;
    direct.editable = r.editable;
    out[built.name] = direct;
    // The resolution reads the built wheel's metadata and installs that wheel.
    r.link = wheel.string();
    r.requirement.url.clear();
    r.editable = false;
  }
  return out;
}

}  // namespace thoth
