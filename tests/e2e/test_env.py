"""End-to-end tests of `thoth env`: the target of a real interpreter must equal what packaging 23.0
(the reference, Debian's python3-packaging) computes in that interpreter, tags in order; pip-style
overrides must equal pip's own get_supported(); target files are read, and bad ones rejected.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_env.py"""

import glob
import json
import os
import pathlib
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402

DIST_PACKAGES = "/usr/lib/python3/dist-packages"
SYSTEM_PYTHON = "/usr/bin/python3"

# Runs inside the interpreter under test: packaging from Debian's dist-packages (pure Python, works
# on 3.7+), -I so that neither the current directory nor PYTHON* variables change what is imported.
REFERENCE_SCRIPT = f"""
import json, sys
sys.path.insert(0, {DIST_PACKAGES!r})
import packaging.markers, packaging.tags
print(json.dumps({{"tags": [str(t) for t in packaging.tags.sys_tags()],
                  "markers": packaging.markers.default_environment()}}))
"""

# pip's --python-version/--platform/--implementation/--abi, computed by pip 23.0 itself.
PIP_SUPPORTED_SCRIPT = """
import json, sys
from pip._internal.utils.compatibility_tags import get_supported
args = json.loads(sys.argv[1])
print(json.dumps([str(t) for t in get_supported(**args)]))
"""


def reference(python):
    out = subprocess.run([python, "-I", "-c", REFERENCE_SCRIPT], capture_output=True, text=True,
                         check=True, env=harness.clean_env()).stdout
    return json.loads(out)


def pip_supported(**kwargs):
    out = subprocess.run([SYSTEM_PYTHON, "-I", "-c", PIP_SUPPORTED_SCRIPT, json.dumps(kwargs)],
                         capture_output=True, text=True, check=True, env=harness.clean_env()).stdout
    return json.loads(out)


def works(python):
    try:
        return subprocess.run([python, "-I", "-c", "pass"], capture_output=True, timeout=60).returncode == 0
    except OSError:
        return False


def find_interpreter(name):
    """A working `name` (e.g. python3.12): from PATH, else from a pyenv installation (whose PATH
    shims fail unless that version is selected)."""
    found = shutil.which(name)
    if found and works(found):
        return found
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for candidate in sorted(glob.glob(os.path.join(root, "versions", "*", "bin", name))):
        if works(candidate):
            return candidate
    return None


def thoth_env(*args, **kwargs):
    r = harness.run(["env", *args], **kwargs)
    if r.rc != 0:
        raise AssertionError(f"thoth env {' '.join(args)} failed:\n{r}")
    return json.loads(r.stdout)


class Interpreters(unittest.TestCase):
    def check_against_packaging(self, python):
        doc = thoth_env("--python", python)
        ref = reference(python)
        self.assertEqual(doc["markers"], ref["markers"])
        self.assertEqual(len(doc["tags"]), len(ref["tags"]))
        self.assertEqual(doc["tags"], ref["tags"])  # order included
        self.assertEqual(doc["python_version"], ref["markers"]["python_version"])

    def test_system_python(self):
        self.check_against_packaging(SYSTEM_PYTHON)

    def test_other_pythons(self):
        checked = []
        for name in ("python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13"):
            python = find_interpreter(name)
            if python is None:
                continue
            with self.subTest(python=python):
                self.check_against_packaging(python)
            checked.append(name)
        if not checked:
            self.skipTest("no python3.8 .. python3.13 besides the system one")

    def test_default_is_virtual_env(self):
        with harness.temp_dir() as d:
            venv = d / "venv"
            subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
            doc = thoth_env(env={"VIRTUAL_ENV": str(venv)})
            ref = reference(str(venv / "bin" / "python"))
            self.assertEqual(doc["markers"], ref["markers"])
            self.assertEqual(doc["tags"], ref["tags"])

    def test_default_is_python3_on_path(self):
        other = find_interpreter("python3.12") or find_interpreter("python3.8")
        if other is None:
            self.skipTest("no second interpreter to tell the default apart")
        with harness.temp_dir() as d:
            os.symlink(other, d / "python3")
            doc = thoth_env(env={"PATH": f"{d}:/usr/bin:/bin"}, unset=["VIRTUAL_ENV"])
            self.assertEqual(doc["markers"], reference(other)["markers"])

    def test_no_interpreter(self):
        with harness.temp_dir() as d:
            r = harness.run(["env"], env={"PATH": str(d)}, unset=["VIRTUAL_ENV"])
            self.assertEqual(r.rc, 2, r)
            self.assertEqual(len(r.stderr.splitlines()), 1, r)
            self.assertIn("python3", r.stderr)

    def test_bad_interpreter(self):
        r = harness.run(["env", "--python", "/nonexistent/python3"])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("/nonexistent/python3", r.stderr)


class Overrides(unittest.TestCase):
    """pip download semantics: the options replace facts of the probed interpreter."""

    def test_python_version_and_platform(self):
        doc = thoth_env("--python", SYSTEM_PYTHON, "--python-version", "3.9",
                        "--platform", "manylinux2014_x86_64")
        self.assertEqual(doc["python_version"], "3.9")
        self.assertEqual(doc["markers"]["python_version"], "3.9")
        self.assertEqual(doc["tags"], pip_supported(version="39", platforms=["manylinux2014_x86_64"]))

    def test_repeated_platforms_and_abi(self):
        doc = thoth_env("--python", SYSTEM_PYTHON, "--python-version", "3.10", "--implementation", "cp",
                        "--abi", "cp310", "--abi", "abi3",
                        "--platform", "manylinux2014_x86_64", "--platform", "linux_x86_64")
        self.assertEqual(doc["abis"][:2], ["cp310", "abi3"])
        self.assertEqual(doc["tags"], pip_supported(version="310", impl="cp", abis=["cp310", "abi3"],
                                                     platforms=["manylinux2014_x86_64", "linux_x86_64"]))

    def test_platform_only_keeps_interpreter_version(self):
        ref = reference(SYSTEM_PYTHON)
        doc = thoth_env("--python", SYSTEM_PYTHON, "--platform", "win_amd64")
        self.assertEqual(doc["markers"]["python_full_version"], ref["markers"]["python_full_version"])
        self.assertEqual(doc["tags"], pip_supported(platforms=["win_amd64"]))

    def test_bad_python_version(self):
        r = harness.run(["env", "--python", SYSTEM_PYTHON, "--python-version", "three"])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("three", r.stderr)


class TargetFiles(unittest.TestCase):
    MINIMAL = {"python_version": "3.9", "platform": "manylinux2014_x86_64"}

    def test_hand_written_minimal_file(self):
        with harness.temp_dir() as d:
            path = d / "target.json"
            path.write_text(json.dumps(self.MINIMAL))
            doc = thoth_env("--target-env", str(path))
        self.assertEqual(doc["python_version"], "3.9")
        self.assertEqual(doc["implementation"], "cp")
        m = doc["markers"]
        self.assertEqual((m["python_version"], m["python_full_version"]), ("3.9", "3.9.0"))
        self.assertEqual((m["os_name"], m["sys_platform"], m["platform_system"], m["platform_machine"]),
                         ("posix", "linux", "Linux", "x86_64"))
        self.assertEqual((m["implementation_name"], m["platform_python_implementation"]),
                         ("cpython", "CPython"))
        self.assertEqual(doc["tags"], pip_supported(version="39", impl="cp", platforms=["manylinux2014_x86_64"]))

    def test_stdin_and_round_trip(self):
        first = harness.run(["env", "--target-env", "-"], input=json.dumps(self.MINIMAL))
        self.assertEqual(first.rc, 0, first)
        # thoth env's output is a target document that describes the same target.
        again = harness.run(["env", "--target-env", "-"], input=first.stdout)
        self.assertEqual(again, first)

    def test_file_that_is_a_pipe_larger_than_one_read(self):
        # /dev/stdin is a pipe here: no size to read up front, so the reader grows its buffer.
        big = " " * 200_000 + json.dumps(self.MINIMAL) + "\n"
        piped = harness.run(["env", "--target-env", "/dev/stdin"], input=big)
        self.assertEqual(piped.rc, 0, piped)
        self.assertEqual(piped, harness.run(["env", "--target-env", "-"], input=json.dumps(self.MINIMAL)))

    def test_probed_output_round_trips(self):
        probed = harness.run(["env", "--python", SYSTEM_PYTHON])
        self.assertEqual(probed.rc, 0, probed)
        again = harness.run(["env", "--target-env", "-"], input=probed.stdout)
        self.assertEqual(again, probed)

    def test_output_file_written_whole(self):
        with harness.temp_dir() as d:
            out = d / "target.json"
            out.write_text("old content that is longer than nothing")
            r = harness.run(["env", "--target-env", "-", "-o", str(out)], input=json.dumps(self.MINIMAL))
            self.assertEqual(r, harness.Result(0, "", ""))
            stdout = harness.run(["env", "--target-env", "-"], input=json.dumps(self.MINIMAL)).stdout
            self.assertEqual(out.read_text(), stdout)
            self.assertEqual(sorted(p.name for p in d.iterdir()), ["target.json"])  # no temp file left

    def test_unwritable_output(self):
        r = harness.run(["env", "--target-env", "-", "-o", "/nonexistent/dir/t.json"],
                        input=json.dumps(self.MINIMAL))
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("/nonexistent/dir/t.json", r.stderr)

    def assertRejected(self, content, *fragments):
        with harness.temp_dir() as d:
            path = d / "broken-target.json"
            path.write_text(content)
            r = harness.run(["env", "--target-env", str(path)])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("thoth: error: "), r)
        self.assertIn(str(path), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_malformed_json(self):
        self.assertRejected('{"python_version": "3.9", "platform": ')

    def test_not_an_object(self):
        self.assertRejected('["3.9"]')

    def test_missing_python_version(self):
        self.assertRejected('{"platform": "manylinux2014_x86_64"}', "python_version")

    def test_bad_version(self):
        self.assertRejected('{"python_version": "3.x", "platform": "linux_x86_64"}', "3.x")

    def test_missing_file(self):
        r = harness.run(["env", "--target-env", "/nonexistent/target.json"])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr.count("\n"), 1, r)
        self.assertIn("/nonexistent/target.json", r.stderr)

    def test_directory_as_file(self):
        with harness.temp_dir() as d:
            r = harness.run(["env", "--target-env", str(d)])
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(r.stderr.count("\n"), 1, r)
        self.assertIn(str(d), r.stderr)


if __name__ == "__main__":
    unittest.main()
