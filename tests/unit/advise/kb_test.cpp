// The knowledge base: format version 1 read and written, errors naming the file and the fact, merged
// files and directories, explain and observe.
#include <gtest/gtest.h>

#include "advise_testing.hpp"

namespace thoth::testing {
namespace {

// The AdviseError message of `f()`, or a test failure when it does not throw one.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const AdviseError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected AdviseError";
  return {};
}

TEST(KnowledgeBase, ReadsEveryField) {
  KnowledgeBase kb = kb_of({R"({"package": "NumPy", "versions": ">=1.20,<1.22", "marker": "python_version < '3.9'",
       "with": ["pillow==8.3.0", "scipy[dev]>=1"], "kind": "security", "score": -0.5, "veto": true,
       "message": "bad", "links": ["https://x.test/1"], "ids": ["CVE-1", "GHSA-2"]})",
                            R"({"package": "six"})"});
  ASSERT_EQ(kb.size(), 2u);
  const Fact& f = kb.facts()[0];
  EXPECT_EQ(f.package, "NumPy");
  EXPECT_EQ(f.name, "numpy");
  EXPECT_EQ(f.versions.str(), "<1.22,>=1.20");
  ASSERT_TRUE(f.marker);
  EXPECT_EQ(f.marker->str(), "python_version < \"3.9\"");
  ASSERT_EQ(f.with.size(), 2u);
  EXPECT_EQ(f.with[1].str(), "scipy[dev]>=1");
  EXPECT_EQ(f.kind, FactKind::Security);
  EXPECT_EQ(f.score, -0.5);
  EXPECT_TRUE(f.veto);
  EXPECT_EQ(f.message, "bad");
  EXPECT_EQ(f.links, std::vector<std::string>{"https://x.test/1"});
  EXPECT_EQ(f.ids, (std::vector<std::string>{"CVE-1", "GHSA-2"}));
  EXPECT_EQ(f.where(), "kb.json facts[0] (NumPy)");
  // Defaults.
  const Fact& g = kb.facts()[1];
  EXPECT_TRUE(g.versions.empty());
  EXPECT_FALSE(g.marker);
  EXPECT_EQ(g.kind, FactKind::Other);
  EXPECT_EQ(g.score, 0);
  EXPECT_FALSE(g.veto);
  EXPECT_EQ(g.index, 1u);
}

// Found by fuzzing: rapidjson 1.1.0's full-precision conversion read a zero with an exponent (0e50,
// 0.000e-30) as an arbitrary number (clz(0), undefined behaviour). Scores read as Python's float() does.
TEST(KnowledgeBase, ScoresAsPythonReadsThem) {
  auto score = [](const std::string& text) {
    return kb_of({R"({"package": "six", "score": )" + text + "}"}).facts()[0].score;
  };
  EXPECT_EQ(score("0e50"), 0.0);
  EXPECT_EQ(score("0.000e-30"), 0.0);
  EXPECT_EQ(score("-0E+3"), 0.0);
  EXPECT_EQ(score("1e-400"), 0.0);  // below the smallest double: zero, as float("1e-400")
  EXPECT_EQ(score("5e-324"), 5e-324);
  EXPECT_EQ(score("0.1"), 0.1);
  EXPECT_EQ(score("-0.30000000000000004"), -0.30000000000000004);
  EXPECT_EQ(score("2.2250738585072011e-308"), 2.2250738585072011e-308);
  EXPECT_EQ(score("-1"), -1.0);
  EXPECT_EQ(score("100000000000000000000000"), 1e23);
  EXPECT_NE(error_of([] { kb_of({R"({"package": "six", "score": 1.8e308})"}); }).find("score"), std::string::npos);
}

TEST(KnowledgeBase, IndexedByNormalisedName) {
  KnowledgeBase kb = kb_of({R"({"package": "Foo.Bar"})", R"({"package": "six"})", R"({"package": "foo_bar", "score": 1})"});
  auto facts = kb.facts_for("foo-bar");
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0]->index, 0u);  // load order
  EXPECT_EQ(facts[1]->index, 2u);
  EXPECT_TRUE(kb.facts_for("Foo.Bar").empty());  // callers pass normalised names
  EXPECT_TRUE(kb.facts_for("numpy").empty());
}

TEST(KnowledgeBase, CoversPreReleasesInItsRange) {
  KnowledgeBase kb = kb_of({R"({"package": "a", "versions": ">=1.0,<2"})", R"({"package": "a", "versions": ""})"});
  const Fact& f = kb.facts()[0];
  EXPECT_TRUE(f.covers(Version::parse("1.5rc1")));
  EXPECT_TRUE(f.covers(Version::parse("1.0")));
  EXPECT_FALSE(f.covers(Version::parse("2.0")));
  EXPECT_FALSE(f.covers(Version::parse("0.9")));
  EXPECT_TRUE(kb.facts()[1].covers(Version::parse("3.0a1")));  // every version
}

TEST(KnowledgeBase, ErrorsNameTheFileAndTheFact) {
  auto error = [](const std::string& fact) { return error_of([&] { kb_of({R"({"package": "ok"})", fact}); }); };
  EXPECT_EQ(error(R"({"package": "numpy", "versions": ">=1.x"})").rfind("kb.json: facts[1] (numpy): versions: ", 0), 0u)
      << error(R"({"package": "numpy", "versions": ">=1.x"})");
  EXPECT_NE(error(R"({"package": "numpy", "marker": "python_version <"})").find("facts[1] (numpy): marker: "), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "with": ["ok", "bad =="]})").find("facts[1] (numpy): with[1]: "), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "with": "x"})").find("with: expected an array of strings"), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "kind": "sec"})").find("kind: expected one of security"), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "score": "1"})").find("score: expected a number"), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "veto": 1})").find("veto: expected true or false"), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "ids": [1]})").find("ids: expected an array of strings"), std::string::npos);
  EXPECT_NE(error(R"({"package": "numpy", "message": []})").find("message: expected a string"), std::string::npos);
  EXPECT_EQ(error(R"({"versions": "<1"})"), "kb.json: facts[1]: \"package\" is missing");
  EXPECT_EQ(error(R"({"package": "a b"})"), "kb.json: facts[1] (a b): package: \"a b\" is not a valid project name (PEP 508)");
  EXPECT_EQ(error(R"(["numpy"])"), "kb.json: facts[1]: a fact must be an object, not an array");
}

TEST(KnowledgeBase, DocumentErrors) {
  auto error = [](const std::string& text) { return error_of([&] { parse_knowledge_base(text, "f.json"); }); };
  EXPECT_EQ(error(R"({"facts": []})"), "f.json: \"kb-version\" is missing (this thoth reads version 1)");
  EXPECT_EQ(error(R"({"kb-version": 2, "facts": []})"), "f.json: kb-version 2 is not supported (this thoth reads version 1)");
  EXPECT_EQ(error(R"({"kb-version": "1", "facts": []})"),
            "f.json: kb-version of the wrong type is not supported (this thoth reads version 1)");
  EXPECT_EQ(error(R"({"kb-version": 1})"), "f.json: \"facts\" must be an array");
  EXPECT_EQ(error("[]"), "f.json: a knowledge base is a JSON object with \"kb-version\" and \"facts\"");
  EXPECT_EQ(error(R"({"kb-version": 1, "facts": [})").rfind("f.json: invalid JSON at offset ", 0), 0u);
  EXPECT_EQ(error(""), "f.json: invalid JSON at offset 0: The document is empty.");
  EXPECT_EQ(error(R"({"kb-version": 1, "facts": []} x)").rfind("f.json: invalid JSON", 0), 0u);
  EXPECT_EQ(error("{\"kb-version\": 1, \"facts\": [], \"m\": \"\xff\"}").rfind("f.json: invalid JSON", 0), 0u);
}

TEST(KnowledgeBase, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_EQ(error_of([&] { parse_knowledge_base(deep, "deep.json"); }), "deep.json: JSON nested deeper than 64 levels");
  // Inside a fact's unknown field too.
  std::string nested = std::string(70, '[') + std::string(70, ']');
  EXPECT_EQ(error_of([&] { kb_of({R"({"package": "a", "extra": )" + nested + "}"}); }),
            "kb.json: JSON nested deeper than 64 levels");
  // 64 levels are fine.
  std::string ok = std::string(60, '[') + std::string(60, ']');
  EXPECT_EQ(kb_of({R"({"package": "a", "extra": )" + ok + "}"}).size(), 1u);
}

TEST(KnowledgeBase, CheckReportsEveryErrorAndUnknownFields) {
  KbCheck check = check_knowledge_base_text(
      kb_text({R"({"package": "a", "vetoo": true})", R"({"package": "b", "versions": "=<1"})", R"({"package": "c"})",
               R"({"package": "d", "kind": "x", "score": "y"})"}),
      "kb.json");
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.facts, 2u);
  ASSERT_EQ(check.errors.size(), 3u);
  EXPECT_EQ(check.errors[0].rfind("kb.json: facts[1] (b): versions: ", 0), 0u) << check.errors[0];
  EXPECT_EQ(check.errors[1], "kb.json: facts[3] (d): kind: expected one of security, broken, install-failure, performance, other");
  EXPECT_EQ(check.errors[2], "kb.json: facts[3] (d): score: expected a number");
  EXPECT_EQ(check.notes, std::vector<std::string>{"kb.json: facts[0] (a): unknown field \"vetoo\" ignored"});
  EXPECT_TRUE(check_knowledge_base_text(kb_text({R"({"package": "a"})"}), "x").ok());
}

TEST(KnowledgeBase, FilesAndDirectoriesMerge) {
  TempDir dir;
  dir.write("kb/b.json", kb_text({R"({"package": "b"})"}));
  dir.write("kb/sub/a.json", kb_text({R"({"package": "a1"})", R"({"package": "a2"})"}));
  dir.write("kb/notes.txt", "not a KB");
  auto single = dir.write("one.json", kb_text({R"({"package": "z"})"}));
  KnowledgeBase kb = load_knowledge_bases({single, dir.path() / "kb"});
  std::vector<std::string> order;
  for (const Fact& f : kb.facts()) order.push_back(f.package + "@" + std::filesystem::path(f.origin).filename().string());
  // The files in the order given, a directory's in path order ("kb/b.json" < "kb/sub/a.json").
  EXPECT_EQ(order, (std::vector<std::string>{"z@one.json", "b@b.json", "a1@a.json", "a2@a.json"}));
  EXPECT_EQ(kb.facts_for("a2").size(), 1u);

  dir.write("kb/sub/bad.json", kb_text({R"({"package": "x", "veto": "no"})"}));
  const std::string e = error_of([&] { load_knowledge_bases({dir.path() / "kb"}); });
  EXPECT_NE(e.find("bad.json: facts[0] (x): veto: expected true or false"), std::string::npos) << e;
  KbCheck check = check_knowledge_base(dir.path() / "kb");
  EXPECT_EQ(check.files, 3u);
  EXPECT_EQ(check.facts, 3u);
  EXPECT_EQ(check.errors.size(), 1u);
  EXPECT_NE(error_of([&] { load_knowledge_bases({dir.path() / "missing.json"}); }).find("missing.json: cannot read"),
            std::string::npos);
}

TEST(KnowledgeBase, WrittenDocumentsReadBackTheSame) {
  KnowledgeBase kb = kb_of({R"({"package": "NumPy", "versions": "<1.22,>=1.20", "marker": "python_version < '3.9'",
       "with": ["pillow==8.3.0"], "kind": "install-failure", "score": -0.25, "veto": true,
       "message": "caf\u00e9 \"q\"", "links": ["l"], "ids": ["i"]})",
                            R"({"package": "six", "score": 3})"});
  std::vector<Fact> facts(kb.facts().begin(), kb.facts().end());
  const std::string text = knowledge_base_json(facts);
  KnowledgeBase back = parse_knowledge_base(text, "back.json");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(knowledge_base_json(std::vector<Fact>(back.facts().begin(), back.facts().end())), text);
  const Fact& f = back.facts()[0];
  EXPECT_EQ(f.package, "NumPy");
  EXPECT_EQ(f.kind, FactKind::InstallFailure);
  EXPECT_EQ(f.message, "caf\u00e9 \"q\"");
  EXPECT_EQ(f.score, -0.25);
  EXPECT_TRUE(f.veto);
  EXPECT_NE(text.find("\"kb-version\": 1"), std::string::npos);
  // Optional fields only when set.
  EXPECT_EQ(text.find("\"marker\"", text.find("\"six\"")), std::string::npos);
}

TEST(KnowledgeBase, LoadsManyFacts) {
  std::vector<std::string> facts;
  for (int i = 0; i < 20000; ++i) {
    facts.push_back(R"({"package": "p)" + std::to_string(i % 5000) + R"(", "versions": ">=1.)" + std::to_string(i % 7) +
                    R"(,<2", "kind": "security", "score": -0.5, "ids": ["CVE-)" + std::to_string(i) + R"("]})");
  }
  KnowledgeBase kb = kb_of(facts);
  EXPECT_EQ(kb.size(), 20000u);
  EXPECT_EQ(kb.facts_for("p42").size(), 4u);
}

TEST(Explain, ListsTheFactsCoveringAVersion) {
  KnowledgeBase kb = kb_of({R"({"package": "numpy", "versions": "<1.22", "kind": "security", "score": -0.8,
                                "message": "overflow", "ids": ["CVE-1"], "links": ["https://x.test"]})",
                            R"({"package": "numpy", "versions": ">=1.22"})",
                            R"({"package": "NumPy", "marker": "sys_platform == 'win32'", "with": ["scipy<1"]})"});
  const Target& target = testing::target();
  std::vector<FactMatch> m = explain(kb, "NumPy==1.21.0", &target);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].fact->index, 0u);
  EXPECT_FALSE(m[0].marker_holds);
  EXPECT_EQ(m[1].fact->index, 2u);
  EXPECT_EQ(m[1].marker_holds, std::optional<bool>(false));
  const std::string text = format_explanation("numpy==1.21.0", m);
  EXPECT_NE(text.find("2 facts about numpy==1.21.0"), std::string::npos) << text;
  EXPECT_NE(text.find("security, score -0.8  [kb.json facts[0] (numpy)]"), std::string::npos) << text;
  EXPECT_NE(text.find("  overflow\n"), std::string::npos);
  EXPECT_NE(text.find("  id: CVE-1\n"), std::string::npos);
  EXPECT_NE(text.find("(false on the target: does not apply)"), std::string::npos);
  EXPECT_NE(text.find("only with: scipy<1"), std::string::npos);
  EXPECT_EQ(format_explanation("six==1.0", explain(kb, "six==1.0")), "no facts about six==1.0\n");
  for (const char* bad : {"numpy", "numpy>=1", "numpy==1.*", "numpy==1;python_version>'3'", "=="})
    EXPECT_THROW(explain(kb, std::string_view(bad)), AdviseError) << bad;
}

TEST(Observe, AFailureVetoesThatExactCombination) {
  const Target& target = testing::target();
  Fact f = observe({{"Six", Version::parse("1.16")}, {"attrs", Version::parse("23.1.0")}, {"zope.interface", Version::parse("6.0")}},
                   Outcome::Fail, "", &target);
  EXPECT_EQ(f.package, "attrs");
  EXPECT_EQ(f.versions.str(), "==23.1.0");
  ASSERT_EQ(f.with.size(), 2u);
  EXPECT_EQ(f.with[0].str(), "six==1.16");
  EXPECT_EQ(f.with[1].str(), "zope-interface==6.0");
  EXPECT_EQ(f.kind, FactKind::Broken);
  EXPECT_TRUE(f.veto);
  EXPECT_EQ(f.score, kObservedFailureScore);
  EXPECT_EQ(f.message, "stack tested: fail");
  ASSERT_TRUE(f.marker);
  EXPECT_TRUE(f.holds_on(target.markers));
  Target other = Target::from_json(R"({"python_version": "3.10", "platform": "manylinux_2_28_x86_64"})");
  EXPECT_FALSE(f.holds_on(other.markers));

  Fact pass = observe({{"a", Version::parse("1.0")}}, Outcome::Pass, "CI green");
  EXPECT_EQ(pass.kind, FactKind::Other);
  EXPECT_FALSE(pass.veto);
  EXPECT_EQ(pass.score, kObservedPassScore);
  EXPECT_EQ(pass.message, "CI green");
  EXPECT_FALSE(pass.marker);
  EXPECT_TRUE(pass.with.empty());
  // It reads back from a KB file.
  KnowledgeBase back = parse_knowledge_base(knowledge_base_json(std::vector<Fact>{f, pass}), "obs.json");
  EXPECT_EQ(back.facts()[0].with.size(), 2u);
  EXPECT_THROW(observe({}, Outcome::Pass), AdviseError);
}

}  // namespace
}  // namespace thoth::testing
