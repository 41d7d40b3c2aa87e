// Which versions may be chosen: Requires-Python, yanked, pre-releases, files for the target,
// constraints, direct URLs, policies and the timeout.
#include <gtest/gtest.h>

#include "memory_source.hpp"

namespace thoth::testing {
namespace {

Release rel(std::string version) {
  Release r;
  r.version = std::move(version);
  return r;
}

TEST(RequiresPython, MetadataExcludesNewerVersions) {
  MemorySource s;
  Release two = rel("2.0");
  two.requires_python = ">=3.12";
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
}

TEST(RequiresPython, FileDataRequiresPythonExcludes) {
  MemorySource s;
  Release two = rel("2.0");
  two.file_requires_python = ">=3.12";
  Release one = rel("1.0");
  one.file_requires_python = ">=3.8, <4";
  s.add("a", two).add("a", one);
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  EXPECT_EQ(s.metadata_calls, 1);  // 2.0 was never looked at
}

TEST(RequiresPython, FullVersionIsCompared) {
  MemorySource s;
  Release two = rel("2.0");
  two.requires_python = ">=3.11.4";  // the target is 3.11.0
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  ResolveOptions o = test_options();
  o.target = Target::from_json(R"({"python_version": "3.11.6", "platform": "manylinux_2_28_x86_64"})");
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==2.0");
}

TEST(RequiresPython, ExplainsTheFailure) {
  MemorySource s;
  Release two = rel("2.0");
  two.file_requires_python = ">=3.12";
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(explain(s, {"a>=2"}),
            "Because you require a>=2 which requires Python >=3.12, version solving failed.\n"
            "\n"
            "hint: a 2.0 was skipped: it requires Python >=3.12 and the target Python is 3.11.0\n");
}

TEST(Yanked, ExcludedUnlessPinned) {
  MemorySource s;
  Release two = rel("2.0");
  two.yanked = "broken build";
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  EXPECT_EQ(pins(resolve(s, {"a>=1"})), "a==1.0");
  EXPECT_EQ(pins(resolve(s, {"a==2.0"})), "a==2.0");
  EXPECT_EQ(pins(resolve(s, {"a===2.0"})), "a==2.0");
}

TEST(Yanked, PinFoundLaterStillWins) {
  // b's == pin on a yanked version arrives after a was already in use: the solver starts over with
  // the pin known, as pip's merged specifier would allow it.
  MemorySource s;
  Release two = rel("2.0");
  two.yanked = "";
  s.add("a", two).add("a", "1.0");
  s.add("b", "1.0", {"a==2.0"});
  EXPECT_EQ(pins(resolve(s, {"a", "b"})), "a==2.0 b==1.0");
}

TEST(Yanked, ExplainsTheFailure) {
  MemorySource s;
  Release two = rel("2.0");
  two.yanked = "broken build";
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(explain(s, {"a>=2"}),
            "Because you require a>=2 which was yanked (reason: broken build), version solving failed.\n"
            "\n"
            "hint: a 2.0 was skipped: yanked (broken build); a requirement pinning it with == can still use it\n");
}

TEST(PreReleases, ExcludedByDefault) {
  MemorySource s;
  s.add("a", "2.0b1").add("a", "1.0").add("a", "2.0.dev1");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  EXPECT_EQ(pins(resolve(s, {"a>=1.0"})), "a==1.0");
}

TEST(PreReleases, AllowedWithPre) {
  MemorySource s;
  s.add("a", "2.0b1").add("a", "1.0");
  ResolveOptions o = test_options();
  o.allow_prereleases = true;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==2.0b1");
}

TEST(PreReleases, AllowedWhenASpecifierNamesOne) {
  MemorySource s;
  s.add("a", "2.0b2").add("a", "2.0b1").add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a>=2.0b1"})), "a==2.0b2");
  // pip merges the specifiers of every requirement on a project: one naming a pre-release admits
  // pre-releases for all of them.
  s.add("b", "1.0", {"a<3"});
  EXPECT_EQ(pins(resolve(s, {"b", "a>=2.0b1"})), "a==2.0b2 b==1.0");
  // Also when that requirement is discovered after the project was first needed.
  s.add("c", "1.0", {"a>=2.0b1"});
  EXPECT_EQ(pins(resolve(s, {"a", "c"})), "a==2.0b2 c==1.0");
}

TEST(PreReleases, OnlyPreReleasesExist) {
  MemorySource s;
  s.add("a", "1.0b1").add("a", "0.9a1");
  // packaging's SpecifierSet.filter: an empty specifier falls back to pre-releases when no final
  // release exists.
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0b1");
  // A non-empty one does not (pip then finds no version).
  EXPECT_EQ(explain(s, {"a>=0.5"}),
            "Because you require a>=0.5 which matches only pre-releases, version solving failed.\n"
            "\n"
            "hint: only pre-releases of a exist; use --pre, or name a pre-release in the requirement\n");
  ResolveOptions o = test_options();
  o.allow_prereleases = true;
  EXPECT_EQ(pins(resolve(s, {"a>=0.5"}, {}, o)), "a==1.0b1");
}

TEST(Files, VersionsWithoutUsableFileAreSkipped) {
  MemorySource s;
  Release two = rel("2.0");
  two.wheels = {"cp311-cp311-win_amd64", "cp312-cp312-manylinux_2_17_x86_64"};
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  EXPECT_EQ(explain(s, {"a==2.0"}),
            "Because you require a==2.0 which has no usable file (no wheel for "
            "cp311-cp311-manylinux_2_28_x86_64 and no sdist), version solving failed.\n"
            "\n"
            "hint: a 2.0 was skipped: no wheel for cp311-cp311-manylinux_2_28_x86_64 and no sdist\n");
}

TEST(Files, BinaryPolicy) {
  MemorySource s;
  Release two = rel("2.0");
  two.wheels = {};
  two.sdist = true;
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==2.0");
  ResolveOptions o = test_options();
  o.binary.only_binary_all = true;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==1.0");
  o.binary = {};
  o.binary.no_binary = {"a"};
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==2.0");
  o.binary.only_binary = {"a"};
  o.binary.no_binary = {};
  EXPECT_EQ(explain(s, {"a>=2"}, {}, o),
            "Because you require a>=2 which has no usable file (no wheel and sdists are disabled by "
            "--only-binary), version solving failed.\n"
            "\n"
            "hint: a 2.0 was skipped: no wheel and sdists are disabled by --only-binary\n");
}

TEST(Files, PreferBinary) {
  MemorySource s;
  Release three = rel("3.0");
  three.wheels = {};
  three.sdist = true;
  s.add("a", three).add("a", "2.0").add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==3.0");
  ResolveOptions o = test_options();
  o.binary.prefer_binary = true;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, o)), "a==2.0");
  EXPECT_EQ(pins(resolve(s, {"a>2"}, {}, o)), "a==3.0");  // an sdist still when nothing else fits
}

TEST(Files, MissingProject) {
  MemorySource s;
  s.add("a", "1.0", {"nothere>=1"});
  EXPECT_EQ(explain(s, {"a"}),
            "Because you require a which depends on nothere>=1, which does not exist, version solving "
            "failed.\n"
            "\n"
            "hint: no project named nothere was found in the package sources\n");
}

TEST(Errors, SummaryNamesTheProjects) {
  MemorySource s;
  s.add("a", "1.0", {"nothere>=1"});
  try {
    resolve(s, {"a"});
    FAIL() << "resolved";
  } catch (const ResolutionError& e) {
    EXPECT_STREQ(e.what(), "the requirements cannot be satisfied (conflict involving a, nothere)");
  }
}

// A source failure is not a resolution failure: it reaches the caller as it is.
class BrokenSource : public MemorySource {
 public:
  std::shared_ptr<const CoreMetadata> metadata(const Candidate& c, const DistFile&) override {
    throw IndexError("cannot read metadata of " + c.name);
  }
};

TEST(Errors, SourceErrorsPassThrough) {
  BrokenSource s;
  s.add("a", "1.0");
  EXPECT_THROW(resolve(s, {"a"}), IndexError);
}

TEST(Errors, InconsistentMetadataSkipsTheVersion) {
  MemorySource s;
  Release two = rel("2.0");
  two.metadata_name = "other";
  s.add("a", two).add("a", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"})), "a==1.0");
  EXPECT_EQ(explain(s, {"a>=2"}),
            "Because you require a>=2 which cannot be used: its metadata is for other, version solving failed.\n"
            "\n"
            "hint: a 2.0 was skipped: its metadata is for other\n");
}

TEST(Constraints, RestrictButDoNotAdd) {
  MemorySource s;
  s.add("a", "1.0", {"b"}).add("a", "2.0", {"b"});
  s.add("b", "1.0").add("b", "2.0").add("c", "1.0");
  EXPECT_EQ(pins(resolve(s, {"a"}, {"b<2", "c==1.0", "a!=2.0"})), "a==1.0 b==1.0");
  // A constraint whose marker is false does nothing.
  EXPECT_EQ(pins(resolve(s, {"a"}, {"b<2; python_version < '3'"})), "a==2.0 b==2.0");
}

TEST(Constraints, ExplainedWhenTheyConflict) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0");
  EXPECT_EQ(explain(s, {"a>=2"}, {"a<2"}),
            "Because you require a>=2 which is excluded by the constraint a<2, version solving failed.\n");
}

TEST(DirectUrl, SelectsTheRegisteredCandidate) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0");
  s.add("b", "1.0", {"a>=1"});
  Release local = rel("1.5");
  Candidate c = s.candidate("a", local);
  c.files[0].url = "file:///wheels/a-1.5-py3-none-any.whl";
  s.add("a", local);  // the source knows its metadata
  ResolveOptions o = test_options();
  o.direct.push_back(c);
  Resolution r = resolve(s, {"a @ file:///wheels/a-1.5-py3-none-any.whl#sha256=00", "b"}, {}, o);
  EXPECT_EQ(pins(r), "a==1.5 b==1.0");
  EXPECT_EQ(r.find("a")->direct_url, "file:///wheels/a-1.5-py3-none-any.whl");
  EXPECT_EQ(explain(s, {"a @ file:///wheels/a-1.5-py3-none-any.whl", "a>=2"}, {}, o),
            "Because you require a>=2, which the direct URL requirement on a (version 1.5) does not "
            "satisfy, version solving failed.\n");
  EXPECT_EQ(explain(s, {"a @ file:///elsewhere/a.whl"}, {}, o),
            "Because you require a @ file:///elsewhere/a.whl, which is not among the direct URL "
            "candidates, version solving failed.\n");
}

class OldestPolicy : public Policy {
 public:
  std::size_t choose(std::string_view, const std::vector<const Candidate*>& v) const override { return v.size() - 1; }
};

class VetoPolicy : public Policy {
 public:
  bool forbids(std::string_view name, const Version& v) const override {
    return name == "b" && v == Version::parse("2.5");
  }
  std::size_t choose(std::string_view, const std::vector<const Candidate*>&) const override { return 0; }
};

// Prefers one listed version per project when offered, else the newest.
class PreferPolicy : public Policy {
 public:
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& v) const override {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (name == "c" && v[i]->version == Version::parse("1.0")) return i;
    }
    return 0;
  }
};

TEST(Policies, OlderVersionsStillGiveAValidResolution) {
  MemorySource s;
  s.add("a", "1.0", {"b>=2"}).add("a", "2.0", {"b>=1"});
  s.add("b", "1.0").add("b", "2.0").add("b", "3.0");
  OldestPolicy oldest;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, test_options(), &oldest)), "a==1.0 b==2.0");
}

TEST(Policies, ForbiddenVersionIsAvoided) {
  MemorySource s;
  s.add("a", "1.0", {"b>=2"});
  s.add("b", "1.0").add("b", "2.0").add("b", "2.5").add("b", "3.0");
  VetoPolicy veto;
  EXPECT_EQ(pins(resolve(s, {"a", "b<3"}, {}, test_options(), &veto)), "a==1.0 b==2.0");
  EXPECT_EQ(explain(s, {"b==2.5"}, {}, test_options(), &veto),
            "Because you require b==2.5 which is forbidden by the policy, version solving failed.\n"
            "\n"
            "hint: b 2.5 was skipped: excluded by the policy\n");
}

// Declines b whenever 3.0 is among the versions offered.
class DeclinePolicy : public Policy {
 public:
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& v) const override {
    for (const Candidate* c : v) {
      if (name == "b" && c->version == Version::parse("3.0")) return v.size();
    }
    return 0;
  }
};

TEST(Policies, DecliningAllOfferedVersions) {
  MemorySource s;
  s.add("a", "1.0", {"b"});
  s.add("b", "1.0").add("b", "2.0").add("b", "3.0");
  DeclinePolicy decline;
  EXPECT_EQ(pins(resolve(s, {"a", "b<3"}, {}, test_options(), &decline)), "a==1.0 b==2.0");
  EXPECT_EQ(explain(s, {"a"}, {}, test_options(), &decline),
            "Because a 1.0 depends on b which matches only versions declined by the policy, a 1.0 is "
            "forbidden.\n"
            "So, because you require a, version solving failed.\n"
            "\n"
            "hint: every version of b was skipped: excluded by the policy\n");
}

TEST(Policies, PreferredVersionWhenItFits) {
  MemorySource s;
  s.add("a", "1.0", {"c"}).add("c", "1.0").add("c", "2.0");
  PreferPolicy prefer;
  EXPECT_EQ(pins(resolve(s, {"a"}, {}, test_options(), &prefer)), "a==1.0 c==1.0");
  EXPECT_EQ(pins(resolve(s, {"a", "c>1"}, {}, test_options(), &prefer)), "a==1.0 c==2.0");
}

TEST(Timeout, FailsCleanly) {
  MemorySource s;
  for (int i = 0; i < 20; ++i) s.add("p" + std::to_string(i), "1.0", {"p" + std::to_string(i + 1)});
  s.delay = std::chrono::milliseconds(10);
  ResolveOptions o = test_options();
  o.timeout = std::chrono::milliseconds(50);
  try {
    resolve(s, {"p0"}, {}, o);
    FAIL() << "no timeout";
  } catch (const ResolutionError& e) {
    EXPECT_STREQ(e.what(), "resolution timed out after 0.05 s");
  }
}

// "a" 1.0 with a wheel, and a 2.0 that is only an sdist whose dependencies need a build.
MemorySource with_dynamic_sdist() {
  MemorySource s;
  s.add("a", needs_build("2.0")).add("a", "1.0");
  return s;
}

// An sdist whose dependencies need a build: the version is passed over (uv's --no-build), the user is
// told, and the older release with a wheel is used.
TEST(NeedsBuild, OlderVersionIsUsedAndTheSkipIsReported) {
  MemorySource s = with_dynamic_sdist();
  Resolution r = resolve(s, {"a"});
  EXPECT_EQ(pins(r), "a==1.0");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("skipped a 2.0: a-2.0.tar.gz needs a build"), std::string::npos) << r.warnings[0];
}

TEST(NeedsBuild, ExplainsTheFailureWhenNothingElseFits) {
  MemorySource s = with_dynamic_sdist();
  std::string why = explain(s, {"a>=2"});
  EXPECT_NE(why.find("Because you require a>=2 which needs a build to know its dependencies, version solving "
                     "failed."),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("hint: a 2.0 was skipped: a-2.0.tar.gz needs a build; thoth builds sdists to learn their "
                     "dependencies only for an interpreter's own environment"),
            std::string::npos)
      << why;
}

// A source that builds sdists for their metadata says when a build failed: the version is passed over
// with that reason alone (no hint that thoth does not build).
MemorySource with_failed_build() {
  MemorySource s;
  Release r = needs_build("2.0");
  r.build_failed = true;
  s.add("a", r).add("a", "1.0");
  return s;
}

TEST(BuildFailed, OlderVersionIsUsedAndTheFailureIsReported) {
  MemorySource s = with_failed_build();
  Resolution r = resolve(s, {"a"});
  EXPECT_EQ(pins(r), "a==1.0");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "skipped a 2.0: building a-2.0.tar.gz failed; an older version was looked for");
}

TEST(BuildFailed, ExplainsTheFailureWhenNothingElseFits) {
  MemorySource s = with_failed_build();
  std::string why = explain(s, {"a>=2"});
  EXPECT_NE(why.find("Because you require a>=2 which cannot be built to know its dependencies, version solving "
                     "failed."),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("hint: a 2.0 was skipped: building a-2.0.tar.gz failed (-v shows the build's output)"),
            std::string::npos)
      << why;
  EXPECT_EQ(why.find("thoth builds sdists"), std::string::npos) << why;
}

}  // namespace
}  // namespace thoth::testing
