"""Fault injection over `thoth install`: the example mirror served by tests/support/server.py on
127.0.0.1, with faults on the wheel downloads (5xx then OK, a reset, a truncated body, a wrong hash,
a server slower than --timeout). Each ends in a retry that installs the resolution, or in one clear
error line with the environment byte for byte as it was (every file, link and mode compared). And
an index password stays out of the output, the --report file, the cache and the environment.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_install_faults.py"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.server import MirrorServer  # noqa: E402
from support.venv import Venv, snapshot  # noqa: E402
from test_install import MIRROR  # noqa: E402

WHEEL = "/files/templar-3.1.3-*.whl"  # templar's wheel: downloaded after markupsafe-lite's is in the cache


class InstallFaults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def install(self, srv, *extra):
        """`thoth install templar` from `srv` into a fresh venv that already holds certbundle (installed
        from the healthy server first). Returns (venv, snapshot before, result)."""
        InstallFaults.count += 1
        venv = Venv(self.tmp / f"venv{self.count}")
        cache = self.tmp / f"cache{self.count}"
        env = {"VIRTUAL_ENV": str(venv.path)}
        r = harness.run(["install", "certbundle", "--index-url", srv.index_url, "--cache-dir", str(cache)], env=env)
        self.assertEqual(r.rc, 0, r)
        before = snapshot(venv.path)
        srv.clear_log()
        return venv, before, harness.run(["install", "templar", "--index-url", srv.index_url, "--cache-dir",
                                          str(cache), *extra], env=env)

    def assertInstalled(self, venv, r):
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed(), {"certbundle": "2024.2.2", "templar": "3.1.3", "markupsafe-lite": "2.1.5"})
        venv.pip("check")

    def assertUnchanged(self, venv, before, r, rc, *fragments):
        self.assertEqual(r.rc, rc, r)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("thoth: error: "), r)
        for f in fragments:
            self.assertIn(f, lines[0])
        self.assertEqual(snapshot(venv.path), before)

    def test_5xx_then_ok_is_retried(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "status", times=2, status=503, retry_after=0)
            venv, _, r = self.install(srv)
            self.assertInstalled(venv, r)
            self.assertEqual([q.status for q in srv.matching(WHEEL)], [503, 503, 200])

    def test_reset_is_retried(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "reset", times=1)
            venv, _, r = self.install(srv)
            self.assertInstalled(venv, r)
            self.assertEqual([q.status for q in srv.matching(WHEEL)], [None, 200])

    def test_truncated_body_is_retried(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "truncate", times=1)
            venv, _, r = self.install(srv)
            self.assertInstalled(venv, r)
            self.assertEqual(srv.count(WHEEL), 2)

    def test_slow_once_is_retried(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "slow", times=1, delay=4, chunks=1)
            venv, _, r = self.install(srv, "--timeout", "1")
            self.assertInstalled(venv, r)
            self.assertEqual(srv.count(WHEEL), 2)

    def test_5xx_always_fails_and_changes_nothing(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "status", status=503, retry_after=0)
            venv, before, r = self.install(srv, "--retries", "1")
            self.assertUnchanged(venv, before, r, 3, "templar-3.1.3", "503")
            self.assertEqual(srv.count(WHEEL), 2)

    def test_truncated_always_fails_and_changes_nothing(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "truncate")
            venv, before, r = self.install(srv, "--retries", "1")
            self.assertUnchanged(venv, before, r, 3, "templar-3.1.3", "truncated")

    def test_wrong_hash_fails_and_changes_nothing(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "corrupt")
            venv, before, r = self.install(srv, "--retries", "0")
            self.assertUnchanged(venv, before, r, 3, "templar-3.1.3", "sha256")

    def test_slower_than_the_timeout_fails_and_changes_nothing(self):
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault(WHEEL, "slow", delay=4, chunks=1)
            venv, before, r = self.install(srv, "--timeout", "1", "--retries", "1")
            self.assertUnchanged(venv, before, r, 3, "templar-3.1.3", "timed out")
            self.assertEqual(srv.count(WHEEL), 2)


    def test_index_credentials_stay_out_of_output_cache_and_environment(self):
        password = "s3cr3t-pw"
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault("/*", "auth", username="alice", password=password)
            index = srv.index_url.replace("http://", f"http://alice:{password}@")
            InstallFaults.count += 1
            venv = Venv(self.tmp / f"venv{self.count}")
            cache = self.tmp / f"cache{self.count}"
            r = harness.run(["install", "templar", "-v", "--index-url", index, "--cache-dir", str(cache),
                             "--report", str(self.tmp / "report.json")], env={"VIRTUAL_ENV": str(venv.path)})
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(all(q.status != 401 for q in srv.requests))
        self.assertNotIn(password, r.stdout + r.stderr)
        self.assertNotIn(password, (self.tmp / "report.json").read_text())
        for root in (cache, venv.path):
            for p in pathlib.Path(root).rglob("*"):
                if p.is_file() and not p.is_symlink():
                    self.assertNotIn(password.encode(), p.read_bytes(), p)


if __name__ == "__main__":
    unittest.main()
