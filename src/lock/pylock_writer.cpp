// PEP 751 pylock.toml (the "pylock.toml Specification" of the PyPA, version 1.0) for one target: the
// lock is single-use, so no package needs a marker and `environments` says where it applies.
#include <algorithm>
#include <string>
#include <vector>

#include "lock/toml_out.hpp"
#include "thoth/lock.hpp"
#include "base/link.hpp"

namespace thoth {

namespace {

// The path a source tree's link names: a file:// URL's local path, or the link itself when it is one.
std::string local_path(std::string_view link) {
  if (auto path = base::file_url_to_path(link)) return path->string();
  return std::string(base::without_fragment(link));
}

using lock_detail::toml_key;
using lock_detail::toml_string;

// Spec "environments": markers for which the lock is compatible. The resolution evaluated every marker
// against the target, so the lock holds where the target's defining variables have the same values.
std::string environment_marker(const Lock& lock) {
  std::string out = "python_version == \"" + lock.python + "\"";
  for (MarkerVar v : {MarkerVar::ImplementationName, MarkerVar::SysPlatform, MarkerVar::PlatformMachine}) {
    const std::string& value = lock.environment.get(v);
    if (value.empty() || value.find('"') != std::string::npos) continue;
    out += " and " + std::string(marker_var_name(v)) + " == \"" + value + "\"";
  }
  return out;
}

std::string version_text(const LockedPackage& p) { return p.version ? p.version->str() : std::string(); }

// Spec "packages.archive.hashes" (and sdist/wheels): a table of algorithm -> value with at least one
// entry. The algorithms are sorted (std::map order) for stable output.
std::string hashes_table(const std::map<std::string, std::string>& hashes, const LockedPackage& p,
                         const std::string& what) {
  if (hashes.empty())
    throw LockError("cannot write pylock.toml: no hash is known for " + what + " of " + p.name + " " +
                    version_text(p) + " (PEP 751 requires one)");
  std::string out = "{";
  bool first = true;
  for (const auto& [algo, value] : hashes) {
    out += (first ? "" : ", ") + toml_key(algo) + " = " + toml_string(value);
    first = false;
  }
  return out + "}";
}

// Spec "packages.sdist" / "packages.wheels": name, upload-time, url, size, hashes, as an inline table.
std::string file_table(const LockedFile& f, const LockedPackage& p) {
  std::string out = "{name = " + toml_string(f.filename);
  if (f.upload_time) {
    if (auto t = lock_detail::toml_utc_datetime(*f.upload_time)) out += ", upload-time = " + *t;
  }
  // Credentials of an index never go into a lock (it is committed and shared); pip and uv find them in
  // netrc or keyring when they install.
  out += ", url = " + toml_string(base::strip_credentials(f.url));
  if (f.size) out += ", size = " + std::to_string(*f.size);
  out += ", hashes = " + hashes_table(f.hashes, p, f.filename);
  return out + "}";
}

void write_package(std::string& out, const LockedPackage& p) {
  const std::string& direct = p.direct_url;
  const bool source_tree = p.is_source_tree();

  out += "[[packages]]\n";
  out += "name = " + toml_string(p.name) + "\n";
  // Spec "packages.version": MUST NOT be included for a source tree, whose version may change.
  if (!source_tree && p.version) out += "version = " + toml_string(p.version->str()) + "\n";
  // Spec "packages.requires-python".
  if (!p.requires_python.empty()) out += "requires-python = " + toml_string(p.requires_python) + "\n";

  // Spec "packages.dependencies": the entries this package depends on, each by the least that makes it
  // unambiguous (the name: a single-use lock has one entry per name); informational only.
  if (!p.dependencies.empty()) {
    out += "dependencies = [\n";
    for (const std::string& d : p.dependencies) out += "    {name = " + toml_string(d) + "},\n";
    out += "]\n";
  }

  if (!direct.empty()) {
    if (source_tree) {
      // Spec "packages.directory": a local source tree (path, editable flag).
      out += "directory = {path = " + toml_string(local_path(direct));
      if (p.editable) out += ", editable = true";
      out += "}\n";
    } else {
      // Spec "packages.archive": a direct reference to a wheel or sdist, with its size and hashes.
      std::map<std::string, std::string> hashes = base::link_hashes(direct);
      std::optional<std::uint64_t> size;
      for (const LockedFile& f : p.files) {
        if (base::without_fragment(f.url) != base::without_fragment(direct)) continue;
        for (const auto& [algo, value] : f.hashes) hashes[algo] = value;
        size = f.size;
      }
      out += "archive = {url = " + toml_string(base::strip_credentials(base::without_fragment(direct)));
      if (size) out += ", size = " + std::to_string(*size);
      out += ", hashes = " + hashes_table(hashes, p, "the archive") + "}\n";
    }
    out += "\n";
    return;
  }

  // Spec "packages.index": the simple index the files were found on (absent for find-links).
  if (!p.index.empty()) out += "index = " + toml_string(base::strip_credentials(p.index)) + "\n";

  // Spec "packages.sdist": one source distribution (the best usable one); "packages.wheels": every
  // wheel usable on the target, by file name. Files the target cannot use are left out: the lock is
  // for that target only (see environments).
  const LockedFile* sdist = nullptr;
  std::vector<const LockedFile*> wheels;
  for (const LockedFile& f : p.files) {
    if (f.is_wheel) {
      wheels.push_back(&f);
    } else if (sdist == nullptr) {
      sdist = &f;
    }
  }
  std::sort(wheels.begin(), wheels.end(),
            [](const LockedFile* a, const LockedFile* b) { return a->filename < b->filename; });
  if (sdist != nullptr) out += "sdist = " + file_table(*sdist, p) + "\n";
  if (!wheels.empty()) {
    out += "wheels = [\n";
    for (const LockedFile* w : wheels) out += "    " + file_table(*w, p) + ",\n";
    out += "]\n";
  }
  out += "\n";
}

}  // namespace

std::string write_pylock(const Lock& lock) {
  std::string out;
  // Spec "lock-version", "environments", "requires-python", "created-by", in the spec's order.
  out += "lock-version = '1.0'\n";
  out += "environments = [" + toml_string(environment_marker(lock)) + "]\n";
  out += "requires-python = " + toml_string("==" + lock.python + ".*") + "\n";
  out += "created-by = 'thoth'\n";
  out += "\n";
  // Spec "packages": sorted by normalised name, one entry each.
  std::vector<const LockedPackage*> packages;
  for (const LockedPackage& p : lock.packages) packages.push_back(&p);
  std::sort(packages.begin(), packages.end(),
            [](const LockedPackage* a, const LockedPackage* b) { return a->name < b->name; });
  for (const LockedPackage* p : packages) write_package(out, *p);
  // One trailing newline, not a blank line.
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace thoth
