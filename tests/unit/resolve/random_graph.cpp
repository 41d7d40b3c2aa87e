#include "random_graph.hpp"

namespace thoth::testing {

std::string graph_name(int p) { return "p" + std::to_string(p); }
std::string graph_version(int v) { return std::to_string(v + 1) + ".0"; }

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

void add_graph(const Graph& g, MemorySource& source) {
  for (int p = 0; p < g.packages; ++p) {
    for (int v = 0; v < g.versions; ++v) {
      std::vector<std::string> deps;
      for (const auto& [q, spec] : g.deps[p][v]) deps.push_back(graph_name(q) + spec);
      source.add(graph_name(p), graph_version(v), deps);
    }
  }
}

std::vector<std::string> graph_roots(const Graph& g) {
  std::vector<std::string> out;
  for (const auto& [q, spec] : g.roots) out.push_back(graph_name(q) + spec);
  return out;
}

}  // namespace thoth::testing
