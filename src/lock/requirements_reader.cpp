// Reads a pinned requirements file (pip-compile's output, `pip freeze`, or any file whose every line is
// `name==version` with optional --hash options) back into a Lock. The lines are parsed exactly as pip
// reads requirements files, by the inputs module.
#include <algorithm>
#include <set>

#include "thoth/lock.hpp"

namespace thoth {

namespace {

[[noreturn]] void fail(const UserRequirement& r, const std::string& message) {
  throw LockError(r.origin + ":" + std::to_string(r.line) + ": " + message);
}

LockedPackage package_of(const UserRequirement& r) {
  LockedPackage p;
  p.display_name = r.requirement.name;
  p.name = normalize_name(r.requirement.name);
  p.extras = r.requirement.extras;
  if (r.requirement.marker && !r.requirement.marker->str().empty()) p.marker = r.requirement.marker;
  p.hashes = r.hashes;
  std::sort(p.hashes.begin(), p.hashes.end());
  p.hashes.erase(std::unique(p.hashes.begin(), p.hashes.end()), p.hashes.end());
  p.editable = r.editable;

  if (!r.link.empty() || !r.requirement.url.empty()) {
    // A direct reference: pip-compile writes `name @ url` and `-e url`.
    p.direct_url = r.requirement.url.empty() ? r.link : r.requirement.url;
    if (r.link.find("://") == std::string::npos && !r.link.empty()) p.direct_url = "file://" + r.link;
    return p;
  }
  // A lock pins: exactly one `==` (no wildcard) or `===` clause.
  const auto& specs = r.requirement.specifier.specifiers();
  if (specs.size() != 1 || !((specs[0].op() == Specifier::Op::Equal && !specs[0].wildcard()) ||
                             specs[0].op() == Specifier::Op::Arbitrary)) {
    fail(r, r.requirement.name + " is not pinned to one version (a lock line reads NAME==VERSION)");
  }
  if (specs[0].op() == Specifier::Op::Arbitrary) {
    auto v = Version::try_parse(specs[0].arbitrary());
    if (!v) fail(r, r.requirement.name + " ===" + specs[0].arbitrary() + " is not a PEP 440 version");
    p.version = *v;
  } else {
    p.version = specs[0].version();
  }
  return p;
}

}  // namespace

Lock read_requirements_lock(std::string_view text, const std::string& path) {
  std::string content(text);
  RequirementsParser parser(
      [&](const std::string& file) { return file == path ? content : read_local_file(file); },
      [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
  RequirementSet set;
  try {
    parser.parse_file(path, false, set);
  } catch (const InputError& e) {
    throw LockError(e.what());
  }

  Lock lock;
  lock.format = LockFormat::requirements;
  lock.options = set.options;
  std::set<std::string> seen;
  for (const UserRequirement& r : set.requirements) {
    LockedPackage p = package_of(r);
    // The same project twice is ambiguous unless markers tell the entries apart.
    if (!p.name.empty() && !p.marker && !seen.insert(p.name).second) fail(r, p.display_name + " is listed twice");
    lock.packages.push_back(std::move(p));
  }
  std::stable_sort(lock.packages.begin(), lock.packages.end(),
                   [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });
  return lock;
}

}  // namespace thoth
