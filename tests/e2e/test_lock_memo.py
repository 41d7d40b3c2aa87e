"""The resolution memo (thoth/resolution_memo.hpp, man thoth(1) FILES): `thoth lock` run again with the
same inputs against index pages whose bodies have not changed writes the earlier run's lock without
resolving; any change to an input, to the -o file's pins or to a page makes it resolve again, and what
it then writes is what a resolution without the memo writes.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_lock_memo.py"""

import os
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

TARGET = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
PROJECTS = {"app": {"1.0": {"requires_dist": ["lib>=1", "util"]}}, "lib": {"1.0": {}, "2.0": {}},
            "util": {"1.0": {"requires_dist": ["lib<3"]}, "0.9": {}}}
REUSED = "the inputs and index pages are those of an earlier run"


def memo_records(cache):
    return sorted(p for p in (cache / "derived-v1" / "resolutions").rglob("*") if p.is_file())


class LockMemo(unittest.TestCase):
    def setUp(self):
        self.tmp = self.enterContext(harness.temp_dir())
        self.mirror = self.tmp / "m"
        mirrorlib.build_mirror({"projects": PROJECTS}, str(self.mirror))
        self.cache = self.tmp / "cache"
        self.out = self.tmp / "requirements.txt"
        (self.tmp / "requirements.in").write_text("app\n")

    def lock(self, srv, *extra, env=None, output=True):
        args = ["lock", "-r", str(self.tmp / "requirements.in"), *TARGET, "--index-url", srv.index_url,
                "--cache-dir", str(self.cache), "-v", *extra]
        if output:
            args += ["-o", str(self.out)]
        r = harness.run(args, env=env, cwd=self.tmp, timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        return r

    def pages(self, srv):
        return [r for r in srv.requests if r.path.startswith("/simple/")]

    def test_same_inputs_and_pages_reuse_the_lock(self):
        with MirrorServer(str(self.mirror), cache_control=None) as srv:
            first = self.lock(srv)
            self.assertNotIn(REUSED, first.stderr)
            self.assertEqual(len(memo_records(self.cache)), 1)
            written = self.out.read_text()
            self.assertIn("lib==2.0", written)
            srv.clear_log()
            second = self.lock(srv)
            self.assertIn(REUSED, second.stderr)
            self.assertNotIn("resolving", second.stderr)
            self.assertEqual(self.out.read_text(), written)
            # Validators only (no Cache-Control): every page the first run read is asked again, and
            # answers 304; no file is downloaded, nothing new is kept.
            self.assertEqual(sorted(r.status for r in self.pages(srv)), [304, 304, 304])
            self.assertEqual(srv.count("/files/*"), 0)
            self.assertEqual(len(memo_records(self.cache)), 1)

    def test_fresh_pages_are_not_asked_for_at_all(self):
        with MirrorServer(str(self.mirror), cache_control="max-age=600") as srv:
            self.lock(srv)
            srv.clear_log()
            self.assertIn(REUSED, self.lock(srv).stderr)
            self.assertEqual(srv.requests, [])

    def test_a_changed_page_resolves_again(self):
        with MirrorServer(str(self.mirror), cache_control=None) as srv:
            self.lock(srv, output=False)
            # lib 3.0 appears; util still wants lib<3, so the lock keeps 2.0 but must find that out.
            spec = {"projects": dict(PROJECTS, lib={"1.0": {}, "2.0": {}, "3.0": {}},
                                     util={"1.0": {"requires_dist": ["lib"]}, "0.9": {}})}
            mirrorlib.build_mirror(spec, str(self.mirror))
            again = self.lock(srv, output=False)
            self.assertNotIn(REUSED, again.stderr)
            self.assertIn("lib==3.0", again.stdout)
            # The new pages' lock is remembered in turn.
            self.assertIn(REUSED, self.lock(srv, output=False).stderr)

    def test_changed_inputs_resolve_again(self):
        with MirrorServer(str(self.mirror)) as srv:
            self.lock(srv)
            self.assertIn(REUSED, self.lock(srv).stderr)
            # A requirements file that says the same in other words is another input.
            (self.tmp / "requirements.in").write_text("app  # the application\n")
            self.assertNotIn(REUSED, self.lock(srv).stderr)
            self.assertIn(REUSED, self.lock(srv).stderr)
            # The environment (here a variable thoth does not read: the key takes all of it).
            self.assertNotIn(REUSED, self.lock(srv, env={"SOME_SETTING": "1"}).stderr)
            # The command line, even an option that changes nothing in the lock; not -v or -q, which
            # change only the messages (every run here has -v).
            self.assertNotIn(REUSED, self.lock(srv, "--annotation-style", "split").stderr)
            quiet = harness.run(["lock", "-r", str(self.tmp / "requirements.in"), *TARGET, "--index-url", srv.index_url,
                                 "--cache-dir", str(self.cache), "-o", str(self.out), "-q"], cwd=self.tmp, timeout=120)
            self.assertEqual(quiet.rc, 0, str(quiet))
            self.assertIn(REUSED, self.lock(srv).stderr)
            # pip's configuration file.
            conf = self.tmp / "pip.conf"
            conf.write_text("[global]\ntimeout = 30\n")
            self.lock(srv, env={"PIP_CONFIG_FILE": str(conf)})
            self.assertIn(REUSED, self.lock(srv, env={"PIP_CONFIG_FILE": str(conf)}).stderr)
            conf.write_text("[global]\ntimeout = 31\n")
            self.assertNotIn(REUSED, self.lock(srv, env={"PIP_CONFIG_FILE": str(conf)}).stderr)
            # One record per lock file, however many inputs it was made from.
            self.assertEqual(len(memo_records(self.cache)), 1)

    def test_a_pin_edited_by_hand_is_kept(self):
        with MirrorServer(str(self.mirror)) as srv:
            self.lock(srv)
            self.assertIn("lib==2.0", self.out.read_text())
            # pip-compile keeps a pin a user lowered in the output file where it still fits.
            self.out.write_text(self.out.read_text().replace("lib==2.0", "lib==1.0"))
            again = self.lock(srv)
            self.assertNotIn(REUSED, again.stderr)
            self.assertIn("lib==1.0", self.out.read_text())
            self.assertIn(REUSED, self.lock(srv).stderr)
            self.assertIn("lib==1.0", self.out.read_text())
            # A removed output file: resolved again, newest versions.
            self.out.unlink()
            self.assertNotIn(REUSED, self.lock(srv).stderr)
            self.assertIn("lib==2.0", self.out.read_text())

    def test_no_memo_and_the_same_lock_without_it(self):
        with MirrorServer(str(self.mirror)) as srv:
            self.lock(srv)
            remembered = self.lock(srv)
            self.assertIn(REUSED, remembered.stderr)
            text = self.out.read_text()
            resolved = self.lock(srv, "--no-memo")
            self.assertNotIn(REUSED, resolved.stderr)
            self.assertIn("resolved 3 package(s)", resolved.stderr)
            self.assertEqual(self.out.read_text(), text)
            self.assertNotIn("--no-memo", text)  # not recorded in the header

    def test_a_damaged_record_is_ignored(self):
        with MirrorServer(str(self.mirror)) as srv:
            self.lock(srv)
            text = self.out.read_text()
            [record] = memo_records(self.cache)
            data = record.read_bytes()
            record.write_bytes(data.replace(b"lib==2.0", b"lib==1.0"))  # the lock's hash no longer matches
            again = self.lock(srv)
            self.assertNotIn(REUSED, again.stderr)
            self.assertEqual(self.out.read_text(), text)
            record.write_bytes(data[: len(data) // 2])
            self.assertNotIn(REUSED, self.lock(srv).stderr)
            self.assertEqual(self.out.read_text(), text)

    def test_metadata_read_by_ranges_without_a_hash_keeps_nothing(self):
        # No PEP 658 files and no hashes: each run reads the wheels' METADATA by ranges, and a wheel
        # replaced under the same URL would change the lock without any page changing.
        mirrorlib.build_mirror({"projects": PROJECTS}, str(self.mirror), metadata_sidecars=False,
                               hash_fragments=False)
        with MirrorServer(str(self.mirror)) as srv:
            for _ in range(2):
                self.assertNotIn(REUSED, self.lock(srv).stderr)
            self.assertEqual(memo_records(self.cache), [])
        # With hashes the metadata read by ranges is kept under the wheel's sha256: the first run keeps
        # no record (it read ranges), the second (metadata from the cache) keeps one, the third uses it.
        mirrorlib.build_mirror({"projects": PROJECTS}, str(self.mirror), metadata_sidecars=False)
        with MirrorServer(str(self.mirror)) as srv:
            runs = [REUSED in self.lock(srv, "--no-header").stderr for _ in range(3)]
            self.assertEqual(runs, [False, False, True])

    def test_output_to_a_stream(self):
        # -o /dev/stdout (a pipe here) is never read for pins: the memo neither blocks on it nor eats it.
        with MirrorServer(str(self.mirror)) as srv:
            runs = [self.lock(srv, "-o", "/dev/stdout", output=False) for _ in range(2)]
            self.assertIn("lib==2.0", runs[0].stdout)
            self.assertEqual(runs[1].stdout, runs[0].stdout)
            self.assertIn(REUSED, runs[1].stderr)

    def test_local_sources_do_not_use_it(self):
        index = "file://" + str(self.mirror / "simple") + "/"
        args = ["lock", "app", *TARGET, "--index-url", index, "--cache-dir", str(self.cache), "-v"]
        for _ in range(2):
            r = harness.run(args, cwd=self.tmp, timeout=120)
            self.assertEqual(r.rc, 0, str(r))
            self.assertNotIn(REUSED, r.stderr)
        self.assertFalse((self.cache / "derived-v1" / "resolutions").exists())

    def test_a_credential_in_the_index_url_keeps_nothing(self):
        with MirrorServer(str(self.mirror)) as srv:
            url = srv.index_url.replace("http://", "http://user:secret@")
            for _ in range(2):
                r = harness.run(["lock", "app", *TARGET, "--index-url", url, "--cache-dir", str(self.cache), "-v"],
                                cwd=self.tmp, timeout=120)
                self.assertEqual(r.rc, 0, str(r))
                self.assertNotIn(REUSED, r.stderr)
            self.assertEqual(memo_records(self.cache), [])
            for path in self.cache.rglob("*"):
                if path.is_file():
                    self.assertNotIn(b"secret", path.read_bytes(), path)


if __name__ == "__main__":
    unittest.main()
