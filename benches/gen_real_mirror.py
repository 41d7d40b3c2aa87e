#!/usr/bin/env python3
"""Generate a mirror whose project pages have the shape of real PyPI pages, for thoth benchmarks.

    python3 benches/gen_real_mirror.py OUTDIR [--seed 0] [--projects 200] [--stack 150]

The dependency graph is gen_mirror.py's (tests/support/mirror.py: a witness solution, hubs, markers,
extras, Requires-Python, yanked and pre-releases, backtracking bait); what changes is the size of
each page. The issue that asked for it measured a 161-package stack of real PyPI metadata: files per
project p50 38, p90 487, max 2,224; versions per project p50 37, p90 127, max 1,780; 10.5 MB of
PEP 691 JSON for 160 pages. Here:

- versions per project are log-normal (median 37, p90 127), and a few projects are long-lived
  release trains (1,780, 1,350 and 1,050 versions, 2,000+ files: botocore-like), always in the stack;
- a project is pure (a py3-none-any wheel, an sdist most of the time) or binary: one wheel per CPython
  of the release's time (3.5-3.12) and per platform of its breadth (manylinux x86_64 / aarch64 /
  ppc64le / s390x / i686, musllinux, macOS x86_64 / arm64 / universal2, Windows 32/64), or abi3
  wheels, and an sdist;
- every wheel has PEP 658 metadata, files carry Requires-Python, PEP 700 upload times and yanks.

Only the files a client resolving for CPython 3.11 on manylinux x86_64 can use are written (with
their .metadata sidecars); the others are listed with made-up hashes (mirror.py's "stub" files),
since nothing under test fetches them. Writes OUTDIR/simple/*/index.json (JSON pages only: serve
them with benches/real_bench.py's nginx), OUTDIR/files/, requirements.txt, solution.txt and
shape.json (the distribution over the stack's pages). Same arguments, same bytes.
"""
import argparse
import json
import math
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import mirror  # noqa: E402

HEAVY = (1780, 1350, 1050)  # release trains of the size real stacks pull in (botocore, boto3, ...)
MEDIAN_VERSIONS, P90_VERSIONS = 37, 127
BINARY_MAX_VERSIONS = 45
PURE_SDIST_SHARE = 0.03  # most releases of the median page have one file: a wheel

# Platforms of a binary project's wheels, by how many it builds for; older releases use older tags.
LINUX_X86 = "manylinux_2_17_x86_64.manylinux2014_x86_64"
LINUX_X86_OLD = "manylinux1_x86_64"
PLATFORMS = {
    "narrow": [LINUX_X86, "macosx_10_9_universal2", "win_amd64"],
    "medium": [LINUX_X86, "manylinux_2_17_aarch64.manylinux2014_aarch64", "musllinux_1_1_x86_64",
               "macosx_10_9_x86_64", "macosx_11_0_arm64", "win_amd64"],
    "wide": [LINUX_X86, "manylinux_2_17_aarch64.manylinux2014_aarch64",
             "manylinux_2_17_ppc64le.manylinux2014_ppc64le", "manylinux_2_17_s390x.manylinux2014_s390x",
             "manylinux_2_17_i686.manylinux2014_i686", "musllinux_1_1_x86_64", "musllinux_1_1_aarch64",
             "macosx_10_9_x86_64", "macosx_11_0_arm64", "win32", "win_amd64"],
}


def usable_on_target(tag: str, minor: int = 11) -> bool:
    """Could pip or thoth pick this file for CPython 3.<minor> on glibc x86_64 with --only-binary?"""
    if tag == "sdist":
        return False
    py, abi, plat = tag.split("-")[-3:]
    if not any(p == "any" or re.fullmatch(r"manylinux(1|2010|2014|_2_\d+)_x86_64", p) for p in plat.split(".")):
        return False
    for p in py.split("."):
        if abi == "none" and p in ("py3", f"py3{minor}", f"cp3{minor}"):
            return True
        if abi == "abi3" and re.fullmatch(r"cp3(\d+)", p) and int(p[3:]) <= minor:
            return True
        if abi == f"cp3{minor}" and p == f"cp3{minor}":
            return True
    return False


class RealShaped(mirror._RandomMirror):
    """gen_mirror's graph with per-project release counts and file sets of real pages."""

    def __init__(self, seed, projects, stack_size, target_python):
        super().__init__(seed, projects, 1, stack_size, target_python, binary_fraction=0.15)
        sigma = (math.log(P90_VERSIONS) - math.log(MEDIAN_VERSIONS)) / 1.2816
        r = self.r
        self.counts = [max(1, min(900, int(r.lognormvariate(math.log(MEDIAN_VERSIONS), sigma))))
                       for _ in range(projects)]
        # The heavy ones are low in the graph (hub territory), where many projects can depend on them.
        self.heavy = sorted(r.sample(range(projects // 2, projects), len(HEAVY)))
        for i, n in zip(self.heavy, HEAVY):
            self.counts[i] = n
        self.profiles = [r.choices(["narrow", "medium", "wide"], weights=[5, 4, 1])[0] for _ in range(projects)]
        self._next = 0

    def history(self, binary):
        i = self._next
        self._next += 1
        # Release trains are pure (botocore and its kin ship one wheel and one sdist a release); a
        # binary project's page stays under the heaviest pages' 2,200 files.
        self._binary = binary and i not in self.heavy
        self.v = min(self.counts[i], BINARY_MAX_VERSIONS) if self._binary else self.counts[i]
        self._profile = self.profiles[i]
        return super().history(self._binary)

    def files(self, t, binary, abi3, sdist_only):
        r = self.r
        if sdist_only:
            return ["sdist"]
        year = t.year
        if not self._binary:
            out = ["py2.py3-none-any" if year < 2020 else "py3-none-any"]
            if r.random() < PURE_SDIST_SHARE:
                out.append("sdist")
            return out
        lo, hi = {2017: (5, 7), 2018: (5, 7), 2019: (5, 8), 2020: (6, 9), 2021: (6, 10), 2022: (7, 11),
                  2023: (8, 12)}.get(year, (8, 12))
        plats = [LINUX_X86_OLD if (p == LINUX_X86 and year < 2021) else p for p in PLATFORMS[self._profile]
                 if not (year < 2021 and ("arm64" in p or "musllinux" in p or "universal2" in p))]
        if abi3:
            out = [f"cp3{lo}-abi3-{p}" for p in plats]
        else:
            out = [f"cp3{m}-cp3{m}-{p}" for m in range(lo, hi + 1) for p in plats]
        return out + ["sdist"]

    def stack(self, names, hist, witness, extras):
        closure, reqs = super().stack(names, hist, witness, extras)
        seen_extras = set()
        for i in self.heavy:  # the release trains are part of every real stack of this size
            if i not in closure:
                self.close(i, [], hist, witness, closure, seen_extras)
                reqs.append(self.root_line(names[i], hist[i], witness[i], []))
        self.stack_projects = set(closure)
        return closure, reqs


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--projects", type=int, default=200, help="projects in the mirror")
    ap.add_argument("--stack", type=int, default=150, help="projects in the resolution before the release trains")
    ap.add_argument("--python", default="3.11", help="target Python the stack must install on")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    gen = RealShaped(args.seed, args.projects, args.stack, args.python)
    spec, reqs, solution = gen.build()
    minor = int(args.python.split(".")[1])
    for proj in spec["projects"].values():
        for v in proj["versions"].values():
            v["files"] = [f if usable_on_target(f, minor) else {"tag": f, "stub": True} for f in v["files"]]
    spec["options"] = {"sdist_backend": "intree", "html_pages": False, "description_size": 1500}
    os.makedirs(args.outdir, exist_ok=True)
    mirror.write_requirements(os.path.join(args.outdir, "requirements.txt"), reqs)
    mirror.write_requirements(os.path.join(args.outdir, "solution.txt"), solution)
    m = mirror.build_mirror(spec, args.outdir)

    in_stack = {mirror.normalize_name(line.split("==")[0]) for line in solution}
    files = [len(e["files"]) for n, e in m.projects.items() if n in in_stack]
    versions = [len(e["versions"]) for n, e in m.projects.items() if n in in_stack]
    json_bytes = sum(os.path.getsize(os.path.join(m.simple_dir, n, "index.json")) for n in in_stack)
    shape = {"pages": len(in_stack), "files": sum(files), "json_bytes": json_bytes,
             "files_p50": statistics.median(files), "files_p90": percentile(files, 0.9), "files_max": max(files),
             "versions_p50": statistics.median(versions), "versions_p90": percentile(versions, 0.9),
             "versions_max": max(versions), "written_files": sum(1 for f in m.files if f.path)}
    with open(os.path.join(args.outdir, "shape.json"), "w", encoding="utf-8") as f:
        json.dump(shape, f, indent=1)
        f.write("\n")
    print(f"{len(reqs)} requirements resolving to {len(in_stack)} projects of {len(m.projects)}: "
          f"{shape['files']} files ({json_bytes / 1e6:.1f} MB of JSON); files per project p50 "
          f"{shape['files_p50']}, p90 {shape['files_p90']}, max {shape['files_max']}; versions p50 "
          f"{shape['versions_p50']}, p90 {shape['versions_p90']}, max {shape['versions_max']}; "
          f"{shape['written_files']} files written, {time.monotonic() - t0:.1f}s -> {os.path.abspath(args.outdir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
