"""Differential test of `thoth lock` against pip: for many random mirrors (tests/support/mirror.py
generate_random_spec) and their requirement sets, thoth's pins must equal what

    /usr/bin/python3 -m pip install --dry-run --ignore-installed --report OUT --only-binary :all: -r reqs

answers on the same mirror for the same target (the running /usr/bin/python3: pip 23.0 cannot take
--python-version without --target, so thoth gets `--python /usr/bin/python3`). Both sides run with
--only-binary :all: so neither has to build the mirror's old sdist-only releases.

Two pips answer each seed: Debian 12's pip 23.0.1 and Debian 13's pip 25.1.1 (its wheel unpacked by
scripts/install-deps.sh, run with PYTHONPATH; see tests/support/references.py). Answers are validated
with packaging 25.0, the rules thoth follows (where packaging 23.0 differs, e.g. `<2.0rc1` admitting
pre-releases, pip 23's answer may count as "pip answer invalid", which is not a failure).

Where the pins differ, both answers are checked against the mirror's metadata with packaging (every
root requirement, Requires-Dist with its markers and extras, Requires-Python of file and metadata, a
wheel usable on the target, yanked only when pinned with ==, pip's pre-release rule, nothing missing
and nothing unneeded). Two valid answers count as "pip backtracked to another valid answer". An
invalid thoth answer, or thoth failing where a solution exists, is a failure.

Transports alternate: even seeds use a file:// index without PEP 658 sidecars (pip 23.0.1 compares a
sidecar's Name with the requirement's spelling verbatim and rejects e.g. "Foo_Bar" for "foo-bar";
fixed in pip 23.1), odd seeds serve the mirror over HTTP with sidecars (pip 23.0 reads the PEP 691
JSON page, whose "core-metadata" key it does not know, so it downloads wheels; thoth may use them).

    /usr/bin/python3 tests/e2e/test_pip_differential.py [--seeds N] [--first S] [--projects P] ...

The number of seeds defaults to 12, or $THOTH_PIPDIFF_SEEDS. Ends with "N passed, M failed"."""

import argparse
import email.parser
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402
from support import references  # noqa: E402

sys.path.insert(0, str(references.require(references.PACKAGING_25)))  # packaging 25.0 validates
from packaging.requirements import Requirement  # noqa: E402
from packaging.specifiers import SpecifierSet  # noqa: E402
from packaging.tags import Tag  # noqa: E402
from packaging.utils import canonicalize_name, parse_wheel_filename  # noqa: E402
from packaging.version import Version  # noqa: E402

PIP_PYTHON = "/usr/bin/python3"
# Each pip as (label, environment for `python3 -m pip`).
PIPS = [("pip 23.0.1", lambda env: env), ("pip 25.1.1", references.pip_25_env)]

# The target both resolvers answer for, computed by the reference inside that interpreter.
_TARGET_SCRIPT = """
import json, sys
sys.path.insert(0, "/usr/lib/python3/dist-packages")
import packaging.markers, packaging.tags
print(json.dumps({"markers": packaging.markers.default_environment(),
                  "tags": [str(t) for t in packaging.tags.sys_tags()]}))
"""


def target_of(python):
    out = subprocess.run([python, "-I", "-c", _TARGET_SCRIPT], capture_output=True, text=True, check=True,
                         env=harness.clean_env()).stdout
    doc = json.loads(out)
    return doc["markers"], {Tag(*t.split("-")) for t in doc["tags"]}


# ----------------------------------------------------------------------------------------------
# The mirror as the validator sees it


class Release:
    """One version of a project: its files and the core metadata they carry."""

    def __init__(self, version_text, files):
        self.text = version_text
        self.version = Version(version_text)
        self.files = files
        msg = email.parser.Parser().parsestr(files[0].metadata, headersonly=True)
        self.requires_dist = [Requirement(r) for r in msg.get_all("Requires-Dist") or []]
        rp = msg.get("Requires-Python")
        self.requires_python = SpecifierSet(rp) if rp else None
        self.provides_extra = {canonicalize_name(e) for e in msg.get_all("Provides-Extra") or []}


def releases_of(m):
    """{normalized project: {Version: Release}} from a built mirror."""
    out = {}
    for norm, entry in m.projects.items():
        by_version = {}
        for text in entry["versions"]:
            files = [f for f in entry["files"] if f.version == text]
            by_version[Version(text)] = Release(text, files)
        out[norm] = by_version
    return out


def usable_files(release, python_version, tags, allow_yanked):
    """Files of `release` pip would take for the target under --only-binary :all:."""
    out = []
    for f in release.files:
        if f.kind != "wheel":
            continue
        if f.yanked not in (False, None) and not allow_yanked:
            continue
        if f.requires_python and python_version not in SpecifierSet(f.requires_python):
            continue
        _, _, _, wheel_tags = parse_wheel_filename(f.filename)
        if wheel_tags & tags:
            out.append(f)
    return out


def check_resolution(pins, roots, releases, env, tags):
    """Problems (list of strings) of `pins` ({name: version text}) as an answer for `roots`.

    Empty means valid: it satisfies everything pip 23.0 would check, and holds exactly the projects
    the roots need."""
    problems = []
    python_version = Version(env["python_full_version"])
    chosen = {}
    for name, text in pins.items():
        rel = releases.get(name, {}).get(Version(text))
        if rel is None:
            problems.append(f"{name}=={text} is not in the mirror")
        else:
            chosen[name] = rel

    # Walk the graph from the roots. Work items are (project, extra or ""): the base, then each
    # extra the pinned release provides (pip 23.0 ignores, with a warning, extras it does not).
    needed = set()
    reqs_on = {}                 # name -> [Requirement], for the yanked and pre-release rules
    done = set()
    todo = []

    def require(req, who):
        name = canonicalize_name(req.name)
        reqs_on.setdefault(name, []).append(req)
        rel = chosen.get(name)
        if rel is None:
            if name not in needed:
                problems.append(f"{who} requires {req}, but {name} is not pinned")
            needed.add(name)
            return
        needed.add(name)
        if not req.specifier.contains(rel.version, prereleases=True):
            problems.append(f"{who} requires {req}, but {name}=={rel.text} is pinned")
        todo.append((name, ""))
        todo.extend((name, canonicalize_name(e)) for e in req.extras)

    for line in roots:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(dict(env, extra="")):
            require(req, "the root")
    while todo:
        item = todo.pop()
        if item in done:
            continue
        done.add(item)
        name, extra = item
        rel = chosen[name]
        if extra and extra not in rel.provides_extra:
            continue
        for req in rel.requires_dist:
            if extra:
                active = req.marker is not None and req.marker.evaluate(dict(env, extra=extra))
            else:
                active = req.marker is None or req.marker.evaluate(dict(env, extra=""))
            if active:
                require(req, f"{name}=={rel.text}" + (f"[{extra}]" if extra else ""))

    for name, rel in chosen.items():
        if name not in needed:
            problems.append(f"{name}=={rel.text} is pinned but nothing needs it")
            continue
        if rel.requires_python is not None and python_version not in rel.requires_python:
            problems.append(f"{name}=={rel.text} has Requires-Python {rel.requires_python}, target is {python_version}")
        on = reqs_on.get(name, [])
        pinned_eq = any(s.operator in ("==", "===") for r in on for s in r.specifier)
        if not usable_files(rel, python_version, tags, allow_yanked=pinned_eq):
            why = "no wheel for the target"
            if usable_files(rel, python_version, tags, allow_yanked=True):
                why = "yanked and not pinned with =="
            problems.append(f"{name}=={rel.text}: {why}")
        if rel.version.is_prerelease:
            merged = SpecifierSet(",".join(str(r.specifier) for r in on if str(r.specifier)))
            finals_exist = any(not v.is_prerelease and usable_files(r, python_version, tags, False)
                               for v, r in releases.get(name, {}).items())
            if not (merged.prereleases or (not str(merged) and not finals_exist)):
                problems.append(f"{name}=={rel.text} is a pre-release nobody asked for")
    return problems


def upgradable(pins, roots, releases, env, tags):
    """Pins that could move to a newer release with everything else unchanged (still valid).

    Neither pip nor a PubGrub solver promises a locally newest answer; this only describes how two
    valid answers differ."""
    out = []
    for name, text in sorted(pins.items()):
        for version in sorted(releases.get(name, {}), reverse=True):
            if version <= Version(text):
                break
            trial = dict(pins, **{name: releases[name][version].text})
            if not check_resolution(trial, roots, releases, env, tags):
                out.append(f"{name} {text}->{releases[name][version].text}")
                break
    return out


# ----------------------------------------------------------------------------------------------
# Running both resolvers


def run_pip(index_url, reqs_file, workdir, pip_env=lambda env: env):
    report = workdir / "pip-report.json"
    cmd = [PIP_PYTHON, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
           "--disable-pip-version-check", "--report", str(report), "--index-url", index_url,
           "--only-binary", ":all:", "--cache-dir", str(workdir / "pip-cache"), "-r", str(reqs_file)]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=pip_env(harness.clean_env()), timeout=900)
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        return None, proc.stderr, elapsed
    return pins_of_report(report.read_text()), "", elapsed


def run_thoth(index_url, reqs_file, workdir):
    cmd = ["lock", "--format", "report", "-r", str(reqs_file), "--index-url", index_url,
           "--only-binary", ":all:", "--python", PIP_PYTHON, "--cache-dir", str(workdir / "thoth-cache")]
    t0 = time.monotonic()
    r = harness.run(cmd, cwd=workdir, timeout=900)
    elapsed = time.monotonic() - t0
    if r.rc != 0:
        return None, str(r), elapsed
    try:
        return pins_of_report(r.stdout), "", elapsed
    except (ValueError, KeyError, TypeError) as e:
        return None, f"unreadable report ({e})\n{r}", elapsed


def pins_of_report(text):
    doc = json.loads(text)
    return {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"] for i in doc["install"]}


def same_pins(a, b):
    return a.keys() == b.keys() and all(Version(a[k]) == Version(b[k]) for k in a)


def describe_difference(thoth, pip):
    parts = []
    for name in sorted(set(thoth) | set(pip)):
        t, p = thoth.get(name), pip.get(name)
        if t is None or p is None or Version(t) != Version(p):
            parts.append(f"{name}: thoth {t or '-'} / pip {p or '-'}")
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------


def one_seed(seed, args, env, tags, keep_root):
    """Returns [(pip label, outcome, message)], one per pip; outcome is same | both-valid | pip-failed |
    pip-invalid | FAIL."""
    http = seed % 2 == 1
    tmp_ctx = None
    if keep_root:
        workdir = pathlib.Path(keep_root) / f"seed-{seed}"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix=f"thoth-pipdiff-{seed}-")
        workdir = pathlib.Path(tmp_ctx.name)
    server = None
    try:
        spec, reqs, solution = mirrorlib.generate_random_spec(
            seed, args.projects, args.versions, stack_size=args.stack, target_python=env["python_version"],
            options={"metadata_sidecars": http})
        m = mirrorlib.build_mirror(spec, str(workdir / "mirror"))
        reqs_file = workdir / "requirements.txt"
        mirrorlib.write_requirements(str(reqs_file), reqs)
        releases = releases_of(m)
        if http:
            server = MirrorServer(str(workdir / "mirror")).start()
            index_url = server.index_url
        else:
            index_url = (workdir / "mirror" / "simple").as_uri() + "/"
        where = f"{'http+sidecars' if http else 'file'}, {len(reqs)} roots"

        witness = {canonicalize_name(s.split("==")[0]): s.split("==")[1] for s in solution}
        bad = check_resolution(witness, reqs, releases, env, tags)
        if bad:  # the generator promises this answer is valid: the checker itself must agree
            return [("validator", "FAIL", f"validator rejects the generator's witness ({where}): {bad[:3]}")]

        thoth, thoth_err, thoth_s = run_thoth(index_url, reqs_file, workdir)
        out = []
        for label, pip_env in PIPS:
            (workdir / label).mkdir(exist_ok=True)
            pip, pip_err, pip_s = run_pip(index_url, reqs_file, workdir / label, pip_env)
            out.append((label,) + judge(thoth, thoth_err, thoth_s, pip, pip_err, pip_s, reqs, releases, env, tags,
                                        where))
        return out
    finally:
        if server is not None:
            server.stop()
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


def judge(thoth, thoth_err, thoth_s, pip, pip_err, pip_s, reqs, releases, env, tags, where):
    """(outcome, message) of one pip's answer against thoth's."""
    times = f"pip {pip_s:.2f}s, thoth {thoth_s:.2f}s"
    if thoth is None:
        reason = "pip succeeded" if pip is not None else "a solution exists (the generator's witness)"
        return "FAIL", f"thoth failed where {reason} ({where}):\n{_indent(thoth_err)}"
    thoth_problems = check_resolution(thoth, reqs, releases, env, tags)
    if thoth_problems:
        return "FAIL", (f"thoth's answer is invalid ({where}): " + "; ".join(thoth_problems[:5])
                        + (f"\n  differs from pip: {describe_difference(thoth, pip)}" if pip else ""))
    if pip is None:
        last = pip_err.strip().splitlines()[-1] if pip_err.strip() else "no message"
        return "pip-failed", f"pip failed, thoth valid ({len(thoth)} pins; {where}; {times}): {last}"
    if same_pins(thoth, pip):
        return "same", f"same {len(thoth)} pins ({where}; {times})"
    pip_problems = check_resolution(pip, reqs, releases, env, tags)
    if pip_problems:
        return "pip-invalid", (f"pins differ and pip's answer is invalid ({where}): "
                               + "; ".join(pip_problems[:3]) + f"\n  {describe_difference(thoth, pip)}")
    up_t = upgradable(thoth, reqs, releases, env, tags)
    up_p = upgradable(pip, reqs, releases, env, tags)
    return "both-valid", (f"different, both valid ({where}; {times}): {describe_difference(thoth, pip)}"
                          f"\n  could be newer alone: thoth {', '.join(up_t) or 'none'}; pip {', '.join(up_p) or 'none'}")


def _indent(text):
    return "\n".join("    " + ln for ln in text.strip().splitlines()[-30:])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=int(os.environ.get("THOTH_PIPDIFF_SEEDS", "12")))
    ap.add_argument("--first", type=int, default=int(os.environ.get("THOTH_PIPDIFF_FIRST", "1")))
    ap.add_argument("--projects", type=int, default=40)
    ap.add_argument("--versions", type=int, default=8)
    ap.add_argument("--stack", type=int, default=16, help="projects in each resolution (about)")
    ap.add_argument("--keep", metavar="DIR", help="keep every mirror, requirements and report under DIR")
    args = ap.parse_args(argv)

    binary = harness.thoth_binary()
    if not os.access(binary, os.X_OK):
        print(f"thoth binary not found at {binary} (set THOTH)", file=sys.stderr)
        return 1
    env, tags = target_of(PIP_PYTHON)
    counts = {label: {"same": 0, "both-valid": 0, "pip-failed": 0, "pip-invalid": 0, "FAIL": 0} for label, _ in PIPS}
    t0 = time.monotonic()
    failed = 0
    for seed in range(args.first, args.first + args.seeds):
        try:
            results = one_seed(seed, args, env, tags, args.keep)
        except Exception as e:  # a crash in one seed is that seed's failure, not the run's
            results = [("seed", "FAIL", f"{type(e).__name__}: {e}")]
        for label, outcome, message in results:
            if label in counts:
                counts[label][outcome] += 1
            print(f"seed {seed}, {label}: {outcome}: {message}", flush=True)
        failed += any(outcome == "FAIL" for _, outcome, _ in results)
    passed = args.seeds - failed
    for label, c in counts.items():
        print(f"{label} differential ({args.projects} projects x {args.versions} versions, "
              f"{time.monotonic() - t0:.0f}s): {c['same']} same, {c['both-valid']} different but both valid, "
              f"{c['pip-failed']} pip failed where thoth found a valid answer, "
              f"{c['pip-invalid']} pip answer invalid, {c['FAIL']} failures")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
