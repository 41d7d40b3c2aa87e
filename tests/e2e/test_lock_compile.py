"""End-to-end tests of `thoth lock` as a drop-in for pip-compile (pip-tools 7): the markers written on
pin lines, the incremental model (an existing -o file's pins are preferences; --upgrade,
--upgrade-package), the output flags, positional requirement files, how -o writes its file (symlinks,
permissions, devices and FIFOs), input errors and the resolution timeout.

Each test builds a small mirror with tests/support/mirror.py and reads it over file://, for an explicit
target, so the answers do not depend on the machine's interpreter.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_lock_compile.py [-k NAME]"""

import pathlib
import re
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402

LINUX_311 = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]

PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def pins(text):
    """{normalised name: version} of the `name==version` lines of a requirements lock."""
    return {mirrorlib.normalize_name(m.group(1)): m.group(2) for m in PIN_LINE.finditer(text)}


class CompileCase(unittest.TestCase):
    """Base: a temp dir per test (the working directory of thoth), a mirror built into it."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="thoth-e2e-compile-")
        self.addCleanup(self._tmp.cleanup)
        self.tmp = pathlib.Path(self._tmp.name)
        self.index_url = None

    def build(self, projects):
        root = self.tmp / "mirror"
        mirrorlib.build_mirror({"projects": projects}, str(root))
        self.index_url = (root / "simple").as_uri() + "/"

    def write(self, relpath, text):
        path = self.tmp / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def lock(self, *args, target=LINUX_311, env=None):
        cmd = ["lock", *args, *target, "--cache-dir", str(self.tmp / "cache")]
        if self.index_url:
            cmd += ["--index-url", self.index_url]
        return harness.run(cmd, cwd=self.tmp, env=env, unset=["CUSTOM_COMPILE_COMMAND"], timeout=180)

    def ok(self, result):
        self.assertEqual(result.rc, 0, f"thoth lock failed\n{result}")
        return result

    def usage_error(self, result, *fragments):
        """Exit 2, a one-line message naming each fragment, nothing on stdout."""
        self.assertEqual(result.rc, 2, str(result))
        self.assertEqual(result.stdout, "", str(result))
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, str(result))
        for fragment in fragments:
            self.assertIn(fragment, result.stderr, str(result))


class RootMarkers(CompileCase):
    """pip-compile filters out root requirements whose marker is false for the target before resolving
    (compile.py, PEP 496) and copies the marker of a top-level requirement onto its pin line."""

    def setUp(self):
        super().setUp()
        self.build({
            "beta": {"1.0": {}, "2.0": {}},
            "gamma": {"1.0": {"requires_dist": ["beta"]}},
        })

    def pin_line(self, text, name):
        return next(line for line in text.splitlines() if line.startswith(name + "=="))

    def test_false_marker_root_does_not_contribute(self):
        reqs = self.write("requirements.in", 'beta>=2; python_version>="3.8"\nbeta<2; python_version<"3.8"\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), 'beta==2.0 ; python_version >= "3.8"', out)
        # The other order: the last line's (false) marker is not the one written.
        reqs.write_text('beta<2; python_version<"3.8"\nbeta>=2; python_version>="3.8"\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), 'beta==2.0 ; python_version >= "3.8"', out)

    def test_unconditional_root_writes_no_marker(self):
        reqs = self.write("requirements.in", 'beta; python_version>="3.8"\nbeta>=1\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), "beta==2.0", out)

    def test_dependency_of_another_pin_writes_no_marker(self):
        # gamma needs beta wherever gamma is installed, whatever beta's own root line says.
        out = self.ok(self.lock('beta; python_version>="3.8"', "gamma")).stdout
        self.assertEqual(self.pin_line(out, "beta"), "beta==2.0", out)
        self.assertEqual(self.pin_line(out, "gamma"), "gamma==1.0", out)


if __name__ == "__main__":
    unittest.main()
