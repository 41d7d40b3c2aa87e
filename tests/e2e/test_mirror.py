"""End-to-end tests of `thoth mirror DIR [-o OUT] [--base-url URL]`: a directory of wheels and sdists
(made by tests/support/mirror.py, without its pages) becomes a static simple repository, which

* `thoth lock` reads through file:// and through a plain static server (`python3 -m http.server`,
  which knows nothing of PEP 691 and answers a directory URL with its index.html);
* Debian's pip (`python3 -m pip download`) reads through file:// and HTTP: it honours the pages'
  data-requires-python and checks the #sha256= fragment (a page with a wrong hash makes it fail);
* a second run after a file was added rewrites that project's pages and the root only.

Run directly: THOTH=build-test/thoth /usr/bin/python3 tests/e2e/test_mirror.py"""

import hashlib
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirror_gen  # noqa: E402

# app 2.0 needs Python 3.12 and helper 2.1 has only a CPython 3.12 wheel, so a 3.11 target (and pip on
# Debian's 3.11) must take app 1.0 and helper 2.0: only data-requires-python tells app 2.0 apart.
# legacy-thing has only an sdist whose PKG-INFO is static (Metadata-Version 2.2).
SPEC = {"projects": {
    "app": {"versions": {
        "1.0": {"requires_dist": ["helper>=1", "Zope.Interface>=5", "legacy-thing"], "requires_python": ">=3.8",
                "files": ["py3-none-any", "sdist"]},
        "2.0": {"requires_dist": ["helper>=2"], "requires_python": ">=3.12", "files": ["py3-none-any", "sdist"]},
    }},
    "helper": {"versions": {
        "1.0": {"files": ["py3-none-any"]},
        "2.0": {"files": ["py3-none-any", "sdist"]},
        "2.1": {"files": ["cp312-cp312-manylinux_2_17_x86_64"]},
    }},
    "Zope.Interface": {"5.0": {"files": ["cp311-cp311-manylinux_2_17_x86_64", "py3-none-any"]}},
    "legacy-thing": {"0.9": {"metadata_version": "2.2", "files": ["sdist"]}},
    "late": {"0.1": {"files": ["py3-none-any"]}},
}}
TARGET = ["--python-version", "3.11", "--platform", "manylinux_2_28_x86_64"]
EXPECTED = {"app": "1.0", "helper": "2.0", "zope-interface": "5.0", "legacy-thing": "0.9"}
PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
PIP_PYTHON = "/usr/bin/python3"

STATE = {}


def setUpModule():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="thoth-e2e-mirror-"))
    STATE["tmp"] = tmp
    gen = mirror_gen.build_mirror(SPEC, str(tmp / "gen"))
    STATE["gen"] = gen
    # Only the distributions: the generator's own pages and metadata files stay behind.
    wheels = tmp / "wheels"
    wheels.mkdir()
    for f in gen.files:
        if f.project != "late":
            shutil.copy2(f.path, wheels / f.filename)
    (wheels / "README.txt").write_text("not a distribution\n")
    STATE["wheels"] = wheels
    home = tmp / "home"
    home.mkdir()
    STATE["env"] = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_DIRS": str(home / "xdg")}
    r = run(["mirror", str(wheels)])
    if r.rc != 0:
        raise AssertionError(f"thoth mirror failed:\n{r}")
    STATE["first"] = r


def tearDownModule():
    shutil.rmtree(STATE["tmp"], ignore_errors=True)


def run(args, **kw):
    return harness.run(args, env=STATE["env"], **kw)


def pins(text):
    out = {}
    for line in text.splitlines():
        m = PIN_LINE.match(line)
        if m:
            out[mirror_gen.normalize_name(m.group(1))] = m.group(2)
    return out


def lock(index_url, *reqs):
    r = run(["lock", *(reqs or ["app"]), *TARGET, "--index-url", index_url, "--no-cache"])
    if r.rc != 0:
        raise AssertionError(f"thoth lock on {index_url} failed:\n{r}")
    return pins(r.stdout)


class StaticServer:
    """`python3 -m http.server --bind 127.0.0.1` over `root`: a server with no PEP 691 negotiation."""

    def __init__(self, root):
        self.root = root

    def __enter__(self):
        for _ in range(5):
            self.port = harness.free_port()
            self.proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                                          "--directory", str(self.root), str(self.port)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return self
                except OSError:
                    time.sleep(0.05)
            self.proc.kill()
            self.proc.wait()
        raise AssertionError("python3 -m http.server did not start")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


def pip_download(index_url, dest, *reqs):
    cmd = [PIP_PYTHON, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--no-cache-dir",
           "-d", str(dest), "--index-url", index_url, *reqs]
    return subprocess.run(cmd, capture_output=True, text=True, env=harness.clean_env(), timeout=300)


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


class MirrorPages(unittest.TestCase):
    def test_summary_and_warning(self):
        r = STATE["first"]
        self.assertIn("4 projects, 11 files (11 read, pages of 4 projects written, 0 removed)", r.stdout)
        self.assertIn("index URL: " + (STATE["wheels"].resolve() / "simple").as_uri(), r.stdout)
        self.assertIn("thoth: warning: README.txt is not a wheel or an sdist; left out of the mirror", r.stderr)

    def test_usage_errors(self):
        r = run(["mirror", str(STATE["tmp"] / "no-such-dir")])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("no-such-dir", r.stderr)
        r = run(["mirror", str(STATE["wheels"]), "-o", str(STATE["tmp"] / "unused"), "--base-url", "files.example/x"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("--base-url", r.stderr)
        self.assertFalse((STATE["tmp"] / "unused").exists())

    def test_layout(self):
        simple = STATE["wheels"] / "simple"
        for page in ["index.html", "index.json", "app/index.html", "app/index.json", "zope-interface/index.html",
                     "legacy-thing/index.json"]:
            self.assertTrue((simple / page).is_file(), page)
        doc = json.loads((simple / "app" / "index.json").read_text())
        self.assertEqual(doc["meta"]["api-version"], "1.1")
        self.assertEqual(doc["versions"], ["1.0", "2.0"])
        by_name = {f["filename"]: f for f in doc["files"]}
        wheel = by_name["app-2.0-py3-none-any.whl"]
        self.assertEqual(wheel["url"], "../../app-2.0-py3-none-any.whl")
        self.assertEqual(wheel["requires-python"], ">=3.12")
        self.assertEqual(wheel["hashes"]["sha256"], sha256(STATE["wheels"] / wheel["filename"]))
        self.assertEqual(wheel["size"], (STATE["wheels"] / wheel["filename"]).stat().st_size)
        sidecar = STATE["wheels"] / "app-2.0-py3-none-any.whl.metadata"
        self.assertEqual(wheel["core-metadata"], {"sha256": sha256(sidecar)})
        self.assertEqual(sidecar.read_bytes(), pathlib.Path(STATE["gen"].file(wheel["filename"]).path + ".metadata").read_bytes())
        html = (simple / "app" / "index.html").read_text()
        self.assertIn('data-requires-python="&gt;=3.12"', html)
        self.assertIn(f'data-core-metadata="sha256={sha256(sidecar)}"', html)


class LockFromMirror(unittest.TestCase):
    def test_file_url(self):
        self.assertEqual(lock((STATE["wheels"] / "simple").as_uri()), EXPECTED)

    def test_static_http_server(self):
        with StaticServer(STATE["wheels"]) as srv:
            self.assertEqual(lock(srv.url + "/simple"), EXPECTED)
            self.assertEqual(lock(srv.url + "/simple/"), EXPECTED)

    def test_output_elsewhere_is_self_contained(self):
        out = STATE["tmp"] / "served"
        r = run(["mirror", str(STATE["wheels"]), "-o", str(out)])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue((out / "files" / "app-1.0-py3-none-any.whl").is_file())
        # Only OUT is served: every link and metadata file must be inside it.
        with StaticServer(out) as srv:
            self.assertEqual(lock(srv.url + "/simple"), EXPECTED)

    def test_base_url(self):
        out = STATE["tmp"] / "based"
        # The files directory (OUT/files here) served at the base URL; file:// stands for the server.
        files_url = (out / "files").resolve().as_uri()
        r = run(["mirror", str(STATE["wheels"]), "-o", str(out), "--base-url", files_url])
        self.assertEqual(r.rc, 0, r)
        doc = json.loads((out / "simple" / "helper" / "index.json").read_text())
        self.assertTrue(all(f["url"] == files_url + "/" + f["filename"] for f in doc["files"]), doc)
        self.assertEqual(lock((out / "simple").as_uri()), EXPECTED)


class PipFromMirror(unittest.TestCase):
    def check_download(self, index_url, dest):
        proc = pip_download(index_url, dest, "app")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        # data-requires-python keeps pip on Python 3.11 away from app 2.0.
        got = sorted(p.name for p in dest.iterdir())
        self.assertEqual(got, ["app-1.0-py3-none-any.whl"])
        self.assertEqual(sha256(dest / got[0]), sha256(STATE["wheels"] / got[0]))

    def test_file_url(self):
        self.check_download((STATE["wheels"] / "simple").as_uri(), STATE["tmp"] / "pip-file")

    def test_static_http_server(self):
        with StaticServer(STATE["wheels"]) as srv:
            self.check_download(srv.url + "/simple", STATE["tmp"] / "pip-http")

    def test_pip_checks_the_page_hash(self):
        tampered = STATE["tmp"] / "tampered"
        shutil.copytree(STATE["wheels"], tampered)
        page = tampered / "simple" / "helper" / "index.html"
        good = sha256(tampered / "helper-2.0-py3-none-any.whl")
        page.write_text(page.read_text().replace(good, "0" * 64))
        proc = pip_download((tampered / "simple").as_uri(), STATE["tmp"] / "pip-bad", "helper==2.0",
                            "--only-binary", ":all:")
        self.assertNotEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("HASHES", proc.stdout + proc.stderr)


class Incremental(unittest.TestCase):
    def test_added_file_rewrites_only_its_project(self):
        base = STATE["tmp"] / "incremental"
        shutil.copytree(STATE["wheels"], base / "wheels")
        wheels = base / "wheels"
        r = run(["mirror", str(wheels)])  # the copy's links point into itself: the same pages again
        self.assertEqual(r.rc, 0, r)
        self.assertIn("(0 read, pages of 0 projects written, 0 removed)", r.stdout)
        simple = wheels / "simple"
        before = {p: p.stat().st_mtime_ns for p in simple.glob("*/index.*")}
        late = STATE["gen"].file("late-0.1-py3-none-any.whl")
        shutil.copy2(late.path, wheels / late.filename)

        r = run(["mirror", str(wheels), "-v"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("5 projects, 12 files (1 read, pages of 1 project written, 0 removed)", r.stdout)
        self.assertIn("wrote the pages of late", r.stderr)
        for page, mtime in before.items():
            self.assertEqual(page.stat().st_mtime_ns, mtime, page)
        self.assertTrue((simple / "late" / "index.html").is_file())
        self.assertIn('"late"', (simple / "index.json").read_text())
        self.assertEqual(lock(simple.as_uri(), "late"), {"late": "0.1"})

        # A file that leaves is dropped from its page; a project that leaves loses its pages.
        (wheels / late.filename).unlink()
        r = run(["mirror", str(wheels)])
        self.assertIn("(0 read, pages of 0 projects written, 1 removed)", r.stdout)
        self.assertFalse((simple / "late").exists())
        self.assertFalse((wheels / (late.filename + ".metadata")).exists())


if __name__ == "__main__":
    unittest.main()
