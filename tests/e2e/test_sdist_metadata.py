"""End-to-end tests of the resolution building an sdist for its metadata (PEP 517
prepare_metadata_for_build_wheel, else build_wheel) when its PKG-INFO does not state its dependencies
(Metadata-Version < 2.2 or Requires-Dist Dynamic, PEP 643), as pip does, from a mirror served on
127.0.0.1 with Debian's real setuptools and wheel wheels (/usr/share/python-wheels):

* a setup.py-only sdist whose install_requires is computed at build time (PKG-INFO Metadata-Version
  2.1, no Requires-Dist): `thoth install` resolves and installs it with its dependency; `thoth lock
  --python /usr/bin/python3` pins both; a second run takes the metadata from the cache (no build);
* a backend without prepare_metadata_for_build_wheel: the wheel is built and its METADATA read, and
  the install that follows takes that wheel from the cache;
* a broken sdist is passed over with a warning naming it (its build's output with -v), and an older
  version with a wheel is used; when nothing else fits the resolution fails and says why;
* --no-build-isolation builds in the environment as it is; --platform targets and --only-binary
  :all: never build.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_sdist_metadata.py"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.backends import DEBIAN_WHEELS, with_debian_build_tools  # noqa: E402
from support.venv import PYTHON, ServedMirrorTestCase  # noqa: E402


BROKEN_MARK = "THOTH-BROKEN-METADATA: this sdist refuses to build"

# install_requires computed when setup.py runs: no tool can read it without running the build.
DYNAMIC_SETUP_PY = """\
import sys
from setuptools import setup
deps = ["greet-dep>=" + str(sys.version_info[0] - 2)]
setup(name="dyn-setup", version="1.0", packages=["dyn_setup"], install_requires=deps)
"""

# An in-tree backend with the mandatory build_wheel hook only (no prepare_metadata_for_build_wheel).
NOHOOK_PYPROJECT = """\
[build-system]
requires = []
build-backend = "nohook_backend"
backend-path = ["_backend"]
"""
NOHOOK_BACKEND = """\
import base64, hashlib, os, zipfile
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "dyn_nohook-1.0-py3-none-any.whl"
    members = {
        "dyn_nohook/__init__.py": "",
        "dyn_nohook-1.0.dist-info/METADATA":
            "Metadata-Version: 2.1\\nName: dyn-nohook\\nVersion: 1.0\\nRequires-Dist: greet-dep\\n",
        "dyn_nohook-1.0.dist-info/WHEEL":
            "Wheel-Version: 1.0\\nGenerator: nohook\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    record = ""
    for path, text in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record += "%s,sha256=%s,%d\\n" % (path, digest, len(text.encode()))
    members["dyn_nohook-1.0.dist-info/RECORD"] = record + "dyn_nohook-1.0.dist-info/RECORD,,\\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in members.items():
            z.writestr(path, text)
    return name
"""

SETUP_ONLY = {"pyproject.toml": None}

SPEC = {
    "projects": {
        "dyn-setup": {"1.0": {"files": ["sdist"], "metadata_version": "2.1",
                              "sdist_extra_files": {**SETUP_ONLY, "setup.py": DYNAMIC_SETUP_PY}}},
        "greet-dep": {"1.0": {}},
        "dyn-nohook": {"1.0": {"files": ["sdist"], "metadata_version": "2.1",
                               "sdist_extra_files": {"pyproject.toml": NOHOOK_PYPROJECT,
                                                     "_backend/nohook_backend.py": NOHOOK_BACKEND}}},
        # 2.0 cannot be built; 1.0 has a wheel.
        "dyn-broken": {
            "1.0": {},
            "2.0": {"files": ["sdist"], "metadata_version": "2.1",
                    "sdist_extra_files": {**SETUP_ONLY, "setup.py": f"import sys\nsys.stderr.write({BROKEN_MARK!r} + "
                                                                    "'\\n')\nraise SystemExit('giving up')\n"}},
        },
    },
}

LINUX_311 = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]


def pins(text):
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[name.strip()] = version.strip().split()[0]
    return out


@unittest.skipUnless(list(DEBIAN_WHEELS.glob("setuptools-*.whl")), "Debian's python3-setuptools-whl is not installed")
class SdistMetadata(ServedMirrorTestCase):
    @classmethod
    def mirror_spec(cls):
        return with_debian_build_tools(SPEC)

    def install(self, venv, *args, cache):
        return harness.run(["install", *args, "--index-url", self.server.index_url, "--cache-dir", str(cache)],
                           env={"VIRTUAL_ENV": str(venv.path)})

    def lock(self, *args, cache):
        return harness.run(["lock", *args, "--index-url", self.server.index_url, "--cache-dir", str(cache)])

    def test_install_builds_the_metadata_then_the_wheel(self):
        venv = self.venv()
        cache = self.tmp / "cache-install"
        r = self.install(venv, "dyn-setup", "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("building the metadata of dyn-setup 1.0 (dyn_setup-1.0.tar.gz) to learn its dependencies",
                      r.stderr)
        # The legacy backend's requirements went into an isolated environment, not the target.
        self.assertIn("installing the build requirements of dyn-setup 1.0 (dyn_setup-1.0.tar.gz): "
                      "setuptools>=40.8.0", r.stderr)
        self.assertEqual(venv.installed(), {"dyn-setup": "1.0", "greet-dep": "1.0"})
        venv.pip("check")

    def test_lock_with_python_pins_both_and_the_second_run_builds_nothing(self):
        cache = self.tmp / "cache-lock"
        self.server.clear_log()
        r = self.lock("dyn-setup", "--python", PYTHON, "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(pins(r.stdout), {"dyn-setup": "1.0", "greet-dep": "1.0"}, r)
        self.assertIn("building the metadata of dyn-setup 1.0", r.stderr)
        self.assertIn("built the metadata of dyn-setup 1.0 (dyn_setup-1.0.tar.gz)", r.stderr)
        # pip-compile's `# via` names the sdist as the dependency's parent.
        self.assertIn("# via dyn-setup", r.stdout)

        self.server.clear_log()
        # --no-memo: a real second resolution (the resolution memo would reuse the first lock).
        again = self.lock("dyn-setup", "--python", PYTHON, "-v", "--no-memo", cache=cache)
        self.assertEqual(again.rc, 0, again)
        self.assertEqual(again.stdout, r.stdout)
        self.assertIn("using the metadata built earlier from dyn-setup 1.0 (dyn_setup-1.0.tar.gz)", again.stderr)
        self.assertNotIn("building the metadata", again.stderr)
        self.assertNotIn("installing the build requirements", again.stderr)
        # Nothing fetched for a build: neither the build requirements nor the sdist.
        self.assertEqual(self.server.count("/files/setuptools-*.whl"), 0)
        self.assertEqual(self.server.count("/files/*.tar.gz"), 0)

        # An install with the same cache needs no metadata build either (the wheel it then builds is
        # another matter: prepare_metadata_for_build_wheel made no wheel).
        venv = self.venv()
        inst = self.install(venv, "dyn-setup", "-v", cache=cache)
        self.assertEqual(inst.rc, 0, inst)
        self.assertNotIn("building the metadata", inst.stderr)
        self.assertEqual(venv.installed(), {"dyn-setup": "1.0", "greet-dep": "1.0"})

    def test_a_backend_without_prepare_metadata_builds_the_wheel(self):
        cache = self.tmp / "cache-nohook"
        r = self.lock("dyn-nohook", "--python", PYTHON, "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(pins(r.stdout), {"dyn-nohook": "1.0", "greet-dep": "1.0"}, r)
        self.assertIn("building the metadata of dyn-nohook 1.0", r.stderr)
        # The wheel built for its metadata is kept: the install builds nothing.
        venv = self.venv()
        inst = self.install(venv, "dyn-nohook", "-v", cache=cache)
        self.assertEqual(inst.rc, 0, inst)
        self.assertIn("using the wheel built earlier from dyn-nohook 1.0 (dyn_nohook-1.0.tar.gz)", inst.stderr)
        self.assertNotIn("building", inst.stderr)
        self.assertEqual(venv.installed(), {"dyn-nohook": "1.0", "greet-dep": "1.0"})

    def test_a_broken_sdist_is_passed_over_with_a_warning(self):
        cache = self.tmp / "cache-broken"
        venv = self.venv()
        r = self.install(venv, "dyn-broken", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.stderr, r"thoth: warning: skipped dyn-broken 2\.0: dyn-broken 2\.0 \(dyn_broken-2\.0\.tar\.gz\): "
                                   r"get_requires_for_build_wheel of the build backend setuptools\.build_meta:__legacy__ "
                                   r"failed: it exited with status 1 \(giving up\); an older version was looked for")
        self.assertNotIn(BROKEN_MARK, r.stderr)  # the build's whole output: only with -v
        self.assertEqual(venv.installed(), {"dyn-broken": "1.0"})
        # -v shows what the backend printed.
        r = self.lock("dyn-broken", "--python", PYTHON, "-v", cache=cache)
        self.assertEqual(pins(r.stdout), {"dyn-broken": "1.0"}, r)
        self.assertIn(BROKEN_MARK, r.stderr)
        # Nothing else fits: the resolution fails (exit status 1) and says why.
        r = self.lock("dyn-broken>=2", "--python", PYTHON, cache=cache)
        self.assertEqual(r.rc, 1, r)
        self.assertIn("dyn-broken>=2 which cannot be built to know its dependencies", r.stderr)
        self.assertIn("(-v shows the build's output)", r.stderr)

    def test_no_build_isolation_builds_in_the_environment(self):
        cache = self.tmp / "cache-no-isolation"
        venv = self.venv()
        # The environment has no setuptools: the metadata build cannot import its backend.
        r = self.install(venv, "dyn-setup", "--no-build-isolation", cache=cache)
        self.assertEqual(r.rc, 1, r)
        self.assertIn("cannot import the build backend 'setuptools.build_meta'", r.stderr)
        self.assertEqual(venv.installed(), {})
        r = self.install(venv, "setuptools", "wheel", cache=cache)
        self.assertEqual(r.rc, 0, r)
        r = self.install(venv, "dyn-setup", "--no-build-isolation", "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("(in the target environment: --no-build-isolation)", r.stderr)
        self.assertNotIn("installing the build requirements", r.stderr)
        self.assertEqual(venv.installed()["greet-dep"], "1.0")

    def test_platform_targets_and_only_binary_never_build(self):
        cache = self.tmp / "cache-never"
        r = self.lock("dyn-broken", *LINUX_311, "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(pins(r.stdout), {"dyn-broken": "1.0"}, r)
        self.assertIn("builds sdists to learn their dependencies only for an interpreter's own environment", r.stderr)
        self.assertNotIn("building the metadata", r.stderr)
        r = self.lock("dyn-setup", "--python", PYTHON, "--only-binary", ":all:", "-v", cache=cache)
        self.assertEqual(r.rc, 1, r)
        self.assertNotIn("building the metadata", r.stderr)


if __name__ == "__main__":
    unittest.main()
