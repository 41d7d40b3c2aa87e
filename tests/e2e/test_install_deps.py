"""scripts/install-deps.sh, the README's first command: it runs apt-get directly as root (a fresh
container has no sudo), through sudo otherwise, and touches nothing when every package is there.
Driven with fake dpkg-query, id, sudo and apt-get on a PATH of their own, so nothing is installed.
Its second job, Debian 13's packaging 25.0 and pip 25.1.1 wheels for the differential tests, runs with
a fake curl that serves the .deb files a real run kept (or bytes of the wrong SHA-256) into a scratch
$THOTH_TEST_WHEELS.
Run directly: /usr/bin/python3 tests/e2e/test_install_deps.py"""

import os
import pathlib
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402

SCRIPT = harness.source_dir() / "scripts" / "install-deps.sh"

# Each fake appends its command line to $FAKE_LOG. dpkg-query reports every package installed when
# FAKE_ALL_INSTALLED is set, none otherwise; id -u prints $FAKE_UID.
FAKES = {
    "dpkg-query": '[ -n "${FAKE_ALL_INSTALLED:-}" ] && printf "install ok installed"; exit 0',
    "id": 'echo "$FAKE_UID"',
    "apt-get": 'echo "apt-get $*" >>"$FAKE_LOG"',
    "sudo": 'echo "sudo $*" >>"$FAKE_LOG"; exec "$@"',
    # Serves "$FAKE_DEBS/<file name>" for any URL (or garbage when FAKE_DEBS is unset).
    "curl": 'out=; url=; while [ $# -gt 0 ]; do case $1 in -o) out=$2; shift;; -*) ;; *) url=$1;; esac; shift; done\n'
            'echo "curl $url" >>"$FAKE_LOG"\n'
            'if [ -n "${FAKE_DEBS:-}" ]; then cp "$FAKE_DEBS/${url##*/}" "$out"; else echo garbage >"$out"; fi',
}
# The real tools the reference step needs (curl is faked).
REAL_TOOLS = ("grep", "sha256sum", "dpkg-deb", "tar", "mktemp", "mkdir", "mv", "cp", "rm", "chmod", "python3")
# Where a real run of the script (as CI's) keeps the verified .deb files.
INSTALLED_WHEELS = pathlib.Path(os.environ.get("THOTH_TEST_WHEELS") or "/usr/local/share/thoth-test-wheels")
REFERENCES = ("packaging-25.0", "pip-25.1.1")


class InstallDeps(unittest.TestCase):
    def run_script(self, uid: int, *, sudo: bool = True, all_installed: bool = False,
                   wheels_present: bool = True, debs=None, check=None, args=()):
        """Runs the script; `check(wheels_dir)` looks at the wheels before the scratch directory goes."""
        with harness.temp_dir() as d:
            bin_dir = d / "bin"
            bin_dir.mkdir()
            for name, body in FAKES.items():
                if name == "sudo" and not sudo:
                    continue
                path = bin_dir / name
                path.write_text("#!/bin/bash\n" + body + "\n")
                path.chmod(0o755)
            # The real tools the script needs besides the fakes, and nothing else from the system.
            for tool in REAL_TOOLS:
                os.symlink(shutil.which(tool, path="/usr/bin:/bin"), bin_dir / tool)
            wheels = d / "wheels"
            if wheels_present:
                for name in REFERENCES:
                    (wheels / name).mkdir(parents=True)
            log = d / "log"
            log.write_text("")
            env = {"PATH": str(bin_dir), "FAKE_LOG": str(log), "FAKE_UID": str(uid), "HOME": str(d),
                   "THOTH_TEST_WHEELS": str(wheels), "TMPDIR": str(d)}
            if all_installed:
                env["FAKE_ALL_INSTALLED"] = "1"
            if debs:
                env["FAKE_DEBS"] = str(debs)
            proc = subprocess.run(["/bin/bash", str(SCRIPT), *args], env=env, capture_output=True, text=True,
                                  timeout=120)
            if check:
                check(wheels)
            return proc, log.read_text().splitlines()

    def test_as_root_runs_apt_get_without_sudo(self):
        proc, calls = self.run_script(0)
        self.assertEqual(proc.returncode, 0, proc)
        self.assertTrue(calls, proc)
        self.assertFalse([c for c in calls if c.startswith("sudo")], calls)
        self.assertEqual(calls[0], "apt-get update -qq")
        self.assertTrue(calls[1].startswith("apt-get install -y"), calls)
        self.assertIn(" g++ ", calls[1] + " ")

    def test_as_user_elevates_through_sudo(self):
        proc, calls = self.run_script(1000)
        self.assertEqual(proc.returncode, 0, proc)
        self.assertEqual(calls[0], "sudo apt-get update -qq")
        self.assertEqual(calls[1], "apt-get update -qq")
        self.assertTrue(calls[2].startswith("sudo apt-get install -y"), calls)

    def test_as_user_without_sudo_says_what_to_do(self):
        proc, calls = self.run_script(1000, sudo=False)
        self.assertEqual(proc.returncode, 1, proc)
        self.assertEqual(calls, [])
        self.assertIn("run this script as root, or install sudo", proc.stderr)

    def test_nothing_missing_does_nothing(self):
        for uid in (0, 1000):
            proc, calls = self.run_script(uid, all_installed=True)
            self.assertEqual((proc.returncode, proc.stdout, proc.stderr, calls), (0, "", "", []))

    def test_fetches_verifies_and_unpacks_the_debian_13_references(self):
        kept = [next((INSTALLED_WHEELS / name / "deb").glob("*.deb"), None) for name in REFERENCES]
        if None in kept:
            self.skipTest(f"no .deb kept under {INSTALLED_WHEELS} (run scripts/install-deps.sh once)")
        with harness.temp_dir() as debs:
            for deb in kept:
                shutil.copy(deb, debs / deb.name)
            seen = {}

            def check(wheels):
                seen["entries"] = sorted(p.name for p in wheels.iterdir())
                seen["modules"] = [(wheels / "packaging-25.0" / "packaging" / "__init__.py").is_file(),
                                   (wheels / "pip-25.1.1" / "pip" / "__init__.py").is_file()]
                seen["version"] = subprocess.run(
                    ["/usr/bin/python3", "-c", "import packaging; print(packaging.__version__)"],
                    env={"PYTHONPATH": str(wheels / "packaging-25.0")}, capture_output=True, text=True).stdout

            for uid in (0, 1000):
                proc, calls = self.run_script(uid, all_installed=True, wheels_present=False, debs=debs, check=check)
                self.assertEqual(proc.returncode, 0, proc)
                self.assertEqual(seen["entries"], list(REFERENCES), proc)  # nothing half-written beside them
                self.assertEqual(seen["modules"], [True, True])
                self.assertEqual(seen["version"], "25.0\n")
                fetched = [c for c in calls if c.startswith("curl ")]
                self.assertEqual(fetched, [
                    "curl http://deb.debian.org/debian/pool/main/p/python-packaging/python3-packaging-whl_25.0-1_all.deb",
                    "curl http://deb.debian.org/debian/pool/main/p/python-pip/python3-pip-whl_25.1.1+dfsg-1_all.deb"])
                self.assertFalse([c for c in calls if "apt-get" in c], calls)
                self.assertEqual(any(c.startswith("sudo mv -T") for c in calls), uid != 0, calls)

    def test_a_deb_of_another_sha256_is_refused(self):
        def check(wheels):
            self.assertFalse(wheels.exists() and list(wheels.iterdir()), "nothing may be left")

        proc, calls = self.run_script(0, all_installed=True, wheels_present=False, check=check)
        self.assertEqual(proc.returncode, 1, proc)
        self.assertIn("python3-packaging-whl_25.0-1_all.deb from http://deb.debian.org/debian does not have the "
                      "SHA-256 of Debian 13's Packages index", proc.stderr)

    def test_clang_for_the_sanitizer_and_fuzz_build(self):
        proc, calls = self.run_script(0)
        self.assertEqual(proc.returncode, 0, proc)
        self.assertIn(" clang-14 libclang-rt-14-dev", calls[1] + " ")

    def test_readme_first_command_does_not_start_with_sudo(self):
        readme = (harness.source_dir() / "README.md").read_text()
        first = readme.split("```sh\n", 1)[1].splitlines()[0]
        self.assertTrue(first.startswith("bash scripts/install-deps.sh && "), first)


if __name__ == "__main__":
    unittest.main()
