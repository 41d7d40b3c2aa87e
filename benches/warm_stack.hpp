// The warm stack the resolver and advisor benches share: 400 projects of 20 versions each with
// PyPI-shaped fan-out (newer versions require newer dependencies, some upper bounds that force
// backtracking, markers that are false on the target, extras), every page and metadata in memory, and
// a root set whose closure is about a hundred projects.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "thoth/index.hpp"
#include "thoth/resolve.hpp"

namespace thoth::bench {


constexpr int kProjects = 400;
constexpr int kVersions = 20;

inline std::string project(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "pkg-%03d", i);
  return buf;
}

inline std::string version(int v) { return std::to_string(1 + v / 4) + "." + std::to_string(v % 4) + ".0"; }

// Everything in memory: candidates() and metadata() only copy.
class WarmSource : public PackageSource {
 public:
  const std::vector<Candidate>& candidates(std::string_view name) override {
    static const std::vector<Candidate> kNone;
    auto it = candidates_.find(std::string(name));
    return it == candidates_.end() ? kNone : it->second;
  }
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& c, const DistFile&) override {
    return metadata_.at(c.name + " " + c.version.str());
  }

  void add(const std::string& name, int v, std::vector<std::string> deps, std::vector<std::string> extras) {
    Candidate c;
    c.name = name;
    c.version = Version::parse(version(v));
    DistFile f;
    std::string stem = name;
    for (char& ch : stem) ch = ch == '-' ? '_' : ch;
    f.filename = stem + "-" + version(v) + "-py3-none-any.whl";
    f.url = "https://files.test/" + f.filename;
    f.wheel = WheelName::parse(f.filename);
    f.requires_python = ">=3.8";
    c.files.push_back(std::move(f));
    CoreMetadata md;
    md.name = name;
    md.version = c.version;
    for (const std::string& d : deps) md.requires_dist.push_back(Requirement::parse(d));
    md.provides_extra = std::move(extras);
    md.requires_python = SpecifierSet::parse(">=3.8");
    metadata_[name + " " + c.version.str()] = std::make_shared<const CoreMetadata>(std::move(md));
    auto& list = candidates_[name];
    list.insert(list.begin(), std::move(c));  // newest first
  }

 private:
  std::map<std::string, std::vector<Candidate>> candidates_;
  std::map<std::string, std::shared_ptr<const CoreMetadata>> metadata_;
};

struct Stack {
  WarmSource source;
  std::vector<Requirement> roots;
};

inline Stack& stack() {
  static Stack s = [] {
    Stack st;
    std::uint32_t x = 2024;
    auto next = [&](int n) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      return static_cast<int>(x % static_cast<std::uint32_t>(n));
    };
    for (int i = 0; i < kProjects; ++i) {
      // A fixed set of dependencies per project (fan-out 0-5, to projects further down the stack),
      // each appearing from some version on.
      struct Dep {
        int target, since, kind;
      };
      std::vector<Dep> deps;
      // Real stacks share a few hubs (six, typing-extensions, numpy, ...): the last 20 projects.
      int fanout = i < 360 ? next(6) : 0;
      for (int k = 0; k < fanout; ++k) {
        int target = next(5) < 2 ? kProjects - 20 + next(20) : i + 1 + next(std::min(40, kProjects - 21 - i));
        if (target > i) deps.push_back({target, next(8), next(20)});
      }
      bool squeezes = next(20) == 0;  // its newest versions cap a dependency others need new
      for (int v = 0; v < kVersions; ++v) {
        std::vector<std::string> reqs;
        for (const Dep& d : deps) {
          if (v < d.since) continue;
          std::string r = project(d.target) + ">=" + std::to_string(1 + v * 3 / kVersions) + ".0";
          if (d.kind < 4) r += ",<" + std::to_string(3 + v / 5);
          if (squeezes && v >= kVersions - 3 && d.kind < 8) r = project(d.target) + "<2";
          if (d.kind == 18) r += "; python_version < '3.8'";
          if (d.kind == 19) r += "; sys_platform == 'win32'";
          reqs.push_back(r);
        }
        if (i % 7 == 0 && i + 1 < kProjects) reqs.push_back(project(i + 1) + "[speedups]; extra == 'fast'");
        std::vector<std::string> extras;
        if (i % 7 == 1) {
          extras.push_back("speedups");
          if (i + 2 < kProjects) reqs.push_back(project(i + 2) + "; extra == 'speedups'");
        }
        st.source.add(project(i), v, reqs, extras);
      }
    }
    for (int i = 100; i < 130; i += 3) st.roots.push_back(Requirement::parse(project(i) + (i % 2 ? "" : "[fast]")));
    return st;
  }();
  return s;
}

// The target, parsed once.
inline const ResolveOptions& options() {
  static const ResolveOptions o = [] {
    ResolveOptions out;
    out.target = Target::from_json(R"({"python_version": "3.11", "platform": "manylinux_2_28_x86_64"})");
    return out;
  }();
  return o;
}

}  // namespace thoth::bench
