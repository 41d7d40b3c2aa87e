#!/usr/bin/env python3
"""thoth lock vs pip on a real-shaped mirror served by nginx: cold, warm-fresh and warm-revalidate.

    /usr/bin/python3 benches/real_bench.py [--thoth build/thoth] [--reps 7] [--pip-reps 3]
        [--mirror DIR] [--seed 0] [--skip-pip] [--baseline OTHER_THOTH] [--json OUT]

The mirror comes from benches/gen_real_mirror.py (pages of the size of real PyPI pages; written
once to $TMPDIR/thoth-real-mirror-seed<N>, or --mirror DIR, and reused). nginx serves it twice
(tests/support/nginx.py): without Cache-Control, as static servers and many private mirrors do
(ETag and Last-Modified only), and with `Cache-Control: max-age=600`. Series, for its
requirements.txt:

  cold              an empty cache directory per run (the previous run's output kept: its pins are
                    kept where they fit and their pages asked for at once, as for a lock file in CI)
  cold-no-pins      thoth only: an empty cache and no previous output (a first lock: the pages are
                    found one dependency level at a time)
  warm-fresh        the cache and the previous output of a run on the max-age server: nothing to ask
  warm-offline      thoth only: the no-Cache-Control cache, with --offline
  warm-revalidate   the cache and previous output of a run on the no-Cache-Control server: every page
                    asked again (a conditional request answered 304)
  warm-fresh-no-memo, warm-revalidate-no-memo
                    thoth only: the same with --no-memo, a resolution each time. The warm series above
                    reuse the previous run's lock (the resolution memo: same inputs, every page
                    unchanged); these show what a warm run costs when an input has changed

thoth runs `thoth lock -r requirements.txt --only-binary :all: --python /usr/bin/python3 -o OUT`
(OUT, the pins of the previous run, kept between warm runs); pip runs `pip install --dry-run
--ignore-installed --report OUT --only-binary :all: --trusted-host 127.0.0.1 --cache-dir C`
(without --trusted-host pip never uses its HTTP cache for plain HTTP). --baseline runs a second thoth
binary in the same rounds (to compare two builds). pip 23.0.1 does not read
PEP 658 metadata from JSON pages, so it downloads the wheels it considers; thoth reads the sidecars.

The machine these run on is shared: the series are interleaved (one run of each in turn, round
after round) and medians reported, with pip's ratio to thoth per series, and each tool's CPU time
(user + system of the process and its children: on a loaded machine the wall time is mostly waiting
for a core). No timed assertions."""

import argparse
import json
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from support import harness  # noqa: E402
from support.nginx import NginxMirror  # noqa: E402

PIP_PYTHON = "/usr/bin/python3"
SERIES = ("cold", "cold-no-pins", "warm-fresh", "warm-offline", "warm-revalidate", "warm-fresh-no-memo", "warm-revalidate-no-memo")
THOTH_ONLY = ("cold-no-pins", "warm-offline", "warm-fresh-no-memo", "warm-revalidate-no-memo")


def build_or_reuse_mirror(args):
    root = pathlib.Path(args.mirror or pathlib.Path(tempfile.gettempdir()) / f"thoth-real-mirror-seed{args.seed}")
    if (root / "shape.json").exists():
        print(f"mirror: reusing {root}")
    else:
        if root.exists():
            shutil.rmtree(root)
        out = subprocess.run([sys.executable, str(HERE / "gen_real_mirror.py"), str(root), "--seed", str(args.seed)],
                             check=True, capture_output=True, text=True).stdout
        print("mirror: " + out.strip())
    shape = json.loads((root / "shape.json").read_text())
    print(f"shape: {shape['pages']} pages of the stack, {shape['files']} files, {shape['json_bytes'] / 1e6:.1f} MB "
          f"of JSON; files/project p50 {shape['files_p50']} p90 {shape['files_p90']} max {shape['files_max']}; "
          f"versions/project p50 {shape['versions_p50']} p90 {shape['versions_p90']} max {shape['versions_max']}")
    return root


def pins_of(path, tool):
    norm = lambda n: n.lower().replace("_", "-").replace(".", "-")  # noqa: E731
    doc = json.loads(pathlib.Path(path).read_text())
    return {norm(i["metadata"]["name"]): i["metadata"]["version"] for i in doc["install"]}


class Bench:
    def __init__(self, args, mirror, nginx, work):
        self.args, self.reqs, self.nginx, self.work = args, mirror / "requirements.txt", nginx, work
        self.pins = {}

    def command(self, tool, series, cache, out):
        url = self.nginx.fresh_index_url if series.startswith("warm-fresh") else self.nginx.index_url
        if tool in ("thoth", "baseline"):
            binary = self.args.thoth if tool == "thoth" else self.args.baseline
            cmd = [str(binary), "lock", "-r", str(self.reqs), "--index-url", url, "--only-binary", ":all:",
                   "--python", PIP_PYTHON, "--cache-dir", str(cache), "--format", "report", "-o", str(out)]
            return cmd + (["--offline"] if series == "warm-offline" else []) + (
                ["--no-memo"] if series.endswith("no-memo") else [])
        return [PIP_PYTHON, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                "--disable-pip-version-check", "--report", str(out), "--index-url", url, "--trusted-host",
                "127.0.0.1", "--only-binary", ":all:", "--cache-dir", str(cache), "-r", str(self.reqs)]

    def paths(self, tool, series):
        # warm-offline reads the cache warm-revalidate keeps (the no-Cache-Control server's).
        shared = "warm-revalidate" if series == "warm-offline" else series
        return self.work / f"{tool}-{shared}-cache", self.work / f"{tool}-{shared}.json"

    def prime(self, tool, series):
        cache, out = self.paths(tool, series)
        if not series.startswith("cold") and not out.exists():
            self.run(tool, "warm-revalidate" if series == "warm-offline" else series)

    def run(self, tool, series):
        cache, out = self.paths(tool, series)
        if series.startswith("cold"):
            shutil.rmtree(cache, ignore_errors=True)
        if series == "cold-no-pins" and out.exists():
            out.unlink()
        self.nginx.requests()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(self.command(tool, series, cache, out), capture_output=True, text=True,
                              env=harness.clean_env(), timeout=3600)
        seconds = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        system = after.ru_stime - before.ru_stime
        if proc.returncode != 0:
            raise RuntimeError(f"{tool} {series} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        log = self.nginx.requests()
        self.pins[tool] = pins_of(out, tool)
        return {"seconds": seconds, "cpu": cpu, "system": system, "requests": len(log),
                "not_modified": sum(1 for r in log if r[1] == "304")}


def fmt(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--thoth", type=pathlib.Path, default=None, help="thoth binary (default: $THOTH or build/thoth)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mirror", help="mirror directory to build or reuse")
    ap.add_argument("--reps", type=int, default=7, help="rounds of thoth runs")
    ap.add_argument("--pip-reps", type=int, default=3, help="rounds (the first ones) that also run pip")
    ap.add_argument("--baseline", type=pathlib.Path, help="another thoth binary, run interleaved with --thoth")
    ap.add_argument("--skip-pip", action="store_true")
    ap.add_argument("--json", help="also write the measurements to this file")
    args = ap.parse_args(argv)
    args.thoth = args.thoth or harness.thoth_binary()
    if not os.access(args.thoth, os.X_OK):
        ap.error(f"thoth binary not found: {args.thoth} (build it, or pass --thoth / set THOTH)")
    if args.skip_pip:
        args.pip_reps = 0

    mirror = build_or_reuse_mirror(args)
    runs = {}
    with tempfile.TemporaryDirectory(prefix="thoth-real-bench-") as work, NginxMirror(mirror) as nginx:
        bench = Bench(args, mirror, nginx, pathlib.Path(work))
        plan = [("thoth", s) for s in SERIES]
        if args.baseline:  # an older build may not know --no-memo
            plan += [("baseline", s) for s in SERIES if not s.endswith("no-memo") and s != "cold-no-pins"]
        plan += [("pip", s) for s in SERIES if s not in THOTH_ONLY]
        for tool, series in plan:
            if tool != "pip" or args.pip_reps:
                bench.prime(tool, series)
        for i in range(args.reps):
            for tool, series in plan:
                if tool == "pip" and i >= args.pip_reps:
                    continue
                r = bench.run(tool, series)
                runs.setdefault((tool, series), []).append(r)
                print(f"round {i + 1}: {tool} {series}: {fmt(r['seconds'])} (CPU {fmt(r['cpu'])}, system "
                      f"{fmt(r['system'])}), {r['requests']} requests ({r['not_modified']} answered 304)", flush=True)

    print(f"\nmedians ({args.reps} thoth rounds, {args.pip_reps} with pip, interleaved):")
    results = {}
    for series in SERIES:
        t = runs.get(("thoth", series))
        p = runs.get(("pip", series))
        tm = statistics.median(r["seconds"] for r in t)
        tc = statistics.median(r["cpu"] for r in t)
        line = f"  {series:16} thoth {fmt(tm):>9} (CPU {fmt(tc):>9})"
        results[series] = {"thoth_s": tm, "thoth_cpu_s": tc, "thoth_runs_s": [r["seconds"] for r in t],
                           "requests": t[-1]["requests"]}
        if b := runs.get(("baseline", series)):
            bm, bc = statistics.median(r["seconds"] for r in b), statistics.median(r["cpu"] for r in b)
            results[series].update(baseline_s=bm, baseline_cpu_s=bc)
            line += f"   baseline {fmt(bm):>9} (CPU {fmt(bc):>9})"
        if p:
            pm = statistics.median(r["seconds"] for r in p)
            pc = statistics.median(r["cpu"] for r in p)
            results[series].update(pip_s=pm, pip_cpu_s=pc, pip_runs_s=[r["seconds"] for r in p], ratio=pm / tm)
            line += f"   pip {fmt(pm):>9} (CPU {fmt(pc):>9})   pip/thoth {pm / tm:6.1f}x"
        print(line + f"   ({t[-1]['requests']} requests a thoth run)")
    if "pip" in bench.pins:
        same = bench.pins["thoth"] == bench.pins["pip"]
        diff = sorted(k for k in set(bench.pins["thoth"]) | set(bench.pins["pip"])
                      if bench.pins["thoth"].get(k) != bench.pins["pip"].get(k))
        print(f"pins: {len(bench.pins['thoth'])} packages, "
              + ("identical to pip's" if same else f"differ from pip's in {len(diff)}: {', '.join(diff[:10])}"))
        results["same_pins"] = same
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
