"""End-to-end tests of `thoth lock` on the example mirror (examples/mirror), read through file:// and
through the local HTTP test server:

* the pins equal what pip itself resolves (`pip install --dry-run --ignore-installed --report`) on the
  same mirror for the same interpreter (/usr/bin/python3, which both resolve for);
* --generate-hashes output is accepted by `pip install --require-hashes`, and a wrong hash is not;
* the report format equals pip's own report (download_info, metadata, requested, environment), in
  pip's JSON formatting; pylock.toml is valid TOML naming the same files and hashes as the mirror;
* output is byte-identical across runs; a failed resolution writes nothing (an existing file is kept);
  a malformed requirement line exits 2 with FILE:LINE.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_lock.py"""

import hashlib
import json
import pathlib
import re
import subprocess
import sys
import tomllib
import unittest
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import references  # noqa: E402
from support.server import MirrorServer  # noqa: E402

PIP_PYTHON = "/usr/bin/python3"
EXAMPLES = harness.source_dir() / "examples"
MIRROR = EXAMPLES / "mirror"
REQUIREMENTS = EXAMPLES / "requirements.txt"
FILE_INDEX = MIRROR.resolve().as_uri() + "/simple"

PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins_of_requirements(text):
    """{normalised name: version} of the `name==version` lines of a requirements lock."""
    pins = {}
    for line in text.splitlines():
        m = PIN_LINE.match(line)
        if m:
            pins[canon(m.group(1))] = m.group(3)
    return pins


def pins_of_report(text):
    return {canon(i["metadata"]["name"]): i["metadata"]["version"] for i in json.loads(text)["install"]}


def pip_report(index_url, workdir):
    """pip's own installation report for examples/requirements.txt on `index_url`."""
    pathlib.Path(workdir).mkdir(parents=True, exist_ok=True)
    out = pathlib.Path(workdir) / "pip-report.json"
    cmd = [PIP_PYTHON, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", "--report", str(out),
           "--index-url", index_url, "--cache-dir", str(pathlib.Path(workdir) / "pip-cache"), "-r", str(REQUIREMENTS)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=harness.clean_env(), timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"pip failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(out.read_text())


def mirror_file(url):
    """The mirror file a file:// or http://host/files/... URL names."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return MIRROR / "files" / pathlib.PurePosixPath(path).name


class LockExampleMirror(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        cls.cache = cls.tmp / "cache"
        cls.pip = pip_report(FILE_INDEX, cls.tmp)
        cls.pip_pins = {canon(i["metadata"]["name"]): i["metadata"]["version"] for i in cls.pip["install"]}

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def lock(self, *args, index=FILE_INDEX, cwd=None, cache=None):
        cmd = ["lock", *args, "--python", PIP_PYTHON, "--cache-dir", str(cache or self.cache)]
        if index:
            cmd += ["--index-url", index]
        return harness.run(cmd, cwd=cwd or self.tmp, unset=["CUSTOM_COMPILE_COMMAND"])

    def ok(self, result):
        self.assertEqual(result.rc, 0, f"thoth lock failed\n{result}")
        return result

    # -- pins -----------------------------------------------------------------------------------
    def test_pins_equal_pip_on_file_index(self):
        r = self.ok(self.lock("-r", str(REQUIREMENTS)))
        self.assertEqual(pins_of_requirements(r.stdout), self.pip_pins)
        self.assertGreaterEqual(len(self.pip_pins), 10)

    def test_pins_equal_pip_over_http(self):
        with MirrorServer(str(MIRROR)) as srv:
            pip_pins = pins_of_report(json.dumps(pip_report(srv.index_url, self.tmp / "http")))
            r = self.ok(self.lock("-r", str(REQUIREMENTS), index=srv.index_url, cache=self.tmp / "http-cache"))
            self.assertGreater(srv.count("/simple/*"), 0)
        self.assertEqual(pins_of_requirements(r.stdout), pip_pins)
        self.assertIn(f"--index-url {srv.index_url}\n", r.stdout)

    def test_command_line_requirements(self):
        reqs = [line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.strip()]
        r = self.ok(self.lock(*reqs))
        self.assertEqual(pins_of_requirements(r.stdout), self.pip_pins)
        # pip-compile names no source for command-line requirements: webapp-kit is only a root.
        self.assertIn("\nwebapp-kit[dev]==", r.stdout)
        self.assertNotIn("webapp-kit[dev]==1.1.0\n    # via", r.stdout)

    def test_file_url_without_a_host_is_a_local_path(self):
        """packaging 23.2+ takes `name @ file:./x.whl` (no host, #120); it names a path relative to the
        working directory, locked as its file:// URL. `name @ file:.` is a source tree (no build here)."""
        files = MIRROR / "files"
        r = self.ok(self.lock("templar @ file:./templar-3.1.3-py3-none-any.whl", "--no-header", cwd=files))
        self.assertIn(f"templar @ {(files / 'templar-3.1.3-py3-none-any.whl').resolve().as_uri()}\n", r.stdout)
        r = self.lock("templar @ file:.", cwd=files)
        self.assertNotEqual(r.rc, 0, r)
        self.assertIn(": . is a source tree", r.stderr)

    def test_markers_in_the_lock_mean_what_the_input_said(self):
        """Issue 20: packaging (23 and 25) prints 'x" != os_name and python_version < "0" and "y' != os_name
        (one comparison, true on this target) as three comparisons (false here). The lock keeps its
        meaning: its marker, read by packaging 23 and 25, evaluates as the input does."""
        from packaging.markers import Marker as Marker23
        Marker25 = references.load_packaging_25().markers.Marker
        issue = '''\'a" == os_name or python_version >= "0" or "b\' == os_name'''  # false here
        true_here = '''\'x" != os_name and python_version < "0" and "y\' != os_name'''
        env = dict(self.pip["environment"])
        reqs = self.tmp / "quoted.in"
        for marker in (issue, true_here):
            reqs.write_text(f"templar ; {marker}\n")
            r = self.ok(self.lock("-r", str(reqs)))
            lines = [line for line in r.stdout.splitlines() if PIN_LINE.match(line)]
            holds = Marker25(marker).evaluate(env)
            self.assertEqual(holds, Marker23(marker).evaluate(env))
            self.assertEqual(bool(lines), holds, r.stdout)  # a false root marker locks nothing
            # The root carries its marker (its dependencies need none: the root brings them).
            marked = [line for line in lines if " ; " in line]
            self.assertEqual(len(marked), 1 if holds else 0, r.stdout)
            for line in marked:
                written = line.split(" ; ", 1)[1]
                self.assertNotEqual(written, str(Marker25(marker)))  # packaging's text would not do
                for os_name in (env["os_name"], "nt", marker[1:marker.rindex("'")]):
                    e = dict(env, os_name=os_name)
                    for Marker in (Marker23, Marker25):
                        self.assertEqual(Marker(written).evaluate(e), Marker(marker).evaluate(e), (line, os_name))

    # -- requirements layout and hashes ------------------------------------------------------------
    def test_pip_compile_layout(self):
        reqs_in = (self.tmp / "requirements.in")
        reqs_in.write_text(REQUIREMENTS.read_text())
        r = self.ok(self.lock("-r", "requirements.in"))
        self.assertTrue(r.stdout.startswith(
            "#\n# This file is autogenerated by thoth with Python 3.11\n# by the following command:\n#\n"
            f"#    thoth lock --index-url={FILE_INDEX} --python={PIP_PYTHON} --requirement=requirements.in\n#\n"
            f"--index-url {FILE_INDEX}\n\n"), r.stdout)
        # Sorted by normalised name, roots annotated with their file, shared dependencies in split style.
        names = [canon(m.group(1)) for m in map(PIN_LINE.match, r.stdout.splitlines()) if m]
        self.assertEqual(names, sorted(names))
        self.assertIn("httpkit[socks]==2.1.1\n    # via\n    #   -r requirements.in\n    #   webapp-kit\n", r.stdout)
        self.assertIn("webapp-kit[dev]==1.1.0\n    # via -r requirements.in\n", r.stdout)
        # pip-compile's CUSTOM_COMPILE_COMMAND names the command instead.
        r = self.ok(harness.run(["lock", "-r", "requirements.in", "--python", PIP_PYTHON, "--cache-dir",
                                 str(self.cache), "--index-url", FILE_INDEX], cwd=self.tmp,
                                env={"CUSTOM_COMPILE_COMMAND": "make lock"}))
        self.assertIn("# by the following command:\n#\n#    make lock\n#\n", r.stdout)

    def test_generate_hashes_installs_with_pip_require_hashes(self):
        lock = self.tmp / "hashed.txt"
        self.ok(self.lock("-r", str(REQUIREMENTS), "--generate-hashes", "-o", str(lock)))
        text = lock.read_text()
        # Every file of each pinned version is listed, as pip-compile does.
        for name, version in self.pip_pins.items():
            block = re.search(rf"^{re.escape(name)}(\[[^\]]*\])?=={re.escape(version)} \\\n((?:    --hash=.*\n)+)",
                              text, re.M)
            self.assertIsNotNone(block, f"{name} has no hash lines:\n{text}")
            listed = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", block.group(2)))
            page = (MIRROR / "simple" / name / "index.html").read_text()
            files = re.findall(r'href="\.\./\.\./files/([^"#]+)#sha256=([0-9a-f]+)"', page)
            of_version = [(f, sha) for f, sha in files if re.search(rf"-{re.escape(version)}(-.*\.whl|\.tar\.gz|\.zip)$", f)]
            self.assertTrue(of_version, name)
            self.assertEqual(listed, {sha for _, sha in of_version}, name)

        def pip_install(path):
            return subprocess.run(
                [PIP_PYTHON, "-m", "pip", "install", "--require-hashes", "--no-deps", "--dry-run", "--ignore-installed",
                 "--report", str(self.tmp / "hash-report.json"), "--cache-dir", str(self.tmp / "pip-cache"),
                 "--index-url", FILE_INDEX, "-r", str(path)],
                capture_output=True, text=True, env=harness.clean_env(), timeout=600)

        proc = pip_install(lock)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(pins_of_report((self.tmp / "hash-report.json").read_text()), self.pip_pins)

        # The check has teeth: a lock whose hashes do not match is refused.
        bad = self.tmp / "bad-hash.txt"
        block = re.search(r"^certbundle==\S+ \\\n(?:    --hash=.*\n)+", text, re.M).group(0)
        bad.write_text(text.replace(block, re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, block)))
        self.assertNotEqual(bad.read_text(), text)
        proc = pip_install(bad)
        self.assertNotEqual(proc.returncode, 0, "pip accepted wrong hashes")
        self.assertIn("HASH", proc.stdout + proc.stderr)

    # -- other formats -----------------------------------------------------------------------------
    def test_report_equals_pips(self):
        r = self.ok(self.lock("-r", str(REQUIREMENTS), "--format", "report"))
        # pip's json.dump(indent=2, ensure_ascii=False), plus a final newline.
        doc = json.loads(r.stdout)
        self.assertEqual(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", r.stdout)
        self.assertEqual(doc["version"], "1")
        mine = {canon(i["metadata"]["name"]): i for i in doc["install"]}
        theirs = {canon(i["metadata"]["name"]): i for i in self.pip["install"]}
        self.assertEqual(mine.keys(), theirs.keys())
        for name, item in theirs.items():
            self.assertEqual(mine[name], item, name)
        self.assertEqual(doc["environment"], self.pip["environment"])

    def test_pylock_is_pep751_toml_with_the_mirror_files(self):
        r = self.ok(self.lock("-r", str(REQUIREMENTS), "--format", "pylock"))
        doc = tomllib.loads(r.stdout)
        self.assertEqual(doc["lock-version"], "1.0")
        self.assertEqual(doc["created-by"], "thoth")
        self.assertEqual(doc["requires-python"], "==3.11.*")
        self.assertEqual({p["name"]: p["version"] for p in doc["packages"]}, self.pip_pins)
        self.assertEqual([p["name"] for p in doc["packages"]], sorted(p["name"] for p in doc["packages"]))
        for p in doc["packages"]:
            self.assertEqual(p["index"], FILE_INDEX)
            files = list(p.get("wheels", [])) + ([p["sdist"]] if "sdist" in p else [])
            self.assertTrue(p.get("wheels"), p["name"])
            for f in files:
                data = mirror_file(f["url"]).read_bytes()
                self.assertEqual(f["hashes"]["sha256"], hashlib.sha256(data).hexdigest(), f["name"])
                self.assertEqual(f["size"], len(data))
                self.assertIsNotNone(f["upload-time"].tzinfo)
        httpkit = next(p for p in doc["packages"] if p["name"] == "httpkit")
        self.assertIn({"name": "certbundle"}, httpkit["dependencies"])

    # -- determinism and failure -------------------------------------------------------------------
    def test_byte_identical_across_runs(self):
        for fmt in ("requirements", "pylock", "report"):
            outs = []
            path = self.tmp / f"det-{fmt}"
            for _ in range(2):
                self.ok(self.lock("-r", str(REQUIREMENTS), "--generate-hashes", "--format", fmt, "-o", str(path)))
                outs.append(path.read_bytes())
            self.assertEqual(outs[0], outs[1], fmt)
        # Options in another order record the same command (pip-compile rebuilds it from the options).
        a = self.ok(self.lock("--generate-hashes", "-r", str(REQUIREMENTS)))
        b = self.ok(self.lock("-r", str(REQUIREMENTS), "--generate-hashes"))
        self.assertEqual(a.stdout, b.stdout)

    def test_failed_resolution_writes_nothing(self):
        out = self.tmp / "unsat.txt"
        r = self.lock("httpkit>=99", "-o", str(out))
        self.assertEqual(r.rc, 1, str(r))
        self.assertIn("httpkit", r.stderr)
        self.assertFalse(out.exists())
        # An existing lock survives a failed run untouched, and no temporary file is left behind.
        out.write_text("previous lock\n")
        r = self.lock("webapp-kit>=1", "templar<1", "-o", str(out))
        self.assertEqual(r.rc, 1, str(r))
        self.assertEqual(out.read_text(), "previous lock\n")
        self.assertEqual([p.name for p in self.tmp.iterdir() if p.name.startswith(".unsat.txt")], [])

    def test_bad_requirement_line_exits_2_with_file_and_line(self):
        bad = self.tmp / "bad.in"
        bad.write_text("templar>=3.1\nhttpkit[socks ~= 2.0\n")
        r = self.lock("-r", str(bad), "-o", str(self.tmp / "bad.txt"))
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn(f"{bad}:2:", r.stderr)
        self.assertIn("httpkit[socks ~= 2.0\n", r.stderr)
        self.assertIn("^", r.stderr)
        self.assertFalse((self.tmp / "bad.txt").exists())

    def test_usage_errors(self):
        r = self.lock("templar", "--format", "xml")
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("--format", r.stderr)
        r = self.lock()
        self.assertEqual(r.rc, 2, str(r))
        self.assertIn("nothing to lock", r.stderr)

    def test_missing_find_links_directory_warns(self):
        missing = self.tmp / "no-such-dir"
        r = self.ok(self.lock("templar", "--find-links", str(missing)))
        self.assertIn("warning", r.stderr)
        self.assertIn(str(missing), r.stderr)
        self.assertIn("templar==3.1.3", r.stdout)

    def test_requirements_file_options_apply(self):
        # An --index-url inside the file is used when the command line gives none.
        reqs = self.tmp / "with-index.in"
        reqs.write_text(f"--index-url {FILE_INDEX}\ntemplar\n")
        r = self.ok(self.lock("-r", str(reqs), index=None))
        self.assertIn("templar==3.1.3", r.stdout)
        self.assertIn(f"--index-url {FILE_INDEX}\n", r.stdout)

    def test_written_lock_reads_back_as_input(self):
        # A lock is itself a requirements file: locking it again gives the same pins.
        lock = self.tmp / "relock.txt"
        self.ok(self.lock("-r", str(REQUIREMENTS), "--generate-hashes", "-o", str(lock)))
        r = self.ok(self.lock("-r", str(lock)))
        self.assertEqual(pins_of_requirements(r.stdout), self.pip_pins)


if __name__ == "__main__":
    unittest.main()
