// pipenv's lock pipeline over the session: Pipfile -> target -> default resolved -> other categories
// resolved under default's pins -> one Lock per category (pipenv's do_lock).
#include <sstream>

#include "thoth/session.hpp"

namespace thoth {

Pipfile load_pipfile(const std::string& path, const SessionEnvironment& env) {
  std::istream* in = env.in;
  if (path == "-" && in == nullptr) throw SessionError("no standard input to read the Pipfile from");
  std::string text;
  if (path == "-") {
    text = read_input(path, *in, "Pipfile");
  } else {
    std::istringstream none;
    text = read_input(path, none, "Pipfile");
  }
  return read_pipfile(text, path == "-" ? "<stdin>" : path);
}

TargetSettings pipfile_target(const Pipfile& pipfile, TargetSettings given) {
  if (!given.python_version.empty() || !given.target_env.empty()) return given;
  // pipenv locks for the project's Python: [requires] says which.
  given.python_version = !pipfile.python_full_version.empty() ? pipfile.python_full_version : pipfile.python_version;
  return given;
}

namespace {

// The pins of a resolution as constraints for the other categories (pipenv's resolved_default_deps).
std::vector<Requirement> pins_of(const Resolution& resolution) {
  std::vector<Requirement> out;
  for (const Pin& pin : resolution.pins)
    if (pin.direct_url.empty()) out.push_back(Requirement::parse(pin.name + "==" + pin.version.str()));
  return out;
}

// A category that cannot be resolved under default's pins, though it can alone: the message says
// where the constraint comes from (pipenv locks default first and holds every other category to it).
[[noreturn]] void conflict_with_default(const ResolutionError& e, const std::string& category,
                                        const std::vector<Requirement>& default_pins, const Resolution& alone) {
  std::string pins;
  for (const Requirement& pin : default_pins) {
    for (const Pin& p : alone.pins) {
      if (p.name != pin.name || pin.specifier.contains(p.version, true)) continue;
      pins += (pins.empty() ? "" : ", ") + pin.str();
    }
  }
  std::string summary = "the '" + category + "' category conflicts with the default category's pins" +
                        (pins.empty() ? std::string() : " (" + pins + ")") +
                        ": every other category is resolved under what [packages] locks, as pipenv does";
  throw ResolutionError(summary, e.what() + (e.explanation().empty() ? std::string() : "\n" + e.explanation()),
                        e.timed_out());
}

}  // namespace

PipfileLockOutcome lock_pipfile(Session& session, const Pipfile& pipfile, const PipfileLockSettings& settings) {
  const SessionEnvironment& env = session.environment();
  const EnvironLookup environ = [&env](std::string_view name) { return env.getenv(std::string(name)); };

  // The categories in pipenv's order: default first (the others are constrained by its pins).
  std::vector<std::string> names = {"default"};
  if (settings.categories.empty()) {
    for (const PipfileCategory& c : pipfile.categories)
      if (c.lock_name != "default") names.push_back(c.lock_name);
  } else {
    for (const std::string& c : settings.categories) {
      const PipfileCategory* category = pipfile.category(c);
      if (category == nullptr) throw InputError(pipfile.path + ": no category '" + c + "' to lock");
      if (category->lock_name != "default") names.push_back(category->lock_name);
    }
  }
  // VCS entries need a clone (network beyond the indexes): refused before anything is fetched.
  bool local_projects = false;
  for (const std::string& name : names) {
    const PipfileCategory* category = pipfile.category(name);
    for (const PipfilePackage& p : category->packages) {
      if (!p.vcs.empty())
        throw SessionError(pipfile.path + ": " + category->section + "." + p.key + ": " + p.vcs + " = \"" +
                           p.vcs_url + "\" is a VCS entry, which thoth does not lock (give a path, a file or a version)");
      local_projects = local_projects || p.directory;
    }
  }

  // One resolver serves every category: its options (direct references included) are those of all
  // the categories together.
  std::vector<std::string> prefetch;
  RequirementSet all = pipfile_requirements(pipfile, names, environ);  // the categories' in `names` order
  for (const UserRequirement& r : all.requirements)
    if (r.link.empty() && !r.requirement.marker) prefetch.push_back(r.requirement.name);
  session.open(all.options.index, prefetch);
  if (local_projects) {
    // path / file entries naming a project directory: built first (PEP 517), as `thoth install ./proj`
    // does; the resolution reads the built wheel's metadata. The lock records the entry's path.
    if (!settings.build_environment)
      throw SessionError(pipfile.path + ": a path entry names a local project, which needs an interpreter to build it");
    InstallSettings install;
    install.build = settings.build;
    RequirementSet options_only;
    options_only.options = all.options;
    const ResolveOptions build_options = session.resolve_options(options_only, settings.resolve);
    install.build.binary = build_options.binary;
    install.build.pre = build_options.allow_prereleases;
    // Built as plain wheels even for `editable = true`: the lock needs their metadata only (and
    // records `editable` from the Pipfile).
    RequirementSet projects;
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < all.requirements.size(); ++i) {
      if (all.requirements[i].link.empty()) continue;
      projects.requirements.push_back(all.requirements[i]);
      projects.requirements.back().editable = false;
      at.push_back(i);
    }
    session.build_local_projects(projects, settings.build_environment(), install);
    for (std::size_t i = 0; i < at.size(); ++i) all.requirements[at[i]] = projects.requirements[i];
  }
  const ResolveOptions options = session.resolve_options(all, settings.resolve);  // names direct references

  LockNeeds needs;
  needs.release_files = true;  // pipenv records the hash of every file of each pinned version
  needs.pin_hashes = true;
  LatestPolicy latest;
  PipfileLockOutcome out;
  std::vector<Requirement> default_pins;
  std::size_t next = 0;
  for (const std::string& name : names) {
    // This category's requirements as resolve_options completed them (direct references named).
    RequirementSet inputs;
    inputs.options = all.options;
    const std::size_t count = pipfile.category(name)->packages.size();
    inputs.requirements.assign(all.requirements.begin() + static_cast<std::ptrdiff_t>(next),
                               all.requirements.begin() + static_cast<std::ptrdiff_t>(next + count));
    next += count;
    Resolution resolution;
    try {
      if (settings.kb != nullptr) {
        Advice advice = session.advise(inputs, options, *settings.kb, settings.recommendation, settings.search, default_pins);
        resolution = advice.stacks.front().resolution;
        out.advice.emplace_back(name, std::move(advice));
      } else {
        resolution = session.resolve(inputs, options, latest, default_pins);
      }
    } catch (const ResolutionError& e) {
      if (name == "default" || default_pins.empty() || e.timed_out()) throw;
      std::optional<Resolution> alone;
      try {
        alone = session.resolve(inputs, options, latest);
      } catch (const ResolutionError&) {
        throw e;  // no resolution even alone: the category's own conflict
      }
      conflict_with_default(e, name, default_pins, *alone);
    }
    Lock lock = to_lock(resolution, session.lock_inputs(resolution, inputs, options, needs));
    if (name == "default") default_pins = pins_of(resolution);
    out.categories.push_back({name, std::move(lock)});
  }
  return out;
}

}  // namespace thoth
