"""End-to-end tests of thoth's pipenv compatibility with the real pipenv (Debian's 2022.12.19), offline:
the example mirror served on 127.0.0.1, a project whose Pipfile names it as its only source.

* `thoth pipenv lock` / `thoth lock --pipfile` write Pipfile.lock; `pipenv verify` says it is up to
  date, and `pipenv sync` (default; --dev) installs exactly the pins thoth wrote, from that mirror;
* the legacy hash (package names as written, as this pipenv computes it) is what this pipenv accepts
  for a Pipfile with names not in canonical form, and the canonical one is not;
* `thoth install --lock Pipfile.lock [--dev]` installs the same pins into a fresh environment;
* a bad Pipfile is one line naming the file and the key, exit status 2, no Pipfile.lock written.

Without pipenv itself (PipfileLockTest), on mirrors generated here:
* an entry's `index = "name"` takes the package from that source only, though another source offers
  a higher version of the same name (dependency confusion);
* `path` entries naming a local project are built (PEP 517) and locked as pipenv writes them (`path`,
  `editable`, no hashes); a `file` entry to a local sdist is locked with its hash; a VCS entry is one
  line naming it, exit status 2;
* the Requires-Python markers of dependencies are exactly those Debian's pipenv derives
  (requirementslib's marker_from_specifier, called here);
* --recommend writes the advisor's pins for each category, --justify one document per category;
* a category that conflicts with default's pins says so.

Run directly: THOTH=build-test/thoth /usr/bin/python3 tests/e2e/test_pipenv.py"""

import io
import json
import os
import tarfile
import pathlib
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness, mirror  # noqa: E402
from support.server import MirrorServer  # noqa: E402

PYTHON = "/usr/bin/python3"
PIPENV = shutil.which("pipenv", path="/usr/bin")
MIRROR = harness.source_dir() / "examples" / "mirror"
SEED = {"pip", "setuptools", "wheel"}


def canon(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def pipfile_text(index_url, packages, dev_packages):
    return (f'[[source]]\nurl = "{index_url}"\nverify_ssl = false\nname = "local"\n\n'
            f"[packages]\n{packages}\n\n[dev-packages]\n{dev_packages}\n\n"
            '[requires]\npython_version = "3.11"\n')


def pipenv_env(project, home):
    # No network, no user configuration: a fresh HOME, pipenv's virtualenv inside the project, the
    # interpreter Debian's pipenv runs with, and no PIP_* from the caller.
    return harness.clean_env({
        "HOME": str(home), "PIPENV_VENV_IN_PROJECT": "1", "PIPENV_IGNORE_VIRTUALENVS": "1",
        "PIPENV_YES": "1", "PIPENV_NOSPIN": "1", "PIPENV_PYTHON": PYTHON, "PATH": "/usr/bin:/bin",
        "PIPENV_PIPFILE": str(project / "Pipfile"), "XDG_CACHE_HOME": str(home / "cache"),
        "PIPENV_DONT_LOAD_ENV": "1", "PYTHONDONTWRITEBYTECODE": "1", "PIP_NO_INPUT": "1",
    }, unset=("VIRTUAL_ENV", "PYENV_VERSION"))


def run_pipenv(project, home, *args, timeout=600):
    return subprocess.run([PIPENV, *args], cwd=project, env=pipenv_env(project, home), capture_output=True,
                          text=True, timeout=timeout)


def installed(python):
    out = subprocess.run([str(python), "-c", "import importlib.metadata as m, json; print(json.dumps("
                          "{d.metadata['Name']: d.version for d in m.distributions()}))"],
                         capture_output=True, text=True, check=True).stdout
    return {canon(k): v for k, v in json.loads(out).items() if canon(k) not in SEED}


def locked(lock, *categories):
    pins = {}
    for c in categories:
        for name, entry in lock.get(c, {}).items():
            pins[name] = entry["version"][2:]
    return pins


@unittest.skipUnless(PIPENV, "Debian's pipenv is not installed")
class PipenvTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MirrorServer(str(MIRROR)).start()
        cls.index = cls.server.url + "/simple"

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def project(self, tmp, packages, dev_packages=""):
        project = tmp / "project"
        project.mkdir()
        (project / "Pipfile").write_text(pipfile_text(self.index, packages, dev_packages))
        return project

    def thoth(self, *args, cwd=None):
        # The cache is per test: what is checked is what the mirror serves now.
        return harness.run([*args, "--cache-dir", str(pathlib.Path(cwd).parent / "thoth-cache")], cwd=cwd)

    def test_pipenv_verify_and_sync_accept_thoth_lock(self):
        with harness.temp_dir() as tmp:
            project = self.project(tmp, 'httpkit = {version = "~=2.0", extras = ["socks"]}\ntemplar = ">=3.1"',
                                   "testkit = \"*\"")
            r = self.thoth("pipenv", "lock", cwd=project)
            self.assertEqual(r.rc, 0, r)
            text = (project / "Pipfile.lock").read_text()
            lock = json.loads(text)
            # pipenv's layout: json.dumps(indent=4, sort_keys=True) and a final newline.
            self.assertEqual(text, json.dumps(lock, indent=4, sort_keys=True) + "\n")
            self.assertEqual(lock["_meta"]["pipfile-spec"], 6)
            self.assertEqual(lock["_meta"]["sources"], [{"name": "local", "url": self.index, "verify_ssl": False}])
            self.assertEqual(lock["default"]["httpkit"]["index"], "local")
            self.assertEqual(lock["default"]["httpkit"]["extras"], ["socks"])
            self.assertIn("pysocks-lite", lock["default"])
            self.assertIn("testkit", lock["develop"])
            for category in ("default", "develop"):
                for name, entry in lock[category].items():
                    self.assertTrue(entry["version"].startswith("=="), name)
                    self.assertTrue(entry["hashes"] and entry["hashes"] == sorted(entry["hashes"]), name)

            # `thoth lock --pipfile` writes the same bytes.
            r = self.thoth("lock", "--pipfile", "Pipfile", "-o", "Pipfile.again.lock", cwd=project)
            self.assertEqual(r.rc, 0, r)
            self.assertEqual((project / "Pipfile.again.lock").read_text(), text)

            home = tmp / "home"
            home.mkdir()
            v = run_pipenv(project, home, "verify")
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            self.assertIn("up-to-date", v.stdout + v.stderr)

            s = run_pipenv(project, home, "sync")
            self.assertEqual(s.returncode, 0, s.stdout + s.stderr)
            venv_python = project / ".venv" / "bin" / "python"
            self.assertEqual(installed(venv_python), locked(lock, "default"))

            s = run_pipenv(project, home, "sync", "--dev")
            self.assertEqual(s.returncode, 0, s.stdout + s.stderr)
            self.assertEqual(installed(venv_python), locked(lock, "default", "develop"))

            # thoth installs the same lock into a fresh environment, hash-checked.
            env_dir = tmp / "env"
            subprocess.run([PYTHON, "-m", "venv", "--without-pip", str(env_dir)], check=True)
            r = harness.run(["install", "--lock", str(project / "Pipfile.lock"), "--dev",
                             "--python", str(env_dir / "bin" / "python")], cwd=project)
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(installed(env_dir / "bin" / "python"), locked(lock, "default", "develop"))

    def test_legacy_hash_for_names_not_in_canonical_form(self):
        with harness.temp_dir() as tmp:
            project = self.project(tmp, 'HttpKit = "*"\nTemplar = ">=3.1"')
            home = tmp / "home"
            home.mkdir()
            r = self.thoth("pipenv", "lock", "--pipenv-hash", "legacy", cwd=project)
            self.assertEqual(r.rc, 0, r)
            v = run_pipenv(project, home, "verify")
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            # Debian's pipenv predates name normalisation: the canonical hash is out of date to it.
            r = self.thoth("pipenv", "lock", cwd=project)
            self.assertEqual(r.rc, 0, r)
            v = run_pipenv(project, home, "verify")
            self.assertNotEqual(v.returncode, 0, v.stdout + v.stderr)

    def test_custom_category_and_category_selection(self):
        with harness.temp_dir() as tmp:
            project = self.project(tmp, 'httpkit = {version = "~=2.0", extras = ["socks"]}', 'testkit = "*"')
            with open(project / "Pipfile", "a") as f:
                f.write('\n[docs]\nwebapp-kit = "*"\n')
            r = self.thoth("pipenv", "lock", cwd=project)
            self.assertEqual(r.rc, 0, r)
            lock = json.loads((project / "Pipfile.lock").read_text())
            self.assertEqual(sorted(lock), ["_meta", "default", "develop", "docs"])
            self.assertEqual(lock["docs"]["webapp-kit"]["index"], "local")
            # Resolved under default's pins, and written as default's entry (pipenv's overwrite_with_default).
            self.assertEqual(lock["docs"]["httpkit"], lock["default"]["httpkit"])
            # --categories locks default and the ones named; the others are empty.
            r = self.thoth("pipenv", "lock", "--categories", "docs", "-o", "-", cwd=project)
            self.assertEqual(r.rc, 0, r)
            only = json.loads(r.stdout)
            self.assertEqual(only["develop"], {})
            self.assertEqual(only["docs"], lock["docs"])
            # The Pipfile on standard input: the lock on standard output, the same bytes.
            r = harness.run(["lock", "--pipfile", "-", "--cache-dir", str(tmp / "thoth-cache")],
                            input=(project / "Pipfile").read_text(), cwd=tmp)
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stdout, (project / "Pipfile.lock").read_text())
            # install --lock selects categories as pipenv sync does.
            def would_install(*args):
                r = harness.run(["install", "--lock", str(project / "Pipfile.lock"), "--dry-run", "--python", PYTHON,
                                 "--cache-dir", str(tmp / "thoth-cache"), *args])
                self.assertEqual(r.rc, 0, r)
                return set(r.stdout.split("Would install", 1)[1].split())
            def pins(category):
                return {f"{n}-{e['version'][2:]}" for n, e in lock[category].items()}
            default, develop, docs = pins("default"), pins("develop"), pins("docs")
            self.assertEqual(would_install(), default)
            self.assertEqual(would_install("--dev"), default | develop)
            self.assertEqual(would_install("--categories", "packages docs"), default | docs)
            r = harness.run(["install", "--lock", str(project / "Pipfile.lock"), "--categories", "nope", "--dry-run",
                             "--python", PYTHON, "--cache-dir", str(tmp / "thoth-cache")])
            self.assertEqual(r.rc, 0, r)  # pipenv treats a category the lock lacks as empty
            self.assertNotIn("Would install", r.stdout)

    def test_bad_pipfile_is_one_line_and_writes_nothing(self):
        with harness.temp_dir() as tmp:
            project = self.project(tmp, "httpkit = 3")
            r = self.thoth("pipenv", "lock", cwd=project)
            self.assertEqual(r.rc, 2, r)
            self.assertEqual(r.stderr.strip().count("\n"), 0, r)
            self.assertIn("Pipfile: packages.httpkit:", r.stderr)
            self.assertFalse((project / "Pipfile.lock").exists())
            r = self.thoth("pipenv", "lock", "--pipenv-hash", "newest", cwd=project)
            self.assertEqual(r.rc, 2, r)

    def test_conflict_exits_1_and_writes_nothing(self):
        with harness.temp_dir() as tmp:
            project = self.project(tmp, 'httpkit = "==99"')
            r = self.thoth("pipenv", "lock", cwd=project)
            self.assertEqual(r.rc, 1, r)
            self.assertFalse((project / "Pipfile.lock").exists())


# Two sources for the index tests: "public" (listed first) offers a higher version of the name the
# Pipfile takes from "private" (the dependency-confusion shape). Dependencies carry Requires-Python
# clauses of every shape pipenv turns into markers.
REQUIRES_PYTHON = [">=3.7", ">=3.6,<4.0,!=3.9.*", "~=3.7", "~=3.11.0", "!=3.0.*", "==3.*", ">3.6",
                   "<=3.12", ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*", ">=3.6.1,>=3.7", "==3.11.*"]
PUBLIC_SPEC = {"projects": {
    "corp-lib": {"9.0": {"files": ["py3-none-any"]}},
    "app": {"1.0": {"requires_dist": ["corp-lib"]}},
    "pinned": {"1.0": {}, "2.0": {}},
    "wants-new": {"1.0": {"requires_dist": ["pinned>=2"]}},
    "rp-user": {"1.0": {"requires_dist": [f"rp{i}" for i in range(len(REQUIRES_PYTHON))]}},
    **{f"rp{i}": {"1.0": {"requires_python": rp}} for i, rp in enumerate(REQUIRES_PYTHON)},
}}
PRIVATE_SPEC = {"projects": {"corp-lib": {"1.0": {"files": ["py3-none-any", "sdist"]}}}}


def pipenv_marker(requires_python):
    """What Debian's pipenv writes for a dependency with this Requires-Python."""
    code = ("import sys; from pipenv.vendor.requirementslib.models.markers import marker_from_specifier as m; "
            "print(str(m(sys.argv[1])).replace(chr(34), chr(39)))")
    return subprocess.run([PYTHON, "-c", code, requires_python], capture_output=True, text=True,
                          check=True).stdout.strip()


def intree_project(root, name, version, requires_dist=()):
    """A local project directory with the mirror generator's in-tree backend (no build requirements)."""
    pkg_info = mirror.core_metadata(name, version, metadata_version="2.2", requires_dist=requires_dist,
                                    dynamic=("Requires-Dist",))
    data = mirror.sdist_bytes(name, version, pkg_info, requires_dist=requires_dist, backend="intree",
                              dynamic=("Requires-Dist",), base=root.name)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        tf.extractall(root.parent)
    return root


class PipfileLockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        cls.public = mirror.build_mirror(PUBLIC_SPEC, str(cls.tmp / "public"))
        cls.private = mirror.build_mirror(PRIVATE_SPEC, str(cls.tmp / "private"))
        cls.servers = [MirrorServer(cls.public.root).start(), MirrorServer(cls.private.root).start()]

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        cls._tmp.__exit__(None, None, None)

    def project(self, name, packages, dev_packages=""):
        project = self.tmp / name
        project.mkdir()
        (project / "Pipfile").write_text(
            f'[[source]]\nurl = "{self.servers[0].url}/simple"\nverify_ssl = false\nname = "public"\n\n'
            f'[[source]]\nurl = "{self.servers[1].url}/simple"\nverify_ssl = false\nname = "private"\n\n'
            f"[packages]\n{packages}\n\n[dev-packages]\n{dev_packages}\n\n"
            '[requires]\npython_version = "3.11"\n')
        return project

    def lock(self, project, *args):
        r = harness.run(["pipenv", "lock", "--cache-dir", str(self.tmp / "cache"), *args], cwd=project)
        lock = json.loads((project / "Pipfile.lock").read_text()) if r.rc == 0 else None
        return r, lock

    def test_index_restricts_the_package_to_its_source(self):
        project = self.project("index", 'corp-lib = {version = "*", index = "private"}\napp = "*"')
        r, lock = self.lock(project)
        self.assertEqual(r.rc, 0, r)
        entry = lock["default"]["corp-lib"]
        self.assertEqual(entry["version"], "==1.0")
        self.assertEqual(entry["index"], "private")
        self.assertEqual(entry["hashes"], sorted("sha256:" + f.sha256 for f in self.private.files_for("corp-lib")))
        # Whatever asks for it, and whatever the strategy: "public" is never asked for corp-lib.
        r, lock = self.lock(project, "--index-strategy", "unsafe-best-match")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(lock["default"]["corp-lib"]["version"], "==1.0")
        # Without the restriction the first source's higher version wins: the test can fail.
        (project / "Pipfile").write_text((project / "Pipfile").read_text().replace(', index = "private"', ""))
        r, lock = self.lock(project)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(lock["default"]["corp-lib"]["version"], "==9.0")

    def test_path_and_file_entries_are_built_and_locked(self):
        project = self.project("paths", 'local-proj = {path = "./proj", editable = true}\n'
                                        'other-proj = {file = "./other"}')
        intree_project(project / "proj", "local-proj", "0.5", ["pinned<2"])
        intree_project(project / "other", "other-proj", "0.1", ["app"])
        r, lock = self.lock(project)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(lock["default"]["local-proj"], {"editable": True, "path": "./proj"})
        self.assertEqual(lock["default"]["other-proj"], {"file": "./other"})
        # Their dependencies come from their built metadata.
        self.assertEqual(lock["default"]["pinned"]["version"], "==1.0")
        self.assertIn("corp-lib", lock["default"])
        # A VCS entry needs the network: refused, named, nothing written.
        (project / "Pipfile.lock").unlink()
        with open(project / "Pipfile", "a") as f:
            f.write('\n[docs]\nvcs-thing = {git = "https://example.invalid/x.git", ref = "main"}\n')
        r, _ = self.lock(project)
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr.strip().count("\n"), 0, r)
        self.assertIn("docs.vcs-thing", r.stderr)
        self.assertFalse((project / "Pipfile.lock").exists())

    def test_requires_python_markers_are_pipenvs(self):
        project = self.project("markers", 'rp-user = "*"')
        r, lock = self.lock(project)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("markers", lock["default"]["rp-user"])
        for i, rp in enumerate(REQUIRES_PYTHON):
            expected = pipenv_marker(rp)
            with self.subTest(requires_python=rp, pipenv=expected):
                self.assertEqual(lock["default"][f"rp{i}"].get("markers", "None"), expected)

    def test_conflict_with_default_says_so(self):
        project = self.project("conflict", 'pinned = "<2"', 'wants-new = "*"')
        r, _ = self.lock(project)
        self.assertEqual(r.rc, 1, r)
        self.assertIn("the 'develop' category conflicts with the default category's pins (pinned==1.0)", r.stderr)
        self.assertFalse((project / "Pipfile.lock").exists())

    def test_recommend_per_category(self):
        # A knowledge base that vetoes pinned 2.0 (a CVE): stable advice takes 1.0 for default, and
        # develop, held to default's pins, follows.
        project = self.project("advice", 'pinned = "*"', 'app = "*"')
        kb = self.tmp / "kb.json"
        kb.write_text(json.dumps({"kb-version": 1, "facts": [
            {"package": "pinned", "versions": "==2.0", "kind": "security", "score": -0.9, "ids": ["CVE-2099-0001"]}]}))
        r, plain = self.lock(project)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(plain["default"]["pinned"]["version"], "==2.0")
        r, advised = self.lock(project, "--recommend", "security", "--kb", str(kb), "--justify", "just.json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(advised["default"]["pinned"]["version"], "==1.0")
        justification = json.loads((project / "just.json").read_text())
        self.assertEqual(sorted(justification), ["default", "develop"])
        r = harness.run(["lock", "--pipfile", "--recommend", "security", "--kb", str(kb), "-o", "-",
                         "--cache-dir", str(self.tmp / "cache")], cwd=project)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, (project / "Pipfile.lock").read_text())


if __name__ == "__main__":
    unittest.main()
