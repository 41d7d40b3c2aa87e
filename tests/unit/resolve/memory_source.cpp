#include "memory_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <thread>

namespace thoth::testing {

Release needs_build(const std::string& version) {
  Release r;
  r.version = version;
  r.wheels = {};
  r.sdist = true;
  r.needs_build = true;
  return r;
}

MemorySource& MemorySource::add(const std::string& name, Release r) {
  projects_[normalize_name(name)].push_back(std::move(r));
  return *this;
}

Candidate MemorySource::candidate(const std::string& name, const Release& r) const {
  Candidate c;
  c.name = normalize_name(name);
  c.version = Version::parse(r.version);
  std::string stem = c.name;
  std::replace(stem.begin(), stem.end(), '-', '_');
  auto file = [&](std::string filename, DistFile::Kind kind) {
    DistFile f;
    f.url = "https://files.test/" + filename;
    f.filename = std::move(filename);
    f.kind = kind;
    if (kind == DistFile::Kind::Wheel) f.wheel = WheelName::parse(f.filename);
    f.hashes["sha256"] = std::string(64, '0');
    f.requires_python = r.file_requires_python;
    f.yanked = r.yanked;
    c.files.push_back(std::move(f));
  };
  for (const std::string& tag : r.wheels) file(stem + "-" + r.version + "-" + tag + ".whl", DistFile::Kind::Wheel);
  if (r.sdist) file(stem + "-" + r.version + ".tar.gz", DistFile::Kind::Sdist);
  return c;
}

const std::vector<Candidate>& MemorySource::candidates(std::string_view name) {
  ++candidate_calls;
  if (delay.count()) std::this_thread::sleep_for(delay);
  // Built afresh each call (a test may add releases between resolutions) and kept for the caller.
  std::vector<Candidate>& out = listed_[normalize_name(name)];
  out.clear();
  auto it = projects_.find(normalize_name(name));
  if (it == projects_.end()) return out;
  for (const Release& r : it->second) out.push_back(candidate(it->first, r));
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.version > b.version; });
  return out;
}

std::shared_ptr<const CoreMetadata> MemorySource::metadata(const Candidate& candidate, const DistFile&) {
  ++metadata_calls;
  for (const Release& r : projects_.at(candidate.name)) {
    if (Version::parse(r.version) != candidate.version) continue;
    if (r.needs_build && r.build_failed)
      throw NeedsBuildError("building " + candidate.name + "-" + r.version + ".tar.gz failed", true);
    if (r.needs_build) throw NeedsBuildError(candidate.name + "-" + r.version + ".tar.gz needs a build");
    CoreMetadata md;
    md.metadata_version = "2.1";
    md.name = r.metadata_name.empty() ? candidate.name : r.metadata_name;
    md.version = candidate.version;
    for (const std::string& d : r.requires_dist) md.requires_dist.push_back(Requirement::parse(d));
    if (r.provides_extra) {
      md.provides_extra = *r.provides_extra;
    } else {
      static const std::regex kExtra(R"(extra\s*==\s*['"]([^'"]+)['"])");
      for (const std::string& d : r.requires_dist) {
        for (std::sregex_iterator m(d.begin(), d.end(), kExtra), end; m != end; ++m) {
          const std::string e = normalize_name((*m)[1].str());
          if (std::find(md.provides_extra.begin(), md.provides_extra.end(), e) == md.provides_extra.end())
            md.provides_extra.push_back(e);
        }
      }
    }
    md.requires_python = SpecifierSet::parse(r.requires_python);
    return std::make_shared<const CoreMetadata>(std::move(md));
  }
  throw IndexError("no metadata for " + candidate.name + " " + candidate.version.str());
}

Target test_target() {
  return Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_28_x86_64"})");
}

ResolveOptions test_options() {
  ResolveOptions o;
  o.target = test_target();
  return o;
}

std::string pins(const Resolution& r) {
  std::string out;
  for (const Pin& p : r.pins) {
    if (!out.empty()) out += " ";
    out += p.name;
    if (!p.extras.empty()) {
      out += "[";
      for (std::size_t i = 0; i < p.extras.size(); ++i) out += (i ? "," : "") + p.extras[i];
      out += "]";
    }
    out += "==" + p.version.str();
  }
  return out;
}

std::vector<Requirement> reqs(const std::vector<std::string>& texts) {
  std::vector<Requirement> out;
  for (const std::string& t : texts) out.push_back(Requirement::parse(t));
  return out;
}

Resolution resolve(MemorySource& source, const std::vector<std::string>& roots,
                   const std::vector<std::string>& constraints, ResolveOptions options, const Policy* policy) {
  LatestPolicy latest;
  Resolver resolver(source, policy ? *policy : latest, std::move(options));
  return resolver.resolve(reqs(roots), reqs(constraints));
}

std::string explain(MemorySource& source, const std::vector<std::string>& roots,
                    const std::vector<std::string>& constraints, ResolveOptions options, const Policy* policy) {
  try {
    Resolution r = resolve(source, roots, constraints, std::move(options), policy);
    ADD_FAILURE() << "resolution succeeded: " << pins(r);
  } catch (const ResolutionError& e) {
    return e.explanation();
  }
  return "";
}

}  // namespace thoth::testing
