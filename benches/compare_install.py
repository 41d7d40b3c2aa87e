#!/usr/bin/env python3
"""thoth's installer vs pip, and the floor of copying pip's result, on a project-shaped wheel set.

    /usr/bin/python3 benches/compare_install.py [--bench build/bench_install] [--wheels DIR] [--reps 5]
        [--tmp DIR] [--json OUT]

Builds (or reuses) a wheel directory with benches/gen_wheels.py (63 wheels, about 12,000 files and
130 MB unpacked) and times, each into a fresh `python3 -m venv --without-pip` made untimed:

  pip          `python3 -m pip --python VENV/bin/python install --no-deps --no-index --find-links DIR
               --no-compile NAMES...` (Debian's pip; --no-compile because thoth compiles only when asked)
  cp -al       hard-linking pip's installed tree (site-packages and bin) to a new place: the floor of
               a warm install
  cp -r        copying it: the floor of a cold install
  thoth cold   build/bench_install's BM_InstallCold (an empty cache of unpacked wheels each time)
  thoth warm   BM_InstallWarm (cache filled beforehand: links only); BM_InstallWarmCopy (copies)

--tmp chooses the file system (e.g. /dev/shm for tmpfs; default: the system temporary directory).
Prints medians and ratios; no assertions (see benches/README.md)."""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
PYTHON = "/usr/bin/python3"


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def venv(path):
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(path)], check=True, env=clean_env())
    return path


def timed(cmd, **kw):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=clean_env(), **kw)
    return time.perf_counter() - t0


def site_packages(v):
    return next((v / "lib").glob("python3*/site-packages"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=str(HERE.parent / "build" / "bench_install"))
    parser.add_argument("--wheels", type=pathlib.Path, default=pathlib.Path(tempfile.gettempdir()) / "thoth-bench-wheels")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--tmp", default=tempfile.gettempdir())
    parser.add_argument("--json")
    args = parser.parse_args()
    if not args.wheels.exists() or not any(args.wheels.glob("*.whl")):
        subprocess.run([sys.executable, str(HERE / "gen_wheels.py"), str(args.wheels)], check=True)
    wheels = sorted(args.wheels.glob("*.whl"))
    names = [w.name.split("-")[0] for w in wheels]
    work = pathlib.Path(tempfile.mkdtemp(prefix="thoth-compare-install-", dir=args.tmp))
    times = {"pip": [], "cp -al": [], "cp -r": []}
    try:
        for rep in range(args.reps):
            v = venv(work / f"pip{rep}")
            times["pip"].append(timed([PYTHON, "-m", "pip", "--python", str(v / "bin" / "python"), "install",
                                       "--disable-pip-version-check", "--no-deps", "--no-index", "--no-compile",
                                       "--find-links", str(args.wheels)] + names))
            for tool, flag in (("cp -al", "-al"), ("cp -r", "-r")):
                dest = work / f"copy{rep}{flag}"
                dest.mkdir()
                times[tool].append(timed(["cp", flag, str(site_packages(v)), str(v / "bin"), str(dest)]))
                shutil.rmtree(dest)
            shutil.rmtree(v)
        out = subprocess.run([args.bench, f"--benchmark_repetitions={args.reps}", "--benchmark_format=json"],
                             check=True, capture_output=True, text=True,
                             env=dict(clean_env(), THOTH_BENCH_WHEELS=str(args.wheels), THOTH_BENCH_TMP=args.tmp)).stdout
        for b in json.loads(out)["benchmarks"]:
            if b.get("run_type") == "iteration":
                name = {"BM_InstallCold": "thoth cold", "BM_InstallWarm": "thoth warm",
                        "BM_InstallWarmCopy": "thoth warm (copy)"}[b["run_name"].split("/")[0]]
                times.setdefault(name, []).append(b["real_time"] / 1000.0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(wheels)} wheels in {args.wheels}, file system of {args.tmp}, {args.reps} repetitions, medians:")
    for k, v in med.items():
        print(f"  {k:18} {v:7.3f} s   pip/this {med['pip'] / v:5.1f}x")
    print(f"  thoth warm / cp -al {med['thoth warm'] / med['cp -al']:.2f}   thoth cold / cp -r {med['thoth cold'] / med['cp -r']:.2f}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"times": times, "medians": med}, indent=2) + "\n")


if __name__ == "__main__":
    main()
