#!/usr/bin/env python3
"""thoth lock vs pip on a realistic generated mirror served on 127.0.0.1: cold and warm resolution.

    /usr/bin/python3 benches/compare_pip.py [--thoth build/thoth] [--projects 400] [--versions 20]
        [--stack 120] [--reps 5] [--pip-reps 3] [--mirror DIR] [--sidecars] [--json OUT]

Builds (or reuses) a mirror with benches/gen_mirror.py, serves it with tests/support/server.py and
times, for its requirements.txt (a stack of about --stack projects):

  thoth cold   `thoth lock` with an empty --cache-dir (a fresh one per repetition)
  thoth warm   the same with the cache dir of a previous run
  pip cold     `pip install --dry-run --ignore-installed --report` with a fresh --cache-dir
  pip warm     the same with pip's HTTP cache of a previous run

Both resolve for /usr/bin/python3 with --only-binary :all: (the mirror's oldest releases are sdist
only; building them would measure the build backend, not resolution). pip gets --trusted-host
127.0.0.1 because pip only attaches its HTTP cache to HTTPS and trusted hosts. By default the mirror
has no PEP 658 metadata sidecars, so both read metadata from wheels: pip 23.0.1 rejects sidecars whose
Name is spelled differently from the requirement (fixed in pip 23.1) and ignores them on PEP 691 JSON
pages anyway. --sidecars adds them (then thoth may use them and pip does not).

Prints medians, ratios and whether both tools pinned the same versions. No timed assertions: the
numbers are for people (see benches/README.md)."""

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
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import harness  # noqa: E402
from support.server import MirrorServer  # noqa: E402

PIP_PYTHON = "/usr/bin/python3"


def build_or_reuse_mirror(args):
    """The mirror directory for these parameters; regenerated only when missing or different."""
    params = {"seed": args.seed, "projects": args.projects, "versions": args.versions, "stack": args.stack,
              "sidecars": args.sidecars}
    tag = f"p{args.projects}-v{args.versions}-s{args.stack}-seed{args.seed}{'-sidecars' if args.sidecars else ''}"
    root = pathlib.Path(args.mirror or pathlib.Path(tempfile.gettempdir()) / f"thoth-bench-mirror-{tag}")
    stamp = root / "bench-params.json"
    if stamp.exists() and json.loads(stamp.read_text()) == params and (root / "requirements.txt").exists():
        print(f"mirror: reusing {root}")
        return root
    if root.exists():
        shutil.rmtree(root)
    cmd = [sys.executable, str(HERE / "gen_mirror.py"), str(root), "--seed", str(args.seed),
           "--projects", str(args.projects), "--versions", str(args.versions), "--stack", str(args.stack)]
    if not args.sidecars:
        cmd.append("--no-metadata")
    print("mirror: " + subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())
    stamp.write_text(json.dumps(params) + "\n")
    return root


def timed(cmd, **kw):
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=harness.clean_env(), **kw)
    return time.perf_counter() - t0, proc


def pins_of_report(path):
    doc = json.loads(pathlib.Path(path).read_text())
    norm = lambda n: n.lower().replace("_", "-").replace(".", "-")  # noqa: E731
    return {norm(i["metadata"]["name"]): i["metadata"]["version"] for i in doc["install"]}


class Bench:
    def __init__(self, args, mirror, server, work):
        self.args, self.mirror, self.server, self.work = args, mirror, server, work
        self.reqs = mirror / "requirements.txt"

    def thoth(self, cache, report):
        cmd = [str(self.args.thoth), "lock", "-r", str(self.reqs), "--index-url", self.server.index_url,
               "--only-binary", ":all:", "--python", PIP_PYTHON, "--cache-dir", str(cache),
               "--format", "report", "-o", str(report)]
        return self._run(cmd, "thoth")

    def pip(self, cache, report):
        cmd = [PIP_PYTHON, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
               "--disable-pip-version-check", "--report", str(report), "--index-url", self.server.index_url,
               "--trusted-host", "127.0.0.1", "--only-binary", ":all:", "--cache-dir", str(cache),
               "-r", str(self.reqs)]
        return self._run(cmd, "pip")

    def _run(self, cmd, who):
        self.server.clear_log()
        seconds, proc = timed(cmd, timeout=3600)
        if proc.returncode != 0:
            raise RuntimeError(f"{who} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return {"seconds": seconds, "requests": self.server.count(), "bytes": self.server.bytes_sent()}

    def series(self, tool, warm, reps):
        """`reps` timed runs; cold ones each get a fresh cache, warm ones share a primed one."""
        run = self.thoth if tool == "thoth" else self.pip
        runs = []
        shared = self.work / f"{tool}-warm-cache"
        report = self.work / f"{tool}-report.json"
        if warm:
            run(shared, report)  # prime, untimed
        for i in range(reps):
            cache = shared if warm else self.work / f"{tool}-cold-cache-{i}"
            runs.append(run(cache, report))
            if not warm:
                shutil.rmtree(cache, ignore_errors=True)
        return runs, pins_of_report(report)


def fmt_s(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--thoth", type=pathlib.Path, default=None, help="thoth binary (default: $THOTH or build/thoth)")
    ap.add_argument("--projects", type=int, default=400)
    ap.add_argument("--versions", type=int, default=20)
    ap.add_argument("--stack", type=int, default=120, help="projects in the resolution (about)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions of each thoth series")
    ap.add_argument("--pip-reps", type=int, default=3, help="timed repetitions of each pip series")
    ap.add_argument("--mirror", help="mirror directory to build or reuse (default: one per parameters in $TMPDIR)")
    ap.add_argument("--sidecars", action="store_true", help="publish PEP 658 metadata sidecars")
    ap.add_argument("--latency", type=float, default=0.0, help="server delay per response, seconds")
    ap.add_argument("--skip-pip", action="store_true", help="time thoth only")
    ap.add_argument("--json", help="also write the measurements to this file")
    args = ap.parse_args(argv)
    if args.projects < 400 or args.versions < 20:
        print("note: the issue's benchmark needs >= 400 projects and >= 20 versions each", file=sys.stderr)
    if args.thoth is None:
        args.thoth = harness.thoth_binary()
    if not os.access(args.thoth, os.X_OK):
        ap.error(f"thoth binary not found: {args.thoth} (build it, or pass --thoth / set THOTH)")

    mirror = build_or_reuse_mirror(args)
    results = {"params": {k: (str(v) if isinstance(v, pathlib.Path) else v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="thoth-bench-") as work, \
            MirrorServer(str(mirror), latency=args.latency) as server:
        bench = Bench(args, mirror, server, pathlib.Path(work))
        series = [("thoth", False, args.reps), ("thoth", True, args.reps)]
        if not args.skip_pip:
            series += [("pip", False, args.pip_reps), ("pip", True, args.pip_reps)]
        pins = {}
        for tool, warm, reps in series:
            label = f"{tool} {'warm' if warm else 'cold'}"
            print(f"{label}: {reps} runs ...", end="", flush=True)
            runs, pins[tool] = bench.series(tool, warm, reps)
            med = statistics.median(r["seconds"] for r in runs)
            results[label] = {"median_s": med, "runs_s": [r["seconds"] for r in runs],
                              "requests": runs[-1]["requests"], "bytes": runs[-1]["bytes"]}
            print(f" median {fmt_s(med)} (min {fmt_s(min(r['seconds'] for r in runs))}, "
                  f"{runs[-1]['requests']} requests, {runs[-1]['bytes'] / 1e6:.2f} MB)", flush=True)

    print()
    print(f"stack: {len(pins['thoth'])} packages pinned by thoth from {mirror / 'requirements.txt'}")
    if "pip" in pins:
        same = pins["thoth"] == pins["pip"]
        diff = sorted(k for k in set(pins["thoth"]) | set(pins["pip"]) if pins["thoth"].get(k) != pins["pip"].get(k))
        results["same_pins"] = same
        print("pins: " + ("identical to pip's" if same else f"differ from pip's in {len(diff)}: {', '.join(diff[:10])}"))
        for kind, target in (("cold", 15), ("warm", 100)):
            ratio = results[f"pip {kind}"]["median_s"] / results[f"thoth {kind}"]["median_s"]
            results[f"ratio_{kind}"] = ratio
            print(f"{kind}: thoth {fmt_s(results[f'thoth {kind}']['median_s'])} vs pip "
                  f"{fmt_s(results[f'pip {kind}']['median_s'])}: {ratio:.1f}x faster (target >= {target}x)")
    warm_ms = results["thoth warm"]["median_s"] * 1000
    print(f"thoth warm median {warm_ms:.1f} ms (target < 20 ms)")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
