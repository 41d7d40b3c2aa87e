#include "resolve/catalog.hpp"

#include <algorithm>
#include <utility>

namespace thoth::resolve {
namespace {

// The URL of a requirement or file without its "#fragment" (hashes, egg names), for matching a
// `name @ url` requirement to the direct candidate the caller registered for it.
std::string_view without_fragment(std::string_view url) {
  std::size_t hash = url.find('#');
  return hash == std::string_view::npos ? url : url.substr(0, hash);
}

bool candidate_has_url(const Candidate& c, std::string_view url) {
  std::string_view want = without_fragment(url);
  return std::any_of(c.files.begin(), c.files.end(),
                     [&](const DistFile& f) { return without_fragment(f.url) == want; });
}


}  // namespace


Reason describe_unusable(std::string_view project, const std::vector<FileTraits>& files, FileChooser& chooser,
                         const Target& target, const BinaryPolicy& binary) {
  if (files.empty()) return {Why::NoFile, "no files"};
  bool wheels = false, sdists = false, compatible_wheel = false;
  std::string_view python_spec;  // of the first file dropped for its Requires-Python
  for (std::uint32_t position = 0; position < files.size(); ++position) {
    const FileTraits& f = files[position];
    if (!chooser.python_allowed(f.requires_python, f.requires_python_id)) {
      if (python_spec.empty()) python_spec = f.requires_python;
      continue;
    }
    if (f.kind == DistFile::Kind::Sdist) {
      sdists = true;
    } else {
      wheels = true;
      if (!compatible_wheel && f.tags && chooser.rank(position, *f.tags, f.tag_set_id)) compatible_wheel = true;
    }
  }
  // PEP 503 data-requires-python: when it excludes every file the version needs another Python.
  if (!wheels && !sdists) return {Why::RequiresPython, std::string(python_spec)};

  std::string tag = target.tags.tags().empty() ? "the target" : target.tags.tags().front().str();
  std::string text;
  if (!wheels) {
    text = "no wheel";
  } else if (!binary.wheels_allowed(project)) {
    text = "wheels are disabled by --no-binary";
  } else if (!compatible_wheel) {
    text = "no wheel for " + tag;
  } else {
    text = "no usable wheel";
  }
  if (!sdists) {
    text += " and no sdist";
  } else if (!binary.sdists_allowed(project)) {
    text += " and sdists are disabled by --only-binary";
  }
  if (!python_spec.empty()) text += "; other files require Python " + std::string(python_spec);
  return {Why::NoFile, text};
}

const std::vector<Requirement>& LoadedFacts::requires_dist() const {
  static const std::vector<Requirement> kNone;
  return metadata ? metadata->requires_dist : kNone;
}

const std::vector<std::string>& LoadedFacts::provides_extra() const {
  static const std::vector<std::string> kNone;
  return metadata ? metadata->provides_extra : kNone;
}

std::string spec_text(const Requirement& r) {
  if (!r.url.empty()) return " @ " + r.url;
  return r.specifier.str();
}

Dependency::Dependency(const Requirement& r)
    : requirement(&r), name(normalize_name(r.name)), direct(!r.url.empty()) {
  for (const Specifier& s : r.specifier.specifiers()) {
    unfree = true;
    pinned = pinned || s.op() == Specifier::Op::Equal || s.op() == Specifier::Op::Arbitrary;
  }
}

Catalog::Catalog(PackageSource& source, const ResolveOptions& options)
    : source_(source), options_(options), python_(requires_python_version(options.target)) {}

void Catalog::prefetch_candidates(const std::string& name) {
  if (known(name)) return;
  bool direct = std::any_of(options_.direct.begin(), options_.direct.end(),
                            [&](const Candidate& c) { return normalize_name(c.name) == name; });
  if (!direct) source_.prefetch_candidates(name);
}

Project& Catalog::project(const std::string& name) {
  auto it = projects_.find(name);
  if (it != projects_.end()) return *it->second;
  auto p = std::make_unique<Project>();
  p->name = name;
  p->id = projects_.size();
  // A project named by a direct URL requirement comes only from the caller's candidates; its index
  // versions are not looked at (pip's explicit candidates).
  for (const Candidate& c : options_.direct) {
    if (normalize_name(c.name) == name) p->own.push_back(c);
  }
  p->direct = !p->own.empty();
  auto newer = [](const Candidate& a, const Candidate& b) { return a.version > b.version; };
  if (p->direct) {
    for (Candidate& c : p->own) c.name = name;
    std::stable_sort(p->own.begin(), p->own.end(), newer);
    p->candidates = p->own;
  } else {
    // The source's own list, read in place: it outlives the resolution.
    const std::vector<Candidate>& listed = source_.candidates(name);
    p->candidates = listed;
    if (!std::is_sorted(listed.begin(), listed.end(), newer)) {
      p->own = listed;
      std::stable_sort(p->own.begin(), p->own.end(), newer);
      p->candidates = p->own;
    }
  }
  classify(*p);
  return *projects_.emplace(name, std::move(p)).first->second;
}

void Catalog::classify(Project& p) {
  p.facts.resize(p.size());
  // Traits only: the files themselves (URLs, hashes) of most versions are never read.
  std::vector<FileTraits> traits;
  FileChooser chooser(p.name, options_.target, options_.binary);
  auto keep = [&](Reason reason) {
    p.reasons.push_back(std::move(reason));
    return static_cast<std::uint32_t>(p.reasons.size());
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Candidate& c = p.candidates[i];
    VersionFacts& f = p.facts[i];
    f.prerelease = c.version.is_prerelease();
    c.files.traits(traits);  // cleared first
    if (all_yanked(traits)) {
      std::string_view why;
      for (const FileTraits& t : traits) {
        if (!t.yank_reason.empty()) {
          why = t.yank_reason;
          break;
        }
      }
      f.yank = keep(Reason{Why::Yanked, std::string(why)});
    }
    const std::optional<std::uint32_t> best = chooser.best(traits);
    if (!best) {
      f.skip = keep(describe_unusable(c.name, traits, chooser, options_.target, options_.binary));
      continue;
    }
    f.best = *best;
    f.best_is_wheel = traits[f.best].kind == DistFile::Kind::Wheel;
    if (!f.prerelease) p.has_final = true;
  }
}

std::vector<std::uint32_t> Catalog::usable(const Project& p, std::size_t v) const {
  if (!p.facts[v].usable()) return {};
  std::vector<FileTraits> traits;
  p.candidates[v].files.traits(traits);
  return FileChooser(p.name, options_.target, options_.binary).usable(traits);
}

const LoadedFacts& Catalog::metadata(Project& p, std::size_t v) {
  VersionFacts& facts = p.facts[v];
  if (facts.loaded) return *facts.loaded;
  const Candidate& c = p.candidates[v];
  std::shared_ptr<const CoreMetadata> read;
  try {
    read = source_.metadata(c, c.files[facts.best]);
  } catch (const NeedsBuildError& e) {
    // An sdist the source did not build for its metadata (a --platform target, like uv's --no-build), or
    // whose build failed: the version is unusable, and the solver tells the user which one was passed
    // over. pip fails the whole install on a failed build; a version that cannot be built is passed
    // over here as one that cannot be installed.
    facts.loaded = std::make_unique<LoadedFacts>();
    facts.loaded->problem = Reason{e.build_failed() ? Why::BuildFailed : Why::NeedsBuild, e.what()};
    return *facts.loaded;
  }
  facts.loaded = std::make_unique<LoadedFacts>();
  LoadedFacts& f = *facts.loaded;
  const CoreMetadata& md = *read;
  f.display_name = md.name.empty() ? p.name : md.name;
  // pip discards a candidate whose metadata names another project or version.
  if (!md.name.empty() && normalize_name(md.name) != p.name) {
    f.problem = Reason{Why::Metadata, "its metadata is for " + md.name};
    f.display_name = p.name;
    return f;
  }
  if (md.version != c.version) {
    f.problem = Reason{Why::Metadata, "its metadata has version " + md.version.str()};
    return f;
  }
  // Core metadata "Requires-Python": the version does not run on the target's interpreter.
  if (!md.requires_python.empty() && !md.requires_python.contains(python_, true)) {
    f.problem = Reason{Why::RequiresPython, md.requires_python.str()};
    return f;
  }
  f.metadata = std::move(read);
  for (const Requirement& r : md.requires_dist) {
    try {
      // PEP 508 "Environment Markers": a dependency whose marker is false for the target (with no
      // extra requested) does not apply.
      if (!r.marker || r.marker->evaluate(options_.target.markers, "")) f.base_deps.emplace_back(r);
    } catch (const RequirementError&) {
      f.problem = Reason{Why::Metadata, "its Requires-Dist \"" + r.str() + "\" cannot be evaluated"};
      f.base_deps.clear();
      return f;
    }
  }
  return f;
}

void Catalog::prefetch_metadata(Project& p, std::size_t v) {
  VersionFacts& f = p.facts[v];
  if (f.loaded || f.prefetched || !f.usable()) return;
  f.prefetched = true;
  const Candidate& c = p.candidates[v];
  source_.prefetch_metadata(c, c.files[f.best]);
}

std::vector<Dependency>& Catalog::extra_dependencies(Project& p, std::size_t v, std::string_view extra) {
  LoadedFacts& f = *p.facts[v].loaded;
  for (ExtraDependencies& e : f.extras) {
    if (e.extra == extra) return e.deps;
  }
  ExtraDependencies& out = f.extras.emplace_back();
  out.extra = extra;
  if (f.problem || !provides(p, v, extra)) return out.deps;
  for (const Requirement& r : f.requires_dist()) {
    // PEP 508 "Extras": the requirements of an extra are those whose marker mentions `extra` and
    // holds with it; the others are already the base's.
    if (!r.marker || !r.marker->mentions_extra()) continue;
    try {
      if (r.marker->evaluate(options_.target.markers, extra)) out.deps.emplace_back(r);
    } catch (const RequirementError&) {
      // Already evaluable without the extra (see metadata()); a comparison that breaks only with
      // this extra cannot hold for it.
    }
  }
  return out.deps;
}

bool Catalog::provides(const Project& p, std::size_t v, std::string_view extra) const {
  const auto& listed = p.facts[v].loaded->provides_extra();
  return std::find(listed.begin(), listed.end(), extra) != listed.end();
}

Project& Catalog::target(Dependency& d) {
  if (!d.project) {
    d.project = &project(d.name);
    d.matches = match(*d.project, *d.requirement);
    d.text = intern(spec_text(*d.requirement));
  }
  return *d.project;
}

TextId Catalog::intern(std::string_view text) {
  if (text.empty()) return 1;  // "any version", as written: distinct from 0, "no text"
  auto it = text_ids_.find(text);
  if (it != text_ids_.end()) return it->second;
  TextId id = static_cast<TextId>(texts_.size());
  texts_.emplace_back(text);
  text_ids_.emplace(text, id);
  return id;
}

VersionSet Catalog::match(const Project& p, const Requirement& req) const {
  VersionSet s(p.size() + 1);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Candidate& c = p.candidates[i];
    bool ok = req.url.empty() ? req.specifier.contains(c.version, true) : candidate_has_url(c, req.url);
    if (ok) s.set(i);
  }
  return s;
}

std::vector<const Candidate*> Catalog::acceptable(const Project& p) const {
  // The filters of VersionFilter::exclusions without any requirement or policy.
  bool prereleases_ok = options_.allow_prereleases || p.direct || !p.has_final;
  std::vector<const Candidate*> out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const VersionFacts& f = p.facts[i];
    if (f.skip || (f.yanked() && !p.direct) || (f.prerelease && !prereleases_ok)) continue;
    out.push_back(&p.candidates[i]);
  }
  return out;
}

}  // namespace thoth::resolve
