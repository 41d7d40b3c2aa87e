// Session::install: a lock into an environment. Decides against what is installed, downloads what is
// missing while earlier wheels already unpack, and commits one transaction.
#include <algorithm>
#include <set>

#include "session/build.hpp"
#include "thoth/session.hpp"
#include "base/link.hpp"

namespace thoth {

namespace {

// pip-sync's PACKAGES_TO_IGNORE, less its own tools: what installs packages is not the project's to
// remove.
bool is_installer_tooling(const std::string& name) {
  static const std::set<std::string> kTooling = {"pip", "setuptools", "wheel", "distribute", "pkg-resources"};
  return kTooling.count(name) != 0;
}

bool same_version(const std::string& installed, const std::string& locked) {
  if (installed == locked) return true;
  try {
    return Version::parse(installed) == Version::parse(locked);
  } catch (const VersionError&) {
    return false;
  }
}

// PEP 610: a wheel the user named by URL or path records where it came from.
std::optional<DirectUrl> direct_url_of(const LockedPackage& p, const std::string& sha256) {
  if (p.direct_url.empty()) return std::nullopt;
  DirectUrl d;
  d.url = base::strip_credentials(base::without_fragment(p.direct_url));
  d.kind = DirectUrl::Kind::Archive;
  d.archive_sha256 = sha256;
  return d;
}

bool is_wheel(const ChosenFile& c) {
  return c.file.is_wheel || (c.file.filename.size() > 4 && c.file.filename.ends_with(".whl"));
}

}  // namespace

InstallOutcome Session::install(const Lock& lock, const InstallEnvironment& env, const InstallSettings& settings) {
  Messages* messages = environment().messages;
  InstallOutcome outcome;
  InstallPlan& plan = outcome.plan;
  plan.installed = scan_installed(env);
  if (messages != nullptr)
    for (const std::string& w : plan.installed.warnings) messages->warning(w);

  std::vector<ChosenFile> chosen = choose_files(lock);
  std::vector<ChosenFile> to_fetch;
  std::set<std::string> locked_names;
  for (const ChosenFile& c : chosen) {
    locked_names.insert(c.name);
    const LockedPackage* package = lock.find(c.name);
    const InstalledDistribution* have = plan.installed.find(c.name);
    // A local project is installed again whatever its version: its sources may have changed (pip).
    const bool local_project = settings.direct_urls.count(c.name) != 0;
    if (have != nullptr && !settings.force_reinstall && !local_project && !c.version.empty() &&
        same_version(have->version, c.version)) {
      plan.satisfied.push_back(c.name + "==" + have->version);
      continue;
    }
    plan.install.push_back(package);
    to_fetch.push_back(c);
  }
  if (settings.sync) {
    for (const InstalledDistribution& d : plan.installed.distributions)
      if (!locked_names.count(d.name) && !is_installer_tooling(d.name)) plan.remove.push_back(&d);
  }
  if (settings.dry_run || (plan.install.empty() && plan.remove.empty())) return outcome;

  InstallOptions options;
  options.cache_dir = setup().cache_dir;
  options.compile = settings.compile;
  options.link_mode = settings.link_mode;
  Transaction transaction(env, options);
  // `archive_sha256` is the file the lock chose (the sdist of a built wheel), for PEP 610.
  auto add = [&](const ChosenFile& c, const std::filesystem::path& file, const std::string& sha256,
                 const std::string& filename, const std::string& archive_sha256) {
    const LockedPackage& p = *lock.find(c.name);
    WheelToInstall wheel;
    wheel.file = file;
    wheel.sha256 = sha256;
    wheel.filename = filename;
    wheel.requested = p.requested;
    if (auto local = settings.direct_urls.find(c.name); local != settings.direct_urls.end()) {
      wheel.direct_url = local->second;
    } else {
      wheel.direct_url = direct_url_of(p, archive_sha256);
    }
    transaction.add(std::move(wheel));
  };
  auto add_wheel = [&](const ChosenFile& c, const std::filesystem::path& file, const std::string& sha256) {
    add(c, file, sha256, c.file.filename, sha256);
  };
  // An sdist is built into a wheel (or its wheel built earlier taken from the cache), which then
  // installs as any wheel; the build runs before the transaction changes anything, so a failed build
  // leaves the environment as it was.
  const std::filesystem::path built_dir = client().scratch_file("built");
  auto source_of = [&](const ChosenFile& c, const std::string& sha256) {
    session_detail::SourceToBuild source;
    source.name = c.name;
    if (!c.version.empty()) source.version = Version::parse(c.version);
    source.label = c.name + (c.version.empty() ? "" : " " + c.version) + " (" + c.file.filename + ")";
    source.sdist_sha256 = sha256;
    if (auto it = settings.build.config_settings.find(c.name); it != settings.build.config_settings.end())
      source.config_settings = it->second;
    return source;
  };
  auto add_built = [&](const ChosenFile& c, const std::filesystem::path& sdist, const std::string& sha256) {
    session_detail::SourceToBuild source = source_of(c, sha256);
    source.sdist = sdist;
    const std::filesystem::path wheel = session_detail::build_wheel(*this, source, env, settings, built_dir);
    add(c, wheel, "", wheel.filename().string(), sha256);
  };
  // Wheels already unpacked in the cache need no download: the transaction finds them by hash; nor do
  // sdists whose built wheel is cached.
  std::vector<ChosenFile> downloads;
  for (const ChosenFile& c : to_fetch) {
    const std::string sha = c.file.sha256();
    if (!is_wheel(c)) {
      if (!sha.empty() && session_detail::has_built_wheel(*this, source_of(c, sha).cache_entry())) {
        add_built(c, {}, sha);
      } else {
        downloads.push_back(c);
      }
    } else if (!sha.empty() && transaction.cached(sha)) {
      add_wheel(c, {}, sha);
    } else {
      downloads.push_back(c);
    }
  }
  if (!downloads.empty()) {
    const std::filesystem::path dir = client().scratch_file("wheels");
    std::vector<DownloadedFile> sdists;
    download(downloads, dir, [&](const DownloadedFile& d) {
      if (is_wheel(d.chosen)) {
        add_wheel(d.chosen, d.path, d.sha256);
      } else {
        sdists.push_back(d);
      }
    });
    // One build at a time, after the downloads: a backend may use every core.
    for (const DownloadedFile& d : sdists) add_built(d.chosen, d.path, d.sha256);
  }
  for (const InstalledDistribution* d : plan.remove) transaction.remove(d->name);
  outcome.report = transaction.commit();
  if (messages != nullptr) {
    for (const std::string& w : outcome.report->warnings) messages->warning(w);
    for (const std::string& n : outcome.report->notes) messages->note(n);
  }
  return outcome;
}

}  // namespace thoth
