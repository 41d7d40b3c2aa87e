// A resolution as a Lock: everything the writers and the installer need to know of each pin, worked out
// once from the resolution and what it was made from (the roots, the constraints, the sources), so
// that the writers only lay it out.
#include <algorithm>
#include <set>
#include <span>

#include "lock/roots.hpp"
#include "thoth/lock.hpp"
#include "base/link.hpp"

namespace thoth {

namespace {

std::string python_major_minor(const Version& python) {
  std::span<const std::uint64_t> rel = python.release();
  std::string out = std::to_string(rel.empty() ? 3 : rel[0]);
  if (rel.size() > 1) out += "." + std::to_string(rel[1]);
  return out;
}

}  // namespace

LockedFile LockedFile::of(const DistFile& f) {
  LockedFile out;
  out.filename = f.filename;
  out.url = f.url;
  out.hashes = f.hashes;
  out.size = f.size;
  out.upload_time = f.upload_time;
  out.is_wheel = f.kind == DistFile::Kind::Wheel;
  return out;
}

namespace {

// "sha256:<hex>" of every file of the pinned version, sorted and unique (pip-compile's
// --generate-hashes).
std::vector<std::string> release_hashes(const Pin& pin, const std::vector<DistFile>& files) {
  std::set<std::string> hashes;
  for (const DistFile& f : files) {
    std::string sha = f.sha256();
    if (sha.empty()) {
      throw LockError("cannot write --hash lines for " + pin.name + " " + pin.version.str() +
                      ": the index gives no sha256 for " + f.filename);
    }
    hashes.insert("sha256:" + sha);
  }
  return {hashes.begin(), hashes.end()};
}

// Another pinned package needs this one on the target, so a root's marker does not say where it is
// needed: the lock must hold wherever its dependents are installed. pip-compile copies the root's
// marker regardless; without one the lock never leaves out a package that a pinned one requires.
bool has_dependent(const Pin& pin, const std::set<std::string>& pinned) {
  return std::any_of(pin.via.begin(), pin.via.end(), [&](const std::string& v) { return v != pin.name && pinned.count(v); });
}

// PEP 751 "packages.requires-python": the package's Requires-Python (core metadata, else the index's).
std::string requires_python_of(const Pin& pin, const CoreMetadata* metadata) {
  if (metadata != nullptr) return metadata->requires_python.str();
  for (const DistFile& f : pin.files)
    if (!f.requires_python.empty()) return f.requires_python;
  return {};
}

}  // namespace

bool LockedPackage::is_source_tree() const {
  return !direct_url.empty() && !base::is_archive_url(direct_url);
}

Lock to_lock(const Resolution& resolution, const LockInputs& inputs) {
  const MarkerEnv& env = resolution.target.markers;
  const auto roots = lock_detail::root_info(inputs.requirements, env);
  // pip-compile: "-c FILE" joins the `# via` of the pins a constraint of FILE names.
  std::map<std::string, std::set<std::string>> constraint_labels;
  for (const UserRequirement& c : inputs.constraints) {
    if (c.requirement.name.empty() || c.origin.empty()) continue;
    if (!lock_detail::applies(c.requirement, env)) continue;  // ignored, as by the resolver
    constraint_labels[c.requirement.normalized_name()].insert("-c " + c.origin);
  }

  // By name, whatever the order of the pins (a lock is sorted below).
  std::set<std::string> pinned;
  for (const Pin& pin : resolution.pins) pinned.insert(pin.name);

  Lock lock;
  lock.format = LockFormat::requirements;
  lock.environment = env;
  lock.has_environment = true;
  lock.python = python_major_minor(resolution.target.python_version);
  lock.tool_version = inputs.tool_version;
  IndexOptions& index = lock.options.index;
  index.index_url = inputs.index.index_url;
  index.extra_index_urls = inputs.index.extra_index_urls;
  index.find_links = inputs.index.find_links;
  index.no_index = inputs.index.no_index;
  index.trusted_hosts = inputs.index.trusted_hosts;
  index.strategy = inputs.index.strategy;
  index.exclude_newer = inputs.index.exclude_newer;
  lock.options.binary = inputs.binary;

  for (const Pin& pin : resolution.pins) {
    LockedPackage p;
    p.name = pin.name;
    p.display_name = pin.display_name.empty() ? pin.name : pin.display_name;
    p.version = pin.version;
    p.extras = pin.extras;
    p.requires_dist = pin.requires_dist;
    for (const DistFile& f : pin.files) p.files.push_back(LockedFile::of(f));

    auto root = roots.find(pin.name);
    p.direct_url = pin.direct_url;
    if (root != roots.end()) {
      const lock_detail::RootInfo& info = root->second;
      p.requested = info.requested;
      p.requested_extras = info.written_extras;
      p.editable = info.editable;
      if (p.direct_url.empty() && !info.link.empty()) p.direct_url = base::link_url(info.link);
      if (info.marker && !has_dependent(pin, pinned)) p.marker = info.marker;
    }

    std::set<std::string> via(pin.via.begin(), pin.via.end());
    if (auto it = constraint_labels.find(pin.name); it != constraint_labels.end())
      via.insert(it->second.begin(), it->second.end());
    via.erase("");
    p.via.assign(via.begin(), via.end());

    if (auto it = inputs.release_files.find(pin.name); it != inputs.release_files.end() && pin.direct_url.empty())
      p.hashes = release_hashes(pin, it->second);

    auto md = inputs.metadata.find(pin.name);
    if (md != inputs.metadata.end()) p.metadata = md->second;
    p.requires_python = requires_python_of(pin, p.metadata.get());

    // PEP 751 "packages.dependencies": the pinned packages it requires, each by its name (a lock for
    // one target has one entry per name).
    std::set<std::string> deps;
    for (const Requirement& r : pin.requires_dist) {
      std::string n = r.normalized_name();
      if (n != pin.name && pinned.count(n)) deps.insert(n);
    }
    p.dependencies.assign(deps.begin(), deps.end());

    // PEP 751 "packages.index": the simple index the files were found on (none for find-links).
    if (p.direct_url.empty() && !pin.files.empty()) {
      std::size_t pos = pin.files.front().index_position;
      if (pos < inputs.source_urls.size()) p.index = inputs.source_urls[pos];
    }
    lock.packages.push_back(std::move(p));
  }
  std::sort(lock.packages.begin(), lock.packages.end(),
            [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });
  return lock;
}

}  // namespace thoth
