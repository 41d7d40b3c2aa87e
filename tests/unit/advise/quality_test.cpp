// The advisor against exhaustive enumeration: random problems small enough to list every valid
// resolution; an independent validator (every requirement and marker evaluated here, the score by the
// formulas of thoth/scoring.hpp written again) checks each returned stack, and the best one must reach
// the optimum on at least 99% of the problems within an iteration budget.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <sstream>

#include "advise_testing.hpp"

namespace thoth::testing {
namespace {

struct Dep {
  int target = 0;
  std::string spec;    // PEP 440 specifier set
  std::string marker;  // "" or a PEP 508 marker
};

struct TestFact {
  int package = 0;
  std::string versions;
  std::string marker;
  std::vector<Dep> with;
  FactKind kind = FactKind::Performance;
  double score = 0;
  bool veto = false;
};

struct Problem {
  int packages = 0;
  int versions = 0;
  std::vector<std::vector<std::vector<Dep>>> deps;  // deps[p][v]
  std::vector<Dep> roots;
  std::vector<TestFact> facts;
  Recommendation recommendation = Recommendation::Performance;
};

constexpr int kMaxPackages = 6;

std::string name(int p) { return "p" + std::to_string(p); }
std::string version(int v) { return std::to_string(v + 1) + ".0"; }

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : x_(seed * 2654435761u + 12345) {}
  int next(int n) {
    x_ ^= x_ << 13, x_ ^= x_ >> 17, x_ ^= x_ << 5;
    return static_cast<int>(x_ % static_cast<std::uint32_t>(n));
  }
  // A PEP 440 specifier set of one of the shapes requirements have.
  std::string spec() {
    const std::string n = std::to_string(next(4) + 1);
    const std::string forms[] = {"", ">=" + n, "<" + n + ".5", "==" + n + ".*", "!=" + n + ".0", ">=" + n + ",<" + n + ".9"};
    return forms[next(6)];
  }
  std::string marker() {
    switch (next(8)) {
      case 0:
        return "sys_platform == 'linux'";
      case 1:
        return "python_version < '3'";
      case 2:
        return "python_version >= '3.8' and os_name == 'posix'";
      case 3:
        return "sys_platform == 'win32'";
      default:
        return "";
    }
  }
  Dep dep(int packages, int except) {
    int q = next(packages);
    if (q == except) q = (q + 1) % packages;
    return {q, spec(), marker()};
  }

 private:
  std::uint32_t x_;
};

Problem generate(std::uint32_t seed) {
  Generator g(seed);
  Problem pr;
  pr.packages = kMaxPackages - 1 + g.next(2);
  pr.versions = 4;
  pr.deps.resize(pr.packages);
  for (int p = 0; p < pr.packages; ++p) {
    pr.deps[p].resize(pr.versions);
    for (int v = 0; v < pr.versions; ++v) {
      for (int k = g.next(3); k > 0; --k) pr.deps[p][v].push_back(g.dep(pr.packages, p));
    }
  }
  for (int k = 1 + g.next(3); k > 0; --k) pr.roots.push_back(g.dep(pr.packages, -1));
  constexpr double kScores[] = {-1, -0.5, 0.25, 0.5, 1, 2};
  constexpr FactKind kKinds[] = {FactKind::Performance, FactKind::Security, FactKind::Broken, FactKind::Other,
                                 FactKind::InstallFailure};
  for (int k = 3 + g.next(5); k > 0; --k) {
    TestFact f;
    f.package = g.next(pr.packages);
    const int v = g.next(pr.versions);
    f.versions = g.next(2) ? "==" + version(v) : (g.next(2) ? ">=" : "<") + version(v);
    f.marker = g.next(4) ? "" : g.marker();
    if (g.next(4) == 0) f.with.push_back(g.dep(pr.packages, f.package));
    f.kind = kKinds[g.next(5)];
    f.score = kScores[g.next(6)];
    f.veto = g.next(8) == 0;
    pr.facts.push_back(f);
  }
  constexpr Recommendation kRecommendations[] = {Recommendation::Performance, Recommendation::Performance,
                                                 Recommendation::Security, Recommendation::Stable,
                                                 Recommendation::Latest};
  pr.recommendation = kRecommendations[g.next(5)];
  return pr;
}

// ---- the independent validator and scorer ---------------------------------------------------------

class Oracle {
 public:
  explicit Oracle(const Problem& pr) : pr_(pr) {
    const MarkerEnv& env = target().markers;
    auto parse = [&](const Dep& d) {
      return Parsed{d.target, SpecifierSet::parse(d.spec), d.marker.empty() || Marker::parse(d.marker).evaluate(env)};
    };
    for (int v = 0; v < pr.versions; ++v) versions_.push_back(Version::parse(version(v)));
    for (const Dep& d : pr.roots) roots_.push_back(parse(d));
    deps_.resize(pr.packages);
    for (int p = 0; p < pr.packages; ++p) {
      for (const auto& list : pr.deps[p]) {
        deps_[p].emplace_back();
        for (const Dep& d : list) deps_[p].back().push_back(parse(d));
      }
    }
    for (const TestFact& f : pr.facts) {
      ParsedFact pf{f.package, SpecifierSet::parse(f.versions), f.marker.empty() || Marker::parse(f.marker).evaluate(env), {}};
      for (const Dep& d : f.with) pf.with.push_back(parse(d));
      facts_.push_back(std::move(pf));
    }
  }

  // Every requirement of the roots and of each pinned version holds, and every pinned project is
  // needed (reached from the roots through requirements whose marker holds), as in a resolution.
  // choice[p] = -1 (not in the stack) or a version index.
  bool valid(const std::vector<int>& choice) const {
    for (const Parsed& d : roots_) {
      if (!holds(d, choice)) return false;
    }
    // Fixed arrays: this runs for every assignment of every problem.
    std::array<bool, kMaxPackages> needed{};
    std::array<int, kMaxPackages> stack;
    std::size_t top = 0;
    auto need = [&](const Parsed& d) {
      if (d.applies && !needed[d.target]) needed[d.target] = true, stack[top++] = d.target;
    };
    for (const Parsed& d : roots_) need(d);
    while (top > 0) {
      int p = stack[--top];
      if (choice[p] < 0) return false;
      for (const Parsed& d : deps_[p][choice[p]]) need(d);
    }
    for (int p = 0; p < pr_.packages; ++p) {
      if ((choice[p] >= 0) != needed[p]) return false;
      if (choice[p] < 0) continue;
      for (const Parsed& d : deps_[p][choice[p]]) {
        if (!holds(d, choice)) return false;
      }
    }
    return true;
  }

  // The formulas of thoth/scoring.hpp, written again.
  StackScore score(const std::vector<int>& choice) const {
    StackScore s;
    for (std::size_t i = 0; i < facts_.size(); ++i) {
      const ParsedFact& f = facts_[i];
      const TestFact& t = pr_.facts[i];
      if (choice[f.package] < 0 || !f.applies || !f.versions.contains(versions_[choice[f.package]], true)) continue;
      if (!std::all_of(f.with.begin(), f.with.end(), [&](const Parsed& d) { return holds(d, choice); })) continue;
      bool veto = t.veto;
      double w = 0;
      switch (pr_.recommendation) {
        case Recommendation::Latest:
          break;
        case Recommendation::Security:
          veto = veto || t.kind == FactKind::Security;
          w = t.kind == FactKind::Security ? -std::abs(t.score) : 0;
          break;
        case Recommendation::Stable:
          veto = veto || t.kind == FactKind::Broken || t.kind == FactKind::InstallFailure;
          w = t.kind == FactKind::Security ? -(1 + std::abs(t.score)) : t.kind == FactKind::Other ? t.score : 0;
          break;
        case Recommendation::Performance:
          w = t.score;
          break;
      }
      s.score += w;
      if (veto) ++s.vetoes;
    }
    return s;
  }

  // The best score of all valid stacks, if any, and the first stack that has it.
  std::optional<StackScore> optimum(std::vector<int>* argmax = nullptr) const {
    std::optional<StackScore> best;
    std::vector<int> choice(pr_.packages, -1);
    std::function<void(int)> walk = [&](int p) {
      if (p == pr_.packages) {
        if (!valid(choice)) return;
        StackScore s = score(choice);
        if (!best || better(s, *best)) {
          best = s;
          if (argmax) *argmax = choice;
        }
        return;
      }
      for (int v = -1; v < pr_.versions; ++v) {
        choice[p] = v;
        walk(p + 1);
      }
    };
    walk(0);
    return best;
  }

  std::vector<int> choice_of(const Resolution& r) const {
    std::vector<int> choice(pr_.packages, -1);
    for (const Pin& pin : r.pins) {
      const int p = std::stoi(pin.name.substr(1));
      EXPECT_EQ(pin.name, name(p));
      choice[p] = static_cast<int>(pin.version.release()[0]) - 1;
    }
    return choice;
  }

 private:
  struct Parsed {
    int target;
    SpecifierSet spec;
    bool applies;  // its marker holds on the target
  };
  struct ParsedFact {
    int package;
    SpecifierSet versions;
    bool applies;
    std::vector<Parsed> with;
  };

  // PEP 508: a requirement whose marker is false holds trivially.
  bool holds(const Parsed& d, const std::vector<int>& choice) const {
    return !d.applies || (choice[d.target] >= 0 && d.spec.contains(versions_[choice[d.target]]));
  }

  const Problem& pr_;
  std::vector<Version> versions_;
  std::vector<Parsed> roots_;
  std::vector<std::vector<std::vector<Parsed>>> deps_;
  std::vector<ParsedFact> facts_;
};

std::string fact_json(const TestFact& f) {
  std::string out = R"({"package": ")" + name(f.package) + R"(", "versions": ")" + f.versions + R"(", "kind": ")" +
                    std::string(fact_kind_name(f.kind)) + R"(", "score": )" + std::to_string(f.score) +
                    R"(, "veto": )" + (f.veto ? "true" : "false");
  if (!f.marker.empty()) out += R"(, "marker": ")" + f.marker + R"(")";
  if (!f.with.empty()) {
    out += R"(, "with": [)";
    for (std::size_t i = 0; i < f.with.size(); ++i) {
      const Dep& d = f.with[i];
      out += (i ? ", \"" : "\"") + name(d.target) + d.spec + (d.marker.empty() ? "" : "; " + d.marker) + "\"";
    }
    out += "]";
  }
  return out + "}";
}

std::string dep_text(const Dep& d) { return name(d.target) + d.spec + (d.marker.empty() ? "" : "; " + d.marker); }

// The problem for a failure message.
std::string describe(const Problem& pr, const std::vector<std::string>& facts, const std::vector<int>& best) {
  std::string out = "roots:";
  for (const Dep& d : pr.roots) out += " " + dep_text(d) + ",";
  for (int p = 0; p < pr.packages; ++p) {
    for (int v = 0; v < pr.versions; ++v) {
      out += "\n  " + name(p) + " " + version(v) + ":";
      for (const Dep& d : pr.deps[p][v]) out += " " + dep_text(d) + ",";
    }
  }
  for (const std::string& f : facts) out += "\n  " + f;
  out += "\n  optimum:";
  for (int p = 0; p < pr.packages; ++p) {
    if (best[p] >= 0) out += " " + name(p) + "==" + version(best[p]);
  }
  return out;
}

TEST(Quality, ReachesTheExhaustiveOptimum) {
  int problems = 0, optimal = 0, with_vetoes_avoidable = 0;
  std::size_t moves = 0;
  std::string misses;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    Problem pr = generate(seed);
    Oracle oracle(pr);
    std::vector<int> argmax;
    std::optional<StackScore> best = oracle.optimum(&argmax);
    if (!best) continue;  // no valid stack at all
    MemorySource source;
    for (int p = 0; p < pr.packages; ++p) {
      for (int v = 0; v < pr.versions; ++v) {
        std::vector<std::string> deps;
        for (const Dep& d : pr.deps[p][v]) deps.push_back(dep_text(d));
        source.add(name(p), version(v), deps);
      }
    }
    std::vector<std::string> roots;
    for (const Dep& d : pr.roots) roots.push_back(dep_text(d));
    std::vector<std::string> facts;
    for (const TestFact& f : pr.facts) facts.push_back(fact_json(f));
    KnowledgeBase kb = kb_of(facts);
    // 1,000 moves take about 3 ms on these problems: well inside the default budget of 1 s, and
    // deterministic.
    SearchOptions budget = iterations(1000, seed, seed % 3 ? SearchMethod::Annealing : SearchMethod::HillClimbing);
    budget.count = 1 + seed % 3;
    Advice advice = advise_on(source, roots, kb, pr.recommendation, budget);
    ++problems;
    moves += advice.stats.iterations;
    ASSERT_FALSE(advice.stacks.empty());
    for (const AdvisedStack& s : advice.stacks) {
      std::vector<int> choice = oracle.choice_of(s.resolution);
      ASSERT_TRUE(oracle.valid(choice)) << "seed " << seed << ": invalid stack " << pins(s.resolution);
      StackScore independent = oracle.score(choice);
      EXPECT_EQ(independent.vetoes, s.score.total.vetoes) << "seed " << seed;
      EXPECT_NEAR(independent.score, s.score.total.score, 1e-9) << "seed " << seed;
    }
    const StackScore got = oracle.score(oracle.choice_of(advice.stacks[0].resolution));
    EXPECT_FALSE(better(got, *best)) << "seed " << seed << ": better than the optimum";
    // A vetoed fact is never kept when a stack without vetoes exists.
    if (best->vetoes == 0) {
      ++with_vetoes_avoidable;
      EXPECT_EQ(got.vetoes, 0u) << "seed " << seed << ": " << pins(advice.stacks[0].resolution);
    }
    if (!better(*best, got)) {
      ++optimal;
    } else {
      std::ostringstream miss;
      miss << "seed " << seed << " (" << recommendation_name(pr.recommendation) << "): " << got.vetoes << "/" << got.score
           << " instead of " << best->vetoes << "/" << best->score << " after " << advice.stats.iterations
           << " iterations: " << pins(advice.stacks[0].resolution) << "\n" << describe(pr, facts, argmax) << "\n";
      misses += miss.str();
    }
  }
  EXPECT_GT(problems, 250);
  EXPECT_GE(optimal * 100, problems * 99) << optimal << " of " << problems << " optimal; the others:\n" << misses;
  RecordProperty("problems", problems);
  RecordProperty("optimal", optimal);
  RecordProperty("moves", static_cast<int>(moves));
}

}  // namespace
}  // namespace thoth::testing
