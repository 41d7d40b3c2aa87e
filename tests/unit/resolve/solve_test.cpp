// Solutions: trivial graphs, diamonds, backtracking, pub's worked examples, extras and markers.
#include <gtest/gtest.h>

#include "memory_source.hpp"

namespace thoth::testing {
namespace {

TEST(Solve, Trivial) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0").add("a", "1.5");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==2.0");
  EXPECT_EQ(pins(resolve(s, {"a<2"})), "a==1.5");
  EXPECT_EQ(pins(resolve(s, {"A<2,!=1.5"})), "a==1.0");
}

TEST(Solve, NoRequirements) {
  MemorySource s;
  EXPECT_EQ(pins(resolve(s, {})), "");
}

// pip's --no-deps: the roots alone, at the versions their own requirements allow.
TEST(Solve, IgnoringDependencies) {
  MemorySource s;
  s.add("a", "1.0", {"c>=1.0"}).add("a", "2.0", {"c>=2", "d[x]"}).add("c", "2.0").add("d", "1.0");
  ResolveOptions options = test_options();
  options.ignore_dependencies = true;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, options)), "a==2.0");
  EXPECT_EQ(pins(resolve(s, {"a<2", "c"}, {}, options)), "a==1.0 c==2.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==2.0 c==2.0 d[x]==1.0");
}

TEST(Solve, Diamond) {
  MemorySource s;
  s.add("a", "1.0", {"c>=1.0"}).add("b", "1.0", {"c<2"});
  s.add("c", "1.0").add("c", "1.5").add("c", "2.0");
  EXPECT_EQ(pins(resolve(s, {"a", "b"})), "a==1.0 b==1.0 c==1.5");
}

TEST(Solve, DeepBacktracking) {
  // The newest a leads to a conflict only four levels down (e 2.0 needs f<1, the root wants f>=1);
  // every older b, c, d still leads there, so the solver must learn that a 2.0 itself is out.
  MemorySource s;
  s.add("a", "2.0", {"b"}).add("a", "1.0");
  for (std::string v : {"1.0", "1.1", "1.2"}) {
    s.add("b", v, {"c"});
    s.add("c", v, {"d"});
    s.add("d", v, {"e>=2"});
  }
  s.add("e", "2.0", {"f<1"}).add("e", "1.0");
  s.add("f", "0.5").add("f", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a", "f>=1"})), "a==1.0 f==1.0");
}

// Issue 19: the number of candidates one resolution considers is bounded (ResolveOptions::max_candidates),
// with an error that says so, however little time it takes.
TEST(Solve, CandidateBoundStopsALongSearch) {
  MemorySource s;
  s.add("a", "2.0", {"b"}).add("a", "1.0");
  for (std::string v : {"1.0", "1.1", "1.2"}) {
    s.add("b", v, {"c"});
    s.add("c", v, {"d"});
    s.add("d", v, {"e>=2"});
  }
  s.add("e", "2.0", {"f<1"}).add("e", "1.0");
  s.add("f", "0.5").add("f", "1.0");
  ResolveOptions options = test_options();
  options.max_candidates = 3;
  try {
    resolve(s, {"a", "f>=1"}, {}, options);
    FAIL();
  } catch (const ResolutionError& e) {
    EXPECT_STREQ(e.what(), "resolution gave up after considering 3 candidate versions without finding a solution: "
                           "pin or constrain the projects it backtracks over, so that fewer versions need trying, "
                           "or allow more with --max-candidates");
    EXPECT_FALSE(e.timed_out());
  }
  options.max_candidates = 100;
  EXPECT_EQ(pins(resolve(s, {"a", "f>=1"}, {}, options)), "a==1.0 f==1.0");
  EXPECT_EQ(ResolveOptions{}.max_candidates, 200'000u);
}

TEST(Solve, BacktracksToOlderVersionOfDependency) {
  MemorySource s;
  s.add("a", "1.0", {"b"});
  s.add("b", "3.0", {"c>=3"}).add("b", "2.0", {"c>=2"}).add("b", "1.0", {"c>=1"});
  s.add("c", "1.0").add("c", "2.0").add("c", "3.0");
  EXPECT_EQ(pins(resolve(s, {"a", "c<3"})), "a==1.0 b==2.0 c==2.0");
}

// app needs left and right; both need base, left 2.0 with `left2_base`.
MemorySource diamond(const std::string& left2_base) {
  MemorySource s;
  s.add("app", "1.0", {"left>=1", "right>=1"});
  s.add("left", "1.0", {"base>=1"}).add("left", "2.0", {left2_base});
  s.add("right", "1.0", {"base"}).add("right", "2.0", {"base!=2.1,>=1.5"});
  s.add("base", "1.0").add("base", "2.0").add("base", "2.1").add("base", "3.0");
  return s;
}

// Where several answers exist, the one pip gives: pip decides packages nearest the root first
// (left and right before base) and keeps the newest version of each, so right 2.0 and base 2.0.
TEST(Solve, TieDecidedInPipsOrder) {
  MemorySource s = diamond("base>=2,<3");
  EXPECT_EQ(pins(resolve(s, {"app"})), "app==1.0 base==2.0 left==2.0 right==2.0");
}

// pip pins a version whose requirements exclude an earlier pin, and pins the earlier package again
// (resolvelib checks requirements, not pins): base 3.0 is decided before left (by name), yet left
// keeps its newest version 2.0 and base becomes 2.0. Without re-pinning, left would drop to 1.0.
TEST(Solve, LaterRequirementRepinsEarlierDecisionLikePip) {
  MemorySource s = diamond("base>=2,<2.1");
  EXPECT_EQ(pins(resolve(s, {"app", "right"})), "app==1.0 base==2.0 left==2.0 right==2.0");
}

// Re-pinning never keeps a package that only the undone decision needed: foo 2.0 brought in bar,
// whose requirement excludes foo 2.0, so bar is not pinned at all (pip would leave bar 1.0 in).
TEST(Solve, RepinDropsWhatOnlyTheUndoneDecisionNeeded) {
  MemorySource s;
  s.add("foo", "2.0", {"bar>=1.0,<2.0"}).add("foo", "1.0");
  s.add("bar", "1.0", {"foo>=1.0,<2.0"});
  EXPECT_EQ(pins(resolve(s, {"foo"})), "foo==1.0");
}

TEST(Solve, PubNoConflicts) {
  MemorySource s;
  s.add("foo", "1.0", {"bar>=1.0,<2.0"});
  s.add("bar", "1.0").add("bar", "2.0");
  EXPECT_EQ(pins(resolve(s, {"foo>=1.0,<2.0"})), "bar==1.0 foo==1.0");
}

TEST(Solve, PubAvoidingConflictDuringDecisionMaking) {
  MemorySource s;
  s.add("foo", "1.1", {"bar>=2.0,<3.0"}).add("foo", "1.0");
  s.add("bar", "1.0").add("bar", "1.1").add("bar", "2.0");
  EXPECT_EQ(pins(resolve(s, {"foo>=1.0,<2.0", "bar>=1.0,<2.0"})), "bar==1.1 foo==1.0");
}

TEST(Solve, PubPerformingConflictResolution) {
  MemorySource s;
  s.add("foo", "2.0", {"bar>=1.0,<2.0"}).add("foo", "1.0");
  s.add("bar", "1.0", {"foo>=1.0,<2.0"});
  EXPECT_EQ(pins(resolve(s, {"foo>=1.0"})), "foo==1.0");
}

TEST(Solve, PubConflictResolutionWithPartialSatisfier) {
  MemorySource s;
  s.add("foo", "1.1", {"left>=1.0,<2.0", "right>=1.0,<2.0"}).add("foo", "1.0");
  s.add("left", "1.0", {"shared>=1.0"});
  s.add("right", "1.0", {"shared<2.0"});
  s.add("shared", "2.0").add("shared", "1.0", {"target>=1.0,<2.0"});
  s.add("target", "2.0").add("target", "1.0");
  EXPECT_EQ(pins(resolve(s, {"foo>=1.0,<2.0", "target>=2.0,<3.0"})), "foo==1.0 target==2.0");
}

TEST(Solve, SelfDependencyIsHarmless) {
  MemorySource s;
  s.add("a", "1.0", {"a>=1"});
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
}

TEST(Solve, NamesAreNormalised) {
  MemorySource s;
  s.add("Foo.Bar", "1.0", {"Baz_Qux>=1"}).add("baz-qux", "1.0");
  EXPECT_EQ(pins(resolve(s, {"FOO_bar"})), "baz-qux==1.0 foo-bar==1.0");
}

TEST(Extras, ExtraAddsItsDependencies) {
  MemorySource s;
  s.add("a", "1.0", {"b", "c; extra == 'x'", "d; extra == 'y'"});
  s.add("b", "1.0").add("c", "1.0").add("d", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0 b==1.0");
  Resolution r = resolve(s, {"a[X]"});
  EXPECT_EQ(pins(r), "a[x]==1.0 b==1.0 c==1.0");
  ASSERT_NE(r.find("c"), nullptr);
  EXPECT_EQ(r.find("c")->via, std::vector<std::string>{"a"});
  EXPECT_EQ(pins(resolve(s, {"a[x,y]"})), "a[x,y]==1.0 b==1.0 c==1.0 d==1.0");
}

// pip 23's ExtrasCandidate: an extra the metadata does not list in Provides-Extra brings nothing,
// even when a Requires-Dist marker names it, and the user is warned.
TEST(Extras, ExtraNotProvidedBringsNothingAndIsReported) {
  MemorySource s;
  Release a;
  a.version = "1.0";
  a.requires_dist = {"b", "c; extra == 'x'"};
  a.provides_extra = std::vector<std::string>{};
  s.add("a", a).add("b", "1.0").add("c", "1.0");
  Resolution r = resolve(s, {"a[x]"});
  EXPECT_EQ(pins(r), "a[x]==1.0 b==1.0");
  EXPECT_EQ(r.warnings, std::vector<std::string>{"a 1.0 does not provide the extra 'x'"});
  r = resolve(s, {"a[nosuch]"});
  EXPECT_EQ(pins(r), "a[nosuch]==1.0 b==1.0");
  EXPECT_EQ(r.warnings, std::vector<std::string>{"a 1.0 does not provide the extra 'nosuch'"});
}

TEST(Extras, ExtraOfExtra) {
  MemorySource s;
  s.add("a", "1.0", {"a[x,y]; extra == 'all'", "b; extra == 'x'", "c; extra == 'y'"});
  s.add("b", "1.0").add("c", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a[all]"})), "a[all,x,y]==1.0 b==1.0 c==1.0");
}

TEST(Extras, MarkersOnExtraRequirements) {
  MemorySource s;
  s.add("a", "1.0",
        {"b; extra == 'x' and python_version < '3'", "c; extra == 'x' and sys_platform == 'linux'",
         "d; python_version >= '3' and extra == 'x'"});
  s.add("b", "1.0").add("c", "1.0").add("d", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a[x]"})), "a[x]==1.0 c==1.0 d==1.0");
}

TEST(Extras, ExtraFollowsTheProjectVersion) {
  // a[x] at 2.0 needs c>=2, which the root forbids; a[x] and a must both move to 1.0.
  MemorySource s;
  s.add("a", "2.0", {"c>=2; extra == 'x'"}).add("a", "1.0", {"c<2; extra == 'x'"});
  s.add("c", "1.0").add("c", "2.0");
  EXPECT_EQ(pins(resolve(s, {"a[x]", "c<2"})), "a[x]==1.0 c==1.0");
  EXPECT_EQ(pins(resolve(s, {"a", "a[x]", "c<2"})), "a[x]==1.0 c==1.0");
}

TEST(Extras, ConflictingExtraVersionReadsNoMetadata) {
  // a is decided at 1.0, whose extra x cannot be satisfied; a[x] at 2.0-4.0 would need another a, which
  // the solver sees without reading their metadata.
  MemorySource s;
  s.add("a", "1.0", {"b>=2; extra == 'x'"});
  for (std::string v : {"2.0", "3.0", "4.0"}) s.add("a", v, {"b; extra == 'x'"});
  s.add("b", "1.0");
  s.add("c", "1.0", {"a[x]"});
  EXPECT_EQ(explain(s, {"a<2", "c"}),
            "Because a[x] 2.0 depends on a 2.0 and a[x] 3.0 depends on a 3.0, a[x]>=2.0,<4.0 requires "
            "a>=2.0,<4.0.\n"
            "And because a[x] 4.0 depends on a 4.0, a[x]>=2.0 requires a>=2.0.\n"
            "And because a[x] 1.0 depends on b>=2, which matches no version of b, and c 1.0 depends on a[x], "
            "c 1.0 requires a>=2.0.\n"
            "So, because you require both a<2 and c, version solving failed.\n");
  EXPECT_EQ(s.metadata_calls, 2);
}

TEST(Extras, UnknownExtraOnlyNeedsTheProject) {
  MemorySource s;
  s.add("a", "1.0", {"b; extra == 'x'"}).add("b", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a[nope]"})), "a[nope]==1.0");
}

TEST(Markers, FalseMarkersDropDependencies) {
  MemorySource s;
  s.add("a", "1.0",
        {"b; python_version < '3'", "c; sys_platform == 'linux'", "d; os_name == 'nt'",
         "e; python_full_version >= '3.11.0'"});
  s.add("b", "1.0").add("c", "1.0").add("d", "1.0").add("e", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0 c==1.0 e==1.0");
}

TEST(Markers, RootRequirementMarkers) {
  MemorySource s;
  s.add("a", "1.0").add("b", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a; python_version >= '3.8'", "b; platform_system == 'Windows'"})), "a==1.0");
}

TEST(Markers, TargetDecidesTheMarkers) {
  MemorySource s;
  s.add("a", "1.0", {"winonly; sys_platform == 'win32'", "linuxonly; sys_platform == 'linux'"});
  s.add("winonly", "1.0").add("linuxonly", "1.0");
  ResolveOptions o = test_options();
  o.target = Target::from_json(R"({"python_version": "3.11", "platform": "win_amd64"})");
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==1.0 winonly==1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0 linuxonly==1.0");
}

TEST(Output, PinsCarryViaFilesAndRequirements) {
  MemorySource s;
  Release a;
  a.version = "1.0";
  a.requires_dist = {"c>=1", "d; python_version < '3'"};
  a.wheels = {"py3-none-any", "cp311-cp311-manylinux_2_17_x86_64"};
  a.sdist = true;
  a.metadata_name = "A";
  s.add("a", a);
  s.add("b", "1.0", {"c"});
  s.add("c", "1.0").add("d", "1.0");
  LatestPolicy latest;
  Resolver resolver(s, latest, test_options());
  Resolution r = resolver.resolve({RootRequirement{Requirement::parse("a"), "-r requirements.in"},
                                   RootRequirement{Requirement::parse("b"), ""}},
                                  {});
  ASSERT_EQ(pins(r), "a==1.0 b==1.0 c==1.0");
  const Pin* pa = r.find("a");
  ASSERT_NE(pa, nullptr);
  EXPECT_EQ(pa->display_name, "A");
  EXPECT_EQ(pa->via, std::vector<std::string>{"-r requirements.in"});
  ASSERT_EQ(pa->files.size(), 3u);
  EXPECT_EQ(pa->files[0].filename, "a-1.0-cp311-cp311-manylinux_2_17_x86_64.whl");  // best tag first
  EXPECT_EQ(pa->files[1].filename, "a-1.0-py3-none-any.whl");
  EXPECT_EQ(pa->files[2].filename, "a-1.0.tar.gz");
  ASSERT_EQ(pa->requires_dist.size(), 1u);
  EXPECT_EQ(pa->requires_dist[0].str(), "c>=1");
  EXPECT_EQ(r.find("c")->via, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r.find("b")->via.empty());
  EXPECT_EQ(r.find("zzz"), nullptr);
  EXPECT_EQ(r.target, test_target());
}

TEST(Output, Deterministic) {
  MemorySource s;
  for (int i = 0; i < 12; ++i) {
    std::string n = "p" + std::to_string(i);
    for (int v = 1; v <= 4; ++v) {
      std::vector<std::string> deps;
      if (i + 1 < 12) deps.push_back("p" + std::to_string(i + 1) + ">=" + std::to_string(v % 3 + 1));
      if (i + 3 < 12) deps.push_back("p" + std::to_string(i + 3) + "<" + std::to_string(5 - v % 2));
      s.add(n, std::to_string(v) + ".0", deps);
    }
  }
  std::string first = pins(resolve(s, {"p0", "p5<4"}));
  EXPECT_FALSE(first.empty());
  for (int k = 0; k < 5; ++k) EXPECT_EQ(pins(resolve(s, {"p0", "p5<4"})), first);
  // Root order does not matter either.
  EXPECT_EQ(pins(resolve(s, {"p5<4", "p0"})), first);
}

TEST(Prefetch, AsksAheadForCandidatesAndMetadata) {
  MemorySource s;
  s.add("a", "1.0", {"b", "c"}).add("b", "1.0", {"d"}).add("c", "1.0").add("d", "1.0");
  resolve(s, {"a"});
  EXPECT_GE(s.prefetched_candidates, 4);
  EXPECT_GE(s.prefetched_metadata, 3);
  EXPECT_EQ(s.candidate_calls, 4);  // each project once
  EXPECT_EQ(s.metadata_calls, 4);   // each chosen version once
}

}  // namespace
}  // namespace thoth::testing
