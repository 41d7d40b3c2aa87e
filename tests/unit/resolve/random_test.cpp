// Random small graphs checked against brute force: every resolution found satisfies all
// requirements, and the resolver fails only when no assignment of versions works at all.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>

#include "memory_source.hpp"

namespace thoth::testing {
namespace {

struct Graph {
  int packages = 0;
  int versions = 0;
  // deps[p][v] = list of (package, specifier text)
  std::vector<std::vector<std::vector<std::pair<int, std::string>>>> deps;
  std::vector<std::pair<int, std::string>> roots;
};

std::string name(int p) { return "p" + std::to_string(p); }
std::string version(int v) { return std::to_string(v + 1) + ".0"; }

Graph generate(std::uint32_t seed) {
  std::uint32_t x = seed * 2654435761u + 1;
  auto next = [&](int n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    return static_cast<int>(x % static_cast<std::uint32_t>(n));
  };
  auto spec = [&]() -> std::string {
    switch (next(5)) {
      case 0:
        return "";
      case 1:
        return ">=" + std::to_string(next(4) + 1);
      case 2:
        return "<" + std::to_string(next(4) + 2);
      case 3:
        return "==" + std::to_string(next(4) + 1) + ".*";
      default:
        return "!=" + std::to_string(next(4) + 1) + ".0";
    }
  };
  Graph g;
  g.packages = 5;
  g.versions = 4;
  g.deps.resize(g.packages);
  for (int p = 0; p < g.packages; ++p) {
    g.deps[p].resize(g.versions);
    for (int v = 0; v < g.versions; ++v) {
      int n = next(3);
      for (int k = 0; k < n; ++k) {
        int q = next(g.packages);
        if (q != p) g.deps[p][v].emplace_back(q, spec());
      }
    }
  }
  int r = 1 + next(3);
  for (int k = 0; k < r; ++k) g.roots.emplace_back(next(g.packages), spec());
  return g;
}

bool matches(const std::string& spec, int v) {
  return SpecifierSet::parse(spec).contains(Version::parse(version(v)));
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
    for (int p = 0; p < g.packages; ++p) {
      for (int v = 0; v < g.versions; ++v) {
        std::vector<std::string> deps;
        for (const auto& [q, spec] : g.deps[p][v]) deps.push_back(name(q) + spec);
        s.add(name(p), version(v), deps);
      }
    }
    std::vector<std::string> roots;
    for (const auto& [q, spec] : g.roots) roots.push_back(name(q) + spec);
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
