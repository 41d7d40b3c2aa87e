"""Protocol tests of `thoth pipenv-resolver` (pipenv's resolver protocol, schema version 1) with request
files against the example mirror (file:// and served on 127.0.0.1):

* success: every pin with its `==` version and sorted hashes, roots with their index, extras and
  markers; the response laid out as pipenv's resolver writes it (json.dump indent=2, sort_keys);
* resolved_default_deps constrain a non-default category; python_marker_override sets the Python;
* conflict: a resolution_error with the explanation and the conflicting requirements, exit 0;
* bad input: not JSON or a wrong field is an internal_error (exit 1), another schema version exit 2;
* a spec line's "-i URL" (pipenv's per-package source) restricts that package to that index, and the
  index options of extra_pip_args apply while other pip arguments are reported as ignored;
* --recommend: the advisor's stack, its score and justification in diagnostics.resolver_log;
* packaging/pipenv/pipenv_thoth.py drives the same program.

Run directly: THOTH=build-test/thoth /usr/bin/python3 tests/e2e/test_pipenv_resolver.py"""

import json
import os
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness, mirror  # noqa: E402
from support.server import MirrorServer  # noqa: E402

MIRROR = harness.source_dir() / "examples" / "mirror"
FILE_INDEX = MIRROR.resolve().as_uri() + "/simple"
TARGET = ["--platform", "manylinux_2_17_x86_64"]


def request(specs, **extra):
    body = {"schema_version": 1, "category": "packages", "packages": {"specs": specs},
            "options": {"pre": False, "clear": False, "system": False, "verbose": False},
            "sources": [{"name": "mirror", "url": FILE_INDEX, "verify_ssl": True}],
            "python_marker_override": "3.11.4"}
    body.update(extra)
    return body


class Resolver(unittest.TestCase):
    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()

    def tearDown(self):
        self._tmp.__exit__(None, None, None)

    def serve(self, body, *args):
        req = self.tmp / "request.json"
        resp = self.tmp / "response.json"
        if resp.exists():
            resp.unlink()
        req.write_text(body if isinstance(body, str) else json.dumps(body))
        r = harness.run(["pipenv-resolver", "--request-file", str(req), "--response-file", str(resp), *TARGET,
                         "--cache-dir", str(self.tmp / "cache"), *args])
        text = resp.read_text() if resp.exists() else None
        return r, (json.loads(text) if text else None), text

    def test_success(self):
        r, response, text = self.serve(request({"httpkit": "httpkit[socks]~=2.0", "templar": "templar>=3.1"}))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(text, json.dumps(response, indent=2, sort_keys=True) + "\n")
        self.assertEqual(response["schema_version"], 1)
        result = response["result"]
        self.assertEqual(result["kind"], "success", response)
        locked = {e["name"]: e for e in result["locked"]}
        self.assertEqual(locked["httpkit"]["version"], "==2.1.1")
        self.assertEqual(locked["httpkit"]["extras"], ["socks"])
        self.assertEqual(locked["httpkit"]["index"], "mirror")
        self.assertIn("pysocks-lite", locked)
        self.assertNotIn("index", locked["pysocks-lite"])
        for e in locked.values():
            self.assertTrue(e["version"].startswith("=="), e)
            self.assertTrue(e["hashes"] and e["hashes"] == sorted(e["hashes"]), e)
            self.assertTrue(all(h.startswith("sha256:") for h in e["hashes"]), e)
        self.assertTrue(response["diagnostics"]["pip_version"].startswith("thoth "))

    def test_markers_and_http_source(self):
        with MirrorServer(str(MIRROR)) as server:
            server.start()
            body = request({"templar": "templar>=3.1; sys_platform == 'linux'"},
                           sources=[{"name": "local", "url": server.url + "/simple", "verify_ssl": False}])
            r, response, _ = self.serve(body)
        self.assertEqual(r.rc, 0, r)
        locked = {e["name"]: e for e in response["result"]["locked"]}
        self.assertEqual(locked["templar"]["markers"], "sys_platform == 'linux'")
        self.assertEqual(locked["templar"]["index"], "local")

    def test_resolved_default_deps_constrain(self):
        free, response, _ = self.serve(request({"httpkit": "httpkit"}))
        self.assertEqual(free.rc, 0, free)
        newest = {e["name"]: e["version"] for e in response["result"]["locked"]}["httpkit"]
        self.assertEqual(newest, "==2.1.1")
        body = request({"webapp-kit": "webapp-kit"}, category="dev-packages",
                       resolved_default_deps={"entries": [{"name": "httpkit", "version": "==2.0.0"}]})
        r, response, _ = self.serve(body)
        self.assertEqual(r.rc, 0, r)
        locked = {e["name"]: e["version"] for e in response["result"]["locked"]}
        if "httpkit" in locked:
            self.assertEqual(locked["httpkit"], "==2.0.0")

    def test_conflict(self):
        r, response, _ = self.serve(request({"httpkit": "httpkit==2.1.1", "urlparse3": "urlparse3<2"}))
        self.assertEqual(r.rc, 0, r)
        result = response["result"]
        self.assertEqual(result["kind"], "resolution_error", response)
        self.assertIn("urlparse3<2", result["pip_message"])
        self.assertEqual(result["conflicts"], [
            {"package": "httpkit", "version": "2.1.1", "requires": "urlparse3<3,>=2.0"},
            {"package": "<user>", "version": "", "requires": "urlparse3<2"}])

    def test_missing_project_is_a_resolution_error(self):
        r, response, _ = self.serve(request({"nothere": "nothere>=1"}))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(response["result"]["kind"], "resolution_error", response)

    def test_bad_input(self):
        r, response, _ = self.serve("{not json")
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(response["result"]["kind"], "internal_error")
        self.assertIn("not JSON", response["result"]["message"])

        r, response, _ = self.serve(request({}, schema_version=2))
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(response["result"]["kind"], "internal_error")
        self.assertIn("schema version mismatch", response["result"]["message"])

        r, response, _ = self.serve(request({"httpkit": 3}))
        self.assertEqual(r.rc, 1, r)
        self.assertIn("packages.specs.httpkit must be a string", response["result"]["message"])

        r, response, _ = self.serve(request({"httpkit": "httpkit"}, options={"pre": "yes"}))
        self.assertEqual(r.rc, 1, r)
        self.assertIn("options.pre must be true or false", response["result"]["message"])

        r, response, _ = self.serve(request({"httpkit": "httpkit>>>"}))
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(response["result"]["kind"], "internal_error")

    def test_line_index_and_extra_pip_args(self):
        # "public" (first) offers corp-lib 9.0; "private" 1.0 and private-only, which no source lists.
        public = mirror.build_mirror({"projects": {"corp-lib": {"9.0": {}}}}, str(self.tmp / "public"))
        private = mirror.build_mirror({"projects": {"corp-lib": {"1.0": {}}, "private-only": {"2.0": {}}}},
                                      str(self.tmp / "private"))
        public_url = pathlib.Path(public.root).as_uri() + "/simple"
        private_url = pathlib.Path(private.root).as_uri() + "/simple"
        sources = [{"name": "public", "url": public_url, "verify_ssl": True},
                   {"name": "private", "url": private_url, "verify_ssl": True}]
        # pipenv's line for an entry with index = "private": "corp-lib -i URL".
        r, response, _ = self.serve(request({"corp-lib": f"corp-lib -i {private_url}"}, sources=sources))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(response["result"]["kind"], "success", response)
        locked = {e["name"]: e for e in response["result"]["locked"]}
        self.assertEqual((locked["corp-lib"]["version"], locked["corp-lib"]["index"]), ("==1.0", "private"))
        # Without the line's index, the first source's higher version wins: the test can fail.
        r, response, _ = self.serve(request({"corp-lib": "corp-lib"}, sources=sources))
        locked = {e["name"]: e for e in response["result"]["locked"]}
        self.assertEqual((locked["corp-lib"]["version"], locked["corp-lib"]["index"]), ("==9.0", "public"))

        # extra_pip_args: --extra-index-url is an index option (private-only resolves from it);
        # --no-deps is pip's install option: left out, with a warning naming it.
        body = request({"private-only": "private-only"}, sources=sources[:1],
                       extra_pip_args=["--extra-index-url", private_url, "--no-deps"])
        r, response, _ = self.serve(body)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(response["result"]["kind"], "success", response)
        self.assertEqual({e["name"]: e["version"] for e in response["result"]["locked"]}, {"private-only": "==2.0"})
        warnings = response["diagnostics"]["warnings"]
        self.assertTrue(any("'--no-deps'" in w for w in warnings), warnings)
        self.assertFalse(any("extra-index-url" in w for w in warnings), warnings)
        r, response, _ = self.serve(request({"private-only": "private-only"}, sources=sources[:1]))
        self.assertEqual(response["result"]["kind"], "resolution_error", response)

        # A spec line with an unknown option is bad input naming the spec.
        r, response, _ = self.serve(request({"corp-lib": "corp-lib --frobnicate"}, sources=sources))
        self.assertEqual(r.rc, 1, r)
        self.assertIn("packages.specs.corp-lib", response["result"]["message"])

    def test_recommend(self):
        kb = self.tmp / "kb.json"
        kb.write_text(json.dumps({"kb-version": 1, "facts": [
            {"package": "templar", "versions": "==3.1.3", "kind": "security", "score": -0.8,
             "ids": ["CVE-2099-0001"]}]}))
        r, plain, _ = self.serve(request({"templar": "templar>=3.1"}))
        self.assertEqual(r.rc, 0, r)
        plain_pin = {e["name"]: e["version"] for e in plain["result"]["locked"]}["templar"]
        self.assertEqual(plain_pin, "==3.1.3")
        r, advised, _ = self.serve(request({"templar": "templar>=3.1"}), "--recommend", "security", "--kb", str(kb))
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(advised["result"]["kind"], "success", advised)
        pin = {e["name"]: e["version"] for e in advised["result"]["locked"]}["templar"]
        self.assertNotEqual(pin, "==3.1.3")
        log = advised["diagnostics"]["resolver_log"]
        self.assertTrue(log[0].startswith("thoth advise: recommendation security, score "), log)
        self.assertTrue(any("CVE-2099-0001" in line for line in log), log)

    def test_backend_module(self):
        sys.path.insert(0, str(harness.source_dir() / "packaging" / "pipenv"))
        import pipenv_thoth
        saved = dict(os.environ)
        try:
            os.environ["THOTH"] = str(harness.thoth_binary())
            os.environ["THOTH_PIPENV_ARGS"] = " ".join([*TARGET, "--cache-dir", str(self.tmp / "cache")])
            response, status = pipenv_thoth.resolve_json(request({"templar": "templar>=3.1"}))
            self.assertEqual(status, 0)
            self.assertEqual(response["result"]["kind"], "success", response)
            self.assertTrue(pipenv_thoth.ThothBackend().is_available())
            os.environ["THOTH"] = str(self.tmp / "missing")
            response, status = pipenv_thoth.resolve_json(request({"templar": "templar"}))
            self.assertEqual((response["result"]["kind"], status), ("internal_error", 1))
        finally:
            os.environ.clear()
            os.environ.update(saved)


if __name__ == "__main__":
    unittest.main()
