"""End-to-end tests of `thoth download` on the example mirror (examples/mirror), and of the air-gapped
round trip it is for: lock for a target, download what the lock needs, turn the directory into an
index with `thoth mirror`, and resolve again from that index alone.

* from requirements and from each lock format (requirements with hashes, pylock.toml, a report), the
  best file per package for the target; --all-files every file of each pinned version;
* every file is checked against its hash (a tampered file on the index fails, nothing is left);
* a second run keeps the files already there (verified), and a manifest lists the directory;
* a lock for another environment is refused; bad usage exits 2.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_download.py"""

import hashlib
import json
import pathlib
import shutil
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.server import MirrorServer  # noqa: E402

EXAMPLES = harness.source_dir() / "examples"
MIRROR = EXAMPLES / "mirror"
REQUIREMENTS = EXAMPLES / "requirements.txt"
FILE_INDEX = MIRROR.resolve().as_uri() + "/simple"
LINUX_311 = ["--python-version", "3.11", "--platform", "manylinux_2_17_x86_64"]
LINUX_312 = ["--python-version", "3.12", "--platform", "manylinux_2_28_x86_64"]


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


class Download(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def thoth(self, *args, cache=None):
        return harness.run([*args, "--cache-dir", str(cache or self.tmp / "cache")])

    def lock(self, out, *args):
        r = self.thoth("lock", "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX, "-o", str(out), *args)
        self.assertEqual(r.rc, 0, r)
        return out

    def check_directory(self, dest, expected_count=None):
        manifest = json.loads((dest / "thoth-download.json").read_text())
        self.assertEqual(manifest["manifest-version"], 1)
        names = sorted(p.name for p in dest.iterdir() if p.name != "thoth-download.json")
        self.assertEqual([f["filename"] for f in manifest["files"]], names)
        for f in manifest["files"]:
            self.assertEqual(sha256(dest / f["filename"]), f["sha256"])
            # The very bytes the index serves.
            self.assertEqual((dest / f["filename"]).read_bytes(), (MIRROR / "files" / f["filename"]).read_bytes())
        if expected_count is not None:
            self.assertEqual(len(names), expected_count)
        return manifest

    def test_from_requirements_best_file_per_package(self):
        dest = self.tmp / "reqs"
        r = self.thoth("download", "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX, *LINUX_311, "-d", str(dest))
        self.assertEqual(r.rc, 0, r)
        manifest = self.check_directory(dest)
        by_name = {f["name"]: f for f in manifest["files"]}
        # The example README's pins, one file each, the target's binary wheel where there is one.
        self.assertEqual(by_name["templar"]["version"], "3.1.3")
        self.assertEqual(by_name["httpkit"]["version"], "2.1.1")
        self.assertIn("cp311-cp311-manylinux", by_name["markupsafe-lite"]["filename"])
        self.assertEqual(len(by_name), len(manifest["files"]))
        self.assertIn("12 downloaded, 0 already there", r.stderr)

        again = self.thoth("download", "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX, *LINUX_311, "-d", str(dest))
        self.assertEqual(again.rc, 0, again)
        self.assertIn("0 downloaded, 12 already there", again.stderr)

    def test_every_lock_format_gives_the_same_files(self):
        dest = {}
        for fmt, name in (("requirements", "lock.txt"), ("pylock", "pylock.toml"), ("report", "report.json")):
            extra = ["--generate-hashes"] if fmt == "requirements" else []
            lock = self.lock(self.tmp / name, "--format", fmt, *LINUX_312, *extra)
            dest[fmt] = self.tmp / f"from-{fmt}"
            r = self.thoth("download", "--lock", str(lock), "--index-url", FILE_INDEX, *LINUX_312, "-d", str(dest[fmt]))
            self.assertEqual(r.rc, 0, r)
            self.check_directory(dest[fmt])
        listings = {fmt: sorted(p.name for p in d.iterdir()) for fmt, d in dest.items()}
        self.assertEqual(listings["requirements"], listings["pylock"])
        self.assertEqual(listings["requirements"], listings["report"])
        self.assertTrue(any("cp312-cp312" in n for n in listings["pylock"]), listings)

    def test_all_files_of_each_pinned_version(self):
        lock = self.lock(self.tmp / "all.txt", "--generate-hashes", *LINUX_311)
        dest = self.tmp / "all"
        r = self.thoth("download", "--lock", str(lock), "--index-url", FILE_INDEX, *LINUX_311, "--all-files",
                       "-d", str(dest))
        self.assertEqual(r.rc, 0, r)
        manifest = self.check_directory(dest)
        markupsafe = [f["filename"] for f in manifest["files"] if f["name"] == "markupsafe-lite"]
        # Wheels for other Pythons and platforms, and the sdist: a mirror for every target.
        self.assertGreater(len(markupsafe), 2, markupsafe)
        self.assertTrue(any(n.endswith(".tar.gz") for n in markupsafe), markupsafe)

    def test_air_gapped_round_trip(self):
        lock = self.lock(self.tmp / "gap.txt", "--generate-hashes", *LINUX_312)
        carried = self.tmp / "carried"
        r = self.thoth("download", "--lock", str(lock), "--index-url", FILE_INDEX, *LINUX_312, "-d", str(carried))
        self.assertEqual(r.rc, 0, r)
        out = self.tmp / "mirror-b"
        r = harness.run(["mirror", str(carried), "-o", str(out)])
        self.assertEqual(r.rc, 0, r)
        # The other machine: only mirror B, an empty cache.
        relock = harness.run(["lock", "-r", str(REQUIREMENTS), "--index-url", (out / "simple").as_uri(), *LINUX_312,
                              "--generate-hashes", "--no-header", "--cache-dir", str(self.tmp / "cache-b")])
        self.assertEqual(relock.rc, 0, relock)
        original = [line for line in lock.read_text().splitlines() if not line.startswith("#")]
        rebuilt = [line for line in relock.stdout.splitlines() if not line.startswith("#")]
        # Same pins and hashes; only the index line names mirror B instead of A. A lock with --hash lines lists
        # every file of a version, and mirror B holds only the target's: compare the pins and the chosen hashes.
        pins = lambda lines: sorted(line.split(" ")[0] for line in lines if "==" in line)  # noqa: E731
        self.assertEqual(pins(original), pins(rebuilt))
        hashes_b = {line.strip().split("=", 1)[1].rstrip(" \\") for line in rebuilt if "--hash=" in line}
        manifest = json.loads((carried / "thoth-download.json").read_text())
        self.assertEqual(hashes_b, {"sha256:" + f["sha256"] for f in manifest["files"]})

    def test_tampered_file_fails_and_leaves_nothing(self):
        tampered = self.tmp / "tampered-mirror"
        shutil.copytree(MIRROR, tampered)
        lock = self.lock(self.tmp / "t.txt", "--generate-hashes", *LINUX_311)
        victim = next((tampered / "files").glob("templar-3.1.3-*.whl"))
        victim.write_bytes(victim.read_bytes() + b"x")
        dest = self.tmp / "t"
        r = self.thoth("download", "--lock", str(lock), "--index-url", (tampered / "simple").as_uri(), *LINUX_311,
                       "-d", str(dest), cache=self.tmp / "cache-t")
        self.assertEqual(r.rc, 3, r)
        self.assertIn("sha256 mismatch", r.stderr)
        self.assertFalse((dest / victim.name).exists())
        self.assertFalse((dest / "thoth-download.json").exists())

    def test_over_http(self):
        server = MirrorServer(str(MIRROR))
        server.start()
        try:
            dest = self.tmp / "http"
            r = self.thoth("download", "templar", "--index-url", server.index_url, *LINUX_311, "-d", str(dest),
                           cache=self.tmp / "cache-http")
            self.assertEqual(r.rc, 0, r)
            self.check_directory(dest, expected_count=2)  # templar and markupsafe-lite
        finally:
            server.stop()

    def test_a_lock_for_another_environment_is_refused(self):
        lock = self.lock(self.tmp / "pylock.other.toml", "--format", "pylock", *LINUX_312)
        r = self.thoth("download", "--lock", str(lock), *LINUX_311, "-d", str(self.tmp / "other"))
        self.assertEqual(r.rc, 2, r)
        self.assertIn("is not for this environment", r.stderr)

    def test_usage_errors(self):
        r = self.thoth("download", "templar", "--index-url", FILE_INDEX, *LINUX_311)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("-d DIR", r.stderr)
        r = self.thoth("download", "templar", "--lock", "x.txt", "-d", str(self.tmp / "u"))
        self.assertEqual(r.rc, 2, r)
        self.assertIn("not both", r.stderr)


if __name__ == "__main__":
    unittest.main()
