"""End-to-end test of the terminal progress display of sdist builds: `thoth install` run with its standard
error on a pseudo-terminal (python's pty module) shows one line per build under way, "building NAME
VERSION (sdist)" with its elapsed time moving while the backend works, beside the download lines, and
erases them when done; with -q, or when standard error is not a terminal, nothing of it is shown.

The sdist comes from a mirror served on 127.0.0.1 and carries an in-tree backend whose build_wheel takes
a few seconds (tests/support/backends.py).

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_build_progress.py"""

import pathlib
import re
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.backends import recording_backend_files  # noqa: E402
from support.venv import ServedMirrorTestCase  # noqa: E402

BUILD_SECONDS = 2.5

SPEC = {
    "projects": {
        # Metadata-Version 2.1: the resolution builds its metadata first (quickly), then the install its
        # wheel (slowly).
        "slow-build": {"1.0": {"files": ["sdist"], "metadata_version": "2.1",
                               "sdist_extra_files": recording_backend_files("slow-build", BUILD_SECONDS)}},
    },
}

ERASE = re.compile(r"\x1b\[(\d+)F\x1b\[J")


class BuildProgress(ServedMirrorTestCase):
    SPEC = SPEC

    def args(self, *more):
        venv, cache = self.venv(), self.numbered("cache")
        return (["install", "slow-build", *more, "--index-url", self.server.index_url, "--cache-dir", str(cache)],
                {"VIRTUAL_ENV": str(venv.path)})

    def test_a_running_build_is_shown_with_its_time_then_erased(self):
        args, env = self.args()
        r = harness.run_on_terminal(args, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Successfully installed slow-build-1.0", r.stdout)
        terminal = r.stderr
        # The metadata build of the resolution, then the wheel's, each on a line of its own.
        self.assertIn("  building slow-build 1.0 (sdist, metadata)", terminal)
        self.assertIn("building: 1 active, 0 done", terminal)
        self.assertIn("building: 1 active, 1 done", terminal)
        # Redrawn while the backend worked: its time moved past 0 s without any other event.
        times = [int(t) for t in re.findall(r"  building slow-build 1\.0 \(sdist\) +(\d+) s\r?\n", terminal)]
        self.assertTrue(times and times[0] == 0 and max(times) >= 1, f"{times!r} in {terminal!r}")
        # Erased at the end: what follows the last drawing is the erasure of as many lines as it drew.
        last = terminal.rfind("  building slow-build 1.0 (sdist)")
        erase = ERASE.search(terminal, last)
        self.assertIsNotNone(erase, repr(terminal[last:]))
        drawn = terminal.rfind("\x1b[J", 0, last) + len("\x1b[J")
        self.assertEqual(int(erase.group(1)), terminal[drawn:erase.start()].count("\n"), repr(terminal[drawn:]))
        self.assertEqual(terminal[erase.end():].strip(), "", repr(terminal[erase.end():]))

    def test_quiet_or_no_terminal_shows_nothing(self):
        args, env = self.args("-q")
        r = harness.run_on_terminal(args, env=env)
        self.assertEqual(r, harness.Result(0, "", ""))
        args, env = self.args()
        r = harness.run(args, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("building", r.stderr)
        self.assertNotIn("\x1b[", r.stderr)


if __name__ == "__main__":
    unittest.main()
