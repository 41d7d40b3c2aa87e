// Random small dependency graphs for the resolver tests: a few projects of a few versions, each
// version depending on others through a mix of specifiers, and a set of root requirements.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "memory_source.hpp"

namespace thoth::testing {

struct Graph {
  int packages = 0;
  int versions = 0;
  // deps[p][v] = list of (package, specifier text)
  std::vector<std::vector<std::vector<std::pair<int, std::string>>>> deps;
  std::vector<std::pair<int, std::string>> roots;
};

// "p3", "2.0": the name of package index p and the version of version index v.
std::string graph_name(int p);
std::string graph_version(int v);

// The same seed gives the same graph.
Graph generate(std::uint32_t seed);

// Adds every release of the graph to `source`.
void add_graph(const Graph& g, MemorySource& source);
// The root requirements as text ("p1>=2").
std::vector<std::string> graph_roots(const Graph& g);

}  // namespace thoth::testing
