"""The .deb CPack makes (packaging/package.cmake): built with `cpack -G DEB` from the build under test,
unpacked with `dpkg -x` into a scratch root, and run from there: `thoth --version`, `thoth-install`, and
the README's lock of examples/mirror. Its Depends names the libraries thoth loads at run time.
Run directly: THOTH_BUILD_DIR=build THOTH_SOURCE_DIR=. /usr/bin/python3 tests/e2e/test_package.py"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402

BUILD = pathlib.Path(os.environ.get("THOTH_BUILD_DIR") or harness.thoth_binary().parent)

# What the package installs besides the program, from the root of the scratch install.
FILES = [
    "usr/share/man/man1/thoth.1",
    "usr/share/man/man1/thoth-install.1",
    "usr/share/man/man5/thoth-kb.5",
    "usr/share/bash-completion/completions/thoth",
    "usr/share/bash-completion/completions/thoth-install",
    "usr/share/zsh/vendor-completions/_thoth",
]


def lock_args():
    src = harness.source_dir()
    return ["lock", "-r", str(src / "examples" / "requirements.txt"),
            "--index-url", f"file://{src}/examples/mirror/simple",
            "--python-version", "3.11", "--platform", "manylinux_2_17_x86_64"]


@unittest.skipUnless(shutil.which("cpack") and shutil.which("dpkg-shlibdeps"), "needs cpack and dpkg-dev")
class DebPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.temp_dir()
        cls.dir = cls.tmp.__enter__()
        config = BUILD / "CPackConfig.cmake"
        if not config.exists():
            raise unittest.SkipTest(f"{config} does not exist (not a CMake build directory)")
        proc = subprocess.run(["cpack", "-G", "DEB", "--config", str(config), "-B", str(cls.dir / "out")],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        debs = list((cls.dir / "out").glob("*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        cls.root = cls.dir / "root"
        subprocess.run(["dpkg", "-x", str(cls.deb), str(cls.root)], check=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.__exit__(None, None, None)

    def field(self, name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", str(self.deb), name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_depends_names_the_libraries_loaded_at_run_time(self):
        depends = [d.strip() for d in self.field("Depends").split(",")]
        names = [re.split(r"[ (]", d)[0] for d in depends]
        # libcurl4t64 / libarchive13t64 on Debian 13: the package that holds the soname thoth loads.
        self.assertTrue(any(re.fullmatch(r"libcurl4(t64)?", n) for n in names), depends)
        self.assertTrue(any(re.fullmatch(r"libarchive13(t64)?", n) for n in names), depends)
        self.assertIn("libc6", names)  # from dpkg-shlibdeps
        self.assertEqual(self.field("Package"), "thoth")

    def test_installs_program_man_pages_and_completions(self):
        for path in ["usr/bin/thoth", *FILES]:
            self.assertTrue((self.root / path).is_file(), path)
        self.assertEqual(os.readlink(self.root / "usr/bin/thoth-install"), "thoth")
        self.assertEqual(os.readlink(self.root / "usr/share/bash-completion/completions/thoth-install"), "thoth")
        # The completions are the installed program's own.
        thoth = self.root / "usr/bin/thoth"
        for shell, path in (("bash", FILES[3]), ("zsh", FILES[5])):
            self.assertEqual((self.root / path).read_text(), harness.run(["completion", shell], program=thoth).stdout)

    def test_runs_from_the_package(self):
        thoth = self.root / "usr/bin/thoth"
        version = harness.run(["--version"], program=thoth)
        self.assertEqual(version, harness.run(["--version"]))
        self.assertRegex(version.stdout, r"^thoth \d+\.\d+\.\d+\n$")
        install = harness.run(["--help"], program=self.root / "usr/bin/thoth-install")
        self.assertEqual(install.rc, 0, install)
        self.assertIn("Usage: thoth install", install.stdout)
        env = {"XDG_CACHE_HOME": str(self.dir / "cache")}
        lock = harness.run(lock_args(), program=thoth, env=env)
        self.assertEqual(lock.rc, 0, lock)
        self.assertIn("templar==", lock.stdout)
        self.assertEqual(lock.stdout, harness.run(lock_args(), env=env).stdout)


if __name__ == "__main__":
    unittest.main()
