"""End-to-end tests of thoth's pipenv compatibility with the real pipenv (Debian's 2022.12.19), offline:
the example mirror served on 127.0.0.1, a project whose Pipfile names it as its only source.

* `thoth pipenv lock` / `thoth lock --pipfile` write Pipfile.lock; `pipenv verify` says it is up to
  date, and `pipenv sync` (default; --dev) installs exactly the pins thoth wrote, from that mirror;
* the legacy hash (package names as written, as this pipenv computes it) is what this pipenv accepts
  for a Pipfile with names not in canonical form, and the canonical one is not;
* `thoth install --lock Pipfile.lock [--dev]` installs the same pins into a fresh environment;
* a bad Pipfile is one line naming the file and the key, exit status 2, no Pipfile.lock written.

Run directly: THOTH=build-test/thoth /usr/bin/python3 tests/e2e/test_pipenv.py"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
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


if __name__ == "__main__":
    unittest.main()
