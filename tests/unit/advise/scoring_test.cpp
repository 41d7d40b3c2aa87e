// The scoring pipeline: each recommendation's weights, each unit kind on hand-made stacks.
#include <gtest/gtest.h>

#include "advise_testing.hpp"

namespace thoth::testing {
namespace {

Fact fact(FactKind kind, double score, bool veto = false) {
  Fact f;
  f.package = f.name = "a";
  f.kind = kind;
  f.score = score;
  f.veto = veto;
  return f;
}

TEST(Weigh, TheFormulasOfEachRecommendation) {
  using R = Recommendation;
  using K = FactKind;
  auto w = [](R r, K k, double score, bool veto = false) {
    FactWeight fw = weigh(r, fact(k, score, veto));
    return std::to_string(fw.score) + (fw.veto ? " veto" : "");
  };
  // latest: annotates only; vetoes are kept.
  EXPECT_EQ(w(R::Latest, K::Performance, 3), "0.000000");
  EXPECT_EQ(w(R::Latest, K::Security, -1), "0.000000");
  EXPECT_EQ(w(R::Latest, K::Other, 1, true), "0.000000 veto");
  // security: advisories veto and cost their severity; nothing else counts.
  EXPECT_EQ(w(R::Security, K::Security, -0.8), "-0.800000 veto");
  EXPECT_EQ(w(R::Security, K::Security, 0.8), "-0.800000 veto");
  EXPECT_EQ(w(R::Security, K::Broken, -1), "0.000000");
  EXPECT_EQ(w(R::Security, K::Performance, 2, true), "0.000000 veto");
  // stable: broken and install failures veto, advisories cost at least 1, other facts count.
  EXPECT_EQ(w(R::Stable, K::Broken, 0), "0.000000 veto");
  EXPECT_EQ(w(R::Stable, K::InstallFailure, -2), "0.000000 veto");
  EXPECT_EQ(w(R::Stable, K::Security, -0.5), "-1.500000");
  EXPECT_EQ(w(R::Stable, K::Security, 0), "-1.000000");
  EXPECT_EQ(w(R::Stable, K::Other, 0.25), "0.250000");
  EXPECT_EQ(w(R::Stable, K::Other, -0.25), "-0.250000");
  EXPECT_EQ(w(R::Stable, K::Performance, 5), "0.000000");
  // performance: every score as written.
  EXPECT_EQ(w(R::Performance, K::Performance, 2), "2.000000");
  EXPECT_EQ(w(R::Performance, K::Security, -0.5), "-0.500000");
  EXPECT_EQ(w(R::Performance, K::Other, 1, true), "1.000000 veto");

  EXPECT_EQ(recommendation_from_name("stable"), Recommendation::Stable);
  EXPECT_EQ(recommendation_name(Recommendation::Performance), "performance");
  EXPECT_FALSE(recommendation_from_name("fast"));
}

TEST(Better, FewerVetoesFirstThenScore) {
  EXPECT_TRUE(better({0, -5}, {1, 10}));
  EXPECT_FALSE(better({1, 10}, {0, -5}));
  EXPECT_TRUE(better({0, 1}, {0, 0.5}));
  EXPECT_FALSE(better({0, 1}, {0, 1}));
  EXPECT_FALSE(better({0, 0.1 + 0.2}, {0, 0.3}));  // equal within rounding
}

// A stack of a (several versions), b and c.
struct Fixture {
  MemorySource source;
  Fixture() {
    source.add("a", "1.0").add("a", "2.0").add("a", "3.0rc1");
    source.add("b", "1.0", {"c[fast]"});
    Release c;
    c.version = "1.0";
    c.provides_extra = std::vector<std::string>{"fast"};
    source.add("c", c);
  }
  Resolution stack(const std::vector<std::string>& roots) { return resolve(source, roots); }
};

TEST(Scorer, StepsScoreEachPinnedVersion) {
  Fixture fx;
  KnowledgeBase kb = kb_of({R"({"package": "A", "versions": "<2", "kind": "performance", "score": 1})",
                            R"({"package": "a", "versions": ">=2", "kind": "performance", "score": 0.5})",
                            R"({"package": "a", "kind": "performance", "score": 0.25, "marker": "sys_platform == 'win32'"})",
                            R"({"package": "c", "kind": "other", "score": -2})"});
  Scorer scorer(kb, Recommendation::Performance, target());
  Resolution s = fx.stack({"a==2.0", "b"});
  ScoredStack scored = scorer.score(s);
  ASSERT_EQ(scored.pins.size(), 3u);  // a, b, c
  EXPECT_DOUBLE_EQ(scored.pins[0].total.score, 0.5);
  ASSERT_EQ(scored.pins[0].effects.size(), 1u);  // the marker of the third is false on the target
  EXPECT_EQ(scored.pins[0].effects[0].fact, &kb.facts()[1]);
  EXPECT_EQ(scored.pins[0].effects[0].unit, "facts");
  EXPECT_TRUE(scored.pins[1].effects.empty());
  EXPECT_DOUBLE_EQ(scored.pins[2].total.score, -2);
  EXPECT_DOUBLE_EQ(scored.total.score, -1.5);
  EXPECT_EQ(scored.total.vetoes, 0u);
  EXPECT_DOUBLE_EQ(scorer.step_score("a", Version::parse("1.0")).score, 1);
  EXPECT_DOUBLE_EQ(scorer.step_score("zzz", Version::parse("1.0")).score, 0);
  EXPECT_DOUBLE_EQ(scorer.bound(), 1.5);  // the positive weights whose marker holds
}

TEST(Scorer, SievesDropWhatTheRecommendationVetoes) {
  KnowledgeBase kb = kb_of({R"({"package": "a", "versions": "==2.0", "kind": "security", "score": -0.5})",
                            R"({"package": "a", "versions": "==1.0", "kind": "broken"})",
                            R"({"package": "b", "versions": "==1.0", "veto": true, "with": ["a==1.0"]})",
                            R"({"package": "c", "veto": true, "marker": "sys_platform == 'win32'"})"});
  Target t = target();
  Scorer security(kb, Recommendation::Security, t);
  EXPECT_TRUE(security.forbids("a", Version::parse("2.0")));
  EXPECT_FALSE(security.forbids("a", Version::parse("1.0")));
  EXPECT_FALSE(security.forbids("b", Version::parse("1.0")));  // a stack condition: no sieve
  EXPECT_FALSE(security.forbids("c", Version::parse("1.0")));  // false on the target
  EXPECT_FALSE(security.forbids("unknown", Version::parse("1.0")));
  EXPECT_TRUE(security.sieves_anything());
  Scorer stable(kb, Recommendation::Stable, t);
  EXPECT_FALSE(stable.forbids("a", Version::parse("2.0")));
  EXPECT_TRUE(stable.forbids("a", Version::parse("1.0")));
  Scorer performance(kb, Recommendation::Performance, t);
  EXPECT_FALSE(performance.forbids("a", Version::parse("1.0")));
  EXPECT_FALSE(performance.sieves_anything());
}

TEST(Scorer, StridesJudgeCombinations) {
  Fixture fx;
  KnowledgeBase kb = kb_of({
      R"({"package": "b", "with": ["a<2"], "kind": "broken", "score": -1, "veto": true})",
      R"({"package": "b", "with": ["a>=2", "c[fast]==1.0"], "kind": "performance", "score": 2})",
      R"({"package": "b", "with": ["c[slow]"], "kind": "performance", "score": 10})",
      R"({"package": "b", "with": ["zzz"], "kind": "performance", "score": 10})",
      R"({"package": "b", "with": ["zzz; sys_platform == 'win32'"], "kind": "performance", "score": 0.5})",
  });
  Scorer scorer(kb, Recommendation::Performance, target());
  ScoredStack old_a = scorer.score(fx.stack({"a==1.0", "b"}));
  EXPECT_EQ(old_a.total.vetoes, 1u);
  EXPECT_DOUBLE_EQ(old_a.total.score, -1 + 0.5);
  ScoredStack new_a = scorer.score(fx.stack({"a==2.0", "b"}));
  EXPECT_EQ(new_a.total.vetoes, 0u);
  EXPECT_DOUBLE_EQ(new_a.total.score, 2 + 0.5);
  ASSERT_EQ(new_a.pins[1].effects.size(), 2u);  // counted on b's pin
  EXPECT_EQ(new_a.pins[1].effects[0].unit, "combinations");
  EXPECT_DOUBLE_EQ(scorer.step_score("b", Version::parse("1.0")).score, 0);  // steps alone ignore them
}

TEST(Scorer, StableCostsPreReleases) {
  Fixture fx;
  KnowledgeBase kb;
  Scorer stable(kb, Recommendation::Stable, target());
  ScoredStack s = stable.score(fx.stack({"a==3.0rc1"}));
  EXPECT_DOUBLE_EQ(s.total.score, -kStablePrereleaseCost);
  ASSERT_EQ(s.pins[0].effects.size(), 1u);
  EXPECT_EQ(s.pins[0].effects[0].unit, "prerelease");
  EXPECT_EQ(s.pins[0].effects[0].fact, nullptr);
  Scorer performance(kb, Recommendation::Performance, target());
  EXPECT_DOUBLE_EQ(performance.score(fx.stack({"a==3.0rc1"})).total.score, 0);
}

TEST(Scorer, MarkersThatCannotBeEvaluatedNameTheFactAtOnce) {
  auto error = [](const std::string& fact) -> std::string {
    KnowledgeBase kb = kb_of({R"({"package": "ok", "marker": "os_name == 'posix'"})", fact});
    try {
      Scorer scorer(kb, Recommendation::Performance, target());
    } catch (const AdviseError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error(R"({"package": "a", "marker": "os_name ~= 'posix'"})").rfind("kb.json facts[1] (a): marker cannot be evaluated", 0),
            0u);
  EXPECT_EQ(error(R"({"package": "a", "with": ["b; os_name ~= 'posix'"]})")
                .rfind("kb.json facts[1] (a): a \"with\" marker cannot be evaluated", 0),
            0u);
}

TEST(Scorer, JustificationListsEffectsAvoidedFactsAndWarnings) {
  Fixture fx;
  KnowledgeBase kb = kb_of({R"({"package": "a", "versions": "==2.0", "kind": "security", "score": -0.5, "ids": ["CVE-9"],
                                "message": "bad"})",
                            R"({"package": "a", "versions": "==1.0", "kind": "other", "score": 0.5})",
                            R"({"package": "a", "kind": "performance", "score": 3})"});
  Scorer scorer(kb, Recommendation::Stable, target());
  Resolution chosen = fx.stack({"a==1.0"});
  Resolution locked = fx.stack({"a<3"});
  std::vector<std::optional<Version>> newest = {Version::parse("2.0")};
  Justification j = scorer.justify(chosen, scorer.score(chosen), &locked, &newest);
  ASSERT_EQ(j.packages.size(), 1u);
  const PackageJustification& p = j.packages[0];
  EXPECT_EQ(p.version.str(), "1.0");
  EXPECT_EQ(p.newest->str(), "2.0");
  EXPECT_EQ(p.locked->str(), "2.0");
  EXPECT_DOUBLE_EQ(p.score.total.score, 0.5);
  ASSERT_EQ(p.avoided.size(), 1u);  // the advisory; the performance fact applies to both (and weighs 0)
  EXPECT_EQ(p.avoided[0].fact, &kb.facts()[0]);
  EXPECT_DOUBLE_EQ(p.avoided[0].score, -1.5);
  EXPECT_TRUE(j.warnings.empty());

  Justification bad = scorer.justify(locked, scorer.score(locked), &locked, &newest);
  EXPECT_TRUE(bad.packages[0].avoided.empty());
  ASSERT_EQ(bad.warnings.size(), 1u);
  EXPECT_EQ(bad.warnings[0], "a 2.0 has an advisory: security CVE-9: bad [kb.json facts[0] (a)]");
  Scorer security(kb, Recommendation::Security, target());
  Justification loud = security.justify(locked, security.score(locked), nullptr, nullptr);
  EXPECT_EQ(loud.warnings[0].rfind("a 2.0 kept a vetoed fact (no stack without it was found): security CVE-9", 0), 0u);
}

}  // namespace
}  // namespace thoth::testing
