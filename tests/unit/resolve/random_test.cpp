// Random small graphs checked against brute force: every resolution found satisfies all
// requirements, and the resolver fails only when no assignment of versions works at all.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "random_graph.hpp"

namespace thoth::testing {
namespace {

bool matches(const std::string& spec, int v) {
  return SpecifierSet::parse(spec).contains(Version::parse(graph_version(v)));
}

// choice[p] = -1 (not selected) or a version index.
bool valid(const Graph& g, const std::vector<int>& choice) {
  auto ok = [&](int q, const std::string& spec) { return choice[q] >= 0 && matches(spec, choice[q]); };
  for (const auto& [q, spec] : g.roots) {
    if (!ok(q, spec)) return false;
  }
  for (int p = 0; p < g.packages; ++p) {
    if (choice[p] < 0) continue;
    for (const auto& [q, spec] : g.deps[p][choice[p]]) {
      if (!ok(q, spec)) return false;
    }
  }
  return true;
}

bool solvable(const Graph& g) {
  std::vector<int> choice(g.packages, -1);
  std::function<bool(int)> search = [&](int p) {
    if (p == g.packages) return valid(g, choice);
    for (int v = -1; v < g.versions; ++v) {
      choice[p] = v;
      if (search(p + 1)) return true;
    }
    return false;
  };
  return search(0);
}

TEST(Random, AgreesWithBruteForce) {
  int solved = 0, failed = 0;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    Graph g = generate(seed);
    MemorySource s;
    add_graph(g, s);
    std::vector<std::string> roots = graph_roots(g);
    bool expect = solvable(g);
    try {
      Resolution r = resolve(s, roots);
      std::vector<int> choice(g.packages, -1);
      for (const Pin& pin : r.pins) choice[std::stoi(pin.name.substr(1))] = static_cast<int>(pin.version.release()[0]) - 1;
      EXPECT_TRUE(valid(g, choice)) << "seed " << seed << ": invalid resolution " << pins(r);
      EXPECT_TRUE(expect) << "seed " << seed;
      ++solved;
    } catch (const ResolutionError& e) {
      EXPECT_FALSE(expect) << "seed " << seed << ": " << e.explanation();
      EXPECT_NE(e.explanation().find("version solving failed"), std::string::npos) << e.explanation();
      ++failed;
    }
  }
  // Both outcomes are exercised.
  EXPECT_GT(solved, 50);
  EXPECT_GT(failed, 10);
}

}  // namespace
}  // namespace thoth::testing
