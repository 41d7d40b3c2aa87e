"""scripts/install-deps.sh, the README's first command: it runs apt-get directly as root (a fresh
container has no sudo), through sudo otherwise, and touches nothing when every package is there.
Driven with fake dpkg-query, id, sudo and apt-get on a PATH of their own, so nothing is installed.
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
}


class InstallDeps(unittest.TestCase):
    def run_script(self, uid: int, *, sudo: bool = True, all_installed: bool = False, args=()):
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
            for tool in ("grep",):
                os.symlink(shutil.which(tool), bin_dir / tool)
            log = d / "log"
            log.write_text("")
            env = {"PATH": str(bin_dir), "FAKE_LOG": str(log), "FAKE_UID": str(uid), "HOME": str(d)}
            if all_installed:
                env["FAKE_ALL_INSTALLED"] = "1"
            proc = subprocess.run(["/bin/bash", str(SCRIPT), *args], env=env, capture_output=True, text=True,
                                  timeout=60)
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

    def test_clang_only_for_the_fuzz_step(self):
        _, calls = self.run_script(0)
        self.assertNotIn(" clang-14 ", calls[1] + " ")
        proc, calls = self.run_script(0, args=["--fuzz"])
        self.assertEqual(proc.returncode, 0, proc)
        self.assertIn(" clang-14 libclang-rt-14-dev", calls[1] + " ")

    def test_readme_first_command_does_not_start_with_sudo(self):
        readme = (harness.source_dir() / "README.md").read_text()
        first = readme.split("```sh\n", 1)[1].splitlines()[0]
        self.assertTrue(first.startswith("bash scripts/install-deps.sh && "), first)


if __name__ == "__main__":
    unittest.main()
