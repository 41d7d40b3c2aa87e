"""End-to-end scenarios of `thoth lock`: each test builds a small mirror with tests/support/mirror.py,
resolves against it for an explicit target and checks the exact pins (or the explanation of failure).

Every scenario runs twice: over file:// with PEP 658 metadata sidecars (FileIndexScenarios) and over
HTTP from tests/support/server.py without sidecars, so thoth must read METADATA out of the wheels
(HttpIndexScenarios). Where pip's behaviour is the reference (pre-releases, yanked files, extras a
version does not provide) the expected pins are what pip 23.0 answers on the same mirror.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_resolve_scenarios.py [-k NAME]"""

import json
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

try:  # Debian's python3-packaging, only to compare versions loosely ("1.0" == "1")
    from packaging.version import InvalidVersion, Version
except ImportError:  # pragma: no cover - the tests still run, comparing strings
    Version, InvalidVersion = None, ValueError

PIP_PYTHON = "/usr/bin/python3"

# Targets are always explicit, so the answers do not depend on the machine's interpreter.
LINUX_38 = ["--python-version", "3.8", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
LINUX_39 = ["--python-version", "3.9", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
LINUX_311 = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
LINUX_312 = ["--python-version", "3.12", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
WIN_311 = ["--python-version", "3.11", "--platform", "win_amd64", "--implementation", "cp"]

_PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:===?\s*([^\s;\\]+)|@\s*([^\s;\\]+))")


def norm(name):
    return mirrorlib.normalize_name(name)


def canon_version(text):
    if Version is None:
        return text
    try:
        return str(Version(text))
    except InvalidVersion:
        return text


def parse_lock(text):
    """Pins of a requirements-format lock: {normalized name: version or '@url'}.

    Top-level lines are `name==version` or `name @ url`; comment lines, `# via` blocks, option lines
    (`--index-url`) and `--hash` continuation lines (indented) are skipped."""
    pins = {}
    for line in text.splitlines():
        if not line or line[0] in " \t#-":
            continue
        m = _PIN_RE.match(line)
        if not m:
            raise AssertionError(f"unparseable lock line: {line!r}\n--- lock\n{text}")
        name = norm(m.group(1))
        if name in pins:
            raise AssertionError(f"{name} pinned twice in the lock\n--- lock\n{text}")
        pins[name] = canon_version(m.group(3)) if m.group(3) else "@" + m.group(4)
    return pins


def strip_header(text):
    """The lock without its leading comment block (the header naming the command)."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        i += 1
    return "".join(lines[i:])


def report_pins(text):
    doc = json.loads(text)
    return {norm(item["metadata"]["name"]): canon_version(item["metadata"]["version"]) for item in doc["install"]}


class LockScenario(unittest.TestCase):
    """Base: a temp dir per test, mirrors built into it, `thoth lock` against the current mirror."""

    TRANSPORT = "file"   # or "http"
    SIDECARS = True      # PEP 658 .metadata files next to the distributions

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="thoth-e2e-scenario-")
        self.addCleanup(self._tmp.cleanup)
        self.tmp = pathlib.Path(self._tmp.name)
        self.cache = self.tmp / "cache"
        self.index_url = None
        self.mirror = None
        self.server = None

    # -- mirrors -------------------------------------------------------------------------------
    def build(self, projects, name="index", **options):
        """Builds a mirror of `projects` (mirror.py spec) and makes it the index of self.lock()."""
        options.setdefault("metadata_sidecars", self.SIDECARS)
        options.setdefault("sdist_backend", "intree")  # buildable offline, so pip can check the sdist cases
        root = self.tmp / name
        m = mirrorlib.build_mirror({"projects": projects}, str(root), **options)
        if name == "index":
            self.mirror = m
            self.index_url = self.serve(root)
        return m

    def serve(self, root):
        if self.TRANSPORT == "file":
            return (pathlib.Path(root) / "simple").as_uri() + "/"
        srv = MirrorServer(str(root)).start()
        self.addCleanup(srv.stop)
        self.server = srv
        return srv.index_url

    def write(self, relpath, text):
        path = self.tmp / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    # -- running thoth -------------------------------------------------------------------------
    def lock(self, *args, target=LINUX_311, index=True, cache=True):
        cmd = ["lock", *args, *target]
        if index:
            cmd += ["--index-url", self.index_url]
        if cache:
            cmd += ["--cache-dir", str(self.cache)]
        return harness.run(cmd, cwd=self.tmp, timeout=180)

    def assertPins(self, result, expected, fmt="requirements"):
        """rc 0 and exactly the pins `expected` ({name: version}) in the lock on stdout."""
        self.assertEqual(result.rc, 0, f"thoth lock failed\n{result}")
        got = report_pins(result.stdout) if fmt == "report" else parse_lock(result.stdout)
        want = {norm(k): canon_version(v) for k, v in expected.items()}
        self.assertEqual(got, want, f"wrong pins\n{result}")
        return got

    def assertUnsatisfiable(self, result, *fragments, solving_failed=False):
        """rc 1, nothing on stdout, each fragment (str or compiled regex) in the explanation."""
        self.assertEqual(result.rc, 1, f"expected exit 1 (unsatisfiable)\n{result}")
        self.assertEqual(result.stdout, "", f"a failed lock must write nothing to stdout\n{result}")
        for frag in fragments:
            if isinstance(frag, str):
                self.assertIn(frag, result.stderr, f"explanation lacks {frag!r}\n{result}")
            else:
                self.assertRegex(result.stderr, frag, f"explanation lacks {frag.pattern!r}\n{result}")
        if solving_failed:
            self.assertIn("version solving failed", result.stderr, f"not a PubGrub-style explanation\n{result}")

    # ==========================================================================================
    # Graph shapes

    def diamond(self):
        # One answer only: left 2.0 narrows base to 2.0, which right-side 2.0 accepts.
        return {
            "app": {"1.0": {"requires_dist": ["left>=1", "Right_Side>=1"]}},
            "left": {"1.0": {"requires_dist": ["base>=1"]}, "2.0": {"requires_dist": ["base>=2,<2.1"]}},
            "Right_Side": {"1.0": {"requires_dist": ["base"]}, "2.0": {"requires_dist": ["BASE!=2.1,>=1.5"]}},
            "base": {"1.0": {}, "2.0": {}, "2.1": {}, "3.0": {}},
        }

    DIAMOND_PINS = {"app": "1.0", "left": "2.0", "right-side": "2.0", "base": "2.0"}

    def test_diamond(self):
        self.build(self.diamond())
        self.assertPins(self.lock("app"), self.DIAMOND_PINS)

    def test_diamond_root_spelled_unnormalized(self):
        self.build(self.diamond())
        self.assertPins(self.lock("APP", "right.side"), self.DIAMOND_PINS)

    def test_diamond_tie_decides_direct_dependency_first_like_pip(self):
        # Two valid answers: {right-side 2.0, base 2.0} and {right-side 1.0, base 2.1}. pip 23.0 decides
        # the direct dependency (right-side) before the transitive one (base) and keeps its newest
        # release; the other answer gives up a direct dependency's newest release for a transitive
        # one's, which nobody asked for.
        projects = self.diamond()
        projects["left"]["2.0"] = {"requires_dist": ["base>=2,<3"]}
        self.build(projects)
        self.assertPins(self.lock("app"), self.DIAMOND_PINS)

    def test_requirements_layout_sorted_with_via(self):
        self.build(self.diamond())
        r = self.lock("app")
        self.assertPins(r, self.DIAMOND_PINS)
        lines = r.stdout.splitlines()
        self.assertTrue(lines and lines[0].startswith("#"), f"no header comment\n{r}")
        pin_lines = [ln for ln in lines if ln and ln[0] not in " \t#-"]
        names = [norm(_PIN_RE.match(ln).group(1)) for ln in pin_lines]
        self.assertEqual(names, sorted(names), f"pins not sorted by normalised name\n{r}")
        # pip-compile layout: the comment block under a pin says who needs it.
        blocks, current = {}, None
        for ln in lines:
            if ln and ln[0] not in " \t#-":
                current = norm(_PIN_RE.match(ln).group(1))
                blocks[current] = ""
            elif current is not None and ln.strip().startswith("#"):
                blocks[current] += ln + "\n"
        self.assertIn("via", blocks["base"], f"no '# via' for base\n{r}")
        self.assertIn("left", blocks["base"], f"base is needed by left\n{r}")
        self.assertIn("right-side", blocks["base"].lower().replace("_", "-"), f"base is needed by right-side\n{r}")
        self.assertIn("app", blocks["left"], f"left is needed by app\n{r}")

    def test_deep_backtracking_needs_older_root(self):
        # Newest a needs b>=2; every b 2.x needs c>=2, which the other root d forbids. The answer
        # needs an older a (1.5) whose b<2 lets c stay below 2.
        self.build({
            "a": {"1.0": {"requires_dist": ["b<2"]}, "1.5": {"requires_dist": ["b<2"]},
                  "2.0": {"requires_dist": ["b>=2"]}, "2.5": {"requires_dist": ["b>=2"]},
                  "3.0": {"requires_dist": ["b>=2.1"]}},
            "b": {"1.0": {"requires_dist": ["c"]}, "1.1": {"requires_dist": ["c<2"]},
                  "2.0": {"requires_dist": ["c>=2"]}, "2.1": {"requires_dist": ["c>=2"]},
                  "2.2": {"requires_dist": ["c>=2.1"]}},
            "c": {"1.0": {}, "1.1": {}, "2.0": {}, "2.1": {}},
            "d": {"1.0": {"requires_dist": ["c<2"]}},
        })
        self.assertPins(self.lock("a", "d"), {"a": "1.5", "b": "1.1", "c": "1.1", "d": "1.0"})
        # Same answer whichever root comes first.
        self.assertPins(self.lock("d", "a"), {"a": "1.5", "b": "1.1", "c": "1.1", "d": "1.0"})

    def test_deep_chain_conflict_at_the_bottom(self):
        # l0 N needs l1>=N needs ... l5>=N; a second root caps l5 below 3. Only N = 2 works at every
        # level, which a solver finds by learning, not by trying 10^6 combinations.
        levels, versions = 6, 10
        projects = {}
        for k in range(levels):
            projects[f"l{k}"] = {f"{n}.0": ({"requires_dist": [f"l{k + 1}>={n}.0"]} if k + 1 < levels else {})
                                 for n in range(1, versions + 1)}
        projects["blocker"] = {"1.0": {"requires_dist": [f"l{levels - 1}<3"]}}
        self.build(projects)
        want = {f"l{k}": "2.0" for k in range(levels)}
        want["blocker"] = "1.0"
        self.assertPins(self.lock("l0", "blocker"), want)

    def test_dependency_cycle(self):
        self.build({
            "cyc-a": {"1.0": {"requires_dist": ["cyc-b"]}, "2.0": {"requires_dist": ["cyc-b>=2"]}},
            "cyc-b": {"1.0": {"requires_dist": ["cyc-a"]}, "2.0": {"requires_dist": ["cyc-a>=2"]}},
        })
        self.assertPins(self.lock("cyc-a"), {"cyc-a": "2.0", "cyc-b": "2.0"})

    def test_root_requirements_intersect(self):
        self.build({"lib": {"1.0": {}, "1.2": {}, "1.5": {}, "2.0": {}}})
        self.assertPins(self.lock("lib>=1.0", "lib<1.5", "lib!=1.2"), {"lib": "1.0"})

    # ==========================================================================================
    # Extras

    def extras_mirror(self):
        return {
            "web": {"1.0": {"requires_dist": [
                "core>=1",
                'crypto[fast]>=2; extra == "security"',
                'wintls; sys_platform == "win32" and extra == "security"',
                'socks; extra == "proxy"',
                'web[security,proxy]; extra == "all"',
            ]}},
            "core": {"1.0": {}, "1.1": {}},
            "crypto": {"1.0": {}, "2.0": {"requires_dist": ['speedlib; extra == "fast"']},
                       "2.1": {"requires_dist": ['speedlib>=1.1; extra == "fast"']}},
            "speedlib": {"1.0": {}, "1.1": {}},
            "socks": {"1.0": {}},
            "wintls": {"1.0": {}},
        }

    def test_extras_not_requested(self):
        self.build(self.extras_mirror())
        self.assertPins(self.lock("web"), {"web": "1.0", "core": "1.1"})

    def test_extra_with_extra_of_dependency(self):
        self.build(self.extras_mirror())
        self.assertPins(self.lock("web[security]"),
                        {"web": "1.0", "core": "1.1", "crypto": "2.1", "speedlib": "1.1"})

    def test_extra_marker_and_platform_marker(self):
        self.build(self.extras_mirror())
        self.assertPins(self.lock("web[security]", target=WIN_311),
                        {"web": "1.0", "core": "1.1", "crypto": "2.1", "speedlib": "1.1", "wintls": "1.0"})

    def test_extra_requiring_extras_of_itself(self):
        self.build(self.extras_mirror())
        self.assertPins(self.lock("web[all]"),
                        {"web": "1.0", "core": "1.1", "crypto": "2.1", "speedlib": "1.1", "socks": "1.0"})

    def test_extras_requested_by_two_paths_are_merged(self):
        projects = self.extras_mirror()
        projects["client"] = {"1.0": {"requires_dist": ["web[proxy]"]}}
        self.build(projects)
        self.assertPins(self.lock("web[security]", "client"),
                        {"web": "1.0", "core": "1.1", "crypto": "2.1", "speedlib": "1.1", "socks": "1.0",
                         "client": "1.0"})

    def test_extra_holds_base_at_same_version(self):
        # tool 2.0[cli] needs click>=2, which the root forbids: the extra and its base move together
        # to tool 1.0 (pip 23.0 answers the same).
        self.build({
            "tool": {"1.0": {"requires_dist": ['click; extra == "cli"']},
                     "2.0": {"requires_dist": ['click>=2; extra == "cli"']}},
            "click": {"1.0": {}, "2.0": {}},
        })
        self.assertPins(self.lock("tool[cli]", "click<2"), {"tool": "1.0", "click": "1.0"})

    def test_extra_missing_in_newest_version_is_ignored_like_pip(self):
        # pip 23.0 installs tool2 2.0 (warning that it has no extra 'cli') rather than backtracking.
        self.build({
            "tool2": {"1.0": {"requires_dist": ['click; extra == "cli"']}, "2.0": {}},
            "click": {"1.0": {}},
        })
        r = self.lock("tool2[cli]")
        self.assertPins(r, {"tool2": "2.0"})
        self.assertIn("warning: tool2 2.0 does not provide the extra 'cli'", r.stderr, str(r))

    def test_extra_not_in_provides_extra_brings_nothing_like_pip(self):
        # pip 23.0's ExtrasCandidate reads only the extras of Provides-Extra: a Requires-Dist line
        # whose marker names another extra is not used for it (and pip warns).
        self.build({
            "tool3": {"1.0": {"requires_dist": ['click; extra == "cli"'], "provides_extra": []}},
            "click": {"1.0": {}},
        })
        r = self.lock("tool3[cli]")
        self.assertPins(r, {"tool3": "1.0"})
        self.assertIn("warning: tool3 1.0 does not provide the extra 'cli'", r.stderr, str(r))

    # ==========================================================================================
    # Markers and targets

    def markers_mirror(self):
        return {
            "pkg": {"1.0": {"requires_dist": [
                'winonly; sys_platform == "win32"',
                'oldpy; python_version < "3.9"',
                'linuxdep; sys_platform == "linux"',
                'cponly; implementation_name == "cpython"',
                'pypyonly; implementation_name == "pypy"',
                'never; python_version < "3" and sys_platform == "linux"',
            ]}},
            "winonly": {"1.0": {}}, "oldpy": {"1.0": {}}, "linuxdep": {"1.0": {}},
            "cponly": {"1.0": {}}, "pypyonly": {"1.0": {}}, "never": {"1.0": {}},
            "rootdep": {"1.0": {}},
        }

    def test_markers_linux_py38(self):
        self.build(self.markers_mirror())
        self.assertPins(self.lock("pkg", 'rootdep; python_version >= "3.10"', target=LINUX_38),
                        {"pkg": "1.0", "oldpy": "1.0", "linuxdep": "1.0", "cponly": "1.0"})

    def test_markers_windows_py311(self):
        self.build(self.markers_mirror())
        self.assertPins(self.lock("pkg", 'rootdep; python_version >= "3.10"', target=WIN_311),
                        {"pkg": "1.0", "winonly": "1.0", "cponly": "1.0", "rootdep": "1.0"})

    def test_target_env_file(self):
        self.build(self.markers_mirror())
        env_file = self.tmp / "target.json"
        r = harness.run(["env", *["--python-version", "3.8", "--platform", "win_amd64"], "-o", str(env_file)])
        self.assertEqual(r.rc, 0, f"thoth env failed\n{r}")
        self.assertPins(self.lock("pkg", "--target-env", str(env_file), target=[]),
                        {"pkg": "1.0", "winonly": "1.0", "oldpy": "1.0", "cponly": "1.0"})

    # ==========================================================================================
    # Pre-releases (pip 23.0's rules)

    def pre_mirror(self):
        return {
            "lib": {"1.0": {}, "1.1": {}, "2.0b1": {}},
            "beta": {"0.1a1": {}, "0.2b2": {}},
            "uses-pre": {"1.0": {"requires_dist": ["lib>=2.0b1"]}},
            "uses-beta": {"1.0": {"requires_dist": ["beta"]}},
        }

    def test_prereleases_excluded_by_default(self):
        self.build(self.pre_mirror())
        self.assertPins(self.lock("lib"), {"lib": "1.1"})

    def test_pre_flag_allows_prereleases(self):
        self.build(self.pre_mirror())
        self.assertPins(self.lock("lib", "--pre"), {"lib": "2.0b1"})

    def test_prerelease_named_in_specifier(self):
        self.build(self.pre_mirror())
        self.assertPins(self.lock("lib>=2.0b1"), {"lib": "2.0b1"})
        self.assertPins(self.lock("uses-pre"), {"uses-pre": "1.0", "lib": "2.0b1"})

    def test_only_prereleases_exist(self):
        # Without a specifier pip falls back to pre-releases when there is no final release at all.
        self.build(self.pre_mirror())
        self.assertPins(self.lock("beta"), {"beta": "0.2b2"})
        self.assertPins(self.lock("uses-beta"), {"uses-beta": "1.0", "beta": "0.2b2"})

    def test_only_prereleases_match_specifier(self):
        # With a specifier that names no pre-release, pip refuses them: exit 1 and a hint.
        self.build(self.pre_mirror())
        self.assertUnsatisfiable(self.lock("lib>=1.5"), "lib", re.compile(r"(?i)pre-?release|--pre"))
        self.assertUnsatisfiable(self.lock("beta>=0.1"), "beta", re.compile(r"(?i)pre-?release|--pre"))

    # ==========================================================================================
    # Yanked releases (PEP 592)

    def yanked_mirror(self):
        return {
            "ylib": {"1.0": {}, "1.1": {}, "1.2": {"yanked": "broken build"}},
            "needs-yanked": {"1.0": {"requires_dist": ["ylib==1.2"]}},
        }

    def test_yanked_skipped(self):
        self.build(self.yanked_mirror())
        self.assertPins(self.lock("ylib"), {"ylib": "1.1"})

    def test_yanked_allowed_when_pinned(self):
        self.build(self.yanked_mirror())
        self.assertPins(self.lock("ylib==1.2"), {"ylib": "1.2"})
        self.assertPins(self.lock("needs-yanked"), {"needs-yanked": "1.0", "ylib": "1.2"})

    def test_yanked_not_allowed_by_range(self):
        self.build(self.yanked_mirror())
        self.assertUnsatisfiable(self.lock("ylib>=1.2"), "ylib", re.compile(r"(?i)yanked"))

    # ==========================================================================================
    # Requires-Python

    def rp_mirror(self):
        return {
            # In the metadata and as data-requires-python on every file.
            "modern": {"1.0": {}, "1.5": {"requires_python": ">=3.8"}, "2.0": {"requires_python": ">=3.10"}},
            # Only on the index page (PEP 503 data-requires-python), not in the metadata.
            "fileonly": {"1.0": {}, "2.0": {"files": [{"tag": "py3-none-any", "requires_python": ">=3.10"}]}},
            # Only in the metadata: the index says nothing.
            "metaonly": {"1.0": {}, "2.0": {"extra_metadata": ["Requires-Python: >=3.10"]}},
            "future": {"1.0": {"requires_python": ">=3.12"}, "2.0": {"requires_python": ">=3.12"}},
        }

    def test_requires_python_old_target(self):
        self.build(self.rp_mirror())
        self.assertPins(self.lock("modern", "fileonly", "metaonly", target=LINUX_39),
                        {"modern": "1.5", "fileonly": "1.0", "metaonly": "1.0"})

    def test_requires_python_new_target(self):
        self.build(self.rp_mirror())
        self.assertPins(self.lock("modern", "fileonly", "metaonly", target=LINUX_311),
                        {"modern": "2.0", "fileonly": "2.0", "metaonly": "2.0"})

    def test_requires_python_excludes_every_version(self):
        self.build(self.rp_mirror())
        self.assertUnsatisfiable(self.lock("future", target=LINUX_39), "future", "3.12")
        self.assertPins(self.lock("future", target=LINUX_312), {"future": "2.0"})

    # ==========================================================================================
    # Wheel compatibility, sdists, --only-binary / --no-binary

    def wheels_mirror(self):
        linux = "manylinux_2_17_x86_64.manylinux2014_x86_64"
        return {
            "winlib": {"1.0": {"files": ["cp311-cp311-win_amd64"]},
                       "2.0": {"files": ["cp311-cp311-win_amd64", "cp311-cp311-macosx_11_0_arm64"]}},
            "mixed": {"1.0": {"files": ["py3-none-any"]}, "2.0": {"files": ["cp311-cp311-win_amd64"]}},
            "nat": {"1.0": {"files": [f"cp311-cp311-{linux}", "cp310-cp310-win_amd64"]},
                    "2.0": {"files": [f"cp312-cp312-{linux}"]}},
            "stable": {"1.0": {"files": [f"cp38-abi3-{linux}"]}},
        }

    def test_newest_without_compatible_wheel_is_skipped(self):
        self.build(self.wheels_mirror())
        self.assertPins(self.lock("mixed", "nat", "stable"), {"mixed": "1.0", "nat": "1.0", "stable": "1.0"})
        self.assertPins(self.lock("nat", target=LINUX_312), {"nat": "2.0"})
        self.assertPins(self.lock("winlib", "mixed", target=WIN_311), {"winlib": "2.0", "mixed": "2.0"})

    def test_no_compatible_wheel_for_target(self):
        self.build(self.wheels_mirror())
        r = self.lock("winlib")
        self.assertUnsatisfiable(r, "winlib", re.compile(r"(?i)wheel|compatible"))
        # The hint names the platform: the target's or the one the files are for.
        self.assertRegex(r.stderr, r"win_amd64|manylinux|linux|x86_64", f"no platform in the hint\n{r}")

    def sdist_mirror(self):
        return {
            "srconly": {"1.0": {"files": ["sdist"], "metadata_version": "2.2", "requires_dist": ["dep>=1.1"]}},
            "srcmeta": {"1.0": {"files": [{"tag": "sdist", "sidecar": True}], "metadata_version": "2.3",
                                "requires_dist": ['dep<1.1; python_version >= "3"']}},
            "mixed2": {"1.0": {"files": ["py3-none-any"]}, "2.0": {"files": ["sdist"], "metadata_version": "2.2"}},
            "dep": {"1.0": {}, "1.1": {}},
        }

    def test_sdist_only_with_static_metadata(self):
        self.build(self.sdist_mirror())
        self.assertPins(self.lock("srconly"), {"srconly": "1.0", "dep": "1.1"})
        self.assertPins(self.lock("srcmeta"), {"srcmeta": "1.0", "dep": "1.0"})
        self.assertPins(self.lock("mixed2"), {"mixed2": "2.0"})

    def test_only_binary_all_skips_sdists(self):
        self.build(self.sdist_mirror())
        self.assertPins(self.lock("mixed2", "--only-binary", ":all:"), {"mixed2": "1.0"})
        self.assertPins(self.lock("mixed2", "--only-binary", "mixed2"), {"mixed2": "1.0"})

    def test_only_binary_with_sdist_only_package(self):
        self.build(self.sdist_mirror())
        r = self.lock("srconly", "--only-binary", ":all:")
        self.assertUnsatisfiable(r, "srconly", re.compile(r"(?i)only-binary|binary|wheel|sdist|source"))

    def test_no_binary_excludes_wheels(self):
        self.build(self.sdist_mirror())
        self.assertPins(self.lock("mixed2", "--no-binary", ":all:"), {"mixed2": "2.0"})

    def dynamic_sdist_mirror(self):
        # The newest release is an sdist whose PKG-INFO cannot be trusted for dependencies (PEP 643):
        # Metadata-Version 2.1, or 2.2 with Requires-Dist declared Dynamic.
        return {
            "old": {"1.0": {}, "2.0": {"files": ["sdist"], "metadata_version": "2.1"}},
            "dyn": {"1.0": {}, "2.0": {"files": ["sdist"], "metadata_version": "2.2", "dynamic": ["Requires-Dist"]}},
        }

    def test_sdist_needing_a_build_is_passed_over_with_a_warning(self):
        self.build(self.dynamic_sdist_mirror())
        r = self.lock("old", "dyn")
        self.assertPins(r, {"old": "1.0", "dyn": "1.0"})
        self.assertRegex(r.stderr, r"warning: skipped old 2\.0: old-2\.0\.tar\.gz needs a build .*Metadata-Version 2\.1",
                         f"no warning about old 2.0\n{r}")
        self.assertRegex(r.stderr, r"warning: skipped dyn 2\.0: dyn-2\.0\.tar\.gz needs a build .*Dynamic",
                         f"no warning about dyn 2.0\n{r}")

    def test_sdist_needing_a_build_explains_when_required(self):
        self.build(self.dynamic_sdist_mirror())
        r = self.lock("dyn>=2")
        self.assertUnsatisfiable(r, "needs a build to know its dependencies",
                                 "thoth builds sdists to learn their dependencies only for an interpreter's own environment",
                                 solving_failed=True)

    # ==========================================================================================
    # Constraints, requirement files, direct URLs

    def constraints_mirror(self):
        return {
            "app": {"1.0": {"requires_dist": ["lib"]}},
            "lib": {"1.0": {}, "1.5": {}, "2.0": {}},
            "unrelated": {"1.0": {}, "2.0": {}},
        }

    def test_constraints_restrict_but_add_nothing(self):
        self.build(self.constraints_mirror())
        c = self.write("constraints.txt", "lib<2\nunrelated==1.0\n")
        self.assertPins(self.lock("app", "-c", str(c)), {"app": "1.0", "lib": "1.5"})

    def test_constraint_conflicting_with_requirement(self):
        self.build(self.constraints_mirror())
        c = self.write("constraints.txt", "lib>=3\n")
        self.assertUnsatisfiable(self.lock("app", "-c", str(c)), "lib")

    def test_requirements_files_nested_with_constraints(self):
        self.build(self.constraints_mirror())
        self.write("reqs/base.txt", "app  # the application\n-c ../constraints/pins.txt\n")
        self.write("constraints/pins.txt", "lib!=1.5,<2\n")
        top = self.write("requirements.txt", "-r reqs/base.txt\nunrelated<2\n")
        self.assertPins(self.lock("-r", str(top)), {"app": "1.0", "lib": "1.0", "unrelated": "1.0"})

    def test_direct_url_requirement(self):
        local = self.build({"direct": {"1.0": {"requires_dist": ["dep2>=1"]}}}, name="local")
        self.build({"direct": {"2.0": {}}, "dep2": {"1.0": {}, "2.0": {}}})
        url = pathlib.Path(local.files_for("direct", "1.0")[0].path).as_uri()
        self.assertPins(self.lock(f"direct @ {url}", "--format", "report"), {"direct": "1.0", "dep2": "2.0"},
                        fmt="report")
        r = self.lock(f"direct @ {url}")
        self.assertEqual(r.rc, 0, str(r))
        self.assertEqual(parse_lock(r.stdout), {"direct": "@" + url, "dep2": "2.0"},
                         f"the lock must keep the URL of a direct requirement\n{r}")

    # ==========================================================================================
    # Unsatisfiable input

    def conflict_mirror(self):
        return {
            "alpha": {"1.0": {"requires_dist": ["shared<2"]}, "1.1": {"requires_dist": ["shared<2"]}},
            "beta": {"1.0": {"requires_dist": ["shared>=2"]}},
            "shared": {"1.0": {}, "2.0": {}},
        }

    def test_unsatisfiable_explains_conflict(self):
        self.build(self.conflict_mirror())
        self.assertUnsatisfiable(self.lock("alpha", "beta"), "alpha", "beta", "shared", "<2", ">=2",
                                 solving_failed=True)

    def test_unsatisfiable_roots(self):
        self.build(self.conflict_mirror())
        self.assertUnsatisfiable(self.lock("shared<2", "shared>=2"), "shared", solving_failed=True)

    def test_unknown_project(self):
        self.build(self.conflict_mirror())
        self.assertUnsatisfiable(self.lock("alpha", "no-such-project"), "no-such-project")

    def test_failed_lock_leaves_output_file_alone(self):
        self.build(self.conflict_mirror())
        out = self.write("out/lock.txt", "previous content\n")
        r = self.lock("alpha", "beta", "-o", str(out))
        self.assertEqual(r.rc, 1, str(r))
        self.assertEqual(out.read_text(), "previous content\n", "a failed lock must not touch -o FILE")
        self.assertEqual(sorted(p.name for p in out.parent.iterdir()), ["lock.txt"],
                         "no temporary file may be left next to -o FILE")

    # ==========================================================================================
    # Bad input

    def test_bad_requirement_exit_2(self):
        self.build(self.conflict_mirror())
        r = self.lock("alpha>>1")
        self.assertEqual(r.rc, 2, str(r))
        self.assertEqual(r.stdout, "")

    def test_bad_requirements_file_line_exit_2(self):
        self.build(self.conflict_mirror())
        f = self.write("bad.txt", "alpha\nbeta >=>= 1.0\n")
        r = self.lock("-r", str(f))
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("bad.txt:2", r.stderr, f"the error must name file:line\n{r}")

    # ==========================================================================================
    # Outputs

    def test_output_file_equals_stdout(self):
        self.build(self.diamond())
        r1 = self.lock("app")
        out = self.tmp / "out" / "requirements.lock"
        out.parent.mkdir()
        r2 = self.lock("app", "-o", str(out))
        self.assertEqual(r1.rc, 0, str(r1))
        self.assertEqual(r2.rc, 0, str(r2))
        self.assertEqual(r2.stdout, "", "with -o the lock goes to the file only")
        # The header names the command (which differs by -o); everything after it must be the same.
        self.assertEqual(strip_header(out.read_text()), strip_header(r1.stdout))

    def test_deterministic_output(self):
        self.build(self.extras_mirror())
        r1 = self.lock("web[all]")
        self.cache = self.tmp / "another-cache"  # cold again: the bytes must not depend on the cache
        r2 = self.lock("web[all]")
        self.assertEqual(r1.rc, 0, str(r1))
        self.assertEqual(r1.stdout, r2.stdout, "same inputs must give the same bytes")

    def test_report_format(self):
        self.build(self.diamond())
        r = self.lock("app", "--format", "report")
        pins = self.assertPins(r, self.DIAMOND_PINS, fmt="report")
        doc = json.loads(r.stdout)
        self.assertEqual(doc.get("version"), "1", "pip's installation report is version '1'")
        requested = {norm(i["metadata"]["name"]) for i in doc["install"] if i.get("requested")}
        self.assertEqual(requested, {"app"}, "only the root is 'requested'")
        for item in doc["install"]:
            self.assertIn("download_info", item)
            self.assertIn("url", item["download_info"])
        self.assertEqual(pins, parse_lock(self.lock("app").stdout), "report and requirements disagree")

    def test_generate_hashes_lists_every_file_and_pip_accepts_it(self):
        projects = self.diamond()
        projects["base"]["2.0"] = {"files": ["py3-none-any", "sdist", "cp311-cp311-win_amd64"]}
        # No sidecars: pip 23.0.1 compares a sidecar's Name with the requirement's spelling verbatim
        # ("Right_Side" != "right-side") and rejects it (fixed in pip 23.1).
        self.build(projects, metadata_sidecars=False)
        r = self.lock("app", "--generate-hashes")
        self.assertPins(r, self.DIAMOND_PINS)
        hashes, current = {}, None
        for ln in r.stdout.splitlines():
            m = _PIN_RE.match(ln) if ln and ln[0] not in " \t#-" else None
            if m:
                current = norm(m.group(1))
                hashes[current] = set()
            for h in re.findall(r"--hash=sha256:([0-9a-f]{64})", ln):
                hashes[current].add(h)
        for name, version in self.DIAMOND_PINS.items():
            want = {f.sha256 for f in self.mirror.files_for(name, version)}
            self.assertEqual(hashes.get(name), want, f"hashes of {name}=={version}\n{r}")
        lock = self.write("hashed.txt", r.stdout)
        # A real install into --target (Debian's pip refuses the system environment, PEP 668), so
        # pip downloads every pinned file and checks it against the lock's hashes.
        pip = subprocess.run([PIP_PYTHON, "-m", "pip", "install", "--target", str(self.tmp / "target"), "-q",
                              "--require-hashes", "--no-cache-dir", "--only-binary", ":all:",
                              "--index-url", self.index_url, "-r", str(lock)],
                             capture_output=True, text=True, env=harness.clean_env(), timeout=300)
        self.assertEqual(pip.returncode, 0, f"pip --require-hashes rejects the lock:\n{pip.stderr}\n--- lock\n{r.stdout}")

    def test_find_links_without_index(self):
        self.build(self.diamond())
        r = self.lock("app", "--no-index", "--find-links", str(self.tmp / "index" / "files"), index=False)
        self.assertPins(r, self.DIAMOND_PINS)


class FileIndexScenarios(LockScenario):
    """The scenarios against a file:// index with PEP 658 metadata sidecars."""

    TRANSPORT = "file"
    SIDECARS = True


class HttpIndexScenarios(LockScenario):
    """The scenarios over HTTP on 127.0.0.1, without sidecars (metadata read from the wheels)."""

    TRANSPORT = "http"
    SIDECARS = False

    def test_warm_cache_then_offline(self):
        self.build(self.diamond())
        first = self.lock("app")
        self.assertPins(first, self.DIAMOND_PINS)
        self.server.stop()
        again = self.lock("app", "--offline")
        self.assertPins(again, self.DIAMOND_PINS)
        self.assertEqual(again.stdout, first.stdout)

    def test_server_errors_are_retried(self):
        self.build(self.diamond())
        self.server.add_fault("/simple/base/*", "status", times=1, status=503, retry_after=0)
        self.assertPins(self.lock("app"), self.DIAMOND_PINS)


del LockScenario  # only the two concrete transports run


if __name__ == "__main__":
    unittest.main(verbosity=2)
