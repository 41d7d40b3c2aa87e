#!/usr/bin/env bash
# Builds thoth with its tests and runs every test twice: a normal build (GCC, warnings are errors), then a
# build with AddressSanitizer + UndefinedBehaviorSanitizer (clang), which also builds the libFuzzer
# targets of tests/fuzz: each then runs for a short bounded time from its seeds (scripts/fuzz-smoke.sh).
# This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

# Tests run thoth and pip against the project's own mirrors: the machine's PIP_* settings must not leak in.
for v in $(env | grep -o '^PIP_[A-Z_]*' || true); do unset "$v"; done

run_suite() {  # run_suite BUILD_DIR "CTEST ARGS" [cmake args...]
  local dir=$1 ctest_args=$2; shift 2
  cmake -S . -B "$dir" -DTHOTH_WERROR=ON -DTHOTH_BENCHES=OFF "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  # shellcheck disable=SC2086
  ctest --test-dir "$dir" -j"$jobs" --output-on-failure --timeout 900 $ctest_args
}

echo "== build + tests (Release)"
run_suite build-test "" -DCMAKE_BUILD_TYPE=Release
echo "== build + tests (ASan+UBSan, clang, with the fuzz targets)"
# THOTH_FUZZ=ON: the sanitizers plus libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link) in
# every module, so one build serves the tests and the fuzz step; clang-14 from scripts/install-deps.sh.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite build-asan "-LE support|surroundings" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
  -DTHOTH_FUZZ=ON
fuzz_seconds=${FUZZ_SECONDS:-15}
echo "== fuzz smoke (each target $fuzz_seconds s from its seeds; what it finds stays in build-asan)"
FUZZ_BUILD_DIR=build-asan FUZZ_SECONDS=$fuzz_seconds FUZZ_JOBS=$jobs bash scripts/fuzz-smoke.sh
