// PEP 440 hot paths of the resolver: parsing index versions, comparing them, and testing them
// against typical requirement specifier sets.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "thoth/pep440.hpp"

namespace {

// The shapes seen on PyPI simple pages: mostly plain releases, some pre/post/dev, a few locals,
// epochs and non-normalised spellings.
const std::vector<std::string>& version_texts() {
  static const std::vector<std::string> texts = [] {
    const char* const kSeeds[] = {
        "1.0",         "1.0.0",      "2.31.0",       "0.9.8",         "1.26.18",      "23.2",
        "2023.10.1",   "3.9.0rc1",   "1.0a1",        "2.0b3",         "1.2.3.post1",  "4.0.0.dev20231001",
        "1.0.0-1",     "v1.2",       "1.11.1+cu118", "2.1.0+cpu",     "1!2.0",        "0.0.1",
        "10.2.0",      "1.24.4",     "3.0.0a4",      "5.1.1",         "0.21.0",       "1.4.52",
        "7.4.4",       "22.3.1",     "1.0.0rc2",     "6.0.1",         "1.3.2.dev0",   "2.0.0.post2",
    };
    std::vector<std::string> out;
    std::mt19937 rng(440);
    std::uniform_int_distribution<int> pick(0, static_cast<int>(std::size(kSeeds)) - 1);
    for (int i = 0; i < 4096; ++i) out.push_back(kSeeds[pick(rng)]);
    return out;
  }();
  return texts;
}

std::vector<thoth::Version> parsed_versions() {
  std::vector<thoth::Version> out;
  for (const std::string& t : version_texts()) out.push_back(thoth::Version::parse(t));
  return out;
}

void BM_ParseVersion(benchmark::State& state) {
  const auto& texts = version_texts();
  std::size_t i = 0;
  for (auto _ : state) {
    thoth::Version v = thoth::Version::parse(texts[i++ & 4095]);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseVersion);

void BM_TryParseInvalid(benchmark::State& state) {
  const std::string texts[] = {"1.0.x", "latest", "1.0+", "2.0-beta.final"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto v = thoth::Version::try_parse(texts[i++ & 3]);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TryParseInvalid);

void BM_CompareVersions(benchmark::State& state) {
  auto versions = parsed_versions();
  std::size_t i = 0;
  for (auto _ : state) {
    bool less = versions[i & 4095] < versions[(i * 7 + 1) & 4095];
    benchmark::DoNotOptimize(less);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompareVersions);

void BM_SortVersions(benchmark::State& state) {
  auto versions = parsed_versions();
  for (auto _ : state) {
    state.PauseTiming();
    auto copy = versions;
    state.ResumeTiming();
    std::sort(copy.begin(), copy.end());
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(versions.size()));
}
BENCHMARK(BM_SortVersions);

// Copying versions (candidate lists, pins, policy preferences are copied around the resolver).
void BM_CopyVersions(benchmark::State& state) {
  auto versions = parsed_versions();
  for (auto _ : state) {
    auto copy = versions;
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(versions.size()));
}
BENCHMARK(BM_CopyVersions);

void BM_HashVersion(benchmark::State& state) {
  auto versions = parsed_versions();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(versions[i++ & 4095].hash());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashVersion);

void BM_VersionStr(benchmark::State& state) {
  auto versions = parsed_versions();
  std::size_t i = 0;
  for (auto _ : state) {
    std::string s = versions[i++ & 4095].str();
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VersionStr);

// Typical requirement sets: a lower bound, a range with an exclusion, a compatible release, a
// wildcard pin, and the requires-python shape.
const char* const kSets[] = {
    ">=1.0", ">=2.0,<3,!=2.1.1", "~=1.24.0", "==2.*", ">=3.8,!=3.0.*,!=3.1.*,!=3.2.*,<4",
};

void BM_SpecifierSetContains(benchmark::State& state) {
  thoth::SpecifierSet set = thoth::SpecifierSet::parse(kSets[state.range(0)]);
  auto versions = parsed_versions();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(set.contains(versions[i++ & 4095]));
  state.SetLabel(kSets[state.range(0)]);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpecifierSetContains)->DenseRange(0, static_cast<int>(std::size(kSets)) - 1);

void BM_SpecifierSetParse(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto set = thoth::SpecifierSet::parse(kSets[i++ % std::size(kSets)]);
    benchmark::DoNotOptimize(set);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpecifierSetParse);

void BM_FilterCandidates(benchmark::State& state) {
  thoth::SpecifierSet set = thoth::SpecifierSet::parse(">=2.0,<3,!=2.1.1");
  auto versions = parsed_versions();
  versions.resize(256);
  for (auto _ : state) {
    auto kept = set.filter(versions);
    benchmark::DoNotOptimize(kept.data());
  }
  state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_FilterCandidates);

}  // namespace

BENCHMARK_MAIN();
