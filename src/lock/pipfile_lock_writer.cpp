// Pipfile.lock as pipenv writes it (pipenv's Project.write_lockfile: json.dumps with indent=4,
// separators (",", ": "), sort_keys=True, then a newline; entries as utils/locking.py and
// utils/dependencies.py clean_resolved_dep shape them; pipfile-spec 6).
#include <algorithm>

#include "lock/pipenv_python_marker.hpp"
#include "thoth/lock.hpp"

namespace thoth {

namespace {

constexpr int kPipfileSpec = 6;  // plette's PIPFILE_SPEC_CURRENT

// pipenv's Project.populate_source: a source without verify_ssl gets whether its URL is https.
JsonValue lock_source(const PipfileSource& source) {
  JsonValue table = source.table;
  if (table.get("verify_ssl") == nullptr)
    table.members["verify_ssl"] = JsonValue::of(source.url.find("https://") != std::string::npos);
  return table;
}

// Markers as pipenv writes them: packaging's form with single quotes.
std::string lock_markers(const Marker& marker) {
  std::string text = marker.str();
  std::replace(text.begin(), text.end(), '"', '\'');
  return text;
}

JsonValue string_array(std::vector<std::string> items) {
  JsonValue array = JsonValue::array();
  for (std::string& s : items) array.items.push_back(JsonValue::of(std::move(s)));
  return array;
}

// The acceptable hashes of a package, "sha256:<hex>" sorted without duplicates: every file of the
// version when the lock lists them that way, else its files' sha256.
std::vector<std::string> hashes_of(const LockedPackage& p) {
  std::vector<std::string> hashes = p.hashes;
  if (hashes.empty())
    for (const LockedFile& f : p.files)
      if (!f.sha256().empty()) hashes.push_back("sha256:" + f.sha256());
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

JsonValue entry_of(const LockedPackage& p, const PipfilePackage* top, const Pipfile& pipfile) {
  JsonValue entry = JsonValue::object();
  const bool vcs = top != nullptr && !top->vcs.empty();
  const bool local = top != nullptr && (!top->path.empty() || !top->file.empty());
  if (vcs) {
    // A VCS entry is its own version (clean_resolved_dep: the VCS key, ref, subdirectory).
    entry.members[top->vcs] = JsonValue::of(top->vcs_url);
    if (!top->ref.empty()) entry.members["ref"] = JsonValue::of(top->ref);
    if (!top->subdirectory.empty()) entry.members["subdirectory"] = JsonValue::of(top->subdirectory);
  } else if (local) {
    // The Pipfile's path or file wins over what the resolver saw (clean_resolved_dep).
    if (!top->path.empty()) {
      entry.members["path"] = JsonValue::of(top->path);
    } else {
      entry.members["file"] = JsonValue::of(top->file);
    }
  } else if (!p.direct_url.empty()) {
    entry.members["file"] = JsonValue::of(p.direct_url);
  } else {
    if (!p.version) throw LockError("Pipfile.lock: " + p.name + " has no version");
    entry.members["version"] = JsonValue::of("==" + p.version->str());
  }
  // pipenv records no hashes for a path entry or a local directory (nothing fixed to hash).
  if (!vcs && !(top != nullptr && (!top->path.empty() || top->directory))) {
    std::vector<std::string> hashes = hashes_of(p);
    if (hashes.empty() && entry.get("version") != nullptr)
      throw LockError("Pipfile.lock: " + p.name + "==" + p.version->str() + " has no sha256 hash to record");
    if (!hashes.empty()) entry.members["hashes"] = string_array(std::move(hashes));
  }
  if (top != nullptr && (top->editable || p.editable) && (vcs || local)) entry.members["editable"] = JsonValue::of(true);
  if (top != nullptr) {
    // A package the Pipfile names: its entry's markers only ("if the pipfile says nothing, then we
    // should put nothing in the lockfile"), its extras, its index (pipenv passes every top-level
    // requirement to pip with -i of its source and records that source's name).
    if (!top->markers.empty()) entry.members["markers"] = JsonValue::of(top->markers);
    if (!top->extras.empty()) {
      std::vector<std::string> extras = top->extras;
      std::sort(extras.begin(), extras.end());
      entry.members["extras"] = string_array(std::move(extras));
    }
    if (!vcs && !local) {
      const std::string index = top->index.empty() ? pipfile.sources.front().name : top->index;
      entry.members["index"] = JsonValue::of(index);
    }
  } else if (p.marker && !p.marker->str().empty()) {
    entry.members["markers"] = JsonValue::of(lock_markers(*p.marker));
  } else if (std::string marker = lock_detail::pipenv_python_marker(p.requires_python); !marker.empty()) {
    entry.members["markers"] = JsonValue::of(marker);
  }
  return entry;
}

JsonValue category_of(const Pipfile& pipfile, const PipfileLockCategory& category) {
  const PipfileCategory* section = pipfile.category(category.name);
  JsonValue out = JsonValue::object();
  for (const LockedPackage& p : category.lock.packages) {
    const PipfilePackage* top = nullptr;
    if (section != nullptr)
      for (const PipfilePackage& candidate : section->packages)
        if (candidate.name == p.name) top = &candidate;
    out.members[p.name] = entry_of(p, top, pipfile);
  }
  return out;
}

}  // namespace

std::string write_pipfile_lock(const Pipfile& pipfile, PipfileHash variant,
                               const std::vector<PipfileLockCategory>& categories) {
  JsonValue doc = JsonValue::object();
  JsonValue meta = JsonValue::object();
  JsonValue hash = JsonValue::object();
  hash.members["sha256"] = JsonValue::of(variant == PipfileHash::canonical ? pipfile.hash_canonical : pipfile.hash_legacy);
  meta.members["hash"] = hash;
  JsonValue spec;
  spec.kind = JsonValue::Kind::integer;
  spec.integer = kPipfileSpec;
  meta.members["pipfile-spec"] = spec;
  meta.members["requires"] = pipfile.requires_table;
  JsonValue sources = JsonValue::array();
  for (const PipfileSource& s : pipfile.sources) sources.items.push_back(lock_source(s));
  meta.members["sources"] = sources;
  doc.members["_meta"] = meta;
  // Every category of the Pipfile has its object, empty or not (Project._lockfile).
  for (const PipfileCategory& c : pipfile.categories) doc.members[c.lock_name] = JsonValue::object();
  for (const PipfileLockCategory& c : categories) doc.members[c.name] = category_of(pipfile, c);
  // do_lock's overwrite_with_default: what default locks, other categories lock as default does.
  if (const JsonValue* defaults = doc.get("default")) {
    for (auto& [name, category] : doc.members) {
      if (name == "_meta" || name == "default") continue;
      for (auto& [package, entry] : category.members) {
        if (const JsonValue* d = defaults->get(package)) entry = *d;
      }
    }
  }
  return python_json(doc, 4) + "\n";
}

}  // namespace thoth
