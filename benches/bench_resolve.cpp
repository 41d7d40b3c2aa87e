// Warm resolution (every page and metadata already in memory) of the generated stack of
// warm_stack.hpp: 400 projects of 20 versions each, a root set whose closure is about a hundred
// projects.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "thoth/index.hpp"
#include "thoth/resolve.hpp"
#include "warm_stack.hpp"

namespace {

using namespace thoth;
using bench::kProjects;
using bench::options;
using bench::project;
using bench::stack;
using bench::Stack;

void BM_ResolveWarmStack(benchmark::State& state) {
  Stack& st = stack();
  LatestPolicy latest;
  ResolveOptions o = options();
  std::size_t pins = 0;
  for (auto _ : state) {
    Resolver resolver(st.source, latest, o);
    Resolution r = resolver.resolve(st.roots, {});
    pins = r.pins.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["pins"] = static_cast<double>(pins);
}
BENCHMARK(BM_ResolveWarmStack)->Unit(benchmark::kMillisecond);

// The same stack where the caller also constrains a tenth of the projects to their oldest major,
// which forces many dependents back to older versions.
void BM_ResolveConstrainedStack(benchmark::State& state) {
  Stack& st = stack();
  LatestPolicy latest;
  ResolveOptions o = options();
  std::vector<Requirement> constraints;
  for (int i = 5; i < kProjects; i += 10) constraints.push_back(Requirement::parse(project(i) + "<2"));
  std::size_t pins = 0;
  for (auto _ : state) {
    Resolver resolver(st.source, latest, o);
    try {
      Resolution r = resolver.resolve(st.roots, constraints);
      pins = r.pins.size();
    } catch (const ResolutionError&) {
      pins = 0;
    }
  }
  state.counters["pins"] = static_cast<double>(pins);
}
BENCHMARK(BM_ResolveConstrainedStack)->Unit(benchmark::kMillisecond);

// The advisor's kind of policy: a preferred version per project (a baseline resolution's pins) with
// one of them moved to an older version, and optionally some projects held to a single version (every
// other version forbidden).
class MovePolicy : public Policy {
 public:
  std::map<std::string, Version, std::less<>> preferred;
  std::map<std::string, Version, std::less<>> held;

  bool forbids(std::string_view name, const Version& v) const override {
    auto it = held.find(name);
    return it != held.end() && it->second != v;
  }
  std::size_t choose(std::string_view name, const std::vector<const Candidate*>& versions) const override {
    auto it = preferred.find(name);
    if (it == preferred.end()) return 0;
    for (std::size_t i = 0; i < versions.size(); ++i) {
      if (versions[i]->version == it->second) return i;
    }
    return 0;
  }
};

std::vector<RootRequirement> labelled(const std::vector<Requirement>& roots) {
  std::vector<RootRequirement> out;
  for (const Requirement& r : roots) out.push_back({r, ""});
  return out;
}

// An advisor's moves from the latest resolution of the stack, worked out once per process (Google
// Benchmark runs a benchmark function several times).
struct Moves {
  std::vector<RootRequirement> roots;
  // One move per pin: the same preferences with that pin's preferred version the next older one (pins
  // with a single version are left out).
  std::vector<MovePolicy> feasible;
  // A move that cannot be resolved: a root project held to its pinned version and one of its
  // dependencies held to a version that this one excludes (the last such pair in root order); none
  // held if the stack has no such pair.
  MovePolicy infeasible;
};

Moves make_moves() {
  Stack& st = stack();
  Moves out;
  out.roots = labelled(st.roots);
  LatestPolicy latest;
  Resolution baseline = Resolver(st.source, latest, options()).resolve(st.roots, {});
  MovePolicy base;
  for (const Pin& p : baseline.pins) base.preferred[p.name] = p.version;
  for (const Pin& p : baseline.pins) {
    const std::vector<Candidate>& listed = st.source.candidates(p.name);
    for (std::size_t i = 0; i + 1 < listed.size(); ++i) {
      if (listed[i].version != p.version) continue;
      out.feasible.push_back(base);
      out.feasible.back().preferred[p.name] = listed[i + 1].version;
    }
  }
  out.infeasible = base;
  for (auto root = st.roots.rbegin(); root != st.roots.rend(); ++root) {
    const Pin* pin = baseline.find(normalize_name(root->name));
    for (const Requirement& dep : pin->requires_dist) {
      const Version& oldest = st.source.candidates(dep.name).back().version;
      if (dep.specifier.contains(oldest)) continue;
      out.infeasible.held = {{pin->name, pin->version}, {normalize_name(dep.name), oldest}};
      try {
        Resolver(st.source, out.infeasible, options()).resolve(st.roots, {});
      } catch (const ResolutionError&) {
        return out;
      }
    }
  }
  out.infeasible.held.clear();
  return out;
}

const Moves& moves() {
  static const Moves m = make_moves();
  return m;
}

// Re-resolves the stack once per iteration with `resolve(move)`, cycling through the feasible moves.
template <typename Resolve>
void feasible_moves(benchmark::State& state, Resolve resolve) {
  const Moves& m = moves();
  std::size_t k = 0, pins = 0;
  for (auto _ : state) {
    Resolution r = resolve(m.feasible[k++ % m.feasible.size()]);
    pins = r.pins.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["pins"] = static_cast<double>(pins);
  state.counters["moves"] = static_cast<double>(m.feasible.size());
}

// Tries the infeasible move once per iteration with `resolve()`, which throws.
template <typename Resolve>
void infeasible_move(benchmark::State& state, Resolve resolve) {
  if (moves().infeasible.held.empty()) {
    state.SkipWithError("no infeasible move in this stack");
    return;
  }
  for (auto _ : state) {
    try {
      resolve();
    } catch (const ResolutionError& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
}

// What an advisor move cost with a new Resolver per move: every page, file and metadata fact is
// worked out again (the source itself is warm).
void BM_ReResolveFresh(benchmark::State& state) {
  feasible_moves(state, [](const MovePolicy& move) {
    return Resolver(stack().source, move, options()).resolve(moves().roots, {});
  });
}
BENCHMARK(BM_ReResolveFresh)->Unit(benchmark::kMicrosecond);

// An infeasible move with a new Resolver: the failure and its explanation.
void BM_ReResolveInfeasibleFresh(benchmark::State& state) {
  infeasible_move(state, [] { Resolver(stack().source, moves().infeasible, options()).resolve(moves().roots, {}); });
}
BENCHMARK(BM_ReResolveInfeasibleFresh)->Unit(benchmark::kMicrosecond);

// One Resolver per `explain` setting, every move already resolved once with it (its catalog
// populated), kept for the process.
Resolver& warm_resolver(bool explain) {
  static std::map<bool, std::unique_ptr<Resolver>> resolvers;
  std::unique_ptr<Resolver>& r = resolvers[explain];
  if (!r) {
    ResolveOptions o = options();
    o.explain = explain;
    r = std::make_unique<Resolver>(stack().source, o);
    for (const MovePolicy& m : moves().feasible) r->resolve(moves().roots, {}, m);
  }
  return *r;
}

// The advisor's loop: one warm Resolver re-run with one changed preference per move.
void BM_ReResolveWarm(benchmark::State& state) {
  Resolver& resolver = warm_resolver(true);
  feasible_moves(state, [&](const MovePolicy& move) { return resolver.resolve(moves().roots, {}, move); });
}
BENCHMARK(BM_ReResolveWarm)->Unit(benchmark::kMicrosecond);

// An infeasible move on a warm Resolver, without (0) and with (1) the explanation.
void BM_ReResolveInfeasibleWarm(benchmark::State& state) {
  Resolver& resolver = warm_resolver(state.range(0) != 0);
  infeasible_move(state, [&] { resolver.resolve(moves().roots, {}, moves().infeasible); });
}
BENCHMARK(BM_ReResolveInfeasibleWarm)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
