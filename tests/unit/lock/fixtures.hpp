// Hand-built resolutions for the lock writer tests: the shapes the resolver produces, small enough to
// check the expected bytes by eye against pip-compile's and PEP 751's layouts.
#pragma once

#include <string>
#include <vector>

#include "thoth/lock.hpp"

namespace thoth::lock_test {

inline Target linux_311() {
  return Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_28_x86_64"})");
}

inline DistFile wheel(const std::string& filename, const std::string& sha, std::size_t index_position = 0) {
  DistFile f;
  f.filename = filename;
  f.url = "https://files.example/" + filename;
  f.kind = DistFile::Kind::Wheel;
  f.wheel = WheelName::parse(filename);
  f.hashes["sha256"] = sha;
  f.index_position = index_position;
  return f;
}

inline DistFile sdist(const std::string& filename, const std::string& sha) {
  DistFile f;
  f.filename = filename;
  f.url = "https://files.example/" + filename;
  f.kind = DistFile::Kind::Sdist;
  f.hashes["sha256"] = sha;
  return f;
}

inline std::string hex(char c) { return std::string(64, c); }

inline Pin pin(const std::string& name, const std::string& version, std::vector<std::string> via,
               std::vector<DistFile> files, std::vector<std::string> requires_dist = {}) {
  Pin p;
  p.name = normalize_name(name);
  p.display_name = name;
  p.version = Version::parse(version);
  p.via = std::move(via);
  p.files = std::move(files);
  for (const std::string& r : requires_dist) p.requires_dist.push_back(Requirement::parse(r));
  return p;
}

inline UserRequirement root(const std::string& text, const std::string& origin = "requirements.in", int line = 1) {
  UserRequirement r;
  r.requirement = Requirement::parse(text);
  r.origin = origin;
  r.line = line;
  return r;
}

// webapp-kit[dev] and httpkit[socks] from requirements.in, with shared and single dependents.
inline Resolution sample_resolution() {
  Resolution r;
  r.target = linux_311();
  Pin certbundle = pin("certbundle", "2024.2.2", {"httpkit"}, {wheel("certbundle-2024.2.2-py3-none-any.whl", hex('c'))});
  Pin httpkit = pin("httpkit", "2.1.1", {"-r requirements.in", "webapp-kit"},
                    {wheel("httpkit-2.1.1-py3-none-any.whl", hex('b')), sdist("httpkit-2.1.1.tar.gz", hex('a'))},
                    {"certbundle>=2023.7", "PySocks-Lite>=1.5.6,!=1.5.7"});
  httpkit.extras = {"socks"};
  httpkit.files[0].requires_python = ">=3.8";
  httpkit.files[0].upload_time = "2024-02-01T10:00:00.123456Z";
  httpkit.files[0].size = 1234;
  Pin markupsafe = pin("MarkupSafe_Lite", "2.1.5", {"webapp-kit"},
                       {wheel("MarkupSafe_Lite-2.1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hex('e'))});
  Pin pysocks = pin("PySocks-Lite", "1.7.1", {"httpkit"}, {wheel("PySocks_Lite-1.7.1-py3-none-any.whl", hex('f'))});
  Pin webapp = pin("webapp-kit", "1.1.0", {"-r requirements.in"},
                   {wheel("webapp_kit-1.1.0-py3-none-any.whl", hex('d'))},
                   {"httpkit>=2", "MarkupSafe_Lite>=2.0", "pytest-lite; extra == \"test\""});
  webapp.extras = {"dev"};
  r.pins = {certbundle, httpkit, markupsafe, pysocks, webapp};
  return r;
}

// What a lock is made from and how a requirements file is laid out, in one value as the tests set them
// up; the writers below make the Lock of a resolution the way `thoth lock` does (to_lock) and write it.
struct LockContext : LockInputs, RequirementsStyle {};

inline std::string write_requirements(const Resolution& r, const LockContext& c) {
  return thoth::write_requirements(to_lock(r, c), c);
}
inline std::string write_pylock(const Resolution& r, const LockContext& c) { return thoth::write_pylock(to_lock(r, c)); }
inline std::string write_report(const Resolution& r, const LockContext& c) { return thoth::write_report(to_lock(r, c)); }
inline std::string write_lock(LockFormat f, const Resolution& r, const LockContext& c) {
  return thoth::write_lock(f, to_lock(r, c), c);
}

inline LockContext sample_context() {
  LockContext c;
  c.command = "thoth lock -o requirements.txt requirements.in";
  c.tool_version = "0.1.0";
  c.requirements = {root("webapp-kit[dev]>=1.0", "requirements.in", 1), root("httpkit[socks]~=2.0", "requirements.in", 2)};
  return c;
}

}  // namespace thoth::lock_test
