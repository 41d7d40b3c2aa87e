// PEP 751 pylock.toml (the "pylock.toml Specification" of the PyPA, version 1.0) for one target: the
// lock is single-use, so no package needs a marker and `environments` says where it applies.
#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "lock/roots.hpp"
#include "lock/toml_out.hpp"
#include "lock/urls.hpp"
#include "thoth/lock.hpp"

namespace thoth {

namespace {

using lock_detail::file_url_path;
using lock_detail::is_archive_url;
using lock_detail::toml_key;
using lock_detail::without_fragment;
using lock_detail::toml_string;

std::string python_major_minor(const Target& target) {
  std::span<const std::uint64_t> rel = target.python_version.release();
  std::string out = std::to_string(rel.empty() ? 3 : rel[0]);
  if (rel.size() > 1) out += "." + std::to_string(rel[1]);
  return out;
}

// Spec "environments": markers for which the lock is compatible. The resolution evaluated every marker
// against the target, so the lock holds where the target's defining variables have the same values.
std::string environment_marker(const Target& target) {
  std::string out = "python_version == \"" + python_major_minor(target) + "\"";
  for (MarkerVar v : {MarkerVar::ImplementationName, MarkerVar::SysPlatform, MarkerVar::PlatformMachine}) {
    const std::string& value = target.markers.get(v);
    if (value.empty() || value.find('"') != std::string::npos) continue;
    out += " and " + std::string(marker_var_name(v)) + " == \"" + value + "\"";
  }
  return out;
}

// Spec "packages.archive.hashes" (and sdist/wheels): a table of algorithm -> value with at least one
// entry. The algorithms are sorted (std::map order) for stable output.
std::string hashes_table(const std::map<std::string, std::string>& hashes, const Pin& pin, const std::string& what) {
  if (hashes.empty())
    throw LockError("cannot write pylock.toml: no hash is known for " + what + " of " + pin.name + " " +
                    pin.version.str() + " (PEP 751 requires one)");
  std::string out = "{";
  bool first = true;
  for (const auto& [algo, value] : hashes) {
    out += (first ? "" : ", ") + toml_key(algo) + " = " + toml_string(value);
    first = false;
  }
  return out + "}";
}

// Spec "packages.sdist" / "packages.wheels": name, upload-time, url, size, hashes, as an inline table.
std::string file_table(const DistFile& f, const Pin& pin) {
  std::string out = "{name = " + toml_string(f.filename);
  if (f.upload_time) {
    if (auto t = lock_detail::toml_utc_datetime(*f.upload_time)) out += ", upload-time = " + *t;
  }
  // Credentials of an index never go into a lock (it is committed and shared); pip and uv find them in
  // netrc or keyring when they install.
  out += ", url = " + toml_string(lock_detail::strip_credentials(f.url));
  if (f.size) out += ", size = " + std::to_string(*f.size);
  out += ", hashes = " + hashes_table(f.hashes, pin, f.filename);
  return out + "}";
}

void write_package(std::string& out, const Pin& pin, const Resolution& resolution, const LockContext& ctx,
                   const std::map<std::string, lock_detail::RootInfo>& roots) {
  auto root = roots.find(pin.name);
  std::string direct = pin.direct_url;
  if (direct.empty() && root != roots.end() && !root->second.link.empty())
    direct = lock_detail::link_url(root->second.link);
  bool source_tree = !direct.empty() && !is_archive_url(direct);

  out += "[[packages]]\n";
  out += "name = " + toml_string(pin.name) + "\n";
  // Spec "packages.version": MUST NOT be included for a source tree, whose version may change.
  if (!source_tree) out += "version = " + toml_string(pin.version.str()) + "\n";

  // Spec "packages.requires-python": the package's Requires-Python (core metadata, else the index's).
  std::string requires_python;
  if (auto md = ctx.metadata.find(pin.name); md != ctx.metadata.end()) {
    requires_python = md->second->requires_python.str();
  } else {
    for (const DistFile& f : pin.files)
      if (!f.requires_python.empty()) {
        requires_python = f.requires_python;
        break;
      }
  }
  if (!requires_python.empty()) out += "requires-python = " + toml_string(requires_python) + "\n";

  // Spec "packages.dependencies": the entries this package depends on, each by the least that makes it
  // unambiguous (the name: a single-use lock has one entry per name); informational only.
  std::set<std::string> deps;
  for (const Requirement& r : pin.requires_dist) {
    std::string n = r.normalized_name();
    bool pinned = std::any_of(resolution.pins.begin(), resolution.pins.end(), [&](const Pin& p) { return p.name == n; });
    if (n != pin.name && pinned) deps.insert(n);
  }
  if (!deps.empty()) {
    out += "dependencies = [\n";
    for (const std::string& d : deps) out += "    {name = " + toml_string(d) + "},\n";
    out += "]\n";
  }

  if (!direct.empty()) {
    if (source_tree) {
      // Spec "packages.directory": a local source tree (path, editable flag).
      out += "directory = {path = " + toml_string(file_url_path(direct));
      if (root != roots.end() && root->second.editable) out += ", editable = true";
      out += "}\n";
    } else {
      // Spec "packages.archive": a direct reference to a wheel or sdist, with its size and hashes.
      std::map<std::string, std::string> hashes = lock_detail::fragment_hashes(direct);
      std::optional<std::uint64_t> size;
      for (const DistFile& f : pin.files) {
        if (without_fragment(f.url) != without_fragment(direct)) continue;
        for (const auto& [algo, value] : f.hashes) hashes[algo] = value;
        size = f.size;
      }
      out += "archive = {url = " + toml_string(without_fragment(direct));
      if (size) out += ", size = " + std::to_string(*size);
      out += ", hashes = " + hashes_table(hashes, pin, "the archive") + "}\n";
    }
    out += "\n";
    return;
  }

  // Spec "packages.index": the simple index the files were found on (absent for find-links).
  if (!pin.files.empty()) {
    std::size_t pos = pin.files.front().index_position;
    if (pos < ctx.source_urls.size() && !ctx.source_urls[pos].empty())
      out += "index = " + toml_string(lock_detail::strip_credentials(ctx.source_urls[pos])) + "\n";
  }

  // Spec "packages.sdist": one source distribution (the best usable one); "packages.wheels": every
  // wheel usable on the target, by file name. Files the target cannot use are left out: the lock is
  // for that target only (see environments).
  const DistFile* sdist = nullptr;
  std::vector<const DistFile*> wheels;
  for (const DistFile& f : pin.files) {
    if (f.kind == DistFile::Kind::Wheel) {
      wheels.push_back(&f);
    } else if (sdist == nullptr) {
      sdist = &f;
    }
  }
  std::sort(wheels.begin(), wheels.end(), [](const DistFile* a, const DistFile* b) { return a->filename < b->filename; });
  if (sdist != nullptr) out += "sdist = " + file_table(*sdist, pin) + "\n";
  if (!wheels.empty()) {
    out += "wheels = [\n";
    for (const DistFile* w : wheels) out += "    " + file_table(*w, pin) + ",\n";
    out += "]\n";
  }
  out += "\n";
}

}  // namespace

std::string write_pylock(const Resolution& resolution, const LockContext& context) {
  std::string out;
  // Spec "lock-version", "environments", "requires-python", "created-by", in the spec's order.
  out += "lock-version = '1.0'\n";
  out += "environments = [" + toml_string(environment_marker(resolution.target)) + "]\n";
  out += "requires-python = " + toml_string("==" + python_major_minor(resolution.target) + ".*") + "\n";
  out += "created-by = 'thoth'\n";
  out += "\n";
  auto roots = lock_detail::root_info(context.requirements, resolution.target.markers);
  // Spec "packages": pins are already sorted by normalised name, one entry each.
  std::vector<const Pin*> pins;
  for (const Pin& p : resolution.pins) pins.push_back(&p);
  std::sort(pins.begin(), pins.end(), [](const Pin* a, const Pin* b) { return a->name < b->name; });
  for (const Pin* p : pins) write_package(out, *p, resolution, context, roots);
  // One trailing newline, not a blank line.
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace thoth
