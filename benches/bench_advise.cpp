// The advisor on the warm stack of warm_stack.hpp (about a hundred pinned projects, every page and
// metadata in memory): moves per second, each a complete resolution by one thoth::Resolver kept warm
// across moves (resolver_callbacks); the time to a proven optimum under the security recommendation;
// and loading a knowledge base of 100,000 facts.
#include <benchmark/benchmark.h>

#include "thoth/advise.hpp"
#include "warm_stack.hpp"

namespace {

using namespace thoth;

struct Setup {
  ResolveFn resolve;
  VersionsFn versions;
  Resolution plain;
};

// One resolver for the whole process, warmed by the plain resolution.
Setup& setup() {
  static Setup s = [] {
    bench::Stack& st = bench::stack();
    std::vector<RootRequirement> roots;
    for (const Requirement& r : st.roots) roots.push_back({r, ""});
    ResolverCallbacks c = resolver_callbacks(st.source, bench::options(), roots);
    Setup out{c.resolve, c.versions, {}};
    out.plain = *out.resolve(LatestPolicy());
    return out;
  }();
  return s;
}

Fact make_fact(const std::string& name, const std::string& versions, FactKind kind, double score) {
  Fact f;
  f.package = f.name = name;
  f.versions = SpecifierSet::parse(versions);
  f.kind = kind;
  f.score = score;
  return f;
}

// For every third pinned project a performance fact favouring its oldest major, for every fifth an
// advisory on its newest major, for every seventh a slowdown of its two newest majors.
KnowledgeBase stack_kb() {
  KnowledgeBase kb;
  const Resolution& plain = setup().plain;
  for (std::size_t i = 0; i < plain.pins.size(); ++i) {
    const std::string& name = plain.pins[i].name;
    if (i % 3 == 0) kb.add(make_fact(name, "<2", FactKind::Performance, 1.0));
    if (i % 5 == 0) kb.add(make_fact(name, ">=5", FactKind::Security, -0.7));
    if (i % 7 == 0) kb.add(make_fact(name, ">=4", FactKind::Performance, -0.5));
  }
  return kb;
}

void BM_AdviseMoves(benchmark::State& state) {
  Setup& s = setup();
  KnowledgeBase kb = stack_kb();
  SearchOptions o;
  o.iterations = static_cast<std::size_t>(state.range(0));
  o.time = std::chrono::milliseconds(0);
  std::size_t moves = 0, resolutions = 0, states = 0;
  double score = 0;
  for (auto _ : state) {
    Advice a = advise(s.resolve, s.versions, kb, Recommendation::Performance, o);
    moves += a.stats.iterations;
    resolutions += a.stats.resolutions;
    states += a.stats.states;
    score = a.stacks.front().score.total.score;
    ++o.seed;
  }
  state.counters["moves/s"] = benchmark::Counter(static_cast<double>(moves), benchmark::Counter::kIsRate);
  state.counters["resolutions/s"] = benchmark::Counter(static_cast<double>(resolutions), benchmark::Counter::kIsRate);
  state.counters["states"] = benchmark::Counter(static_cast<double>(states), benchmark::Counter::kAvgIterations);
  state.counters["pins"] = static_cast<double>(s.plain.pins.size());
  state.counters["score"] = score;
}
BENCHMARK(BM_AdviseMoves)->Arg(200)->Unit(benchmark::kMillisecond);

// What the default budget (1 s) reaches, against the bound (the sum of the positive scores, not
// reachable here: some favoured old majors exclude others).
void BM_AdviseDefaultBudget(benchmark::State& state) {
  Setup& s = setup();
  KnowledgeBase kb = stack_kb();
  Advice a;
  for (auto _ : state) a = advise(s.resolve, s.versions, kb, Recommendation::Performance, SearchOptions{});
  state.counters["moves"] = static_cast<double>(a.stats.iterations);
  state.counters["score"] = a.stacks.front().score.total.score;
  state.counters["start"] = Scorer(kb, Recommendation::Performance, s.plain.target).score(s.plain).total.score;
  state.counters["bound"] = Scorer(kb, Recommendation::Performance, s.plain.target).bound();
}
BENCHMARK(BM_AdviseDefaultBudget)->Iterations(1)->Unit(benchmark::kMillisecond);

// Advisories on the newest major of a fifth of the stack: the sieved start is clean, so the search
// stops at once with a proven optimum.
void BM_AdviseSecurityToOptimum(benchmark::State& state) {
  Setup& s = setup();
  KnowledgeBase kb = stack_kb();
  SearchOptions o;
  bool optimal = false;
  for (auto _ : state) {
    Advice a = advise(s.resolve, s.versions, kb, Recommendation::Security, o);
    optimal = a.stats.optimal;
  }
  state.counters["optimal"] = optimal;
}
BENCHMARK(BM_AdviseSecurityToOptimum)->Unit(benchmark::kMillisecond);

void BM_LoadKnowledgeBase(benchmark::State& state) {
  const int facts = static_cast<int>(state.range(0));
  std::string text = R"({"kb-version": 1, "facts": [)";
  for (int i = 0; i < facts; ++i) {
    text += (i ? ",\n" : "\n") + std::string(R"({"package": "project-)") + std::to_string(i % 20000) +
            R"(", "versions": ">=1.)" + std::to_string(i % 9) + ".0,<" + std::to_string(2 + i % 3) +
            R"(", "kind": "security", "score": -0.5, "message": "Advisory number )" + std::to_string(i) +
            R"(", "ids": ["PYSEC-2024-)" + std::to_string(i) + R"(", "CVE-2024-)" + std::to_string(10000 + i) +
            R"("], "links": ["https://osv.dev/vulnerability/PYSEC-2024-)" + std::to_string(i) + R"("]})";
  }
  text += "]}";
  for (auto _ : state) {
    KnowledgeBase kb = parse_knowledge_base(text, "bench.json");
    benchmark::DoNotOptimize(kb.size());
  }
  state.counters["facts/s"] =
      benchmark::Counter(static_cast<double>(facts) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
}
BENCHMARK(BM_LoadKnowledgeBase)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
