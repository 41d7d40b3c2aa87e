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

std::vector<PipfileLockCategory> lock_pipfile(Session& session, const Pipfile& pipfile, const ResolveSettings& settings,
                                              const std::vector<std::string>& categories) {
  const SessionEnvironment& env = session.environment();
  const EnvironLookup environ = [&env](std::string_view name) { return env.getenv(std::string(name)); };

  // The categories in pipenv's order: default first (the others are constrained by its pins).
  std::vector<std::string> names = {"default"};
  if (categories.empty()) {
    for (const PipfileCategory& c : pipfile.categories)
      if (c.lock_name != "default") names.push_back(c.lock_name);
  } else {
    for (const std::string& c : categories) {
      const PipfileCategory* category = pipfile.category(c);
      if (category == nullptr) throw InputError(pipfile.path + ": no category '" + c + "' to lock");
      if (category->lock_name != "default") names.push_back(category->lock_name);
    }
  }

  // One resolver serves every category: its options (direct references included) are those of all
  // the categories together.
  std::vector<std::string> prefetch;
  RequirementSet all = pipfile_requirements(pipfile, names, environ);  // the categories' in `names` order
  for (const UserRequirement& r : all.requirements)
    if (r.link.empty() && !r.requirement.marker) prefetch.push_back(r.requirement.name);
  session.open(all.options.index, prefetch);
  const ResolveOptions options = session.resolve_options(all, settings);  // names direct references

  LockNeeds needs;
  needs.release_files = true;  // pipenv records the hash of every file of each pinned version
  needs.pin_hashes = true;
  LatestPolicy latest;
  std::vector<PipfileLockCategory> out;
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
    Resolution resolution = session.resolve(inputs, options, latest, default_pins);
    Lock lock = to_lock(resolution, session.lock_inputs(resolution, inputs, options, needs));
    if (name == "default") {
      for (const Pin& pin : resolution.pins)
        if (pin.direct_url.empty()) default_pins.push_back(Requirement::parse(pin.name + "==" + pin.version.str()));
    }
    out.push_back({name, std::move(lock)});
  }
  return out;
}

}  // namespace thoth
