#!/usr/bin/env bash
# Builds the libFuzzer programs of tests/fuzz with clang (THOTH_FUZZ=ON: coverage instrumentation,
# AddressSanitizer, UndefinedBehaviorSanitizer, leak checks), then runs each target for a bounded time
# from its seed corpus. Fails on the first crash, leak, sanitizer report, timeout or broken property;
# the input that caused it is kept under BUILD/fuzz-artifacts/.
#
#   bash scripts/fuzz-smoke.sh                    every target, 15 s each (about 4 minutes)
#   FUZZ_SECONDS=3600 bash scripts/fuzz-smoke.sh pep440 marker     longer runs of some targets
#   FUZZ_RUNS=10000000 FUZZ_SECONDS=360 bash scripts/fuzz-smoke.sh   10 M inputs or 6 minutes each
#
# Environment: FUZZ_SECONDS (per target, default 15), FUZZ_RUNS (inputs per target, default no limit),
# FUZZ_BUILD_DIR (default build-fuzz), FUZZ_CXX (default clang++-14: Debian's clang-14 and
# libclang-rt-14-dev, which scripts/install-deps.sh installs when missing), FUZZ_JOBS (build jobs,
# default nproc), FUZZ_SANITIZERS (the -fsanitize= list a new build directory is configured with,
# default address,undefined; `undefined` or empty runs several times as many inputs a second, for
# 10-M-input runs of the slower targets, in a directory of its own: FUZZ_BUILD_DIR=build-fuzz-ubsan).
# A build directory configured with THOTH_FUZZ=ON already is built as it is, not configured again:
# scripts/run-tests.sh runs this script on its sanitizer build (build-asan, Debug: assertions on).
# Otherwise the directory is configured RelWithDebInfo (optimised, so more inputs per second).
# What each run found that is new stays in BUILD/fuzz-corpus/TARGET (reused by the next run); the
# corpora in the repository (tests/fuzz/corpus/TARGET) are only read.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-15}
runs=${FUZZ_RUNS:--1}
dir=${FUZZ_BUILD_DIR:-build-fuzz}
cxx=${FUZZ_CXX:-clang++-14}
sanitizers=${FUZZ_SANITIZERS-address,undefined}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

if ! grep -qs '^THOTH_FUZZ:BOOL=ON$' "$dir/CMakeCache.txt"; then
  [ -n "${FUZZ_CXX:-}" ] || bash scripts/install-deps.sh
  if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "fuzz-smoke: $cxx not found: install clang-14 and libclang-rt-14-dev (apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 2
  fi
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" -DTHOTH_FUZZ=ON \
    -DTHOTH_SANITIZERS="$sanitizers" -DTHOTH_BENCHES=OFF >/dev/null
fi
cmake --build "$dir" -j"$jobs" --target fuzz_all

targets=("$@")
if ((${#targets[@]} == 0)); then
  for src in tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$src" .cpp)
    [ "$name" = fuzz_support ] || targets+=("${name#fuzz_}")
  done
fi

# Listing digests name the build that wrote them: seeds made now, from the page corpora.
"$dir/fuzz_digest_seeds" "$dir/fuzz-digest-seeds" tests/fuzz/corpus/html_page/* tests/fuzz/corpus/json_page/*

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$dir/fuzz-logs" "$dir/fuzz-artifacts"
failed=()
total_execs=0
printf '%-20s %12s %10s %8s %8s\n' target execs execs/s coverage corpus
for t in "${targets[@]}"; do
  if [ ! -x "$dir/fuzz_$t" ]; then
    echo "fuzz-smoke: no target $t (tests/fuzz/fuzz_$t.cpp)" >&2
    exit 2
  fi
  work="$dir/fuzz-corpus/$t"
  mkdir -p "$work"
  seeds=("tests/fuzz/corpus/$t")
  [ "$t" = listing_digest ] && seeds+=("$dir/fuzz-digest-seeds")
  log="$dir/fuzz-logs/$t.log"
  options=()
  # The page targets reach about 30,000 features, and libFuzzer 14's entropic schedule then spends 80%
  # of the time in InputCorpus::UpdateFeatureFrequency: without it they run 3.5 times as many inputs
  # and reach more coverage in the same time (30 s from the seeds, Debug sanitizer build).
  case $t in html_page | json_page) options+=(-entropic=0) ;; esac
  if "$dir/fuzz_$t" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      "${options[@]}" -artifact_prefix="$dir/fuzz-artifacts/$t-" "$work" "${seeds[@]}" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o ' cov: [0-9]*' "$log" | tail -1 | tr -dc 0-9)  # coverage counters (edges) reached
    printf '%-20s %12s %10s %8s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$(find "$work" -type f | wc -l)"
    total_execs=$((total_execs + ${execs:-0}))
  else
    printf '%-20s FAILED: see %s\n' "$t" "$log"
    grep -E "ERROR|SUMMARY|property failed|Test unit written" "$log" | head -5 | sed 's/^/    /'
    failed+=("$t")
  fi
done
echo "fuzz-smoke: ${#targets[@]} targets, $seconds s each, $total_execs inputs run"
if ((${#failed[@]} > 0)); then
  echo "fuzz-smoke: failed: ${failed[*]} (reproduce: $dir/fuzz_TARGET $dir/fuzz-artifacts/TARGET-crash-...)" >&2
  exit 1
fi
