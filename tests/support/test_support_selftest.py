#!/usr/bin/env python3
"""Self-tests of the test infrastructure: mirror.py (generated archives and index pages) and
server.py (negotiation, ranges, caching, faults, log), plus pip as an independent client.

Run: /usr/bin/python3 tests/support/test_support_selftest.py   (or python3 -m unittest ...)
Checks that need python3-packaging or pip skip themselves where those are missing.
"""
import base64
import email.parser
import email.policy
import glob
import hashlib
import html.parser
import http.client
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import unittest
import urllib.error
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import mirror  # noqa: E402
import server  # noqa: E402

try:
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.utils import canonicalize_name
    from packaging.version import Version
    HAVE_PACKAGING = True
except ImportError:
    HAVE_PACKAGING = False

SYSTEM_PYTHON = "/usr/bin/python3"
TARGET_ENV = {"python_version": "3.11", "python_full_version": "3.11.2", "sys_platform": "linux",
              "platform_system": "Linux", "platform_machine": "x86_64", "implementation_name": "cpython",
              "os_name": "posix", "platform_python_implementation": "CPython", "platform_release": "",
              "platform_version": "", "implementation_version": "3.11.2"}

SPEC = {
    "options": {"description_size": 300},
    "projects": {
        "Foo_Bar": {
            "summary": "Foo bar",
            "versions": {
                "1.0": {"requires_dist": ["idna>=2.5,<4", "socks-lite>=1.5 ; extra == \"socks\"",
                                          "colors ; sys_platform == \"win32\""],
                        "requires_python": ">=3.8", "upload_time": "2021-03-04T05:06:07Z",
                        "files": ["py3-none-any", "sdist"],
                        "entry_points": {"console_scripts": {"foo": "foo_bar:main"}}},
                "1.1b1": {"requires_python": ">=3.9", "files": ["py3-none-any"]},
                "0.9": {"yanked": "broken <build>", "files": ["py2.py3-none-any"]},
            },
        },
        "idna": {"versions": {
            "3.4": {"files": ["py3-none-any", "sdist"], "payload_size": 40000},
            "2.0": {"files": ["sdist"], "dynamic": ["Requires-Dist"], "requires_dist": ["six"]},
            "3.5": {"yanked": True, "files": ["1-py3-none-any"], "metadata_version": "2.3"},
        }},
        "socks-lite": {"1.7.1": {"files": [
            "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", {"tag": "sdist", "legacy_name": True}]}},
        "colors": {"0.1": {"metadata_version": "1.2"}},
        "six": {"1.16.0": {"files": ["py2.py3-none-any"]}},
    },
}


def clean_env():
    """Environment for pip: no PIP_* settings, no config files, no proxies for loopback."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", PYTHONDONTWRITEBYTECODE="1")
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env.pop(k, None)
    return env


def pythons_with_pip():
    found = []
    for py in dict.fromkeys([SYSTEM_PYTHON, sys.executable]):
        if py and os.path.exists(py):
            ok = subprocess.run([py, "-m", "pip", "--version"], capture_output=True, env=clean_env(), timeout=60)
            if ok.returncode == 0:
                found.append(py)
    return found


def can_build_with_setuptools(py):
    """True if `py` has a setuptools that builds wheels without network (bundled bdist_wheel or `wheel`)."""
    code = ("import importlib.util, sys, setuptools; v = tuple(map(int, setuptools.__version__.split('.')[:2])); "
            "sys.exit(0 if v >= (61, 0) and (v >= (70, 1) or importlib.util.find_spec('wheel')) else 1)")
    return subprocess.run([py, "-c", code], capture_output=True, timeout=60).returncode == 0


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url, headers=None, method="GET"):
    """(status, headers, body) without raising on HTTP errors; no proxies."""
    req = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(req, timeout=20) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def raw(srv, path, headers=None, method="GET"):
    """One request over http.client (no redirects followed)."""
    host, port = srv.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=20)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def parse_links(text):
    p = _Links()
    p.feed(text)
    return p.links


def check_core_metadata(testcase, text, expect_name=None):
    """packaging.metadata-style validation of METADATA / PKG-INFO text; returns the parsed message."""
    msg = email.parser.Parser(policy=email.policy.compat32).parsestr(text)
    testcase.assertIn(msg["Metadata-Version"], {"1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3"})
    for key in ("Name", "Version", "Summary"):
        testcase.assertEqual(len(msg.get_all(key) or []), 1, key)
    testcase.assertRegex(msg["Name"], r"(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$")  # core metadata Name
    if expect_name:
        testcase.assertEqual(msg["Name"], expect_name)
    extras = msg.get_all("Provides-Extra") or []
    for e in extras:
        testcase.assertRegex(e, r"^[a-z0-9]+(-[a-z0-9]+)*$")
    if msg["Dynamic"] is not None:
        testcase.assertGreaterEqual(tuple(map(int, msg["Metadata-Version"].split("."))), (2, 2))
        for d in msg.get_all("Dynamic"):
            testcase.assertNotIn(d.lower(), ("name", "version", "metadata-version"))
    if tuple(map(int, msg["Metadata-Version"].split("."))) >= (2, 1):
        testcase.assertTrue(msg.get_payload().startswith("# "), "description body")
    if HAVE_PACKAGING:
        Version(msg["Version"])
        if msg["Requires-Python"]:
            SpecifierSet(msg["Requires-Python"])
        for r in msg.get_all("Requires-Dist") or []:
            req = Requirement(r)
            if req.marker is not None:
                for e in extras + [""]:
                    req.marker.evaluate(dict(TARGET_ENV, extra=e))
    return msg


def check_solution(spec, requirements, solution, env=TARGET_ENV):
    """Independent check (python3-packaging) that `solution` satisfies `requirements` over `spec`.

    Returns (problems, names reached from the requirements)."""
    pins = {canonicalize_name(n): v for n, v in (line.split("==") for line in solution)}
    entries = {canonicalize_name(d): vs for d, _, vs in mirror._projects_of(spec)}
    problems, done = [], set()
    todo = [(Requirement(r), "<root>") for r in requirements]
    while todo:
        req, why = todo.pop()
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{why} needs {req}, {name} not pinned")
            continue
        version = pins[name]
        if not req.specifier.contains(Version(version), prereleases=True):
            problems.append(f"{why} needs {req}, pinned {version}")
        entry = entries[name][version]
        for extra in [""] + sorted(req.extras):
            if (name, extra) in done:
                continue
            done.add((name, extra))
            if extra and extra not in entry.get("provides_extra", []):
                problems.append(f"{name} {version} lacks extra {extra}")
            rp = entry.get("requires_python")
            if rp and not SpecifierSet(rp).contains(env["python_version"]):
                problems.append(f"{name} {version} requires Python {rp}")
            if entry.get("yanked") or Version(version).is_prerelease:
                problems.append(f"{name} {version} is yanked or a pre-release")
            for d in entry.get("requires_dist", []):
                dep = Requirement(d)
                if dep.marker is None:
                    if extra:
                        continue
                elif not dep.marker.evaluate(dict(env, extra=extra)):
                    continue
                todo.append((dep, f"{name}=={version}[{extra}]"))
    return problems, {n for n, _ in done}


class MirrorBuildTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mirror-selftest-")
        cls.m = mirror.build_mirror(SPEC, os.path.join(cls.tmp, "m"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_layout_and_names(self):
        names = sorted(f.filename for f in self.m.files)
        self.assertEqual(names, sorted([
            "Foo_Bar-1.0-py3-none-any.whl", "foo_bar-1.0.tar.gz", "Foo_Bar-1.1b1-py3-none-any.whl",
            "Foo_Bar-0.9-py2.py3-none-any.whl", "idna-3.4-py3-none-any.whl", "idna-3.4.tar.gz",
            "idna-2.0.tar.gz", "idna-3.5-1-py3-none-any.whl",
            "socks_lite-1.7.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "socks-lite-1.7.1.tar.gz", "colors-0.1-py3-none-any.whl", "six-1.16.0-py2.py3-none-any.whl"]))
        for f in self.m.files:
            self.assertTrue(os.path.isfile(f.path))
            self.assertEqual(os.path.dirname(f.path), os.path.join(self.m.root, "files"))
            with open(f.path, "rb") as fh:
                self.assertEqual(hashlib.sha256(fh.read()).hexdigest(), f.sha256)
        for norm in ("foo-bar", "idna", "socks-lite", "colors", "six"):
            for page in ("index.html", "index.json"):
                self.assertTrue(os.path.isfile(os.path.join(self.m.root, "simple", norm, page)))

    def test_wheels_are_valid(self):
        for f in self.m.files:
            if f.kind != "wheel":
                continue
            with zipfile.ZipFile(f.path) as zf:
                self.assertIsNone(zf.testzip())
                names = zf.namelist()
                distinfo = [n for n in names if n.endswith(".dist-info/METADATA")]
                self.assertEqual(len(distinfo), 1, names)
                prefix = distinfo[0][:-len("METADATA")]
                self.assertTrue(f.filename.startswith(prefix.split("-")[0] + "-"))
                self.assertEqual(names[-1], prefix + "RECORD")  # RECORD last, dist-info after the code
                self.assertTrue(any(n.endswith("/__init__.py") for n in names))
                text = zf.read(prefix + "METADATA").decode()
                check_core_metadata(self, text)
                self.assertEqual(text, f.metadata)
                wheel = email.parser.Parser().parsestr(zf.read(prefix + "WHEEL").decode())
                self.assertEqual(wheel["Wheel-Version"], "1.0")
                tag = f.filename[:-4].split("-", 2)[2]
                tag = tag.split("-", 1)[1] if tag.count("-") == 3 else tag
                self.assertEqual(sorted(wheel.get_all("Tag")), sorted(mirror.expand_tags(tag)))
                self.assertEqual(wheel["Root-Is-Purelib"], "true" if tag.endswith("none-any") else "false")
                # RECORD: every member but RECORD itself, with a urlsafe-b64 sha256 and the size.
                rows = [line.split(",") for line in zf.read(prefix + "RECORD").decode().splitlines()]
                self.assertEqual(sorted(r[0] for r in rows), sorted(names))
                for path, digest, size in rows:
                    if path == prefix + "RECORD":
                        self.assertEqual((digest, size), ("", ""))
                        continue
                    data = zf.read(path)
                    want = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual(digest, "sha256=" + want)
                    self.assertEqual(int(size), len(data))

    def test_metadata_content(self):
        f = self.m.file("Foo_Bar-1.0-py3-none-any.whl")
        msg = check_core_metadata(self, f.metadata, "Foo_Bar")
        self.assertEqual(msg["Version"], "1.0")
        self.assertEqual(msg["Requires-Python"], ">=3.8")
        self.assertEqual(msg.get_all("Provides-Extra"), ["socks"])
        self.assertEqual(msg.get_all("Requires-Dist"), ["idna>=2.5,<4", "colors ; sys_platform == \"win32\"",
                                                        "socks-lite>=1.5 ; extra == \"socks\""])
        self.assertEqual(len(msg.get_payload()), 300)
        with zipfile.ZipFile(f.path) as zf:
            self.assertIn("foo = foo_bar:main", zf.read("Foo_Bar-1.0.dist-info/entry_points.txt").decode())
        old = check_core_metadata(self, self.m.file("colors-0.1-py3-none-any.whl").metadata)
        self.assertEqual(old["Metadata-Version"], "1.2")
        self.assertIn("colors", old["Description"])
        build = self.m.file("idna-3.5-1-py3-none-any.whl")
        with zipfile.ZipFile(build.path) as zf:
            self.assertIn("Build: 1", zf.read("idna-3.5.dist-info/WHEEL").decode())
        big = self.m.file("idna-3.4-py3-none-any.whl")
        self.assertGreater(big.size, 40000)  # payload is stored, not compressed away

    def test_sdists(self):
        for filename, top, dynamic in (("foo_bar-1.0.tar.gz", "foo_bar-1.0", False),
                                       ("idna-2.0.tar.gz", "idna-2.0", True),
                                       ("socks-lite-1.7.1.tar.gz", "socks-lite-1.7.1", False)):
            f = self.m.file(filename)
            self.assertIsNone(f.metadata_sha256)  # PEP 658 sidecars only for wheels by default
            with tarfile.open(f.path) as tf:
                names = tf.getnames()
                self.assertIn(f"{top}/PKG-INFO", names)
                self.assertIn(f"{top}/pyproject.toml", names)
                pkg_info = tf.extractfile(f"{top}/PKG-INFO").read().decode()
                pyproject = tomllib.loads(tf.extractfile(f"{top}/pyproject.toml").read().decode())
            msg = check_core_metadata(self, pkg_info)
            self.assertEqual(pyproject["build-system"]["build-backend"], "setuptools.build_meta")
            self.assertEqual(pyproject["project"]["version"], msg["Version"])
            if dynamic:
                self.assertEqual(msg["Metadata-Version"], "2.2")
                self.assertEqual(msg.get_all("Dynamic"), ["Requires-Dist"])
                self.assertEqual(pyproject["project"]["dynamic"], ["dependencies"])
            else:
                self.assertIsNone(msg["Dynamic"])
        with tarfile.open(self.m.file("foo_bar-1.0.tar.gz").path) as tf:
            pyproject = tomllib.loads(tf.extractfile("foo_bar-1.0/pyproject.toml").read().decode())
        self.assertEqual(pyproject["project"]["dependencies"], ["idna>=2.5,<4", 'colors ; sys_platform == "win32"'])
        self.assertEqual(pyproject["project"]["optional-dependencies"], {"socks": ["socks-lite>=1.5"]})
        self.assertEqual(pyproject["project"]["requires-python"], ">=3.8")

    def test_sidecars_match(self):
        for f in self.m.files:
            if f.kind == "wheel":
                with open(f.path + ".metadata", encoding="utf-8") as fh:
                    side = fh.read()
                with zipfile.ZipFile(f.path) as zf:
                    inner = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")][0]
                    self.assertEqual(zf.read(inner).decode(), side)
                self.assertEqual(hashlib.sha256(side.encode()).hexdigest(), f.metadata_sha256)
            else:
                self.assertFalse(os.path.exists(f.path + ".metadata"))

    def test_html_pages(self):
        with open(os.path.join(self.m.root, "simple", "foo-bar", "index.html"), encoding="utf-8") as fh:
            text = fh.read()
        self.assertIn('data-requires-python="&gt;=3.8"', text)
        self.assertIn('data-yanked="broken &lt;build&gt;"', text)
        links = {os.path.basename(a["href"].split("#")[0]): a for a in parse_links(text)}
        self.assertEqual(set(links), {f.filename for f in self.m.files_for("Foo-Bar")})
        for f in self.m.files_for("foo_bar"):
            a = links[f.filename]
            self.assertEqual(a["href"], f"../../files/{f.filename}#sha256={f.sha256}")
            self.assertEqual(a.get("data-requires-python"), f.requires_python)
            if f.kind == "wheel":
                self.assertEqual(a["data-dist-info-metadata"], "sha256=" + f.metadata_sha256)
                self.assertEqual(a["data-core-metadata"], "sha256=" + f.metadata_sha256)
            else:
                self.assertNotIn("data-core-metadata", a)
        self.assertEqual(links["Foo_Bar-0.9-py2.py3-none-any.whl"]["data-yanked"], "broken <build>")
        self.assertNotIn("data-yanked", links["Foo_Bar-1.0-py3-none-any.whl"])
        with open(os.path.join(self.m.root, "simple", "idna", "index.html"), encoding="utf-8") as fh:
            idna = {a["href"].split("#")[0]: a for a in parse_links(fh.read())}
        self.assertEqual(idna["../../files/idna-3.5-1-py3-none-any.whl"]["data-yanked"], "")
        with open(os.path.join(self.m.root, "simple", "index.html"), encoding="utf-8") as fh:
            root = parse_links(fh.read())
        self.assertEqual([a["href"] for a in root], ["colors/", "foo-bar/", "idna/", "six/", "socks-lite/"])

    def test_json_pages(self):
        with open(os.path.join(self.m.root, "simple", "foo-bar", "index.json"), encoding="utf-8") as fh:
            doc = json.load(fh)
        self.assertEqual(doc["meta"], {"api-version": "1.1"})
        self.assertEqual(doc["name"], "foo-bar")
        self.assertEqual(doc["versions"], ["1.0", "1.1b1", "0.9"])
        by = {f["filename"]: f for f in doc["files"]}
        for f in self.m.files_for("foo-bar"):
            j = by[f.filename]
            self.assertEqual(j["hashes"], {"sha256": f.sha256})
            self.assertEqual(j["size"], f.size)
            self.assertEqual(j["url"], f.url)
            self.assertEqual(j["requires-python"], f.requires_python)
            self.assertEqual(j["core-metadata"], {"sha256": f.metadata_sha256} if f.metadata_sha256 else False)
            self.assertNotIn("dist-info-metadata", j)  # PEP 714
            self.assertRegex(j["upload-time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertEqual(by["Foo_Bar-1.0-py3-none-any.whl"]["upload-time"], "2021-03-04T05:06:07.000000Z")
        self.assertEqual(by["Foo_Bar-0.9-py2.py3-none-any.whl"]["yanked"], "broken <build>")
        self.assertIs(by["Foo_Bar-1.0-py3-none-any.whl"]["yanked"], False)
        with open(os.path.join(self.m.root, "simple", "idna", "index.json"), encoding="utf-8") as fh:
            idna = {f["filename"]: f for f in json.load(fh)["files"]}
        self.assertIs(idna["idna-3.5-1-py3-none-any.whl"]["yanked"], True)
        with open(os.path.join(self.m.root, "simple", "index.json"), encoding="utf-8") as fh:
            root = json.load(fh)
        self.assertEqual(root["meta"]["api-version"], "1.1")
        self.assertEqual([p["name"] for p in root["projects"]], ["colors", "Foo_Bar", "idna", "six", "socks-lite"])

    def test_options_without_sidecars_and_hashes(self):
        out = os.path.join(self.tmp, "plain")
        m = mirror.build_mirror(SPEC, out, metadata_sidecars=False, hash_fragments=False,
                                files_base_url="http://127.0.0.1:1/pkgs", json_dist_info_metadata=True)
        self.assertFalse([n for n in os.listdir(os.path.join(out, "files")) if n.endswith(".metadata")])
        with open(os.path.join(out, "simple", "foo-bar", "index.html"), encoding="utf-8") as fh:
            text = fh.read()
        self.assertNotIn("#sha256=", text)
        self.assertNotIn("data-core-metadata", text)
        self.assertIn('href="http://127.0.0.1:1/pkgs/Foo_Bar-1.0-py3-none-any.whl"', text)
        with open(os.path.join(out, "simple", "foo-bar", "index.json"), encoding="utf-8") as fh:
            files = json.load(fh)["files"]
        self.assertTrue(all(f["hashes"] == {} and f["core-metadata"] is False for f in files))
        self.assertTrue(all(f["dist-info-metadata"] is False for f in files))
        self.assertTrue(all(f.metadata_sha256 is None for f in m.files))
        side = mirror.build_mirror({"options": {"sdist_sidecars": True}, "projects": {"p": {"1.0": {"files": [
            {"tag": "py3-none-any", "sidecar": False}, "sdist", {"tag": "py3-none-win_amd64", "yanked": "win only"}]}}}},
            os.path.join(self.tmp, "side"))
        self.assertEqual([f.metadata_sha256 is not None for f in side.files], [False, True, True])
        self.assertTrue(os.path.isfile(side.file("p-1.0.tar.gz").path + ".metadata"))
        self.assertEqual([f.yanked for f in side.files], [False, False, "win only"])
        with self.assertRaises(ValueError):
            mirror.build_mirror(SPEC, out, no_such_option=True)
        with self.assertRaises(ValueError):
            mirror.build_mirror({"projects": {"a": {"1.0": {"requires": []}}}}, out)
        with self.assertRaises(ValueError):
            mirror.build_mirror({"projects": {"a.b": {"1.0": {}}, "A_B": {"1.0": {}}}}, out)

    def test_deterministic_bytes(self):
        a = mirror.build_mirror(SPEC, os.path.join(self.tmp, "d1"))
        time.sleep(1.1)  # a clock-dependent byte (zip/tar/gzip time) would differ now
        b = mirror.build_mirror(SPEC, os.path.join(self.tmp, "d2"))
        for fa, fb in zip(a.files, b.files):
            self.assertEqual(fa.sha256, fb.sha256, fa.filename)
        for sub in ("simple/index.html", "simple/index.json", "simple/idna/index.json", "simple/foo-bar/index.html"):
            with open(os.path.join(a.root, sub), "rb") as x, open(os.path.join(b.root, sub), "rb") as y:
                self.assertEqual(x.read(), y.read(), sub)

    def test_intree_backend_builds_offline(self):
        out = os.path.join(self.tmp, "intree")
        spec = {"options": {"sdist_backend": "intree"},
                "projects": {"Foo_Bar": {"2.0": {"files": ["sdist"], "requires_dist": ["idna>=3"],
                                                 "dynamic": ["Requires-Dist"]}}}}
        m = mirror.build_mirror(spec, out)
        src = os.path.join(self.tmp, "intree-src")
        with tarfile.open(m.files[0].path) as tf:
            if hasattr(tarfile, "data_filter"):
                tf.extractall(src, filter="data")
            else:
                tf.extractall(src)
        tree = os.path.join(src, "foo_bar-2.0")
        with open(os.path.join(tree, "pyproject.toml"), "rb") as fh:
            bs = tomllib.load(fh)["build-system"]
        self.assertEqual(bs["requires"], [])
        code = ("import sys, json; sys.path[:0] = {paths!r}; import thoth_test_backend as b; "
                "print(json.dumps([b.get_requires_for_build_wheel(), b.prepare_metadata_for_build_wheel({md!r}), "
                "b.build_wheel({wd!r}), b.build_sdist({wd!r})]))")
        md, wd = os.path.join(self.tmp, "intree-md"), os.path.join(self.tmp, "intree-wd")
        os.makedirs(md)
        os.makedirs(wd)
        res = subprocess.run([sys.executable, "-c", code.format(paths=bs["backend-path"], md=md, wd=wd)],
                             cwd=tree, capture_output=True, text=True, timeout=60)
        self.assertEqual(res.returncode, 0, res.stderr)
        reqs, distinfo, whl, sdist = json.loads(res.stdout)
        self.assertEqual((reqs, distinfo, whl, sdist),
                         ([], "Foo_Bar-2.0.dist-info", "Foo_Bar-2.0-py3-none-any.whl", "foo_bar-2.0.tar.gz"))
        with zipfile.ZipFile(os.path.join(wd, whl)) as zf:
            self.assertIn("foo_bar/__init__.py", zf.namelist())
            meta = check_core_metadata(self, zf.read("Foo_Bar-2.0.dist-info/METADATA").decode())
        self.assertIsNone(meta["Dynamic"])
        self.assertEqual(meta.get_all("Requires-Dist"), ["idna>=3"])

    def test_sdist_scripts_extra_files_and_external_wheels(self):
        real = sorted(glob.glob("/usr/share/python-wheels/wheel-*.whl"))
        spec = {"projects": {"tool": {"1.0": {
                    "files": ["sdist"],
                    "sdist_entry_points": {"console_scripts": {"tool": "tool.cli:main"},
                                           "demo.plugins": {"p": "tool:x"}},
                    "sdist_extra_files": {"tool/cli.py": "def main():\n    pass\n"}}}},
                "external_files": real[:1]}
        m = mirror.build_mirror(spec, os.path.join(self.tmp, "ext"))
        with tarfile.open(m.file("tool-1.0.tar.gz").path) as tf:
            self.assertEqual(tf.extractfile("tool-1.0/tool/cli.py").read(), b"def main():\n    pass\n")
            pyproject = tomllib.loads(tf.extractfile("tool-1.0/pyproject.toml").read().decode())
        self.assertEqual(pyproject["project"]["scripts"], {"tool": "tool.cli:main"})
        self.assertEqual(pyproject["project"]["entry-points"], {"demo.plugins": {"p": "tool:x"}})
        # A generated file can be replaced, or left out (a setup.py-only sdist).
        spec["projects"]["tool"]["1.0"]["sdist_extra_files"] = {"setup.py": "pass\n", "pyproject.toml": None,
                                                                 "PKG-INFO": "Metadata-Version: 2.1\n"}
        m = mirror.build_mirror(spec, os.path.join(self.tmp, "ext2"))
        with tarfile.open(m.file("tool-1.0.tar.gz").path) as tf:
            names = tf.getnames()
            self.assertEqual(tf.extractfile("tool-1.0/PKG-INFO").read(), b"Metadata-Version: 2.1\n")
        self.assertIn("tool-1.0/setup.py", names)
        self.assertNotIn("tool-1.0/pyproject.toml", names)
        self.assertEqual(names.count("tool-1.0/PKG-INFO"), 1)
        if not real:
            self.skipTest("Debian's python3-wheel-whl is not installed")
        name = os.path.basename(real[0])
        f = m.file(name)
        with open(real[0], "rb") as fh:
            self.assertEqual(f.sha256, hashlib.sha256(fh.read()).hexdigest())
        self.assertEqual((f.project, f.kind), ("wheel", "wheel"))
        with open(os.path.join(m.root, "simple", "wheel", "index.json")) as fh:
            page = json.load(fh)
        self.assertEqual([x["filename"] for x in page["files"]], [name])
        self.assertEqual(page["files"][0]["core-metadata"], {"sha256": f.metadata_sha256})

    def test_cli(self):
        spec_path = os.path.join(self.tmp, "spec.json")
        with open(spec_path, "w", encoding="utf-8") as fh:
            json.dump(SPEC, fh)
        out = os.path.join(self.tmp, "cli")
        res = subprocess.run([sys.executable, os.path.join(HERE, "mirror.py"), spec_path, out, "--no-metadata"],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("5 projects, 12 files", res.stdout)
        self.assertFalse(os.path.exists(os.path.join(out, "files", "idna-3.4-py3-none-any.whl.metadata")))
        bad = subprocess.run([sys.executable, os.path.join(HERE, "mirror.py"), os.path.join(self.tmp, "nope.json"), out],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("nope.json", bad.stderr)


@unittest.skipUnless(HAVE_PACKAGING, "needs python3-packaging (run with /usr/bin/python3)")
class RandomMirrorTest(unittest.TestCase):
    def test_stack_is_satisfiable(self):
        for seed, projects, versions in ((0, 400, 20), (1, 400, 20), (7, 120, 8), (3, 30, 4), (5, 2, 1)):
            spec, reqs, solution = mirror.generate_random_spec(seed, projects, versions)
            problems, reached = check_solution(spec, reqs, solution)
            self.assertEqual(problems, [], (seed, projects, versions))
            self.assertEqual(reached, {canonicalize_name(s.split("==")[0]) for s in solution})
            if projects >= 400:
                self.assertGreaterEqual(len(solution), 100)
            self.assertEqual(len(spec["projects"]), projects)
            self.assertTrue(all(len(p["versions"]) == versions for p in spec["projects"].values()))

    def test_deterministic(self):
        a = mirror.generate_random_spec(11, 80, 6)
        b = mirror.generate_random_spec(11, 80, 6)
        self.assertEqual(json.dumps(a), json.dumps(b))
        self.assertNotEqual(json.dumps(a), json.dumps(mirror.generate_random_spec(12, 80, 6)))

    def test_realistic_shape(self):
        spec, _, _ = mirror.generate_random_spec(2, 400, 20)
        versions = [v for p in spec["projects"].values() for v in p["versions"].items()]
        reqs = [r for _, v in versions for r in v.get("requires_dist", [])]
        parsed = [Requirement(r) for r in reqs]
        ops = {s.operator for r in parsed for s in r.specifier}
        self.assertTrue({">=", "<", "~=", "!=", ">"} <= ops, ops)
        self.assertTrue(any(len(r.specifier) == 2 for r in parsed))  # ranges
        self.assertTrue(any(r.marker and "python_version" in str(r.marker) for r in parsed))
        self.assertTrue(any(r.marker and "sys_platform" in str(r.marker) for r in parsed))
        self.assertTrue(any(r.marker and "extra" in str(r.marker) for r in parsed))
        self.assertTrue(any(r.extras for r in parsed))
        self.assertTrue(any(Version(v).is_prerelease for v, _ in versions))
        self.assertTrue(any(e.get("yanked") for _, e in versions))
        self.assertTrue(any(e.get("requires_python") for _, e in versions))
        self.assertTrue(any(e["files"] == ["sdist"] for _, e in versions))
        # Fan-out: most latest releases have 0-5 dependencies; a few hubs have many dependents.
        dependents, fan = {}, []
        for p in spec["projects"].values():
            latest = list(p["versions"].values())[-1]
            deps = [Requirement(r) for r in latest.get("requires_dist", []) if "extra" not in r]
            fan.append(len(deps))
            for d in deps:
                dependents[canonicalize_name(d.name)] = dependents.get(canonicalize_name(d.name), 0) + 1
        self.assertGreater(sum(1 for f in fan if f <= 5) / len(fan), 0.8)
        self.assertGreater(max(dependents.values()), 25)

    def test_generation_speed_and_cli(self):
        out = tempfile.mkdtemp(prefix="gen-mirror-")
        try:
            start = time.monotonic()
            res = subprocess.run([sys.executable, os.path.join(ROOT, "benches", "gen_mirror.py"), out,
                                  "--projects", "60", "--versions", "5", "--seed", "4"],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertLess(time.monotonic() - start, 120)
            for name in ("requirements.txt", "solution.txt", "spec.json", "simple/index.html", "simple/index.json"):
                self.assertTrue(os.path.isfile(os.path.join(out, name)), name)
            with open(os.path.join(out, "spec.json"), encoding="utf-8") as fh:
                spec = json.load(fh)
            with open(os.path.join(out, "requirements.txt"), encoding="utf-8") as fh:
                reqs = fh.read().splitlines()
            with open(os.path.join(out, "solution.txt"), encoding="utf-8") as fh:
                solution = fh.read().splitlines()
            self.assertEqual(check_solution(spec, reqs, solution)[0], [])
        finally:
            shutil.rmtree(out, ignore_errors=True)


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="server-selftest-")
        cls.m = mirror.build_mirror(SPEC, os.path.join(cls.tmp, "m"))
        cls.srv = server.MirrorServer(cls.m.root, cache_control=[("/simple/*", "max-age=60"), ("*", "max-age=3600")])
        cls.srv.start()
        cls.whl = cls.m.file("idna-3.4-py3-none-any.whl")
        with open(cls.whl.path, "rb") as fh:
            cls.whl_bytes = fh.read()
        cls.whl_path = "/files/" + cls.whl.filename

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.srv.clear_faults()
        self.srv.clear_log()

    def test_negotiation(self):
        url = self.srv.index_url + "foo-bar/"
        with open(os.path.join(self.m.root, "simple", "foo-bar", "index.json"), "rb") as fh:
            json_page = fh.read()
        with open(os.path.join(self.m.root, "simple", "foo-bar", "index.html"), "rb") as fh:
            html_page = fh.read()
        cases = [
            (None, "text/html", html_page),
            ("application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.v1+json", json_page),
            ("application/vnd.pypi.simple.latest+json", "application/vnd.pypi.simple.v1+json", json_page),
            ("text/html", "text/html", html_page),
            ("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.v1+html", html_page),
            ("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01",
             "application/vnd.pypi.simple.v1+json", json_page),
            ("application/vnd.pypi.simple.v1+json;q=0.5, text/html;q=0.9", "text/html", html_page),
            ("text/html;q=0.1, application/vnd.pypi.simple.v1+json;q=0.8", "application/vnd.pypi.simple.v1+json", json_page),
            ("application/vnd.pypi.simple.v1+json;q=0, */*;q=0.1", "text/html", html_page),
            ("application/xml, */*", "text/html", html_page),
        ]
        for accept, ctype, body in cases:
            status, headers, got = fetch(url, {"Accept": accept} if accept else {})
            self.assertEqual(status, 200, accept)
            self.assertEqual(headers["Content-Type"].split(";")[0], ctype, accept)
            self.assertEqual(got, body, accept)
            self.assertEqual(headers["Vary"], "Accept")
            self.assertEqual(headers["Cache-Control"], "max-age=60")
        status, _, _ = fetch(url, {"Accept": "application/xml"})
        self.assertEqual(status, 406)
        status, headers, got = fetch(url + "?format=application/vnd.pypi.simple.v1+json")
        self.assertEqual((status, got), (200, json_page))
        status, headers, got = fetch(self.srv.index_url, {"Accept": "application/vnd.pypi.simple.v1+json"})
        self.assertEqual(json.loads(got)["meta"]["api-version"], "1.1")
        status, headers, got = fetch(url + "index.json")
        self.assertEqual(headers["Content-Type"], "application/vnd.pypi.simple.v1+json")
        self.assertEqual(server.negotiate("application/vnd.pypi.simple.v1+json", json_enabled=False), None)

    def test_html_only_server(self):
        with server.MirrorServer(self.m.root, json=False) as srv:
            status, headers, got = fetch(srv.index_url + "idna/", {
                "Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.01"})
            self.assertEqual((status, headers["Content-Type"].split(";")[0]), (200, "text/html"))
            self.assertEqual(headers["Cache-Control"], "max-age=600")

    def test_redirects(self):
        status, headers, _ = raw(self.srv, "/simple/Foo_Bar/")
        self.assertEqual((status, headers["Location"]), (301, "/simple/foo-bar/"))
        status, headers, _ = raw(self.srv, "/simple/foo-bar")
        self.assertEqual((status, headers["Location"]), (301, "/simple/foo-bar/"))
        status, _, _ = raw(self.srv, "/simple/nothing-here/")
        self.assertEqual(status, 404)
        status, _, body = fetch(self.srv.index_url + "Foo.Bar/")
        self.assertEqual(status, 200)
        self.assertIn(b"Links for foo-bar", body)

    def test_range_requests(self):
        size = len(self.whl_bytes)
        for rng, start, end in (("bytes=0-9", 0, 9), ("bytes=-22", size - 22, size - 1),
                                ("bytes=100-", 100, size - 1), ("bytes=5-999999999", 5, size - 1),
                                (f"bytes=-{size + 50}", 0, size - 1)):
            status, headers, body = raw(self.srv, self.whl_path, {"Range": rng})
            self.assertEqual(status, 206, rng)
            self.assertEqual(headers["Content-Range"], f"bytes {start}-{end}/{size}", rng)
            self.assertEqual(body, self.whl_bytes[start:end + 1], rng)
            self.assertEqual(int(headers["Content-Length"]), end - start + 1)
        for rng in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
            status, headers, body = raw(self.srv, self.whl_path, {"Range": rng})
            self.assertEqual((status, headers["Content-Range"], body), (416, f"bytes */{size}", b""), rng)
        for rng in ("bytes=0-1,5-6", "items=0-5", "bytes=9-3"):  # ignored: whole body
            status, _, body = raw(self.srv, self.whl_path, {"Range": rng})
            self.assertEqual((status, len(body)), (200, size), rng)
        _, headers, _ = raw(self.srv, self.whl_path)
        self.assertEqual(headers["Accept-Ranges"], "bytes")
        status, _, body = raw(self.srv, self.whl_path, {"Range": "bytes=0-3", "If-Range": headers["ETag"]})
        self.assertEqual((status, body), (206, self.whl_bytes[:4]))
        status, _, body = raw(self.srv, self.whl_path, {"Range": "bytes=0-3", "If-Range": '"stale"'})
        self.assertEqual((status, len(body)), (200, size))
        self.assertEqual(server.parse_range("bytes=-5", 0), "unsatisfiable")

    def test_conditional_requests(self):
        status, headers, body = raw(self.srv, self.whl_path)
        self.assertEqual(status, 200)
        etag, lm = headers["ETag"], headers["Last-Modified"]
        self.assertTrue(etag.startswith('"'))
        self.assertEqual(headers["Cache-Control"], "max-age=3600")
        for cond in ({"If-None-Match": etag}, {"If-None-Match": "W/" + etag}, {"If-None-Match": f'"x", {etag}'},
                     {"If-None-Match": "*"}, {"If-Modified-Since": lm}):
            status, headers, body = raw(self.srv, self.whl_path, cond)
            self.assertEqual((status, body), (304, b""), cond)
            self.assertEqual(headers["ETag"], etag)
        for cond in ({"If-None-Match": '"other"'}, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
                     {"If-None-Match": '"other"', "If-Modified-Since": lm}):  # If-None-Match wins
            status, _, body = raw(self.srv, self.whl_path, cond)
            self.assertEqual((status, body), (200, self.whl_bytes), cond)
        # A changed file gets a new validator.
        page = os.path.join(self.m.root, "simple", "six", "index.html")
        _, h1, _ = raw(self.srv, "/simple/six/")
        time.sleep(0.01)
        with open(page, "a", encoding="utf-8") as fh:
            fh.write("<!-- changed -->\n")
        status, h2, _ = raw(self.srv, "/simple/six/", {"If-None-Match": h1["ETag"]})
        self.assertEqual(status, 200)
        self.assertNotEqual(h1["ETag"], h2["ETag"])

    def test_keep_alive_and_head(self):
        host, port = self.srv.server_address[:2]
        conn = http.client.HTTPConnection(host, port, timeout=10)
        try:
            conn.request("GET", self.whl_path)
            r1 = conn.getresponse()
            self.assertEqual(r1.read(), self.whl_bytes)
            sock = conn.sock
            conn.request("HEAD", self.whl_path)
            r2 = conn.getresponse()
            self.assertEqual((r2.status, r2.read(), int(r2.headers["Content-Length"])), (200, b"", len(self.whl_bytes)))
            conn.request("GET", "/simple/idna/", headers={"Accept": "text/html"})
            self.assertEqual(conn.getresponse().read()[:15], b"<!DOCTYPE html>")
            self.assertIs(conn.sock, sock)  # one TCP connection for all three
        finally:
            conn.close()
        log = self.srv.requests
        self.assertEqual([(r.method, r.status) for r in log], [("GET", 200), ("HEAD", 200), ("GET", 200)])
        self.assertEqual(log[1].bytes_sent, 0)

    def test_without_etags_last_modified_validates(self):
        with server.MirrorServer(self.m.root, etags=False) as srv:
            status, headers, body = raw(srv, self.whl_path)
            self.assertEqual(status, 200)
            self.assertNotIn("ETag", headers)
            lm = headers["Last-Modified"]
            status, headers, body = raw(srv, self.whl_path, {"If-Modified-Since": lm})
            self.assertEqual((status, body), (304, b""))
            self.assertNotIn("ETag", headers)
            # Without ETags no If-None-Match can match, so it does not hide the date check.
            status, _, body = raw(srv, self.whl_path, {"If-None-Match": "*"})
            self.assertEqual((status, body), (200, self.whl_bytes))
            status, _, _ = raw(srv, self.whl_path, {"If-None-Match": "*", "If-Modified-Since": lm})
            self.assertEqual(status, 304)

    def test_connections_are_counted_and_numbered(self):
        host, port = self.srv.server_address[:2]
        conn = http.client.HTTPConnection(host, port, timeout=10)
        try:
            for _ in range(3):
                conn.request("GET", self.whl_path)
                conn.getresponse().read()
        finally:
            conn.close()
        raw(self.srv, self.whl_path)
        log = self.srv.requests
        self.assertEqual(self.srv.connections_opened(), 2)
        self.assertEqual(len({r.connection for r in log[:3]}), 1)
        self.assertNotEqual(log[3].connection, log[0].connection)
        self.assertGreater(log[0].connection, 0)
        self.srv.clear_log()
        self.assertEqual(self.srv.connections_opened(), 0)

    def test_request_log(self):
        for f in self.m.files_for("foo-bar"):
            status, _, _ = fetch(self.srv.url + "/files/" + f.filename, {"X-Test": "yes"})
            self.assertEqual(status, 200)
        raw(self.srv, self.whl_path, {"Range": "bytes=-10"})
        self.assertEqual(self.srv.count("/files/Foo_Bar-*"), 3)
        self.assertEqual(self.srv.count("/files/foo_bar-*"), 1)
        self.assertEqual(self.srv.bytes_sent("/files/*"), sum(f.size for f in self.m.files_for("foo-bar")) + 10)
        self.assertEqual(self.srv.count(method="HEAD"), 0)
        first = self.srv.requests[0]
        self.assertEqual(first.headers["x-test"], "yes")
        self.assertEqual((first.method, first.status, first.fault), ("GET", 200, None))
        self.srv.clear_log()
        self.assertEqual(self.srv.requests, [])

    def test_status_faults(self):
        self.srv.add_fault("/files/idna-*", "status", times=2, status=503, retry_after=1)
        self.srv.add_fault("/simple/six/", "status", times=1, status=429, retry_after=0)
        self.srv.add_fault("/simple/colors/", "status", status=500)
        for _ in range(2):
            status, headers, _ = fetch(self.srv.url + self.whl_path)
            self.assertEqual((status, headers["Retry-After"]), (503, "1"))
        status, _, body = fetch(self.srv.url + self.whl_path)
        self.assertEqual((status, body), (200, self.whl_bytes))
        status, headers, _ = fetch(self.srv.index_url + "six/")
        self.assertEqual((status, headers["Retry-After"]), (429, "0"))
        self.assertEqual(fetch(self.srv.index_url + "six/")[0], 200)
        for _ in range(3):
            self.assertEqual(fetch(self.srv.index_url + "colors/")[0], 500)
        self.assertEqual([r.fault for r in self.srv.matching(self.whl_path)], ["status", "status", None])
        with self.assertRaises(ValueError):
            self.srv.add_fault("*", "explode")

    def test_reset_truncate_corrupt_slow(self):
        self.srv.add_fault(self.whl_path, "reset", times=1)
        with self.assertRaises((ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine)):
            raw(self.srv, self.whl_path)
        self.assertEqual(raw(self.srv, self.whl_path)[0], 200)
        self.srv.add_fault(self.whl_path, "truncate", times=1, keep=100)
        with self.assertRaises(http.client.IncompleteRead) as cm:
            raw(self.srv, self.whl_path)
        self.assertEqual(len(cm.exception.partial), 100)
        self.srv.add_fault(self.whl_path, "corrupt", times=1)
        status, _, body = raw(self.srv, self.whl_path)
        self.assertEqual((status, len(body)), (200, len(self.whl_bytes)))
        self.assertNotEqual(hashlib.sha256(body).hexdigest(), self.whl.sha256)
        self.srv.add_fault(self.whl_path, "slow", times=1, delay=0.6, chunks=4)
        start = time.monotonic()
        status, _, body = raw(self.srv, self.whl_path)
        self.assertGreaterEqual(time.monotonic() - start, 0.5)
        self.assertEqual((status, body), (200, self.whl_bytes))
        self.srv.add_fault(self.whl_path, "slow", times=1, delay=500)  # capped by max_delay
        self.srv.max_delay = 0.2
        try:
            start = time.monotonic()
            self.assertEqual(raw(self.srv, self.whl_path)[2], self.whl_bytes)
            self.assertLess(time.monotonic() - start, 5)
        finally:
            self.srv.max_delay = 10.0
        faults = [r.fault for r in self.srv.requests]
        self.assertEqual(faults, ["reset", None, "truncate", "corrupt", "slow", "slow"])
        self.assertEqual(self.srv.requests[2].bytes_sent, 100)

    def test_silent_fault(self):
        # Accepted, then nothing: the client sees no status line until the server hangs up.
        self.srv.add_fault(self.whl_path, "silent", times=1, delay=0.5)
        start = time.monotonic()
        with self.assertRaises((ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine)):
            raw(self.srv, self.whl_path)
        self.assertGreaterEqual(time.monotonic() - start, 0.4)
        self.assertEqual(raw(self.srv, self.whl_path)[0], 200)
        self.assertEqual([(r.fault, r.status) for r in self.srv.matching(self.whl_path)], [("silent", None), (None, 200)])

    def test_no_ranges_fault(self):
        size = len(self.whl_bytes)
        # Ignored: the whole file with 200, on a kept-alive connection whose next request is served normally.
        self.srv.add_fault(self.whl_path, "no_ranges", times=1)
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.server_address[1], timeout=10)
        try:
            for expected in ((200, self.whl_bytes, None), (206, self.whl_bytes[-22:], f"bytes {size - 22}-{size - 1}/{size}")):
                conn.request("GET", self.whl_path, headers={"Range": "bytes=-22"})
                resp = conn.getresponse()
                self.assertEqual((resp.status, resp.read(), resp.getheader("Content-Range")), expected)
        finally:
            conn.close()
        # Requests without Range neither see nor use it up.
        self.srv.add_fault(self.whl_path, "no_ranges", times=1, status=405)
        status, _, body = raw(self.srv, self.whl_path)
        self.assertEqual((status, body), (200, self.whl_bytes))
        status, _, body = raw(self.srv, self.whl_path, {"Range": "bytes=0-9"})
        self.assertEqual(status, 405)
        self.assertIn(b"405", body)
        self.assertEqual(raw(self.srv, self.whl_path, {"Range": "bytes=0-9"})[0], 206)
        # Refused with each status servers use for it.
        for code in (416, 501):
            self.srv.add_fault(self.whl_path, "no_ranges", times=1, status=code)
            self.assertEqual(raw(self.srv, self.whl_path, {"Range": "bytes=0-9"})[0], code)
        # It combines with another fault: the whole body, corrupted.
        self.srv.add_fault(self.whl_path, "no_ranges", times=1)
        self.srv.add_fault(self.whl_path, "corrupt", times=1)
        status, _, body = raw(self.srv, self.whl_path, {"Range": "bytes=0-9"})
        self.assertEqual((status, len(body)), (200, size))
        self.assertNotEqual(body, self.whl_bytes)
        self.assertEqual([r.fault for r in self.srv.matching(self.whl_path)],
                         ["no_ranges", None, None, "no_ranges", None, "no_ranges", "no_ranges", "corrupt"])

    def test_redirect_faults(self):
        self.srv.add_fault("/simple/idna/", "redirect")
        status, headers, _ = raw(self.srv, "/simple/idna/")
        self.assertEqual((status, headers["Location"]), (302, "/simple/idna/?redirected=1"))
        status, _, body = fetch(self.srv.index_url + "idna/")  # used up: served normally
        self.assertEqual(status, 200)
        self.srv.add_fault("/simple/six/", "redirect", location="/simple/idna/", status=301)
        status, _, body = fetch(self.srv.index_url + "six/")
        self.assertIn(b"Links for idna", body)
        self.srv.add_fault("/files/*", "redirect_loop")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            _OPENER.open(self.srv.url + self.whl_path, timeout=10)
        cm.exception.close()
        self.assertIn(cm.exception.code, (301, 302))
        self.assertGreater(self.srv.count("/files/*"), 3)

    def test_auth_fault(self):
        self.srv.add_fault("/simple/*", "auth", username="alice", password="s3cret")
        status, headers, _ = fetch(self.srv.index_url + "idna/")
        self.assertEqual(status, 401)
        self.assertIn("Basic", headers["WWW-Authenticate"])
        bad = base64.b64encode(b"alice:wrong").decode()
        self.assertEqual(fetch(self.srv.index_url + "idna/", {"Authorization": "Basic " + bad})[0], 401)
        good = base64.b64encode(b"alice:s3cret").decode()
        self.assertEqual(fetch(self.srv.index_url + "idna/", {"Authorization": "Basic " + good})[0], 200)
        self.assertEqual(fetch(self.srv.url + self.whl_path)[0], 200)  # only /simple/ is protected
        # Auth is checked first; other faults still apply to authorized requests.
        self.srv.add_fault("/simple/idna/", "status", times=1, status=500)
        self.assertEqual(fetch(self.srv.index_url + "idna/")[0], 401)
        self.assertEqual(fetch(self.srv.index_url + "idna/", {"Authorization": "Basic " + good})[0], 500)

    def test_listing_and_traversal(self):
        status, _, body = fetch(self.srv.url + "/files/")
        self.assertEqual(status, 200)
        hrefs = [a["href"] for a in parse_links(body.decode())]
        self.assertIn(self.whl.filename, hrefs)
        self.assertEqual(raw(self.srv, "/../../etc/passwd")[0], 404)
        self.assertEqual(raw(self.srv, "/files/%2e%2e/%2e%2e/etc/passwd")[0], 404)
        self.assertEqual(raw(self.srv, "/files/missing.whl")[0], 404)

    def test_latency_and_clean_stop(self):
        srv = server.MirrorServer(self.m.root, latency=0.2, handler_timeout=60)
        srv.start()
        host, port = srv.server_address[:2]
        start = time.monotonic()
        status, _, _ = raw(srv, "/simple/")
        self.assertGreaterEqual(time.monotonic() - start, 0.2)
        idle = http.client.HTTPConnection(host, port, timeout=10)  # an idle keep-alive connection
        idle.request("GET", "/simple/")
        idle.getresponse().read()
        start = time.monotonic()
        srv.stop()
        self.assertLess(time.monotonic() - start, 3)
        idle.close()
        with self.assertRaises(OSError):
            http.client.HTTPConnection(host, port, timeout=2).request("GET", "/")

    def test_cli(self):
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), self.m.root, "--max-seconds", "60",
                                 "--fault", "/simple/six/=status,times=1,status=503,retry_after=2"],
                                stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()
            self.assertRegex(url, r"^http://127\.0\.0\.1:\d+/$")
            status, headers, _ = fetch(url + "simple/six/")
            self.assertEqual((status, headers["Retry-After"]), (503, "2"))
            self.assertEqual(fetch(url + "simple/six/")[0], 200)
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(timeout=10), 0)
            proc.stdout.close()


class PipTest(unittest.TestCase):
    """pip, an independent client, must accept the mirrors offline."""

    @classmethod
    def setUpClass(cls):
        cls.pythons = pythons_with_pip()
        if not cls.pythons:
            raise unittest.SkipTest("no python with pip")
        cls.tmp = tempfile.mkdtemp(prefix="pip-selftest-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def pip(self, py, *args):
        res = subprocess.run([py, "-m", "pip", *args, "--no-cache-dir", "--disable-pip-version-check"],
                             capture_output=True, text=True, env=clean_env(), timeout=540, cwd=self.tmp)
        self.assertEqual(res.returncode, 0, f"{py} pip {' '.join(args)}\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}")
        return res.stdout

    def test_download(self):
        m = mirror.build_mirror(SPEC, os.path.join(self.tmp, "dl"))
        with server.MirrorServer(m.root) as srv:
            for py in self.pythons:
                dest = tempfile.mkdtemp(dir=self.tmp)
                self.pip(py, "download", "--no-deps", "--index-url", srv.index_url, "-d", dest, "Foo-Bar==1.0")
                self.assertEqual(os.listdir(dest), ["Foo_Bar-1.0-py3-none-any.whl"])
                with open(os.path.join(dest, "Foo_Bar-1.0-py3-none-any.whl"), "rb") as fh:
                    self.assertEqual(hashlib.sha256(fh.read()).hexdigest(),
                                     m.file("Foo_Bar-1.0-py3-none-any.whl").sha256)
                # pip prepares an sdist's metadata even for a --no-deps download: our setuptools sdists build.
                if not can_build_with_setuptools(py):
                    continue
                dest = tempfile.mkdtemp(dir=self.tmp)
                self.pip(py, "download", "--no-deps", "--no-binary", ":all:", "--no-build-isolation",
                         "--index-url", srv.index_url, "-d", dest, "socks-lite==1.7.1")
                self.assertEqual(os.listdir(dest), ["socks-lite-1.7.1.tar.gz"])

    def _dry_run(self, py, index_url, requirements):
        out = self.pip(py, "install", "--dry-run", "--ignore-installed", "--quiet", "--report", "-",
                       "--index-url", index_url, "-r", requirements)
        report = json.loads(out)
        return {mirror.normalize_name(i["metadata"]["name"]): i["metadata"]["version"] for i in report["install"]}

    def test_example_mirror_resolves(self):
        example = os.path.join(ROOT, "examples")
        # The committed example must be exactly what its spec generates.
        fresh = mirror.build_mirror(os.path.join(example, "mirror-spec.json"), os.path.join(self.tmp, "example"))
        for f in fresh.files:
            with open(os.path.join(example, "mirror", "files", f.filename), "rb") as fh:
                self.assertEqual(hashlib.sha256(fh.read()).hexdigest(), f.sha256, f.filename)
        expected = {"webapp-kit": "1.1.0", "httpkit": "2.1.1", "urlparse3": "2.1.0", "certbundle": "2024.2.2",
                    "idna-lite": "3.6", "pysocks-lite": "1.7.1", "templar": "3.1.3", "markupsafe-lite": "2.1.5",
                    "click-lite": "8.1.7", "testkit": "1.2.0", "pluggy-lite": "1.4.0", "iniparse-lite": "2.0.0"}
        for json_pages in (True, False):
            with server.MirrorServer(os.path.join(example, "mirror"), json=json_pages) as srv:
                for py in self.pythons:
                    srv.clear_log()
                    pins = self._dry_run(py, srv.index_url, os.path.join(example, "requirements.txt"))
                    self.assertEqual(pins, expected, (py, json_pages))
                    self.assertTrue(all(r.status in (200, 304) for r in srv.requests))
                    if not json_pages:
                        # HTML carries data-dist-info-metadata, which every pip here uses (PEP 658).
                        self.assertGreater(srv.count("/files/*.metadata"), 0, py)

    @unittest.skipUnless(HAVE_PACKAGING, "needs python3-packaging")
    def test_random_mirror_resolves(self):
        spec, reqs, solution = mirror.generate_random_spec(3, 90, 6, stack_size=40)
        m = mirror.build_mirror(spec, os.path.join(self.tmp, "random"))
        req_file = os.path.join(self.tmp, "random-requirements.txt")
        mirror.write_requirements(req_file, reqs)
        with server.MirrorServer(m.root) as srv:
            pins = self._dry_run(self.pythons[0], srv.index_url, req_file)
        self.assertGreaterEqual(len(pins), 30)
        problems, _ = check_solution(spec, reqs, [f"{k}=={v}" for k, v in pins.items()])
        self.assertEqual(problems, [])


if __name__ == "__main__":
    unittest.main()
