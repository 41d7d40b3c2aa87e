"""End-to-end tests of `thoth install` / `thoth-install`, `thoth sync` and `thoth uninstall` into fresh
virtual environments made by Debian's python3, from the example mirror and from Debian's own wheels:

* the installed set equals the resolution (pip's resolution of the same requirements on the same
  mirror), `pip check` passes and `pip list` agrees; a second run installs nothing;
* console scripts of a real wheel (Debian's pip wheel) run; RECORD is valid both ways (pip uninstalls
  what thoth installed, thoth uninstalls what pip installed);
* an upgrade removes the old version's files; --dry-run, --report, --no-deps, --target, the locks of
  every format, --require-hashes, sync removing what a lock does not list;
* a wrong hash or a corrupt wheel in the middle of an install leaves the environment byte-identical;
* an externally managed interpreter (PEP 668: Debian's own python3) is refused.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_install.py"""

import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.venv import VenvTestCase, canon, snapshot  # noqa: E402
from support.server import MirrorServer  # noqa: E402

PYTHON = "/usr/bin/python3"
EXAMPLES = harness.source_dir() / "examples"
MIRROR = EXAMPLES / "mirror"
REQUIREMENTS = EXAMPLES / "requirements.txt"
FILE_INDEX = MIRROR.resolve().as_uri() + "/simple"
DEBIAN_WHEELS = pathlib.Path("/usr/share/python-wheels")
# The pins pip resolves for examples/requirements.txt on CPython 3.11 / Linux (examples/README.md).
EXAMPLE_PINS = {
    "certbundle": "2024.2.2", "click-lite": "8.1.7", "httpkit": "2.1.1", "idna-lite": "3.6",
    "iniparse-lite": "2.0.0", "markupsafe-lite": "2.1.5", "pluggy-lite": "1.4.0", "pysocks-lite": "1.7.1",
    "templar": "3.1.3", "testkit": "1.2.0", "urlparse3": "2.1.0", "webapp-kit": "1.1.0",
}


class Install(VenvTestCase):
    def thoth(self, venv, *args, program=None, cache=None):
        env = {"VIRTUAL_ENV": str(venv.path)} if venv is not None else {}
        return harness.run([*args, "--cache-dir", str(cache or self.tmp / "cache")], env=env, program=program)

    def uninstall(self, venv, *names):
        return harness.run(["uninstall", *names], env={"VIRTUAL_ENV": str(venv.path)})

    def install(self, venv, *args, **kw):
        return self.thoth(venv, "install", *args, **kw)

    def test_installs_the_resolution_and_pip_agrees(self):
        venv = self.venv()
        r = self.install(venv, "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Successfully installed", r.stdout)
        self.assertEqual(venv.installed(), EXAMPLE_PINS)
        venv.pip("check")
        # Every dist-info says who installed it; the roots are REQUESTED.
        site = venv.site_packages()
        self.assertEqual((site / "templar-3.1.3.dist-info" / "INSTALLER").read_text().strip(), "thoth")
        self.assertTrue((site / "templar-3.1.3.dist-info" / "REQUESTED").exists())
        self.assertFalse((site / "certbundle-2024.2.2.dist-info" / "REQUESTED").exists())
        # Nothing left to do the second time, and nothing changes.
        before = snapshot(venv.path)
        again = self.install(venv, "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX)
        self.assertEqual(again.rc, 0, again)
        self.assertIn("Nothing to install", again.stdout)
        self.assertEqual(snapshot(venv.path), before)

    def test_progress_display_only_on_a_terminal(self):
        """Standard error on a terminal shows the downloads as they arrive, then erases them; in a pipe
        (every other test) there is no trace of it."""
        venv = self.venv()
        with MirrorServer(str(MIRROR)) as srv:
            srv.add_fault("/files/*.whl", "slow", times=100, delay=0.5, chunks=5)
            r = harness.run_on_terminal(["install", "templar", "--index-url", srv.index_url,
                                         "--cache-dir", str(self.tmp / "progress-cache")],
                                        env={"VIRTUAL_ENV": str(venv.path)})
        self.assertEqual(r.rc, 0, r)
        text = r.stderr
        self.assertIn("downloading:", text)
        self.assertRegex(text, r"templar-3\.1\.3-\S+\.whl")
        self.assertTrue(text.rstrip("\r\n").endswith("\x1b[J"), repr(text[-200:]))  # erased at the end
        quiet = self.install(self.venv(), "templar", "--index-url", FILE_INDEX)
        self.assertNotIn("downloading:", quiet.stderr)

    def test_thoth_install_is_the_same_program(self):
        venv = self.venv()
        link = self.tmp / "thoth-install"
        if not link.exists():
            link.symlink_to(harness.thoth_binary().resolve())
        r = harness.run(["templar", "--index-url", FILE_INDEX, "--cache-dir", str(self.tmp / "cache")],
                        env={"VIRTUAL_ENV": str(venv.path)}, program=link)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed(), {"templar": "3.1.3", "markupsafe-lite": "2.1.5"})

    def test_real_wheels_scripts_and_record_both_ways(self):
        wheels = sorted(DEBIAN_WHEELS.glob("*.whl"))
        if not wheels:
            self.skipTest("Debian's python3-pip-whl is not installed")
        venv = self.venv()
        r = self.install(venv, "pip", "setuptools", "wheel", "--no-index", "--find-links", str(DEBIAN_WHEELS))
        self.assertEqual(r.rc, 0, r)
        # The console scripts run, with the environment's interpreter.
        for script, arg in (("pip", "--version"), ("pip3", "--version"), ("wheel", "version")):
            proc = subprocess.run([str(venv.path / "bin" / script), arg], capture_output=True, text=True,
                                  env=harness.clean_env(), timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        # pip removes what thoth installed, by its RECORD, leaving nothing behind.
        venv.pip("uninstall", "-y", "wheel")
        self.assertNotIn("wheel", venv.installed())
        self.assertFalse((venv.path / "bin" / "wheel").exists())
        self.assertEqual(list(venv.site_packages().glob("wheel*")), [])
        # thoth removes what pip installed.
        venv.pip("install", "--no-index", "--find-links", str(DEBIAN_WHEELS), "wheel")
        r = self.uninstall(venv, "wheel")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Successfully uninstalled wheel-", r.stdout)
        self.assertEqual(list(venv.site_packages().glob("wheel*")), [])
        self.assertFalse((venv.path / "bin" / "wheel").exists())
        # A name that is not installed is skipped, as pip skips it.
        r = self.uninstall(venv, "no-such-thing")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Skipping no-such-thing as it is not installed.", r.stderr)

    def test_upgrade_replaces_the_old_files(self):
        venv = self.venv()
        r = self.install(venv, "templar<3.1.3", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed()["templar"], "3.1.2")
        # Installed and fitting: kept, as pip keeps it.
        r = self.install(venv, "templar", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed()["templar"], "3.1.2")
        r = self.install(venv, "-U", "templar", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed()["templar"], "3.1.3")
        site = venv.site_packages()
        self.assertFalse((site / "templar-3.1.2.dist-info").exists())
        self.assertIn('"3.1.3"', (site / "templar" / "__init__.py").read_text())
        venv.pip("check")

    def test_dry_run_report_and_no_deps(self):
        venv = self.venv()
        before = snapshot(venv.path)
        report = self.tmp / "report.json"
        r = self.install(venv, "templar", "--index-url", FILE_INDEX, "--dry-run", "--report", str(report))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, "Would install MarkupSafe_Lite-2.1.5 templar-3.1.3\n")
        self.assertEqual(snapshot(venv.path), before)
        data = json.loads(report.read_text())
        self.assertEqual(sorted(canon(i["metadata"]["name"]) for i in data["install"]), ["markupsafe-lite", "templar"])
        self.assertEqual([i["requested"] for i in data["install"]], [False, True])

        r = self.install(venv, "templar", "--no-deps", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed(), {"templar": "3.1.3"})

    def test_target_directory(self):
        target = self.tmp / "target-dir"
        r = self.thoth(None, "install", "--python", PYTHON, "--target", str(target), "templar", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertTrue((target / "templar" / "__init__.py").exists())
        self.assertTrue((target / "markupsafe_lite").exists())
        proc = subprocess.run([PYTHON, "-c", "import templar; print(templar.__version__)"], capture_output=True,
                              text=True, env=harness.clean_env({"PYTHONPATH": str(target)}), timeout=60)
        self.assertEqual(proc.stdout.strip(), "3.1.3", proc.stderr)

    def test_every_lock_format_and_sync(self):
        for fmt, name, extra in (("requirements", "lock.txt", ["--generate-hashes"]), ("pylock", "pylock.toml", []),
                                 ("report", "report.json", [])):
            lock = self.tmp / name
            r = harness.run(["lock", "-r", str(REQUIREMENTS), "--index-url", FILE_INDEX, "--python", PYTHON,
                             "--format", fmt, "-o", str(lock), *extra, "--cache-dir", str(self.tmp / "cache")])
            self.assertEqual(r.rc, 0, r)
            venv = self.venv()
            r = self.install(venv, "--lock", str(lock), "--index-url", FILE_INDEX)
            self.assertEqual(r.rc, 0, (fmt, r))
            self.assertEqual(venv.installed(), EXAMPLE_PINS, fmt)
        # sync: the lock and nothing else (pip's own tools stay, as pip-sync leaves them).
        small = self.tmp / "small.txt"
        r = harness.run(["lock", "templar", "--index-url", FILE_INDEX, "--python", PYTHON, "--generate-hashes",
                         "-o", str(small), "--cache-dir", str(self.tmp / "cache")])
        self.assertEqual(r.rc, 0, r)
        r = self.thoth(venv, "sync", "--lock", str(small), "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed(), {"templar": "3.1.3", "markupsafe-lite": "2.1.5"})
        venv.pip("check")

    def test_require_hashes(self):
        lock = self.tmp / "hashed.txt"
        r = harness.run(["lock", "templar", "--index-url", FILE_INDEX, "--python", PYTHON, "--generate-hashes",
                         "-o", str(lock), "--cache-dir", str(self.tmp / "cache")])
        self.assertEqual(r.rc, 0, r)
        venv = self.venv()
        r = self.install(venv, "-r", str(lock), "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(venv.installed(), {"templar": "3.1.3", "markupsafe-lite": "2.1.5"})
        # A dependency without a pin and hash is refused in --require-hashes mode, as pip refuses it.
        partial = self.tmp / "partial.txt"
        partial.write_text("templar==3.1.3 --hash=sha256:" + "0" * 64 + "\n")
        r = self.install(self.venv(), "-r", str(partial), "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--require-hashes", r.stderr)
        self.assertIn("markupsafe-lite==2.1.5", r.stderr)

    def failing_install(self, mirror, expected_rc, expected_text):
        venv = self.venv()
        r = self.install(venv, "certbundle", "--index-url", FILE_INDEX)  # something there already
        self.assertEqual(r.rc, 0, r)
        before = snapshot(venv.path)
        r = self.install(venv, "-r", str(REQUIREMENTS), "--index-url", (mirror / "simple").as_uri(),
                         cache=self.tmp / f"cache-{mirror.name}")
        self.assertEqual(r.rc, expected_rc, r)
        self.assertIn(expected_text, r.stderr)
        self.assertEqual(snapshot(venv.path), before)

    def test_wrong_hash_leaves_the_environment_as_it_was(self):
        mirror = self.tmp / "wrong-hash"
        shutil.copytree(MIRROR, mirror)
        victim = next((mirror / "files").glob("templar-3.1.3-*.whl"))
        victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
        self.failing_install(mirror, 3, "sha256 mismatch")

    def test_corrupt_wheel_leaves_the_environment_as_it_was(self):
        # A wheel whose index hash is right but whose content is broken: caught before anything moves.
        mirror = self.tmp / "corrupt"
        shutil.copytree(MIRROR, mirror)
        victim = next((mirror / "files").glob("templar-3.1.3-*.whl"))
        data = bytearray(victim.read_bytes())
        data[60:90] = b"x" * 30  # inside the first member's compressed data
        victim.write_bytes(bytes(data))
        digest = hashlib.sha256(bytes(data)).hexdigest()
        for page in (mirror / "simple" / "templar").iterdir():
            text = page.read_text()
            old = hashlib.sha256((MIRROR / "files" / victim.name).read_bytes()).hexdigest()
            page.write_text(text.replace(old, digest))
        self.failing_install(mirror, 4, victim.name)

    def test_externally_managed_interpreter_is_refused(self):
        marker = list(pathlib.Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED"))
        if not marker:
            self.skipTest("this python3 is not externally managed")
        r = self.thoth(None, "install", "--python", PYTHON, "templar", "--index-url", FILE_INDEX)
        self.assertEqual(r.rc, 4, r)
        self.assertIn("--break-system-packages", r.stderr)
        # Asking for nothing to change is fine.
        r = self.thoth(None, "install", "--python", PYTHON, "templar", "--index-url", FILE_INDEX, "--dry-run")
        self.assertEqual(r.rc, 0, r)

    def test_usage_errors(self):
        venv = self.venv()
        for args, text in ((["install"], "nothing to install"), (["sync", "x"], "unexpected argument"),
                           (["sync"], "needs --lock"), (["install", "-e", "/no/such/project"], "editable"),
                           (["install", "x", "--lock", "l.txt"], "not both"),
                           (["install", "x", "--link-mode", "magic"], "--link-mode")):
            r = self.thoth(venv, *args)
            self.assertEqual(r.rc, 2, (args, r))
            self.assertIn(text, r.stderr, args)


class PylockSelection(unittest.TestCase):
    """PEP 751: a pylock.toml's package markers test the extras and dependency groups asked for
    (`"web" in extras`, packaging 25's lock-file context): --extra, --group, else its default-groups."""

    def selective_lock(self, d):
        """templar only for the extra 'web', markupsafe-lite only for the group 'dev' (the default)."""
        lock = d / "pylock.toml"
        r = harness.run(["lock", "templar", "--format", "pylock", "--index-url", FILE_INDEX, "--python", PYTHON,
                         "-o", str(lock), "--cache-dir", str(d / "cache")])
        self.assertEqual(r.rc, 0, r)
        text = lock.read_text()
        text = text.replace("created-by = 'thoth'\n", "created-by = 'thoth'\nextras = ['web']\n"
                            "dependency-groups = ['dev', 'docs']\ndefault-groups = ['dev']\n")
        text = text.replace("name = 'templar'\n", "name = 'templar'\nmarker = \"'web' in extras\"\n")
        text = text.replace("name = 'markupsafe-lite'\n",
                            "name = 'markupsafe-lite'\nmarker = \"'dev' in dependency_groups\"\n")
        lock.write_text(text)
        return lock

    def test_download_chooses_the_same_packages(self):
        with harness.temp_dir() as d:
            lock = self.selective_lock(d)

            def downloaded(*args):
                dest = d / ("dl" + "-".join(args))
                r = harness.run(["download", "--lock", str(lock), "-d", str(dest), "--python", PYTHON, *args])
                self.assertEqual(r.rc, 0, r)
                manifest = json.loads((dest / "thoth-download.json").read_text())
                return sorted(f["name"] for f in manifest["files"])

            self.assertEqual(downloaded(), ["markupsafe-lite"])
            self.assertEqual(downloaded("--extra", "web"), ["markupsafe-lite", "templar"])
            self.assertEqual(downloaded("--extra", "web", "--group", "docs"), ["templar"])
            r = harness.run(["download", "--lock", str(lock), "-d", str(d / "x"), "--extra", "gui"])
            self.assertNotEqual(r.rc, 0, r)
            self.assertIn("offers no extra 'gui' (its extras: web)", r.stderr)
            r = harness.run(["download", "-d", str(d / "y"), "--group", "dev", "templar"])
            self.assertEqual(r.rc, 2, r)
            self.assertIn("--extra and --group choose from a pylock.toml", r.stderr)
            r = harness.run(["download", "--lock", str(lock), "-d", str(d / "z"), "--dev"])
            self.assertEqual(r.rc, 2, r)
            self.assertIn("select categories of a Pipfile.lock", r.stderr)

    def test_extras_and_groups_choose_the_packages(self):
        with harness.temp_dir() as d:
            lock = self.selective_lock(d)

            def would_install(*args):
                r = harness.run(["install", "--dry-run", "--python", PYTHON, "--target", str(d / "t"),
                                 "--lock", str(lock), *args])
                self.assertEqual(r.rc, 0, r)
                return r.stdout.strip()

            self.assertEqual(would_install(), "Would install markupsafe-lite-2.1.5")  # the default group
            self.assertEqual(would_install("--extra", "web"), "Would install markupsafe-lite-2.1.5 templar-3.1.3")
            self.assertEqual(would_install("--extra", "WEB", "--group", "docs"), "Would install templar-3.1.3")
            r = harness.run(["install", "--dry-run", "--python", PYTHON, "--lock", str(lock), "--extra", "gui"])
            self.assertNotEqual(r.rc, 0, r)
            self.assertIn("offers no extra 'gui' (its extras: web)", r.stderr)
            r = harness.run(["install", "--dry-run", "--python", PYTHON, "--extra", "web", "templar"])
            self.assertEqual(r.rc, 2, r)
            self.assertIn("--extra and --group choose from a pylock.toml", r.stderr)


if __name__ == "__main__":
    unittest.main()
