"""End-to-end tests of -C/--config-settings KEY=VALUE reaching PEP 517 build backends ("Config settings":
the same config_settings dictionary for every hook), as pip 23.1+ passes them, from a mirror served on
127.0.0.1 whose sdist carries an in-tree backend (backend-path) that writes what each hook received into
the wheel it builds (cfg_demo/seen.json) and, asked with dep=yes, adds a dependency to its metadata:

* `thoth install -C KEY=VALUE NAME`: get_requires_for_build_wheel and build_wheel get the settings, a
  repeated key becomes the list of its values (pip's _handle_config_settings); the metadata build of the
  resolution gets them too (its dependency is installed); without -C every hook gets None;
* a requirements file line's -C reaches that requirement's build; the command line's -C does not reach
  a file's requirements (pip's scope; a warning says so), nor a dependency of a named requirement;
* the cache of built wheels and metadata is keyed by the settings too: other settings build again,
  the same settings take the wheel built before;
* `thoth lock -C` builds the metadata with the settings; `-e DIR -C` reaches PEP 660 build_editable;
* a malformed -C, -C with --lock, and two different sets for one project are errors.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_config_settings.py"""

import json
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support.backends import recording_backend_files  # noqa: E402
from support.venv import PYTHON, ServedMirrorTestCase  # noqa: E402

SPEC = {
    "projects": {
        # Metadata-Version 2.1: its dependencies are known only from a build (PEP 643).
        "cfg-demo": {"1.0": {"files": ["sdist"], "metadata_version": "2.1",
                             "sdist_extra_files": recording_backend_files("cfg-demo")}},
        "cfg-parent": {"1.0": {"requires_dist": ["cfg-demo"]}},
        "greet-dep": {"1.0": {}},
    },
}


class ConfigSettings(ServedMirrorTestCase):
    SPEC = SPEC

    def cache(self):
        return self.numbered("cache")

    def install(self, venv, *args, cache, cwd=None):
        return harness.run(["install", *args, "--index-url", self.server.index_url, "--cache-dir", str(cache)],
                           env={"VIRTUAL_ENV": str(venv.path)}, cwd=cwd)

    def seen(self, venv, module="cfg_demo"):
        return json.loads((venv.site_packages() / module / "seen.json").read_text())

    def test_command_line_settings_reach_every_hook(self):
        venv = self.venv()
        r = self.install(venv, "cfg-demo", "-C", "mode=fast", "-C", "flag=1", "--config-settings", "flag=2",
                         "-C", "dep=yes", "-C", "empty=", "-C", "eq=a=b", cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        # pip's dictionary: a repeated key's values in a list, in order; a value split at the first '='.
        expected = {"mode": "fast", "flag": ["1", "2"], "dep": "yes", "empty": "", "eq": "a=b"}
        self.assertEqual(self.seen(venv), {"build_wheel": expected, "get_requires_for_build_wheel": expected})
        # The resolution's metadata build got them: its dependency is there.
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0", "greet-dep": "1.0"})

    def test_without_settings_every_hook_gets_none(self):
        venv = self.venv()
        r = self.install(venv, "cfg-demo", cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.seen(venv), {"build_wheel": None, "get_requires_for_build_wheel": None})
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0"})

    def test_a_requirements_line_has_its_own_settings(self):
        venv = self.venv()
        req = self.tmp / "line.txt"
        req.write_text("cfg-demo -C mode=from-file --config-settings=dep=yes\n")
        r = self.install(venv, "-r", str(req), cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("ignored", r.stderr)
        expected = {"mode": "from-file", "dep": "yes"}
        self.assertEqual(self.seen(venv), {"build_wheel": expected, "get_requires_for_build_wheel": expected})
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0", "greet-dep": "1.0"})

    def test_the_command_lines_settings_reach_neither_files_nor_dependencies(self):
        # pip 23.1+: the command line's -C is for the requirements named there (pypa/pip#12310 for
        # files), and never for dependencies (pypa/pip#11941).
        venv = self.venv()
        req = self.tmp / "plain.txt"
        req.write_text("cfg-demo\n")
        r = self.install(venv, "-C", "mode=x", "-r", str(req), cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        self.assertIn("thoth: warning: --config-settings on the command line applies to the requirements named "
                      "there (as in pip), and none is", r.stderr)
        self.assertEqual(self.seen(venv)["build_wheel"], None)
        venv = self.venv()
        r = self.install(venv, "cfg-parent", "-C", "mode=x", "-C", "dep=yes", cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.seen(venv)["build_wheel"], None)
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0", "cfg-parent": "1.0"})

    def test_the_cache_is_keyed_by_the_settings(self):
        cache = self.cache()

        def install(*settings):
            venv = self.venv()
            r = self.install(venv, "cfg-demo", "-v", *settings, cache=cache)
            self.assertEqual(r.rc, 0, r)
            return venv, r

        venv, r = install("-C", "mode=a", "-C", "dep=yes")
        self.assertIn("building a wheel from cfg-demo 1.0", r.stderr)
        # Other settings: the metadata and the wheel are built again, with them.
        venv, r = install("-C", "mode=b")
        self.assertIn("building the metadata of cfg-demo 1.0", r.stderr)
        self.assertIn("building a wheel from cfg-demo 1.0", r.stderr)
        self.assertEqual(self.seen(venv)["build_wheel"], {"mode": "b"})
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0"})
        # None at all: built again too, not taken from a build with settings.
        venv, r = install()
        self.assertIn("building a wheel from cfg-demo 1.0", r.stderr)
        self.assertEqual(self.seen(venv)["build_wheel"], None)
        # The first settings again, keys in another order: what was built with them, no build.
        venv, r = install("-C", "dep=yes", "-C", "mode=a")
        self.assertNotIn("building", r.stderr)
        self.assertIn("using the wheel built earlier from cfg-demo 1.0", r.stderr)
        self.assertEqual(self.seen(venv)["build_wheel"], {"mode": "a", "dep": "yes"})
        self.assertEqual(venv.installed(), {"cfg-demo": "1.0", "greet-dep": "1.0"})

    def test_lock_builds_the_metadata_with_the_settings(self):
        cache = self.cache()

        def lock(*settings):
            r = harness.run(["lock", "cfg-demo", *settings, "--python", PYTHON, "--index-url",
                             self.server.index_url, "--cache-dir", str(cache)])
            self.assertEqual(r.rc, 0, r)
            return r.stdout

        self.assertIn("greet-dep==1.0", lock("-C", "dep=yes"))
        self.assertNotIn("greet-dep", lock())

    def test_an_editable_local_project_gets_them(self):
        project = self.tmp / "local-cfg"
        for path, text in recording_backend_files("local-cfg").items():
            (project / path).parent.mkdir(parents=True, exist_ok=True)
            (project / path).write_text(text)
        venv = self.venv()
        r = self.install(venv, "-e", str(project), "-C", "mode=edit", cache=self.cache())
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.seen(venv, "local_cfg"),
                         {"build_editable": {"mode": "edit"}, "get_requires_for_build_editable": {"mode": "edit"}})

    def test_bad_uses_are_refused(self):
        venv = self.venv()
        r = self.install(venv, "cfg-demo", "-C", "novalue", cache=self.cache())
        self.assertEqual(r.rc, 2, r)
        self.assertIn('--config-settings needs KEY=VALUE, got "novalue"', r.stderr)
        lock = self.tmp / "pins.txt"
        lock.write_text("cfg-demo==1.0\n")
        r = self.install(venv, "--lock", str(lock), "-C", "a=b", cache=self.cache())
        self.assertEqual(r.rc, 2, r)
        self.assertIn("a --lock FILE names none", r.stderr)
        req = self.tmp / "other.txt"
        req.write_text("cfg-demo -C mode=two\n")
        r = self.install(venv, "cfg-demo", "-C", "mode=one", "-r", str(req), cache=self.cache())
        self.assertEqual(r.rc, 2, r)
        self.assertIn("cfg-demo is given other --config-settings than at", r.stderr)
        self.assertEqual(venv.installed(), {})


if __name__ == "__main__":
    unittest.main()
