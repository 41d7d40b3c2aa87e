"""The air-gapped workflow end to end: a mirror served on 127.0.0.1 stands for the internet.

* On "the target machine": `thoth env --python` captures its target as a file.
* Elsewhere, with network: `thoth lock --target-env` locks for it, `thoth download --lock` fetches what
  it needs, `thoth mirror` turns the directory into an index (mirror B).
* Back on the target, in a network namespace with no network at all (`unshare -n`): `thoth-install
  --index-url file:///.../B/simple -r lock.txt` into a fresh venv succeeds and `pip check` passes.
* With mirror A stopped, `thoth lock --offline` still locks from the warm cache, and says what is
  missing when it cannot.
* Cross-target: the same requirements for a Linux x86_64 CPython 3.11 target and a macOS arm64
  CPython 3.12 target pick each one's own binary wheels.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_airgap.py"""

import json
import os
import pathlib
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.mirror import build_mirror  # noqa: E402
from support.server import MirrorServer  # noqa: E402

PYTHON = "/usr/bin/python3"
EXAMPLES = harness.source_dir() / "examples"

# A project with binary wheels for two platforms and a pure dependency.
CROSS_SPEC = {
    "projects": {
        "fastjson": {"versions": {"2.0.0": {"files": ["cp311-cp311-manylinux_2_17_x86_64", "cp312-cp312-macosx_11_0_arm64",
                                                      "cp312-cp312-manylinux_2_17_x86_64", "sdist"],
                                            "requires_dist": ["purehelper>=1"]}}},
        "purehelper": {"versions": {"1.0": {}, "1.1": {}}},
    },
    "defaults": {"files": ["py3-none-any", "sdist"]},
}


def can_unshare_network():
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class AirGap(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def test_lock_download_mirror_install_without_network(self):
        # The target machine describes itself.
        target = self.tmp / "target.json"
        r = harness.run(["env", "--python", PYTHON, "-o", str(target)])
        self.assertEqual(r.rc, 0, r)

        server = MirrorServer(str(EXAMPLES / "mirror"))
        server.start()
        cache = self.tmp / "cache"
        lock = self.tmp / "lock.txt"
        carried = self.tmp / "carried"
        try:
            common = ["--index-url", server.index_url, "--target-env", str(target), "--cache-dir", str(cache)]
            r = harness.run(["lock", "-r", str(EXAMPLES / "requirements.txt"), "--generate-hashes", "-o", str(lock),
                             *common])
            self.assertEqual(r.rc, 0, r)
            r = harness.run(["download", "--lock", str(lock), "-d", str(carried), *common])
            self.assertEqual(r.rc, 0, r)
        finally:
            server.stop()

        # Mirror A is gone: the warm cache still locks, offline; a project never fetched is named.
        again = harness.run(["lock", "-r", str(EXAMPLES / "requirements.txt"), "--generate-hashes", "--offline",
                             "--index-url", server.index_url, "--target-env", str(target), "--cache-dir", str(cache),
                             "-o", str(self.tmp / "offline.txt")])
        self.assertEqual(again.rc, 0, again)
        body = lambda text: [line for line in text.splitlines() if not line.startswith("#")]  # noqa: E731
        self.assertEqual(body((self.tmp / "offline.txt").read_text()), body(lock.read_text()))
        missing = harness.run(["lock", "never-fetched", "--offline", "--index-url", server.index_url,
                               "--target-env", str(target), "--cache-dir", str(cache)])
        self.assertEqual(missing.rc, 3, missing)
        self.assertIn("never-fetched", missing.stderr)
        self.assertIn("offline", missing.stderr)
        # Install offline says the same, and touches nothing.
        venv = self.tmp / "offline-venv"
        subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        missing = harness.run(["install", "never-fetched", "--offline", "--index-url", server.index_url,
                               "--cache-dir", str(cache)], env={"VIRTUAL_ENV": str(venv)})
        self.assertEqual(missing.rc, 3, missing)
        self.assertIn("never-fetched", missing.stderr)
        self.assertIn("offline", missing.stderr)

        mirror_b = self.tmp / "mirror-b"
        r = harness.run(["mirror", str(carried), "-o", str(mirror_b)])
        self.assertEqual(r.rc, 0, r)

        venv = self.tmp / "venv"
        subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        install = [str(harness.thoth_binary().resolve()), "install", "--index-url", (mirror_b / "simple").as_uri(),
                   "-r", str(lock), "--cache-dir", str(self.tmp / "cache-target")]
        env = harness.clean_env({"VIRTUAL_ENV": str(venv)})
        if can_unshare_network():
            command = ["unshare", "-n", *install]
        else:
            command = install  # no namespaces here: the file:// index needs no network either way
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Successfully installed", proc.stdout)
        check = subprocess.run([PYTHON, "-m", "pip", "--python", str(venv / "bin" / "python"), "check"],
                               capture_output=True, text=True, env=harness.clean_env(), timeout=300)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_cross_target_picks_each_platforms_wheels(self):
        mirror = self.tmp / "cross"
        build_mirror(CROSS_SPEC, str(mirror))
        index = (mirror / "simple").as_uri()
        locks = {}
        for name, target in (("linux311", ["--python-version", "3.11", "--platform", "manylinux_2_28_x86_64"]),
                             ("mac312", ["--python-version", "3.12", "--platform", "macosx_14_0_arm64"])):
            out = self.tmp / f"{name}.toml"
            r = harness.run(["lock", "fastjson", "--format", "pylock", "-o", str(out), "--index-url", index, *target,
                             "--cache-dir", str(self.tmp / "cache-cross")])
            self.assertEqual(r.rc, 0, r)
            locks[name] = out.read_text()
        self.assertIn("fastjson-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl", locks["linux311"])
        self.assertNotIn("macosx", locks["linux311"])
        self.assertIn("fastjson-2.0.0-cp312-cp312-macosx_11_0_arm64.whl", locks["mac312"])
        self.assertNotIn("manylinux", locks["mac312"])
        self.assertIn('sys_platform == "darwin"', locks["mac312"])
        # And the download for each target takes only its own wheel.
        for name, target in (("mac312", ["--python-version", "3.12", "--platform", "macosx_14_0_arm64"]),):
            dest = self.tmp / f"dl-{name}"
            r = harness.run(["download", "fastjson", "-d", str(dest), "--index-url", index, *target,
                             "--cache-dir", str(self.tmp / "cache-cross")])
            self.assertEqual(r.rc, 0, r)
            manifest = json.loads((dest / "thoth-download.json").read_text())
            self.assertEqual(sorted(f["filename"] for f in manifest["files"]),
                             ["fastjson-2.0.0-cp312-cp312-macosx_11_0_arm64.whl", "purehelper-1.1-py3-none-any.whl"])


if __name__ == "__main__":
    unittest.main()
