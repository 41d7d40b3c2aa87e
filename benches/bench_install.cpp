// Installing a directory of wheels into fresh virtual environments (benches/compare_install.py
// drives it against pip and the cp floor; see benches/README.md).
//
//   THOTH_BENCH_WHEELS=DIR [THOTH_BENCH_PYTHON=/usr/bin/python3] build/bench_install
//
// Each iteration makes a fresh `python -m venv --without-pip` (not timed) and installs every wheel of
// DIR with its sha256 known, as a lock gives it:
//   BM_InstallCold  an empty cache of unpacked wheels each time (verify, unpack, link)
//   BM_InstallWarm  the cache filled once beforehand (link only)
//   BM_InstallWarmCopy  the same with LinkMode::Copy
// Skipped (with a message) when THOTH_BENCH_WHEELS is not set.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "thoth/hash.hpp"
#include "thoth/install.hpp"
#include "thoth/process.hpp"

namespace {

struct Fixture {
  std::filesystem::path scratch;
  std::vector<thoth::WheelToInstall> wheels;
  std::string python = "/usr/bin/python3";
  int venvs = 0;

  Fixture() {
    const char* dir = std::getenv("THOTH_BENCH_WHEELS");
    if (!dir) return;
    if (const char* p = std::getenv("THOTH_BENCH_PYTHON")) python = p;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".whl") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) wheels.push_back({f, thoth::sha256_file_hex(f), "", true, std::nullopt});
    const char* tmp = std::getenv("THOTH_BENCH_TMP");
    std::string pattern = (std::filesystem::path(tmp ? tmp : "/tmp") / "thoth-bench-install-XXXXXX").string();
    scratch = ::mkdtemp(pattern.data());
  }
  ~Fixture() {
    std::error_code ec;
    if (!scratch.empty()) std::filesystem::remove_all(scratch, ec);
  }

  thoth::InstallEnvironment fresh_venv() {
    std::filesystem::path venv = scratch / ("venv" + std::to_string(venvs++));
    thoth::ProcessResult made = thoth::run_process({python, "-m", "venv", "--without-pip", venv.string()}, 120);
    if (!made.ok()) throw std::runtime_error("python -m venv failed: " + made.failure(120));
    return thoth::InstallEnvironment::probe((venv / "bin" / "python").string());
  }
  void drop(const thoth::InstallEnvironment& env) {
    std::error_code ec;
    std::filesystem::remove_all(env.prefix, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void run(benchmark::State& state, bool warm, thoth::LinkMode mode) {
  Fixture& f = fixture();
  if (f.wheels.empty()) {
    state.SkipWithError("set THOTH_BENCH_WHEELS to a directory of wheels (benches/gen_wheels.py)");
    return;
  }
  thoth::InstallOptions options;
  options.link_mode = mode;
  options.jobs = 2;
  std::filesystem::path warm_cache = f.scratch / "warm-cache";
  if (warm && !std::filesystem::exists(warm_cache)) {
    thoth::InstallEnvironment env = f.fresh_venv();
    options.cache_dir = warm_cache;
    thoth::install_wheels(env, f.wheels, options);
    f.drop(env);
  }
  std::size_t files = 0;
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    thoth::InstallEnvironment env = f.fresh_venv();
    options.cache_dir = warm ? warm_cache : f.scratch / ("cold-cache" + std::to_string(round++));
    state.ResumeTiming();
    thoth::InstallReport report = thoth::install_wheels(env, f.wheels, options);
    state.PauseTiming();
    files = report.linked_files + report.copied_files + report.written_files;
    f.drop(env);
    if (!warm) std::filesystem::remove_all(options.cache_dir);
    state.ResumeTiming();
  }
  state.counters["wheels"] = static_cast<double>(f.wheels.size());
  state.counters["files"] = static_cast<double>(files);
}

void BM_InstallCold(benchmark::State& state) { run(state, false, thoth::LinkMode::Auto); }
void BM_InstallWarm(benchmark::State& state) { run(state, true, thoth::LinkMode::Auto); }
void BM_InstallWarmCopy(benchmark::State& state) { run(state, true, thoth::LinkMode::Copy); }

BENCHMARK(BM_InstallCold)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_InstallWarm)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_InstallWarmCopy)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
