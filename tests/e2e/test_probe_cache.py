"""End-to-end tests of the interpreter-facts cache (src/cli/probe_cache.*): `thoth lock --python PATH`
runs the interpreter once, keeps its answer under CACHE/interpreters-v1/, and reuses it while the
interpreter file is unchanged; scripts (a pyenv shim picks its Python at each run) are never cached.

A cached answer is proven to be used by editing it: a requirement whose marker only the edited answer
satisfies appears in the lock.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_probe_cache.py"""

import json
import os
import pathlib
import sys
import threading
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

SYSTEM_PYTHON = pathlib.Path("/usr/bin/python3").resolve()


class ProbeCache(unittest.TestCase):
    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        mirrorlib.build_mirror({"projects": {"plain": {"1.0": {}}, "marked": {"1.0": {}}}}, str(self.tmp / "m"))
        self.index = (self.tmp / "m" / "simple").as_uri() + "/"
        self.cache = self.tmp / "cache"
        self.entries_dir = self.cache / "interpreters-v1"
        # A path of its own for the interpreter: the cache key includes the path as given.
        self.python = self.tmp / "bin" / "python3"
        self.python.parent.mkdir()
        self.python.symlink_to(SYSTEM_PYTHON)

    def lock(self, python, *reqs):
        r = harness.run(["lock", *reqs, "--python", str(python), "--index-url", self.index,
                         "--cache-dir", str(self.cache)], cwd=self.tmp, timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        return r

    def entries(self):
        return sorted(self.entries_dir.glob("*.json")) if self.entries_dir.exists() else []

    def test_answer_is_stored_once_and_reused(self):
        first = self.lock(self.python, "plain")
        self.assertEqual(len(self.entries()), 1, "the first run stores the interpreter's answer")
        second = self.lock(self.python, "plain")
        self.assertEqual(len(self.entries()), 1, "the second run reuses it")
        self.assertEqual(first.stdout, second.stdout)

    def test_cached_answer_is_what_the_next_run_uses(self):
        self.lock(self.python, "plain")
        (entry,) = self.entries()
        facts = json.loads(entry.read_text())
        facts["markers"]["platform_release"] = "edited-by-the-test"
        entry.write_text(json.dumps(facts))
        r = self.lock(self.python, "plain", 'marked; platform_release == "edited-by-the-test"')
        self.assertIn("marked==1.0", r.stdout, f"the edited cache entry was not used\n{r}")

    def test_damaged_entry_is_replaced(self):
        self.lock(self.python, "plain")
        (entry,) = self.entries()
        entry.write_text("{not json")
        self.lock(self.python, "plain")
        json.loads(entry.read_text())  # probed again and stored whole

    def test_other_path_gets_its_own_entry(self):
        self.lock(self.python, "plain")
        other = self.tmp / "bin" / "python"
        other.symlink_to(SYSTEM_PYTHON)
        self.lock(other, "plain")
        self.assertEqual(len(self.entries()), 2)

    def test_script_interpreters_are_not_cached(self):
        shim = self.tmp / "bin" / "shim"
        shim.write_text(f'#!/bin/sh\nexec {SYSTEM_PYTHON} "$@"\n')
        shim.chmod(0o755)
        self.lock(shim, "plain")
        self.assertEqual(self.entries(), [], "a #! script decides at each run which Python it starts")

    def test_no_cache_probes_every_time(self):
        r = harness.run(["lock", "plain", "--python", str(self.python), "--index-url", self.index, "--no-cache"],
                        cwd=self.tmp, timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        self.assertFalse(self.entries_dir.exists())


SHIM = """#!/usr/bin/env bash
set -e
[ -n "$PYENV_DEBUG" ] && set -x

program="${{0##*/}}"

export PYENV_ROOT="{root}"
exec "{root}/libexec/pyenv" exec "$program" "$@"
"""


class PyenvShims(unittest.TestCase):
    """A pyenv shim (a bash script pyenv-rehash writes) is not run: the interpreter pyenv would pick
    (PYENV_VERSION, .python-version up the tree, $PYENV_ROOT/version) is probed and cached instead.
    The fake pyenv here records each time it runs, then starts the system Python."""

    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        mirrorlib.build_mirror({"projects": {"plain": {"1.0": {}}}}, str(self.tmp / "m"))
        self.index = (self.tmp / "m" / "simple").as_uri() + "/"
        self.root = self.tmp / "pyenv"
        for d in ("shims", "libexec", "versions/3.11.2/bin"):
            (self.root / d).mkdir(parents=True)
        (self.root / "versions/3.11.2/bin/python3").symlink_to(SYSTEM_PYTHON)
        self.ran = self.tmp / "pyenv-ran"
        pyenv = self.root / "libexec" / "pyenv"
        pyenv.write_text(f'#!/bin/sh\necho "$@" >> {self.ran}\nshift 2\nexec {SYSTEM_PYTHON} "$@"\n')
        pyenv.chmod(0o755)
        self.shim = self.root / "shims" / "python3"
        self.shim.write_text(SHIM.format(root=self.root))
        self.shim.chmod(0o755)
        self.project = self.tmp / "project"
        (self.project / "src").mkdir(parents=True)
        self.cache = self.tmp / "cache"

    def lock(self, env=None, cwd=None):
        r = harness.run(["lock", "plain", "-v", "--index-url", self.index, "--cache-dir", str(self.cache)],
                        cwd=cwd or self.project / "src", timeout=120, unset=["PYENV_VERSION", "PYENV_DIR", "VIRTUAL_ENV"],
                        env={"PATH": f"{self.root / 'shims'}:{os.environ.get('PATH', '/usr/bin:/bin')}", **(env or {})})
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("plain==1.0", r.stdout)
        return r

    def entries(self):
        return sorted((self.cache / "interpreters-v1").glob("*.json"))

    def assert_chosen_without_running_the_shim(self, **kw):
        for _ in range(2):
            r = self.lock(**kw)
            self.assertIn(f"(pyenv: {self.root}/versions/3.11.2/bin/python3)", r.stderr)
        self.assertFalse(self.ran.exists(), "the shim (pyenv) was run")
        self.assertEqual(len(self.entries()), 1, "the chosen interpreter's answer is cached")

    def test_pyenv_version_variable(self):
        self.assert_chosen_without_running_the_shim(env={"PYENV_VERSION": "3.9.1:3.11.2"})

    def test_python_version_file_up_the_tree(self):
        (self.project / ".python-version").write_text("# pinned\n3.11.2\n")
        (self.root / "version").write_text("system\n")
        self.assert_chosen_without_running_the_shim()

    def test_global_version_file(self):
        (self.root / "version").write_text("3.11.2\n")
        self.assert_chosen_without_running_the_shim()

    def test_version_pyenv_resolves_further_runs_the_shim(self):
        # "3.11" is a prefix pyenv resolves to the newest 3.11.x it has: the shim decides.
        (self.project / ".python-version").write_text("3.11\n")
        self.lock()
        self.assertTrue(self.ran.exists())
        self.assertEqual(self.entries(), [], "a script is never cached")


class WholeTargetOnTheCommandLine(unittest.TestCase):
    """--python-version X.Y, --implementation cp and a --platform that names its system and machine
    leave nothing for an interpreter to say: python3 on PATH (here a script that fails) is not run."""

    def test_no_interpreter_is_run(self):
        with harness.temp_dir() as tmp:
            projects = {"plain": {"1.0": {}}, "marked": {"1.0": {}}, "winonly": {"1.0": {}}}
            mirrorlib.build_mirror({"projects": projects}, str(tmp / "m"))
            (tmp / "bin").mkdir()
            ran = tmp / "ran"
            python = tmp / "bin" / "python3"
            python.write_text(f"#!/bin/sh\ntouch {ran}\nexit 3\n")
            python.chmod(0o755)
            index = (tmp / "m" / "simple").as_uri() + "/"
            args = ["lock", "plain", 'marked; python_full_version == "3.12.0" and platform_machine == "aarch64"',
                    "winonly; sys_platform == 'win32'", "--index-url", index, "--cache-dir", str(tmp / "cache"),
                    "--python-version", "3.12", "--implementation", "cp", "--platform", "manylinux2014_aarch64"]
            r = harness.run(args, cwd=tmp, env={"PATH": f"{tmp / 'bin'}:/usr/bin:/bin"}, unset=["VIRTUAL_ENV"])
            self.assertEqual(r.rc, 0, str(r))
            self.assertFalse(ran.exists(), "python3 was run")
            self.assertIn("marked==1.0", r.stdout)
            self.assertNotIn("winonly==", r.stdout)
            # Without --implementation the interpreter still says which one it is: it is run.
            r = harness.run(args[:-4] + ["--platform", "manylinux2014_aarch64"], cwd=tmp,
                            env={"PATH": f"{tmp / 'bin'}:/usr/bin:/bin"}, unset=["VIRTUAL_ENV"])
            self.assertNotEqual(r.rc, 0)
            self.assertTrue(ran.exists())


class PagesWhileProbing(unittest.TestCase):
    """While an interpreter is being run for its facts, the index pages of the unconditional roots are
    already requested (cmd_lock.cpp): the interpreter here starts Python only once the server has
    seen the root's page requested, and gives up after 20 s (the lock then fails)."""

    def test_root_pages_are_fetched_during_the_probe(self):
        with harness.temp_dir() as tmp:
            projects = {"app": {"1.0": {"requires_dist": ["lib"]}}, "lib": {"1.0": {}}, "winonly": {"1.0": {}}}
            mirrorlib.build_mirror({"projects": projects}, str(tmp / "m"))
            flag = tmp / "page-seen"
            python = tmp / "python"
            python.write_text("#!/bin/sh\n"
                              f"for i in $(seq 400); do [ -e '{flag}' ] && exec {SYSTEM_PYTHON} \"$@\"; sleep 0.05; done\n"
                              "exit 3\n")
            python.chmod(0o755)
            with MirrorServer(tmp / "m") as srv:
                done = threading.Event()

                def watch():
                    while not done.is_set():
                        if srv.count("/simple/app/"):
                            flag.touch()
                            return
                        done.wait(0.02)

                watcher = threading.Thread(target=watch)
                watcher.start()
                try:
                    r = harness.run(["lock", "app", "winonly; sys_platform == 'win32'", "--python", str(python),
                                     "--index-url", srv.index_url, "--cache-dir", str(tmp / "cache")],
                                    cwd=tmp, timeout=120)
                finally:
                    done.set()
                    watcher.join()
                self.assertEqual(r.rc, 0, str(r))
                self.assertIn("app==1.0", r.stdout)
                self.assertIn("lib==1.0", r.stdout)
                # A root with a marker waits for the target, which rules this one out: never fetched.
                self.assertEqual(srv.count("/simple/winonly*"), 0)

if __name__ == "__main__":
    unittest.main(verbosity=2)
