// The advisor on small mirrors with hand-made knowledge bases: each recommendation, vetoes of versions
// and of combinations, the fallback when no stack avoids every veto, determinism, several stacks, the
// report, sampling, and the callbacks over a PackageSource.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "advise_testing.hpp"

namespace thoth::testing {
namespace {

// A web stack: app needs web and db; web 3.x needs db>=2; each has four releases.
MemorySource web_stack() {
  MemorySource s;
  for (const char* v : {"1.0", "2.0", "3.0", "3.1"}) s.add("web", v, {std::string(v)[0] == '3' ? "db>=2" : "db"});
  for (const char* v : {"1.0", "1.5", "2.0", "2.1"}) s.add("db", v);
  s.add("app", "1.0", {"web", "db"});
  return s;
}

std::string pins_of(const Advice& a, std::size_t i = 0) { return pins(a.stacks.at(i).resolution); }

TEST(Advise, LatestIsThePlainResolutionAnnotated) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==3.1", "kind": "performance", "score": -1,
                                "message": "slow"})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Latest);
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.1 web==3.1");
  EXPECT_EQ(pins(a.locked), pins_of(a));
  EXPECT_EQ(a.stats.iterations, 0u);  // nothing can be better: no search
  EXPECT_TRUE(a.stats.optimal);
  EXPECT_TRUE(a.sieved);
  const PackageJustification& web = a.stacks[0].justification.packages[2];
  ASSERT_EQ(web.score.effects.size(), 1u);  // annotated, weighing nothing
  EXPECT_EQ(web.score.effects[0].score, 0);
}

TEST(Advise, LatestStillDropsVetoedVersions) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "db", "versions": ">=2.1", "veto": true})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Latest);
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.0 web==3.1");
  EXPECT_EQ(pins(a.locked), "app==1.0 db==2.1 web==3.1");
}

TEST(Advise, SecurityForbidsAdvisoriesWhenACleanStackExists) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "db", "versions": ">=2", "kind": "security", "score": -0.9, "ids": ["CVE-1"]})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Security);
  // db<2 forces web<3.
  EXPECT_EQ(pins_of(a), "app==1.0 db==1.5 web==2.0");
  EXPECT_EQ(a.stacks[0].score.total.vetoes, 0u);
  EXPECT_TRUE(a.warnings.empty());
  const PackageJustification& db = a.stacks[0].justification.packages[1];
  EXPECT_EQ(db.newest->str(), "1.5");  // the newest a move could choose
  EXPECT_EQ(db.locked->str(), "2.1");
  EXPECT_EQ(db.avoided_in->str(), "2.1");
  ASSERT_EQ(db.avoided.size(), 1u);  // what the locked 2.1 would have brought
  EXPECT_EQ(db.avoided[0].fact->ids[0], "CVE-1");
}

TEST(Advise, SecurityKeepsTheFewestAdvisoriesLoudlyWhenNoneIsClean) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "db", "kind": "security", "score": -0.3, "ids": ["CVE-all"]})",
                            R"({"package": "db", "versions": "<2", "kind": "security", "score": -0.9, "ids": ["CVE-old"]})",
                            R"({"package": "web", "versions": "==3.1", "kind": "security", "score": -0.5, "ids": ["CVE-web"]})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Security);
  EXPECT_FALSE(a.sieved);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].find("no resolution avoids every version the security recommendation vetoes"), std::string::npos);
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.1 web==3.0");
  EXPECT_EQ(a.stacks[0].score.total.vetoes, 1u);
  EXPECT_DOUBLE_EQ(a.stacks[0].score.total.score, -0.3);
  const std::vector<std::string>& warnings = a.stacks[0].justification.warnings;
  ASSERT_EQ(warnings.size(), 2u);  // the fallback, then the advisory kept
  EXPECT_NE(warnings[1].find("db 2.1 kept a vetoed fact (no stack without it was found): security CVE-all"), std::string::npos)
      << warnings[1];
}

TEST(Advise, StableVetoesBrokenAndPrefersKnownGood) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==3.1", "kind": "broken"})",
                            R"({"package": "web", "versions": "==2.0", "kind": "other", "score": 0.8})",
                            R"({"package": "db", "versions": "==2.0", "kind": "other", "score": 0.1})",
                            R"({"package": "db", "versions": "==1.5", "kind": "security", "score": 0})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Stable);
  // web 2.0 (+0.8) with db 2.0 (+0.1) beats web 3.0 (0) with db 2.0 (+0.1).
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.0 web==2.0");
  EXPECT_DOUBLE_EQ(a.stacks[0].score.total.score, 0.9);
  EXPECT_TRUE(a.stats.optimal);  // it reached the bound
}

TEST(Advise, StablePrefersFinalReleases) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0b1");
  KnowledgeBase kb;
  Advice a = advise_on(s, {"a>=1.0b1"}, kb, Recommendation::Stable);  // the pre-release is allowed
  EXPECT_EQ(pins(a.locked), "a==2.0b1");
  EXPECT_EQ(pins_of(a), "a==1.0");
}

TEST(Advise, PerformanceSumsEveryScore) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==2.0", "kind": "performance", "score": 2})",
                            R"({"package": "db", "versions": "<2", "kind": "performance", "score": -1})",
                            R"({"package": "db", "versions": "==2.0", "kind": "security", "score": -0.5})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Performance);
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.1 web==2.0");
  EXPECT_DOUBLE_EQ(a.stacks[0].score.total.score, 2);
}

TEST(Advise, VetoedCombinationsAreAvoided) {
  MemorySource s = web_stack();
  // The newest pair is broken together; each alone is fine.
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==3.1", "with": ["db==2.1"], "kind": "broken", "veto": true})"});
  for (Recommendation r : {Recommendation::Latest, Recommendation::Security, Recommendation::Stable, Recommendation::Performance}) {
    Advice a = advise_on(s, {"app"}, kb, r);
    EXPECT_EQ(a.stacks[0].score.total.vetoes, 0u) << recommendation_name(r);
    EXPECT_NE(pins_of(a), "app==1.0 db==2.1 web==3.1") << recommendation_name(r);
  }
  // Not among several stacks either, though it was visited (it is the plain resolution).
  SearchOptions several = iterations(100);
  several.count = 20;
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Performance, several);
  EXPECT_EQ(a.stacks.size(), 11u);  // every stack of the space (12) but the vetoed one
  for (const AdvisedStack& stack : a.stacks) EXPECT_EQ(stack.score.total.vetoes, 0u) << pins(stack.resolution);
}

TEST(Advise, SameSeedSameResultAndSeveralDistinctStacks) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "web", "kind": "performance", "score": 0.3, "versions": "==3.0"})",
                            R"({"package": "db", "kind": "performance", "score": 0.2, "versions": "==1.5"})",
                            R"({"package": "db", "kind": "performance", "score": 0.05, "versions": "==2.1"})"});
  SearchOptions o = iterations(60, 7);
  o.count = 4;
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Performance, o);
  Advice b = advise_on(s, {"app"}, kb, Recommendation::Performance, o);
  ASSERT_EQ(a.stacks.size(), 4u);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < a.stacks.size(); ++i) {
    EXPECT_EQ(pins_of(a, i), pins_of(b, i));
    distinct.insert(pins_of(a, i));
    if (i) {
      EXPECT_FALSE(better(a.stacks[i].score.total, a.stacks[i - 1].score.total));  // best first
    }
  }
  EXPECT_EQ(distinct.size(), 4u);
  EXPECT_EQ(a.stats.iterations, b.stats.iterations);
  EXPECT_EQ(a.stats.resolutions, b.stats.resolutions);
  EXPECT_EQ(pins_of(a), "app==1.0 db==2.1 web==3.0");  // 0.35; db 1.5 (0.2) needs web < 3
  EXPECT_EQ(a.stats.iterations, 60u);
}

TEST(Advise, HillClimbingWithRestarts) {
  MemorySource s = web_stack();
  // A trap: the newest web is good, the best is far below it.
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==3.1", "kind": "performance", "score": 1})",
                            R"({"package": "web", "versions": "==1.0", "with": ["db==1.0"], "kind": "performance", "score": 5})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Performance, iterations(300, 3, SearchMethod::HillClimbing));
  EXPECT_EQ(pins_of(a), "app==1.0 db==1.0 web==1.0");
  EXPECT_GT(a.stats.restarts, 0u);
}

TEST(Advise, Errors) {
  MemorySource s = web_stack();
  KnowledgeBase kb;
  SearchOptions none = iterations(0);
  EXPECT_THROW(advise_on(s, {"app"}, kb, Recommendation::Latest, none), AdviseError);
  SearchOptions zero = iterations(10);
  zero.count = 0;
  EXPECT_THROW(advise_on(s, {"app"}, kb, Recommendation::Latest, zero), AdviseError);
  EXPECT_THROW(advise_on(s, {"web>=3", "db<2"}, kb, Recommendation::Latest), ResolutionError);
}

TEST(Advise, TimeBudget) {
  MemorySource s = web_stack();
  // The bound (2) cannot be reached: web 3.1 needs db >= 2.
  KnowledgeBase kb = kb_of({R"({"package": "web", "versions": "==3.1", "kind": "performance", "score": 1})",
                            R"({"package": "db", "versions": "==1.0", "kind": "performance", "score": 1})"});
  SearchOptions o;
  o.time = std::chrono::milliseconds(50);
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Performance, o);
  EXPECT_GT(a.stats.iterations, 0u);
  EXPECT_GE(a.stats.elapsed.count(), 50);
}

TEST(Report, JsonAndTable) {
  MemorySource s = web_stack();
  KnowledgeBase kb = kb_of({R"({"package": "db", "versions": ">=2", "kind": "security", "score": -0.9, "ids": ["CVE-1"],
                                "message": "leak"})"});
  Advice a = advise_on(s, {"app"}, kb, Recommendation::Security);
  const std::string json = justification_json(a);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_STREQ(doc["recommendation"].GetString(), "security");
  EXPECT_STREQ(doc["search"]["method"].GetString(), "annealing");
  EXPECT_TRUE(doc["stats"]["sieved"].GetBool());
  const auto& packages = doc["stacks"][0]["packages"];
  ASSERT_EQ(packages.Size(), 3u);
  EXPECT_STREQ(packages[1]["name"].GetString(), "db");
  EXPECT_STREQ(packages[1]["version"].GetString(), "1.5");
  EXPECT_STREQ(packages[1]["locked"].GetString(), "2.1");
  EXPECT_EQ(packages[1]["facts"].Size(), 0u);
  const auto& avoided = packages[1]["avoided"][0];
  EXPECT_STREQ(avoided["unit"].GetString(), "facts");
  EXPECT_DOUBLE_EQ(avoided["weight"].GetDouble(), -0.9);
  EXPECT_TRUE(avoided["vetoes"].GetBool());
  EXPECT_STREQ(avoided["fact"]["ids"][0].GetString(), "CVE-1");
  EXPECT_STREQ(avoided["fact"]["origin"].GetString(), "kb.json facts[0] (db)");

  const std::string table = justification_table(a);
  EXPECT_NE(table.find("recommendation: security (annealing, seed 0)"), std::string::npos) << table;
  EXPECT_NE(table.find("package  version  newest  locked  score\n"), std::string::npos) << table;
  EXPECT_NE(table.find("db       1.5      1.5     2.1     0\n"), std::string::npos) << table;
  EXPECT_NE(table.find("    avoided in 2.1: facts -0.9 VETO security CVE-1: leak [kb.json facts[0] (db)]"), std::string::npos)
      << table;
  EXPECT_NE(table.find(" iterations, "), std::string::npos);
}

TEST(Sample, DistinctValidResolutionsBySeed) {
  MemorySource s = web_stack();
  ResolveFn fn = callbacks(s, {"app"}).resolve;
  SampleOptions o;
  o.count = 5;
  o.seed = 11;
  Sample a = sample(fn, o);
  Sample b = sample(fn, o);
  ASSERT_EQ(a.resolutions.size(), 5u);
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < a.resolutions.size(); ++i) {
    EXPECT_EQ(pins(a.resolutions[i]), pins(b.resolutions[i]));
    distinct.insert(pins(a.resolutions[i]));
    // Valid: web 3.x only with db >= 2.
    const Pin* web = a.resolutions[i].find("web");
    const Pin* db = a.resolutions[i].find("db");
    ASSERT_TRUE(web && db);
    if (web->version.release()[0] == 3) {
      EXPECT_GE(db->version.release()[0], 2u);
    }
  }
  EXPECT_EQ(distinct.size(), 5u);
  // The space has 2 x 4 + 2 x 2 = 12 stacks: asking for more finds them all, then stops.
  o.count = 50;
  o.attempts = 2000;
  Sample all = sample(fn, o);
  EXPECT_EQ(all.resolutions.size(), 12u);
  EXPECT_EQ(all.attempts, 2000u);
  o.seed = 12;
  o.count = 5;
  o.attempts = 0;
  std::set<std::string> other;
  for (const Resolution& r : sample(fn, o).resolutions) other.insert(pins(r));
  EXPECT_NE(other, distinct);
}

TEST(Callbacks, OverOneResolver) {
  MemorySource s;
  s.add("a", "1.0").add("a", "2.0rc1").add("a", "0.5");
  Release yanked;
  yanked.version = "1.5";
  yanked.yanked = "broken";
  s.add("a", yanked);
  Release windows;
  windows.version = "1.8";
  windows.wheels = {"cp311-cp311-win_amd64"};
  s.add("a", windows);
  s.add("b", "1.0b1").add("b", "1.0b2");
  // The versions a move may choose: not yanked, usable on the target, pre-releases only when allowed
  // or when there is no final release.
  ResolverCallbacks c = callbacks(s, {"a"});
  auto texts = [&](const std::string& name, const ResolverCallbacks& cb) {
    std::string out;
    for (const Version& v : cb.versions(name)) out += (out.empty() ? "" : " ") + v.str();
    return out;
  };
  EXPECT_EQ(texts("a", c), "1.0 0.5");
  EXPECT_EQ(texts("b", c), "1.0b2 1.0b1");
  EXPECT_EQ(texts("nothing", c), "");
  ResolveOptions pre = options();
  pre.allow_prereleases = true;
  EXPECT_EQ(texts("a", callbacks(s, {"a"}, {}, pre)), "2.0rc1 1.0 0.5");

  // No resolution throws ResolutionError (never nullopt); a policy per call.
  LatestPolicy latest;
  EXPECT_EQ(pins(*c.resolve(latest)), "a==1.0");
  struct Oldest : Policy {
    std::size_t choose(std::string_view, const std::vector<const Candidate*>& v) const override { return v.size() - 1; }
  } oldest;
  EXPECT_EQ(pins(*c.resolve(oldest)), "a==0.5");
  EXPECT_EQ(pins(*c.resolve(latest)), "a==1.0");
  EXPECT_THROW(callbacks(s, {"a>5"}).resolve(latest), ResolutionError);
}

}  // namespace
}  // namespace thoth::testing
