"""Virtual environments for the installer's end-to-end tests: made by Debian's python3 without pip,
inspected with Debian's pip (pip --python), and snapshotted file by file so a test can show an
environment is byte-identical before and after a failed install."""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import re
import subprocess
import unittest

from support import harness

PYTHON = "/usr/bin/python3"


def canon(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def snapshot(root) -> dict:
    """Every file, directory and link under `root` with its content hash, mode and link target."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = pathlib.Path(dirpath) / name
            rel = str(path.relative_to(root))
            st = path.lstat()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir", st.st_mode)
            else:
                out[rel] = ("file", st.st_mode, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


class Venv:
    def __init__(self, path, python: str = PYTHON):
        self.path = pathlib.Path(path)
        subprocess.run([python, "-m", "venv", "--without-pip", str(self.path)], check=True, timeout=120)
        self.python = self.path / "bin" / "python"

    def pip(self, *args, check=True):
        """Debian's pip, working on this environment (pip --python)."""
        proc = subprocess.run([PYTHON, "-m", "pip", "--python", str(self.python), "--disable-pip-version-check",
                               *args], capture_output=True, text=True, env=harness.clean_env(), timeout=300)
        if check and proc.returncode != 0:
            raise AssertionError(f"pip {args} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def installed(self) -> dict:
        listing = json.loads(self.pip("list", "--format", "json").stdout)
        return {canon(p["name"]): p["version"] for p in listing}

    def site_packages(self) -> pathlib.Path:
        return next((self.path / "lib").glob("python3*/site-packages"))

    def run(self, *args):
        """The environment's own python with `args`."""
        return subprocess.run([str(self.python), *args], capture_output=True, text=True,
                              env=harness.clean_env(), timeout=120)


class VenvTestCase(unittest.TestCase):
    """A test class with one scratch directory (`self.tmp`) for all its tests, and fresh numbered
    environments in it (`self.venv()`)."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def numbered(self, prefix: str) -> pathlib.Path:
        """A path in the scratch directory no other test of the class uses: PREFIX followed by a number."""
        type(self).count += 1
        return self.tmp / f"{prefix}{type(self).count}"

    def venv(self) -> Venv:
        return Venv(self.numbered("venv"))


class ServedMirrorTestCase(VenvTestCase):
    """A VenvTestCase whose class builds the mirror of `mirror_spec()` (the class's SPEC unless
    overridden) in its scratch directory and serves it over HTTP on 127.0.0.1 (`self.server`)."""

    SPEC: dict = {}

    @classmethod
    def mirror_spec(cls) -> dict:
        return cls.SPEC

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from support import mirror
        from support.server import MirrorServer
        cls.mirror = mirror.build_mirror(cls.mirror_spec(), str(cls.tmp / "mirror"))
        cls.server = MirrorServer(cls.mirror.root).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        super().tearDownClass()
