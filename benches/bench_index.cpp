// Index hot paths: parsing a big project page (5,000 files: HTML and JSON, as PyPI serves for projects
// with long histories) and grouping it into candidates; optionally, fetching metadata for many
// projects from a loopback mirror.
//
//   bench_index                                   page benchmarks
//   THOTH_BENCH_INDEX_URL=http://127.0.0.1:PORT/simple/ THOTH_BENCH_PROJECTS=a,b,c bench_index
//                                                 also the metadata benchmark (cold: new client,
//                                                 no cache; warm: the same on-disk cache reused)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "thoth/http_cache.hpp"
#include "thoth/index.hpp"
#include "thoth/net.hpp"

namespace {

constexpr int kVersions = 500;
constexpr int kFilesPerVersion = 10;  // 5,000 files

const char* const kTags[kFilesPerVersion] = {
    "cp38-cp38-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp311-cp311-musllinux_1_1_x86_64",
    "cp311-cp311-macosx_11_0_arm64",
    "cp311-cp311-win_amd64",
    "py3-none-any",
    "",  // the sdist
};

std::string version_of(int i) { return std::to_string(i / 100) + "." + std::to_string(i / 10 % 10) + "." + std::to_string(i % 10); }

// 64 hex digits that differ per file.
std::string fake_sha(int i, int j) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(64, '0');
  unsigned x = static_cast<unsigned>(i * 131 + j * 7 + 1);
  for (auto& c : s) {
    x = x * 1103515245u + 12345u;
    c = kHex[(x >> 16) & 15];
  }
  return s;
}

std::string filename_of(int i, int j) {
  const std::string v = version_of(i);
  return kTags[j][0] ? "big_project-" + v + "-" + kTags[j] + ".whl" : "big_project-" + v + ".tar.gz";
}

const std::string& html_page() {
  static const std::string page = [] {
    std::string s = "<!DOCTYPE html>\n<html>\n  <head>\n    <meta name=\"pypi:repository-version\" content=\"1.1\">\n"
                    "    <title>Links for big-project</title>\n  </head>\n  <body>\n    <h1>Links for big-project</h1>\n";
    for (int i = 0; i < kVersions; ++i) {
      for (int j = 0; j < kFilesPerVersion; ++j) {
        const std::string f = filename_of(i, j);
        s += "    <a href=\"https://files.example.org/packages/ab/cd/" + f + "#sha256=" + fake_sha(i, j) +
             "\" data-requires-python=\"&gt;=3.8\"";
        if (i % 97 == 3) s += " data-yanked=\"broken build\"";
        if (kTags[j][0]) s += " data-dist-info-metadata=\"sha256=" + fake_sha(j, i) + "\" data-core-metadata=\"sha256=" + fake_sha(j, i) + "\"";
        s += ">" + f + "</a><br />\n";
      }
    }
    s += "  </body>\n</html>\n";
    return s;
  }();
  return page;
}

const std::string& json_page() {
  static const std::string page = [] {
    std::string s = "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"big-project\",\"versions\":[";
    for (int i = 0; i < kVersions; ++i) s += (i ? ",\"" : "\"") + version_of(i) + "\"";
    s += "],\"files\":[";
    for (int i = 0; i < kVersions; ++i) {
      for (int j = 0; j < kFilesPerVersion; ++j) {
        const std::string f = filename_of(i, j);
        if (i || j) s += ",";
        s += "{\"filename\":\"" + f + "\",\"url\":\"https://files.example.org/packages/ab/cd/" + f +
             "\",\"hashes\":{\"sha256\":\"" + fake_sha(i, j) + "\"},\"requires-python\":\">=3.8\",";
        s += kTags[j][0] ? "\"core-metadata\":{\"sha256\":\"" + fake_sha(j, i) + "\"}," : std::string("\"core-metadata\":false,");
        s += i % 97 == 3 ? "\"yanked\":\"broken build\"," : "\"yanked\":false,";
        s += "\"size\":123456,\"upload-time\":\"2023-05-06T07:08:09.123456Z\"}";
      }
    }
    s += "]}";
    return s;
  }();
  return page;
}

void BM_ParseHtmlPage(benchmark::State& state) {
  const std::string& page = html_page();
  for (auto _ : state) {
    auto p = thoth::parse_html_page(page, "https://pypi.example.org/simple/big-project/", "big-project");
    if (p.files.size() != kVersions * kFilesPerVersion) state.SkipWithError("wrong file count");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());  // items = pages
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(page.size()));
}
BENCHMARK(BM_ParseHtmlPage)->Unit(benchmark::kMillisecond);

void BM_ParseJsonPage(benchmark::State& state) {
  const std::string& page = json_page();
  for (auto _ : state) {
    auto p = thoth::parse_json_page(page, "https://pypi.example.org/simple/big-project/", "big-project");
    if (p.files.size() != kVersions * kFilesPerVersion) state.SkipWithError("wrong file count");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(page.size()));
}
BENCHMARK(BM_ParseJsonPage)->Unit(benchmark::kMillisecond);

void BM_GroupCandidates(benchmark::State& state) {
  auto files = thoth::parse_json_page(json_page(), "https://pypi.example.org/simple/big-project/", "big-project").files;
  for (auto _ : state) {
    auto cs = thoth::group_candidates("big-project", files);
    if (cs.size() != kVersions) state.SkipWithError("wrong version count");
    benchmark::DoNotOptimize(cs);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GroupCandidates)->Unit(benchmark::kMillisecond);

// The file whose metadata a resolver reads: a wheel when the version has one (its PEP 658 file, or a
// range read of it), else the sdist (a whole download), as `thoth debug metadata` picks.
const thoth::DistFile& metadata_file(const thoth::Candidate& c) {
  for (const auto& f : c.files) {
    if (f.kind == thoth::DistFile::Kind::Wheel) return f;
  }
  return c.files.front();
}

// Metadata of every project listed in THOTH_BENCH_PROJECTS (comma separated), newest version, from the
// index at THOTH_BENCH_INDEX_URL: all prefetched, then collected, as the resolver does.
void metadata_round(const std::string& index_url, const std::vector<std::string>& projects,
                    std::shared_ptr<thoth::HttpCache> cache) {
  thoth::HttpOptions options;
  options.cache = std::move(cache);
  thoth::HttpClient client(options);
  thoth::IndexConfig config;
  config.index_url = index_url;
  auto source = thoth::build_source(config, client);
  for (const auto& p : projects) source->prefetch_candidates(p);
  std::vector<thoth::Candidate> newest;
  for (const auto& p : projects) {
    auto cs = source->candidates(p);
    if (cs.empty()) continue;
    newest.push_back(cs.front());
    source->prefetch_metadata(newest.back(), metadata_file(newest.back()));
  }
  for (const auto& c : newest) {
    try {
      benchmark::DoNotOptimize(source->metadata(c, metadata_file(c)));
    } catch (const thoth::IndexError&) {
      // An sdist that needs a build counts as fetched.
    }
  }
}

std::vector<std::string> bench_projects() {
  std::vector<std::string> out;
  const char* env = std::getenv("THOTH_BENCH_PROJECTS");
  std::string s = env ? env : "";
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

void BM_MetadataLoopback(benchmark::State& state) {
  const char* url = std::getenv("THOTH_BENCH_INDEX_URL");
  const auto projects = bench_projects();
  if (url == nullptr || projects.empty()) {
    state.SkipWithError("set THOTH_BENCH_INDEX_URL and THOTH_BENCH_PROJECTS to run");
    return;
  }
  const bool warm = state.range(0) == 1;
  const auto dir = std::filesystem::temp_directory_path() / "thoth-bench-index-cache";
  std::filesystem::remove_all(dir);
  auto cache = std::make_shared<thoth::HttpCache>(dir);
  if (warm) metadata_round(url, projects, cache);  // fill it once
  for (auto _ : state) {
    if (!warm) {
      state.PauseTiming();
      std::filesystem::remove_all(dir);
      state.ResumeTiming();
    }
    metadata_round(url, projects, cache);
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(projects.size()));
  state.SetLabel(warm ? "warm cache" : "cold");
}
BENCHMARK(BM_MetadataLoopback)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
