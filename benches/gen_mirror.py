#!/usr/bin/env python3
"""Generate a large random package mirror with a realistic shape for thoth benchmarks.

    python3 benches/gen_mirror.py OUTDIR [--seed 0] [--projects 400] [--versions 20] [--stack 120]

Writes OUTDIR/simple/ and OUTDIR/files/ (serve with tests/support/server.py), OUTDIR/requirements.txt
(a satisfiable top-level requirement set whose resolution has about --stack projects on CPython 3.11 /
Linux x86_64), OUTDIR/solution.txt (one known valid set of pins for it) and OUTDIR/spec.json (the
spec, rebuildable with tests/support/mirror.py).  Same arguments, same bytes.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "support"))
import mirror  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--projects", type=int, default=400)
    ap.add_argument("--versions", type=int, default=20, help="releases per project")
    ap.add_argument("--stack", type=int, default=120, help="projects in the resolution of requirements.txt")
    ap.add_argument("--python", default="3.11", help="target Python the stack must install on")
    ap.add_argument("--binary-fraction", type=float, default=0.15, help="share of projects with binary wheels")
    ap.add_argument("--description-size", type=int, default=1500, help="bytes of long description per METADATA")
    ap.add_argument("--no-metadata", action="store_true", help="no PEP 658 .metadata sidecars")
    ap.add_argument("--no-hashes", action="store_true", help="no #sha256= fragments / JSON hashes")
    ap.add_argument("--spec-only", action="store_true", help="write spec.json and requirements only")
    args = ap.parse_args(argv)
    if args.projects < 1 or args.versions < 1:
        ap.error("--projects and --versions must be at least 1")

    t0 = time.monotonic()
    options = {"description_size": args.description_size}
    if args.no_metadata:
        options["metadata_sidecars"] = False
    if args.no_hashes:
        options["hash_fragments"] = False
    spec, reqs, solution = mirror.generate_random_spec(
        args.seed, args.projects, args.versions, stack_size=args.stack, target_python=args.python,
        binary_fraction=args.binary_fraction, options=options)
    os.makedirs(args.outdir, exist_ok=True)
    with open(os.path.join(args.outdir, "spec.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
        f.write("\n")
    mirror.write_requirements(os.path.join(args.outdir, "requirements.txt"), reqs)
    mirror.write_requirements(os.path.join(args.outdir, "solution.txt"), solution)
    t1 = time.monotonic()
    files, size = 0, 0
    if not args.spec_only:
        m = mirror.build_mirror(spec, args.outdir)
        files, size = len(m.files), m.total_bytes()
    t2 = time.monotonic()
    n_versions = sum(len(p["versions"]) for p in spec["projects"].values())
    print(f"{len(spec['projects'])} projects, {n_versions} versions, {files} files ({size / 1e6:.1f} MB), "
          f"{len(reqs)} top-level requirements resolving to {len(solution)} projects; "
          f"spec {t1 - t0:.1f}s, files {t2 - t1:.1f}s -> {os.path.abspath(args.outdir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
