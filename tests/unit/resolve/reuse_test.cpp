// One Resolver called many times (the advisor's use): each call gives what a new Resolver with the same
// source, options and policy gives, whatever earlier calls asked for, and reads nothing twice.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "random_graph.hpp"

namespace thoth::testing {
namespace {

// Forbids listed versions and prefers one listed version per project when offered (else the newest,
// or with `oldest` the oldest).
class TablePolicy : public Policy {
 public:
  std::set<std::pair<std::string, std::string>> forbidden;  // (name, version)
  std::map<std::string, std::string, std::less<>> preferred;
  bool oldest = false;

  bool forbids(std::string_view name, const Version& v) const override {
    return forbidden.count({std::string(name), v.str()}) != 0;
  }
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const override {
    auto it = preferred.find(name);
    for (std::size_t i = 0; it != preferred.end() && i < versions.size(); ++i) {
      if (versions[i]->version.str() == it->second) return i;
    }
    return oldest ? versions.size() - 1 : 0;
  }
};

// Everything a caller can see of a call's outcome.
std::string outcome(Resolver& resolver, const std::vector<std::string>& roots,
                    const std::vector<std::string>& constraints, const Policy& policy) {
  std::vector<RootRequirement> labelled;
  for (const Requirement& r : reqs(roots)) labelled.push_back({r, "-r in"});
  std::string out;
  try {
    Resolution r = resolver.resolve(labelled, reqs(constraints), policy);
    out = pins(r) + "\n";
    for (const Pin& p : r.pins) {
      out += p.name + " via";
      for (const std::string& v : p.via) out += " " + v;
      out += "; requires";
      for (const Requirement& d : p.requires_dist) out += " " + d.str();
      out += "; files " + std::to_string(p.files.size()) + "\n";
    }
    for (const std::string& w : r.warnings) out += "warning: " + w + "\n";
  } catch (const ResolutionError& e) {
    out = std::string("error: ") + e.what() + "\n" + e.explanation();
  }
  return out;
}

// A random graph, plus releases that exercise the per-call rules: a yanked 5.0 (usable when pinned
// with ==), a pre-release 6.0rc1 (usable when a specifier names one) and a 7.0 sdist that needs a
// build (skipped with a warning), on some projects.
struct Problem {
  Graph graph;
  std::vector<std::pair<int, std::string>> releases;  // (package, kind) of the extra releases

  void fill(MemorySource& s) const {
    add_graph(graph, s);
    for (const auto& [p, kind] : releases) {
      Release r = kind == "7.0" ? needs_build(kind) : Release{};
      r.version = kind;
      if (kind == "5.0") r.yanked = "broken";
      s.add(graph_name(p), r);
    }
  }
};

struct Random {
  std::uint32_t x;
  int next(int n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    return static_cast<int>(x % static_cast<std::uint32_t>(n));
  }
};

TEST(Reuse, EveryCallAgreesWithANewResolver) {
  int failed = 0, solved = 0;
  for (std::uint32_t seed = 1; seed <= 120; ++seed) {
    Problem problem{generate(seed), {}};
    Random rng{seed * 7919u + 17};
    const char* kinds[] = {"5.0", "6.0rc1", "7.0"};
    for (int p = 0; p < problem.graph.packages; ++p) {
      for (const char* kind : kinds) {
        if (rng.next(3) == 0) problem.releases.emplace_back(p, kind);
      }
    }
    MemorySource kept;
    problem.fill(kept);
    Resolver resolver(kept, test_options());
    for (int call = 0; call < 8; ++call) {
      std::vector<std::string> roots = graph_roots(problem.graph);
      // Requirements that turn pip's merged-specifier rules on for this call only.
      const char* asks[] = {"==5.0", ">=6.0rc1", ">=7", "", "<3"};
      for (int k = rng.next(3); k > 0; --k) roots.push_back(graph_name(rng.next(problem.graph.packages)) + asks[rng.next(5)]);
      std::vector<std::string> constraints;
      if (rng.next(3) == 0) constraints.push_back(graph_name(rng.next(problem.graph.packages)) + asks[rng.next(5)]);
      TablePolicy policy;
      policy.oldest = rng.next(4) == 0;
      for (int k = rng.next(4); k > 0; --k) {
        std::string version = graph_version(rng.next(problem.graph.versions));
        std::string name = graph_name(rng.next(problem.graph.packages));
        if (rng.next(2)) {
          policy.forbidden.emplace(name, version);
        } else {
          policy.preferred[name] = version;
        }
      }

      MemorySource fresh_source;
      problem.fill(fresh_source);
      Resolver fresh(fresh_source, policy, test_options());
      std::string expected = outcome(fresh, roots, constraints, policy);
      std::string got = outcome(resolver, roots, constraints, policy);
      EXPECT_EQ(got, expected) << "seed " << seed << ", call " << call;
      (expected.rfind("error: ", 0) == 0 ? failed : solved)++;
    }
  }
  // Both outcomes are exercised.
  EXPECT_GT(solved, 300);
  EXPECT_GT(failed, 300);
}

TEST(Reuse, PreReleaseNamedInOneCallIsNotUsedInTheNext) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0rc1");
  LatestPolicy latest;
  Resolver resolver(s, latest, test_options());
  EXPECT_EQ(pins(resolver.resolve(reqs({"a>=2.0rc1"}), {})), "a==2.0rc1");
  EXPECT_EQ(pins(resolver.resolve(reqs({"a"}), {})), "a==1.0");
}

TEST(Reuse, YankedPinInOneCallIsNotUsedInTheNext) {
  MemorySource s;
  Release yanked;
  yanked.version = "2.0";
  yanked.yanked = "broken";
  s.add("b", "1.0").add("b", yanked);
  LatestPolicy latest;
  Resolver resolver(s, latest, test_options());
  EXPECT_EQ(pins(resolver.resolve(reqs({"b==2.0"}), {})), "b==2.0");
  EXPECT_EQ(pins(resolver.resolve(reqs({"b"}), {})), "b==1.0");
}

TEST(Reuse, PolicyPerCall) {
  MemorySource s;
  s.add("a", "1.0", {"b"});
  s.add("b", "1.0").add("b", "2.0").add("b", "3.0");
  TablePolicy veto;
  veto.forbidden.emplace("b", "3.0");
  TablePolicy prefer;
  prefer.preferred["b"] = "1.0";
  LatestPolicy latest;
  Resolver resolver(s, test_options());
  EXPECT_EQ(pins(resolver.resolve(reqs({"a"}), {})), "a==1.0 b==3.0");
  std::vector<RootRequirement> roots{{Requirement::parse("a"), ""}};
  EXPECT_EQ(pins(resolver.resolve(roots, {}, veto)), "a==1.0 b==2.0");
  EXPECT_EQ(pins(resolver.resolve(roots, {}, prefer)), "a==1.0 b==1.0");
  EXPECT_EQ(pins(resolver.resolve(roots, {}, latest)), "a==1.0 b==3.0");
  EXPECT_EQ(pins(resolver.resolve(roots, {}, veto)), "a==1.0 b==2.0");
}

TEST(Reuse, PagesAndMetadataAreReadOnce) {
  MemorySource s;
  s.add("a", "1.0", {"b"}).add("a", "2.0", {"b<2"});
  s.add("b", "1.0").add("b", "2.0");
  Resolver resolver(s, test_options());
  std::vector<RootRequirement> roots{{Requirement::parse("a"), ""}};
  TablePolicy old_a;
  old_a.preferred["a"] = "1.0";
  EXPECT_EQ(pins(resolver.resolve(roots, {}, old_a)), "a==1.0 b==2.0");
  EXPECT_EQ(pins(resolver.resolve(roots, {})), "a==2.0 b==1.0");
  int pages = s.candidate_calls, metadata = s.metadata_calls;
  EXPECT_EQ(pins(resolver.resolve(roots, {}, old_a)), "a==1.0 b==2.0");
  EXPECT_EQ(pins(resolver.resolve(roots, {})), "a==2.0 b==1.0");
  EXPECT_EQ(s.candidate_calls, pages);
  EXPECT_EQ(s.metadata_calls, metadata);
}

// The warning about a version passed over is a fact of each resolution that tries the version.
TEST(Reuse, WarningsBelongToTheCall) {
  MemorySource s;
  s.add("a", needs_build("2.0")).add("a", "1.0");
  Resolver resolver(s, test_options());
  EXPECT_EQ(resolver.resolve(reqs({"a"}), {}).warnings.size(), 1u);
  EXPECT_EQ(resolver.resolve(reqs({"a<2"}), {}).warnings.size(), 0u);
  EXPECT_EQ(resolver.resolve(reqs({"a"}), {}).warnings.size(), 1u);
}

TEST(Reuse, FailureWithoutExplanation) {
  MemorySource s;
  s.add("a", "1.0", {"b>=2"}).add("b", "1.0");
  ResolveOptions quiet = test_options();
  quiet.explain = false;
  Resolver resolver(s, quiet);
  Resolver explaining(s, test_options());
  try {
    resolver.resolve(reqs({"a"}), {});
    ADD_FAILURE() << "resolved";
  } catch (const ResolutionError& e) {
    EXPECT_EQ(e.explanation(), "");
    EXPECT_STREQ(e.what(), "the requirements cannot be satisfied (conflict involving a, b)");
    EXPECT_FALSE(e.timed_out());
  }
  try {
    explaining.resolve(reqs({"a"}), {});
    ADD_FAILURE() << "resolved";
  } catch (const ResolutionError& e) {
    EXPECT_STREQ(e.what(), "the requirements cannot be satisfied (conflict involving a, b)");
    EXPECT_NE(e.explanation().find("version solving failed"), std::string::npos);
  }
}

std::string versions(const std::vector<const Candidate*>& list) {
  std::string out;
  for (const Candidate* c : list) out += (out.empty() ? "" : " ") + c->version.str();
  return out;
}

TEST(AcceptableVersions, NewestFirstWithoutSkippedYankedOrPreReleases) {
  MemorySource s;
  Release yanked;
  yanked.version = "3.0";
  yanked.yanked = "broken";
  Release windows;
  windows.version = "2.5";
  windows.wheels = {"cp311-cp311-win_amd64"};
  Release old_python;
  old_python.version = "0.9";
  old_python.file_requires_python = "<3";
  s.add("a", "1.0").add("a", "2.0").add("a", yanked).add("a", windows).add("a", "4.0rc1").add("a", old_python);
  s.add("b", "1.0rc1").add("b", "1.0rc2");
  Resolver resolver(s, test_options());
  EXPECT_EQ(versions(resolver.acceptable_versions("A")), "2.0 1.0");
  EXPECT_EQ(versions(resolver.acceptable_versions("b")), "1.0rc2 1.0rc1");  // only pre-releases exist
  EXPECT_EQ(versions(resolver.acceptable_versions("missing")), "");
  ResolveOptions pre = test_options();
  pre.allow_prereleases = true;
  Resolver with_pre(s, pre);
  EXPECT_EQ(versions(with_pre.acceptable_versions("a")), "4.0rc1 2.0 1.0");
}

TEST(AcceptableVersions, IndependentOfCallsAndPolicy) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0").add("a", "3.0rc1");
  TablePolicy veto;
  veto.forbidden.emplace("a", "2.0");
  Resolver resolver(s, veto, test_options());
  EXPECT_EQ(pins(resolver.resolve(reqs({"a>=3.0rc1"}), {})), "a==3.0rc1");
  EXPECT_EQ(versions(resolver.acceptable_versions("a")), "2.0 1.0");
  EXPECT_EQ(s.candidate_calls, 1);
}

TEST(AcceptableVersions, DirectCandidates) {
  MemorySource s;
  Release r;
  r.version = "1.0";
  ResolveOptions o = test_options();
  o.direct.push_back(s.candidate("a", r));
  s.add("a", "2.0");
  Resolver resolver(s, o);
  EXPECT_EQ(versions(resolver.acceptable_versions("a")), "1.0");
  EXPECT_EQ(s.candidate_calls, 0);
}

}  // namespace
}  // namespace thoth::testing
