#!/usr/bin/env python3
"""Cold and warm time for thoth to fetch the metadata of every project of a loopback mirror.

    python3 benches/bench_index_e2e.py [--thoth build/thoth] [--projects 300] [--runs 5]
                                       [--mirror DIR] [--no-metadata] [--latency S]

Generates a mirror with benches/gen_mirror.py (or reuses --mirror DIR), serves it on 127.0.0.1 with
tests/support/server.py, and times `thoth debug metadata NAME...` over all its projects: each run
fetches every project page, picks the version a resolver would try first and reads its metadata
(PEP 658 files, or HTTP range reads of the wheels with --no-metadata).

  cold         an empty cache directory: every page and metadata file comes over HTTP
  warm         the same cache again while the pages are fresh (max-age): no request at all
  revalidate   a warm cache whose pages must be revalidated (Cache-Control: no-cache): one
               conditional request per page answered 304, metadata from the cache

Prints the median (and min/max) wall time of --runs runs of each, thoth's CPU time (user + system),
and the requests and bytes the server saw. The server is Python: on a small machine it, not thoth,
bounds the cold time (compare the wall time with thoth's CPU time). A benchmark, not a test: nothing is asserted about the times.
"""
import argparse
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support.server import MirrorServer  # noqa: E402

TARGET = '{"python_version": "3.11", "platform": "manylinux_2_28_x86_64"}'


def make_mirror(args, work: pathlib.Path) -> pathlib.Path:
    if args.mirror:
        return pathlib.Path(args.mirror)
    out = work / "mirror"
    cmd = [sys.executable, str(ROOT / "benches" / "gen_mirror.py"), str(out), "--projects", str(args.projects),
           "--seed", str(args.seed)]
    if args.no_metadata:
        cmd.append("--no-metadata")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return out


def run_thoth(args, srv, names, cache: pathlib.Path, target: pathlib.Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = "/dev/null"
    cmd = [args.thoth, "debug", "metadata", *names, "-i", srv.index_url, "--target-env", str(target),
           "--cache-dir", str(cache), "--json"]
    srv.clear_log()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"thoth failed (rc {proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    reqs = srv.requests
    return elapsed, cpu, len(reqs), sum(1 for r in reqs if r.status == 304), sum(r.bytes_sent for r in reqs)


def summary(label, samples):
    times = [s[0] for s in samples]
    cpu = statistics.median(s[1] for s in samples)
    _, _, reqs, not_modified, sent = samples[-1]
    return (f"{label:<11} median {statistics.median(times) * 1000:8.1f} ms  (min {min(times) * 1000:.1f}, "
            f"max {max(times) * 1000:.1f}; {len(times)} runs; thoth cpu {cpu * 1000:.0f} ms)  "
            f"requests {reqs}, 304s {not_modified}, bytes {sent}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--thoth", default=os.environ.get("THOTH", str(ROOT / "build" / "thoth")))
    ap.add_argument("--projects", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mirror", help="reuse a mirror directory made by gen_mirror.py")
    ap.add_argument("--no-metadata", action="store_true", help="mirror without PEP 658 files (range reads)")
    ap.add_argument("--latency", type=float, default=0.0, help="server delay before each response, seconds")
    args = ap.parse_args(argv)
    if not os.access(args.thoth, os.X_OK):
        ap.error(f"no thoth binary at {args.thoth} (use --thoth or THOTH)")

    with tempfile.TemporaryDirectory(prefix="thoth-bench-index-") as tmp:
        work = pathlib.Path(tmp)
        root = make_mirror(args, work)
        names = sorted(p.name for p in (root / "simple").iterdir() if p.is_dir())
        target = work / "target.json"
        target.write_text(TARGET)
        print(f"{len(names)} projects from {root} on 127.0.0.1, thoth {args.thoth}")

        results = []
        for label, cache_control in (("cold", "max-age=600"), ("warm", "max-age=600"),
                                     ("revalidate", "no-cache")):
            with MirrorServer(str(root), cache_control=cache_control, latency=args.latency) as srv:
                samples = []
                for i in range(args.runs):
                    cache = work / f"cache-{label}-{i}"
                    if label != "cold":
                        run_thoth(args, srv, names, cache, target)  # fill it, untimed
                    samples.append(run_thoth(args, srv, names, cache, target))
                    shutil.rmtree(cache, ignore_errors=True)
            results.append(summary(label, samples))
            print(results[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
