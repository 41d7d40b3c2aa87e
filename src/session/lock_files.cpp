// Which file of each locked package to fetch for the target (Session::choose_files): the installer and
// `thoth download` start from any lock, whether it lists files (pylock, reports, fresh resolutions) or
// only versions and hashes (requirements files).
#include "session/lock_files.hpp"
#include "base/link.hpp"

#include <algorithm>
#include <set>

#include "thoth/net.hpp"  // redact_url

namespace thoth::session_detail {

namespace {

// A pylock's markers are evaluated as in a lock file, with the extras and dependency groups asked for
// (PEP 751 "packages.marker"); other locks' as a requirement's.
bool holds(const Marker& marker, const Target& target, const Lock& lock) {
  try {
    return lock.selection ? marker.evaluate_in_lock(target.markers, *lock.selection) : marker.evaluate(target.markers, "");
  } catch (const RequirementError&) {
    return false;  // a marker that cannot be evaluated cannot hold either
  }
}

// The lock's hashes as algorithm -> set of hex values ("sha256:<hex>" entries, pip's --hash).
std::map<std::string, std::set<std::string>> hash_table(const std::vector<std::string>& hashes) {
  std::map<std::string, std::set<std::string>> out;
  for (const std::string& h : hashes) {
    auto colon = h.find(':');
    if (colon == std::string::npos) continue;
    out[h.substr(0, colon)].insert(h.substr(colon + 1));
  }
  return out;
}

// pip's --require-hashes rule: a file is acceptable when one of its hashes is one the lock names.
bool matches(const std::map<std::string, std::string>& file_hashes,
             const std::map<std::string, std::set<std::string>>& locked) {
  for (const auto& [algo, hex] : file_hashes) {
    auto it = locked.find(algo);
    if (it != locked.end() && it->second.count(hex)) return true;
  }
  return false;
}

// The target in a message: its most preferred tag.
std::string describe(const Target& target) {
  return target.tags.tags().empty() ? std::string("the target") : describe(target);
}

std::string label(const LockedPackage& p) { return p.name + (p.version ? " " + p.version->str() : std::string()); }

// Files the lock itself lists, best first for the target: wheels by the rank of their best tag in the
// target's order (PEP 425), a higher build tag first among equals (binary distribution format), then
// sdists in the lock's order. Wheels the target cannot use are left out.
std::vector<const LockedFile*> rank_listed(const LockedPackage& p, const Target& target) {
  struct Ranked {
    const LockedFile* file;
    std::size_t rank;
    std::uint64_t build;
    std::size_t order;
  };
  std::vector<Ranked> wheels;
  std::vector<const LockedFile*> sdists;
  for (std::size_t i = 0; i < p.files.size(); ++i) {
    const LockedFile& f = p.files[i];
    const std::string name = f.filename.empty() ? base::url_filename(f.url) : f.filename;
    if (name.size() > 4 && name.ends_with(".whl")) {
      try {
        WheelName w = WheelName::parse(name);
        if (auto rank = target.tags.best_rank(w)) wheels.push_back({&f, *rank, w.build ? w.build->first : 0, i});
      } catch (const TagError&) {
        // Not a wheel any installer could use: skipped, as pip skips such links.
      }
    } else {
      sdists.push_back(&f);
    }
  }
  std::stable_sort(wheels.begin(), wheels.end(), [](const Ranked& a, const Ranked& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.build > b.build;
  });
  std::vector<const LockedFile*> out;
  for (const Ranked& r : wheels) out.push_back(r.file);
  out.insert(out.end(), sdists.begin(), sdists.end());
  return out;
}

}  // namespace

void check_lock_applies(const Lock& lock, const Target& target, const std::string& lock_name) {
  // PEP 751 "environments": the lock is only for environments where one of these holds.
  if (!lock.environments.empty() &&
      std::none_of(lock.environments.begin(), lock.environments.end(),
                   [&](const Marker& m) { return holds(m, target, lock); })) {
    throw SessionError(lock_name + " is not for this environment (none of its environments markers holds for Python " +
                       target.python_version.str() + " on " + target.markers.get(MarkerVar::SysPlatform) +
                       "); lock again for this target");
  }
  // PEP 751 "requires-python".
  if (!lock.requires_python.empty()) {
    const Version python = requires_python_version(target);
    if (!python_matches(lock.requires_python, python)) {
      throw SessionError(lock_name + " requires Python " + lock.requires_python + ", and the target has " +
                         python.str() + "; lock again for this target");
    }
  }
}

std::vector<ChosenFile> choose_lock_files(const Lock& lock, const Target& target, PackageSource& source,
                                          const FileChoice& choice) {
  check_lock_applies(lock, target, choice.lock_name);
  std::vector<ChosenFile> out;
  auto add = [&out](const LockedPackage& p, LockedFile file) {
    if (file.filename.empty()) file.filename = base::url_filename(file.url);
    out.push_back({p.name, p.version ? p.version->str() : std::string(), std::move(file)});
  };
  for (const LockedPackage& p : lock.packages) {
    if (p.marker && !holds(*p.marker, target, lock)) continue;
    if (p.is_source_tree()) {
      throw SessionError(p.name + ": " + redact_url(p.direct_url) +
                         " is a source tree; it needs a build, which thoth cannot do yet (give a wheel or sdist)");
    }
    const auto locked_hashes = hash_table(p.hashes);
    if (!p.direct_url.empty()) {
      // A direct reference: its own archive, with the hashes of its URL fragment, the lock's and the
      // lock's entry for that file.
      LockedFile file;
      file.url = base::without_fragment(p.direct_url);
      file.hashes = base::link_hashes(p.direct_url);
      for (const LockedFile& f : p.files) {
        if (base::without_fragment(f.url) != file.url) continue;
        for (const auto& [algo, value] : f.hashes) file.hashes[algo] = value;
        file.filename = f.filename;
        file.size = f.size;
      }
      for (const auto& [algo, values] : locked_hashes)
        if (!file.hashes.count(algo) && values.size() == 1) file.hashes[algo] = *values.begin();
      file.is_wheel = file.url.ends_with(".whl");
      add(p, std::move(file));
      continue;
    }
    if (!p.files.empty()) {
      std::vector<const LockedFile*> ranked =
          choice.all_files ? std::vector<const LockedFile*>() : rank_listed(p, target);
      if (choice.all_files)
        for (const LockedFile& f : p.files) ranked.push_back(&f);
      // pip's --require-hashes rule holds for listed files too.
      if (!locked_hashes.empty())
        std::erase_if(ranked, [&](const LockedFile* f) { return !matches(f->hashes, locked_hashes); });
      if (ranked.empty())
        throw SessionError(label(p) + ": none of the lock's files can be installed on this target (" +
                           describe(target) + "); lock again for this target");
      if (choice.all_files) {
        for (const LockedFile* f : ranked) add(p, *f);
      } else {
        add(p, *ranked.front());
      }
      continue;
    }
    // Only a version (and hashes): the indexes name the files.
    if (!p.version) throw SessionError(p.name + ": the lock gives neither a version nor a file");
    const Candidate* candidate = nullptr;
    for (const Candidate& c : source.candidates(p.name))
      if (c.version == *p.version) candidate = &c;
    if (candidate == nullptr)
      throw SessionError(label(p) + ": no such version on the configured indexes (check --index-url / --find-links)");
    std::vector<const DistFile*> files;
    if (choice.all_files) {
      for (const DistFile& f : candidate->files) files.push_back(&f);
    } else {
      files = usable_files(*candidate, target, lock.options.binary);
    }
    if (!locked_hashes.empty())
      std::erase_if(files, [&](const DistFile* f) { return !matches(f->hashes, locked_hashes); });
    if (files.empty()) {
      throw SessionError(label(p) + (locked_hashes.empty() ? ": no file on the indexes can be installed on this target"
                                                           : ": no file on the indexes has one of the lock's hashes "
                                                             "and can be installed on this target") +
                         " (" + describe(target) + ")");
    }
    if (choice.all_files) {
      for (const DistFile* f : files) add(p, LockedFile::of(*f));
    } else {
      add(p, LockedFile::of(*files.front()));
    }
  }
  return out;
}

}  // namespace thoth::session_detail
