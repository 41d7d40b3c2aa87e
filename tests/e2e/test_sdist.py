"""End-to-end tests of `thoth install` building sdists through their PEP 517 backend, into fresh virtual
environments made by Debian's python3, from a mirror served on 127.0.0.1 that holds generated projects
and Debian's real setuptools and wheel wheels (/usr/share/python-wheels):

* an sdist-only setuptools project (a console script, a dependency) builds in an isolated environment
  into which thoth installs setuptools (and the wheel package setuptools asks for) from the mirror; the
  target environment gets neither; the package imports, its script runs, `pip check` passes;
* a second install takes the wheel built the first time from the cache: no build, no sdist download;
* a broken sdist fails with its build output and the package named, exit status 4, and leaves the
  environment byte-identical;
* --no-build-isolation builds with what the environment holds (and fails, named, when it lacks the
  backend); --no-binary builds a project that has a wheel too; an sdist given by path records PEP 610
  direct_url.json; a setup.py-only sdist builds with PEP 517's legacy default;
* a local project directory installs (dir_info), and `-e DIR` installs it editable (PEP 660), its
  sources imported where they are.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_sdist.py"""

import hashlib
import io
import json
import pathlib
import subprocess
import sys
import tarfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.backends import DEBIAN_WHEELS, with_debian_build_tools  # noqa: E402
from support.venv import ServedMirrorTestCase, canon, snapshot  # noqa: E402

BROKEN_MARK = "THOTH-BROKEN-BUILD: this sdist refuses to build"

SPEC = {
    "projects": {
        # Metadata-Version 2.2: PKG-INFO's dependencies are static (PEP 643), so the resolver reads them
        # without a build.
        "hello-sdist": {"1.0": {
            "files": ["sdist"], "metadata_version": "2.2", "requires_dist": ["greet-dep>=1"],
            "sdist_entry_points": {"console_scripts": {"hello-sdist": "hello_sdist.cli:main"}},
            "sdist_extra_files": {"hello_sdist/cli.py": "def main():\n    print('hello from a built sdist')\n"}}},
        "greet-dep": {"1.0": {}},
        "broken-sdist": {"1.0": {
            "files": ["sdist"], "metadata_version": "2.2",
            "sdist_extra_files": {"setup.py": f"import sys\nsys.stderr.write({BROKEN_MARK!r} + '\\n')\n"
                                              "raise SystemExit(1)\n"}}},
        "dual": {"2.0": {"files": ["py3-none-any", "sdist"], "metadata_version": "2.2"}},
    },
}


def legacy_sdist(path):
    """An sdist with a setup.py and no pyproject.toml (PEP 517's legacy setuptools default)."""
    base = "legacy_proj-0.3"
    members = {
        f"{base}/PKG-INFO": "Metadata-Version: 2.2\nName: legacy-proj\nVersion: 0.3\n",
        f"{base}/setup.py": "from setuptools import setup\nsetup(name='legacy-proj', version='0.3', "
                            "py_modules=['legacy_proj'])\n",
        f"{base}/legacy_proj.py": "VALUE = 'legacy'\n",
    }
    with tarfile.open(path, "w:gz") as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def local_project(root):
    """A setuptools project directory: a module, a console script, a dependency from the mirror."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "local-proj"\nversion = "0.5"\ndependencies = ["greet-dep>=1"]\n\n'
        '[project.scripts]\nlocal-proj = "local_proj:main"\n\n'
        '[tool.setuptools]\npy-modules = ["local_proj"]\n')
    (root / "local_proj.py").write_text("VALUE = 'original'\n\ndef main():\n    print(VALUE)\n")
    return root


@unittest.skipUnless((DEBIAN_WHEELS / "setuptools-66.1.1-py3-none-any.whl").exists() or
                     list(DEBIAN_WHEELS.glob("setuptools-*.whl")),
                     "Debian's python3-setuptools-whl is not installed")
class Sdist(ServedMirrorTestCase):
    @classmethod
    def mirror_spec(cls):
        return with_debian_build_tools(SPEC)

    def install(self, venv, *args, cache):
        return harness.run(["install", *args, "--index-url", self.server.index_url, "--cache-dir", str(cache)],
                           env={"VIRTUAL_ENV": str(venv.path)})

    def test_isolated_build_then_the_cache(self):
        venv = self.venv()
        cache = self.tmp / "cache-isolated"
        self.server.clear_log()
        r = self.install(venv, "hello-sdist", "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("building a wheel from hello-sdist 1.0 (hello_sdist-1.0.tar.gz)", r.stderr)
        self.assertIn("Successfully installed", r.stdout)
        # The build environment's requirements came from the mirror, installed by thoth: setuptools from
        # [build-system] requires, wheel from setuptools' get_requires_for_build_wheel.
        self.assertIn("installing the build requirements of hello-sdist 1.0 (hello_sdist-1.0.tar.gz): setuptools>=61",
                      r.stderr)
        self.assertEqual(self.server.count("/files/setuptools-*.whl", "GET"), 1)
        self.assertEqual(self.server.count("/files/wheel-*.whl", "GET"), 1)
        # ... and stayed there: the target holds the project and its dependency only.
        self.assertEqual(venv.installed(), {"hello-sdist": "1.0", "greet-dep": "1.0"})
        venv.pip("check")
        proc = venv.run("-c", "import hello_sdist; print(hello_sdist.__version__)")
        self.assertEqual(proc.stdout.strip(), "1.0", proc.stderr)
        script = subprocess.run([str(venv.path / "bin" / "hello-sdist")], capture_output=True, text=True,
                                env=harness.clean_env(), timeout=60)
        self.assertEqual((script.returncode, script.stdout.strip()), (0, "hello from a built sdist"), script.stderr)
        dist_info = venv.site_packages() / "hello_sdist-1.0.dist-info"
        self.assertEqual((dist_info / "INSTALLER").read_text().strip(), "thoth")
        self.assertTrue((dist_info / "REQUESTED").exists())
        self.assertIn("Generator: bdist_wheel", (dist_info / "WHEEL").read_text())
        # An index install records no direct_url.json (PEP 610).
        self.assertFalse((dist_info / "direct_url.json").exists())
        # pip removes what thoth installed, by its RECORD.
        venv.pip("uninstall", "-y", "hello-sdist")
        self.assertFalse((venv.path / "bin" / "hello-sdist").exists())
        self.assertEqual(list(venv.site_packages().glob("hello_sdist*")), [])

        # A second install of the same sdist takes the built wheel from the cache: no build, no download.
        self.server.clear_log()
        again = self.venv()
        r = self.install(again, "hello-sdist", "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("using the wheel built earlier from hello-sdist 1.0 (hello_sdist-1.0.tar.gz)", r.stderr)
        self.assertNotIn("building a wheel", r.stderr)
        self.assertEqual(self.server.count("/files/*.tar.gz"), 0)
        self.assertEqual(again.installed(), {"hello-sdist": "1.0", "greet-dep": "1.0"})
        again.pip("check")

    def test_broken_sdist_leaves_the_environment_as_it_was(self):
        venv = self.venv()
        cache = self.tmp / "cache-broken"
        r = self.install(venv, "greet-dep", cache=cache)
        self.assertEqual(r.rc, 0, r)
        before = snapshot(venv.path)
        r = self.install(venv, "broken-sdist", "greet-dep", "--force-reinstall", cache=cache)
        self.assertEqual(r.rc, 4, r)
        first = r.stderr.splitlines()[0]
        self.assertTrue(first.startswith("thoth: error: broken-sdist 1.0 (broken_sdist-1.0.tar.gz): "), first)
        self.assertIn("of the build backend setuptools.build_meta failed", first)
        self.assertIn(BROKEN_MARK, r.stderr)  # the build's output, shown
        self.assertEqual(snapshot(venv.path), before)
        # -v: the backend's output goes out as it comes (pip -v), before the error, and is not repeated.
        r = self.install(venv, "broken-sdist", "greet-dep", "--force-reinstall", "-v", cache=cache)
        self.assertEqual(r.rc, 4, r)
        self.assertNotIn("the build's output", r.stderr)
        error = r.stderr.index("thoth: error: broken-sdist 1.0")
        self.assertLess(r.stderr.index("thoth:   "), error, r.stderr)
        self.assertLess(r.stderr.index(BROKEN_MARK), error, r.stderr)
        self.assertIn("(its output is above)", r.stderr[error:])
        self.assertEqual(snapshot(venv.path), before)

    def test_no_build_isolation(self):
        venv = self.venv()
        cache = self.tmp / "cache-no-isolation"
        before = snapshot(venv.path)
        # Nothing installs the backend: the environment has no setuptools, and the build says so.
        r = self.install(venv, "hello-sdist", "--no-build-isolation", cache=cache)
        self.assertEqual(r.rc, 4, r)
        self.assertIn("hello-sdist 1.0 (hello_sdist-1.0.tar.gz)", r.stderr)
        self.assertIn("cannot import the build backend 'setuptools.build_meta'", r.stderr)
        self.assertEqual(snapshot(venv.path), before)
        # With setuptools and wheel in the environment, the build uses them.
        r = self.install(venv, "setuptools", "wheel", cache=cache)
        self.assertEqual(r.rc, 0, r)
        r = self.install(venv, "hello-sdist", "--no-build-isolation", "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("in the target environment (--no-build-isolation)", r.stderr)
        self.assertNotIn("installing the build requirements", r.stderr)
        self.assertEqual(venv.installed()["hello-sdist"], "1.0")
        venv.pip("check")

    def test_no_binary_builds_the_sdist(self):
        venv = self.venv()
        r = self.install(venv, "dual", "--no-binary", "dual", "-v", cache=self.tmp / "cache-no-binary")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("building a wheel from dual 2.0 (dual-2.0.tar.gz)", r.stderr)
        wheel = (venv.site_packages() / "dual-2.0.dist-info" / "WHEEL").read_text()
        self.assertIn("Generator: bdist_wheel", wheel)

    def test_sdist_by_path_records_its_url(self):
        venv = self.venv()
        sdist = pathlib.Path(self.mirror.file("hello_sdist-1.0.tar.gz").path)
        r = self.install(venv, str(sdist), cache=self.tmp / "cache-path")
        self.assertEqual(r.rc, 0, r)
        direct = json.loads((venv.site_packages() / "hello_sdist-1.0.dist-info" / "direct_url.json").read_text())
        self.assertEqual(direct, {"archive_info": {"hash": "sha256=" + hashlib.sha256(sdist.read_bytes()).hexdigest(),
                                                   "hashes": {"sha256": hashlib.sha256(sdist.read_bytes()).hexdigest()}},
                                  "url": sdist.resolve().as_uri()})
        venv.pip("check")

    def test_setup_py_only_sdist_uses_the_legacy_backend(self):
        venv = self.venv()
        sdist = self.tmp / "legacy_proj-0.3.tar.gz"
        legacy_sdist(sdist)
        r = self.install(venv, str(sdist), "-v", cache=self.tmp / "cache-legacy")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("setuptools>=40.8.0", r.stderr)  # PEP 517/518's default requires
        proc = venv.run("-c", "import legacy_proj; print(legacy_proj.VALUE)")
        self.assertEqual(proc.stdout.strip(), "legacy", proc.stderr)

    def test_local_project_directory_and_editable(self):
        proj = local_project(self.tmp / "projects" / "local-proj")
        cache = self.tmp / "cache-local"
        plain = self.venv()
        r = self.install(plain, str(proj), "-v", cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("building a wheel from " + str(proj) + "\n", r.stderr)
        # -v: what setuptools prints while it builds, line by line.
        self.assertIn("thoth:   running bdist_wheel\n", r.stderr)
        self.assertEqual(plain.installed(), {"local-proj": "0.5", "greet-dep": "1.0"})
        plain.pip("check")
        dist_info = plain.site_packages() / "local_proj-0.5.dist-info"
        # PEP 610: a local directory records dir_info, not the wheel built from it.
        self.assertEqual(json.loads((dist_info / "direct_url.json").read_text()),
                         {"dir_info": {}, "url": proj.as_uri()})
        script = subprocess.run([str(plain.path / "bin" / "local-proj")], capture_output=True, text=True,
                                env=harness.clean_env(), timeout=60)
        self.assertEqual(script.stdout.strip(), "original", script.stderr)
        # A local project installs again each time (its sources may have changed), as pip does; pip's
        # report names the directory (dir_info), not the wheel built from it in a scratch place.
        report = self.tmp / "local-report.json"
        r = self.install(plain, str(proj), "--report", str(report), cache=cache)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Successfully installed local-proj-0.5", r.stdout)
        items = {canon(i["metadata"]["name"]): i for i in json.loads(report.read_text())["install"]}
        self.assertEqual(items["local-proj"]["download_info"], {"dir_info": {}, "url": proj.as_uri()})

        # -e: PEP 660 build_editable; the environment imports the sources where they are.
        editable = self.venv()
        r = self.install(editable, "-e", str(proj), cache=cache)
        self.assertEqual(r.rc, 0, r)
        dist_info = editable.site_packages() / "local_proj-0.5.dist-info"
        self.assertEqual(json.loads((dist_info / "direct_url.json").read_text()),
                         {"dir_info": {"editable": True}, "url": proj.as_uri()})
        listed = json.loads(editable.pip("list", "--editable", "--format", "json").stdout)
        self.assertEqual([canon(p["name"]) for p in listed], ["local-proj"])
        editable.pip("check")
        (proj / "local_proj.py").write_text("VALUE = 'changed'\n\ndef main():\n    print(VALUE)\n")
        self.assertEqual(editable.run("-c", "import local_proj; print(local_proj.VALUE)").stdout.strip(), "changed")
        self.assertEqual(plain.run("-c", "import local_proj; print(local_proj.VALUE)").stdout.strip(), "original")

    def test_a_directory_that_is_no_project(self):
        venv = self.venv()
        empty = self.tmp / "projects" / "empty"
        empty.mkdir(parents=True, exist_ok=True)
        r = self.install(venv, "-e", str(empty), cache=self.tmp / "cache-empty")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("is not a Python project (it has neither pyproject.toml nor setup.py)", r.stderr)


if __name__ == "__main__":
    unittest.main()
