"""End-to-end tests of thoth's index client against a misbehaving server (tests/support/server.py
fault injection): every fault ends either in a correct retry or in one error line naming the
(redacted) URL with exit status 3. Also: credentials in the index URL (and the absolute links on
its server), --offline, ETag revalidation, and metadata read by HTTP range requests from a mirror
without PEP 658 files, or by whole downloads from a server that will not do ranges.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_network_faults.py"""

import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirror_gen  # noqa: E402
from support.server import MirrorServer  # noqa: E402

SPEC = {"projects": {
    "foo-bar": {"versions": {
        "1.0": {"files": ["py3-none-any"]},
        "2.0": {"requires_dist": ["idna>=2.5", "six"], "requires_python": ">=3.8",
                "files": ["py3-none-any", "sdist"]},
    }},
    # PEP 643: Metadata-Version 2.2 without Dynamic makes the sdist's PKG-INFO trustworthy.
    "sdonly": {"1.0": {"metadata_version": "2.2", "requires_dist": ["attrs"], "files": ["sdist"]}},
}}

# Big wheels (uncompressible payload) and no .metadata sidecars: metadata must come from range reads.
BIG_SPEC = {"projects": {
    "heavy": {"payload_size": 2_000_000, "versions": {
        f"1.{i}": {"requires_dist": [f"dep{i}>={i}"], "files": ["py3-none-any"]} for i in range(4)}},
}}

TARGET = {"python_version": "3.11", "platform": "manylinux_2_28_x86_64"}
PAGE = "/simple/foo-bar/"
STATE = {}


def setUpModule():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="thoth-e2e-faults-"))
    STATE["tmp"] = tmp
    STATE["mirror"] = mirror_gen.build_mirror(SPEC, str(tmp / "mirror"))
    STATE["big"] = mirror_gen.build_mirror(BIG_SPEC, str(tmp / "big"), metadata_sidecars=False)
    STATE["plain"] = mirror_gen.build_mirror(SPEC, str(tmp / "plain"), metadata_sidecars=False)
    (tmp / "target.json").write_text(json.dumps(TARGET))
    home = tmp / "home"
    home.mkdir()
    STATE["env"] = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                    "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CONFIG_DIRS": str(home / "xdg"),
                    "NETRC": str(home / "no-netrc")}
    STATE["n"] = 0


def tearDownModule():
    shutil.rmtree(STATE["tmp"], ignore_errors=True)


def fresh_cache():
    STATE["n"] += 1
    return str(STATE["tmp"] / f"cache{STATE['n']}")


def thoth(srv_or_url, *args, cache=None, name="foo-bar"):
    """`thoth debug candidates NAME -i URL ...`; a fresh cache unless one is given."""
    url = srv_or_url if isinstance(srv_or_url, str) else srv_or_url.index_url
    argv = ["debug", "candidates", name, "-i", url, "--target-env", str(STATE["tmp"] / "target.json"),
            "--cache-dir", cache or fresh_cache(), *args]
    return harness.run(argv, env=STATE["env"])


class Assertions(unittest.TestCase):
    def assertListing(self, r, versions=("2.0", "1.0")):
        self.assertEqual(r.rc, 0, r)
        doc = json.loads(r.stdout)
        self.assertEqual([v["version"] for v in doc["versions"]], list(versions))
        return doc

    def assertIndexError(self, r, *fragments):
        """Exit status 3, nothing on stdout, one line 'thoth: error: ...' containing the fragments."""
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(r.stdout, "", r)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("thoth: error: "), r)
        for f in fragments:
            self.assertIn(f, lines[0])
        return lines[0]


class Retries(Assertions):
    def test_500_then_ok(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "status", times=1, status=500)
            r = thoth(srv, "--json")
            self.assertListing(r)
            self.assertEqual([q.status for q in srv.matching(PAGE)], [500, 200])

    def test_503_always_fails_after_retries(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "status", status=503)
            r = thoth(srv, "--json", "--retries", "2")
            self.assertIndexError(r, srv.index_url + "foo-bar/", "503")
            self.assertEqual(srv.count(PAGE), 3)  # the first attempt and two retries

    def test_429_honours_retry_after(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "status", times=1, status=429, retry_after=1)
            t0 = time.monotonic()
            r = thoth(srv, "--json")
            elapsed = time.monotonic() - t0
            self.assertListing(r)
            page = srv.matching(PAGE)
            self.assertEqual([q.status for q in page], [429, 200])
            self.assertGreaterEqual(page[1].time - page[0].time, 0.9)
            self.assertGreaterEqual(elapsed, 0.9)

    def test_reset_then_ok(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "reset", times=1)
            self.assertListing(thoth(srv, "--json"))
            self.assertEqual([q.status for q in srv.matching(PAGE)], [None, 200])

    def test_truncated_once_is_retried(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "truncate", times=1)
            self.assertListing(thoth(srv, "--json"))
            self.assertEqual(srv.count(PAGE), 2)

    def test_slow_body_times_out_then_retry_succeeds(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "slow", times=1, delay=4, chunks=1)
            self.assertListing(thoth(srv, "--json", "--timeout", "1"))
            self.assertEqual(srv.count(PAGE), 2)

    def test_slow_body_within_timeout(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "slow", times=1, delay=1, chunks=4)
            self.assertListing(thoth(srv, "--json", "--timeout", "5"))
            self.assertEqual(srv.count(PAGE), 1)

    def test_redirect_is_followed(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "redirect")
            doc = self.assertListing(thoth(srv, "--json", "--metadata"))
            self.assertEqual(doc["versions"][0]["metadata"]["requires_dist"], ["idna>=2.5", "six"])
            self.assertEqual([q.status for q in srv.matching(PAGE)], [302, 200])

    def test_non_normalized_name_redirect(self):
        # PEP 503: /simple/Foo_Bar/ may redirect to /simple/foo-bar/; thoth asks for the normal form.
        with MirrorServer(STATE["mirror"].root) as srv:
            self.assertListing(thoth(srv, "--json", name="Foo_Bar"))
            self.assertEqual(srv.count("/simple/Foo_Bar/"), 0)


class Failures(Assertions):
    def test_truncated_always(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "truncate")
            self.assertIndexError(thoth(srv, "--json", "--retries", "1"), srv.index_url + "foo-bar/")
            self.assertEqual(srv.count(PAGE), 2)

    def test_redirect_loop(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "redirect_loop")
            line = self.assertIndexError(thoth(srv, "--json"), srv.index_url + "foo-bar/")
            self.assertIn("redirect", line)
            self.assertLess(srv.count(PAGE), 40)  # bounded, not retried forever

    def test_corrupt_metadata_is_a_hash_mismatch(self):
        meta = "/files/foo_bar-2.0-py3-none-any.whl.metadata"
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(meta, "corrupt")
            r = thoth(srv, "--json", "--metadata", "--retries", "1")
            self.assertEqual(r.rc, 3, r)
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 1, r)
            self.assertTrue(lines[0].startswith("thoth: error: "), r)
            self.assertIn(srv.url + meta, lines[0])
            self.assertIn("sha256", lines[0])
            # The listing is still printed, with the failure in place of the metadata.
            doc = json.loads(r.stdout)
            self.assertIn("sha256", doc["versions"][0]["metadata"]["error"])
            self.assertEqual(doc["versions"][1]["metadata"]["requires_dist"], [])
        # Nothing unverified reached the cache: a clean server now gives the right metadata.

    def test_corrupt_sdist_download_is_a_hash_mismatch(self):
        sdist = "/files/sdonly-1.0.tar.gz"
        with MirrorServer(STATE["mirror"].root) as srv:
            r = thoth(srv, "--json", "--metadata", name="sdonly")
            self.assertEqual(json.loads(r.stdout)["versions"][0]["metadata"]["requires_dist"], ["attrs"], r)
            srv.add_fault(sdist, "corrupt")
            r = thoth(srv, "--json", "--metadata", "--retries", "0", name="sdonly")
            self.assertEqual(r.rc, 3, r)
            self.assertEqual(len(r.stderr.splitlines()), 1, r)
            self.assertIn(srv.url + sdist, r.stderr)
            self.assertIn("sha256", r.stderr)

    def test_corrupt_metadata_member_in_wheel(self):
        # No sidecars and a small wheel: the tail read covers the whole file, so the byte flipped
        # inside the METADATA member's data is one thoth reads; the zip CRC must catch it.
        plain = STATE["plain"]
        wheel = plain.file("foo_bar-2.0-py3-none-any.whl")
        with zipfile.ZipFile(wheel.path) as z:
            info = z.getinfo("foo_bar-2.0.dist-info/METADATA")
        with open(wheel.path, "rb") as f:
            f.seek(info.header_offset + 26)
            name_len, extra_len = struct.unpack("<HH", f.read(4))
        data_start = info.header_offset + 30 + name_len + extra_len
        with MirrorServer(plain.root) as srv:
            srv.add_fault("/files/" + wheel.filename, "corrupt", offset=data_start + info.compress_size // 2)
            r = thoth(srv, "--json", "--metadata", "--retries", "0")
            self.assertEqual(r.rc, 3, r)
            self.assertEqual(len(r.stderr.splitlines()), 1, r)
            self.assertIn(wheel.filename, r.stderr)
            self.assertTrue(srv.matching("/files/" + wheel.filename)[0].headers.get("range"))
            doc = json.loads(r.stdout)
            self.assertIn("error", doc["versions"][0]["metadata"])
            self.assertEqual(doc["versions"][1]["metadata"]["requires_dist"], [])

    def test_corrupt_wheel_range_read(self):
        # Without sidecars the METADATA comes out of the wheel; a flipped byte in the zip member is
        # caught by the zip CRC (or the deflate stream) and reported naming the file.
        big = STATE["big"]
        wheel = big.file("heavy-1.3-py3-none-any.whl")
        with MirrorServer(big.root) as srv:
            srv.add_fault("/files/heavy-1.3-py3-none-any.whl", "corrupt", offset=10**9)  # the last byte of each answer
            r = harness.run(["debug", "metadata", "heavy", "-i", srv.index_url, "--target-env",
                             str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache(), "--retries", "0"],
                            env=STATE["env"])
        self.assertNotEqual(r.rc, 0, r)
        self.assertEqual(r.rc, 3, r)
        self.assertIn(wheel.filename, r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)

    def test_404_page_means_no_such_project(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            r = thoth(srv, "--json", name="nothing-here")
            self.assertListing(r, versions=())
            self.assertEqual([q.status for q in srv.matching("/simple/nothing-here/")], [404])

    def test_unreachable_server(self):
        port = harness.free_port()
        url = f"http://127.0.0.1:{port}/simple/"
        self.assertIndexError(thoth(url, "--json", "--retries", "0"), url + "foo-bar/")


class Credentials(Assertions):
    PASSWORD = "s3cr3t-pw"

    def test_401_without_credentials(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            self.assertIndexError(thoth(srv, "--json"), srv.index_url + "foo-bar/", "401")
            self.assertEqual(srv.count(PAGE), 1)  # 401 is final: no retry

    def test_wrong_password_is_redacted(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            url = srv.index_url.replace("http://", "http://alice:wrong-pw@")
            r = thoth(url, "--json")
            line = self.assertIndexError(r, "401")
            self.assertNotIn("wrong-pw", r.stderr + r.stdout)
            self.assertIn("alice:****@127.0.0.1", line)

    def test_credentials_in_url(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            url = srv.index_url.replace("http://", f"http://alice:{self.PASSWORD}@")
            cache = fresh_cache()
            outputs = []
            for args in (["--json", "--metadata"], ["--metadata"], ["-v", "--json"]):
                r = thoth(url, *args, cache=cache)
                self.assertEqual(r.rc, 0, r)
                outputs.append(r.stdout + r.stderr)
            doc = json.loads(harness.run(["debug", "candidates", "foo-bar", "-i", url, "--target-env",
                                          str(STATE["tmp"] / "target.json"), "--json", "--metadata",
                                          "--no-cache"], env=STATE["env"]).stdout)
            self.assertEqual(doc["versions"][0]["metadata"]["requires_dist"], ["idna>=2.5", "six"])
            # Files are on the same host: the credentials went with them too.
            self.assertTrue(srv.count("/files/*.metadata") >= 1)
            self.assertTrue(all(q.status != 401 for q in srv.requests), [(q.path, q.status) for q in srv.requests])
            outputs += [json.dumps(doc)]
            for text in outputs:
                self.assertNotIn(self.PASSWORD, text)
            self.assertIn("alice:****@", doc["versions"][0]["files"][0]["url"])
            # Nor is the password written to the cache.
            for p in pathlib.Path(cache).rglob("*"):
                if p.is_file():
                    self.assertNotIn(self.PASSWORD.encode(), p.read_bytes(), p)


    def absolute_mirror(self, srv, name, **options):
        """A mirror under the server's root whose file links are absolute URLs without credentials
        (files_base_url), as PyPI's files.pythonhosted.org links or a proxy's /packages/ links are."""
        return mirror_gen.build_mirror(SPEC, str(pathlib.Path(srv.root) / name),
                                       files_base_url=f"{srv.url}/{name}/files/", **options)

    def assertNoSecret(self, *texts):
        for text in texts:
            self.assertNotIn(self.PASSWORD, text)

    def test_index_credentials_go_to_absolute_links_on_the_same_server(self):
        # pip's MultiDomainBasicAuth: the index URL's user:password authenticates every URL on the
        # same netloc, here the .metadata sidecars and (second mirror, no sidecars) the wheel range
        # reads and the sdist download that absolute links point at.
        root = STATE["tmp"] / "auth-root"
        root.mkdir(exist_ok=True)
        with MirrorServer(str(root)) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            for name, options in (("sidecars", {}), ("ranges", {"metadata_sidecars": False})):
                m = self.absolute_mirror(srv, name, **options)
                self.assertTrue(all(f.url.startswith(srv.url + "/") for f in m.files))
                index = f"http://alice:{self.PASSWORD}@{srv.url[len('http://'):]}/{name}/simple/"
                cache = fresh_cache()
                r = thoth(index, "--json", "--metadata", cache=cache)
                doc = self.assertListing(r)
                self.assertEqual(doc["versions"][0]["metadata"]["requires_dist"], ["idna>=2.5", "six"])
                r2 = thoth(index, "--json", "--metadata", cache=cache, name="sdonly")
                self.assertEqual(json.loads(r2.stdout)["versions"][0]["metadata"]["requires_dist"], ["attrs"], r2)
                files = srv.matching(f"/{name}/files/*")
                self.assertTrue(files)
                if options:
                    self.assertTrue(any("range" in q.headers for q in files))
                    self.assertEqual(srv.count(f"/{name}/files/*.metadata"), 0)
                else:
                    self.assertGreaterEqual(srv.count(f"/{name}/files/*.metadata"), 1)
                self.assertTrue(all(q.status != 401 for q in srv.requests),
                                [(q.path, q.status) for q in srv.requests])
                self.assertNoSecret(r.stdout, r.stderr, r2.stdout, r2.stderr)
                for p in pathlib.Path(cache).rglob("*"):
                    if p.is_file():
                        self.assertNotIn(self.PASSWORD.encode(), p.read_bytes(), p)
                srv.clear_log()

    def test_find_links_credentials_go_to_absolute_links(self):
        root = STATE["tmp"] / "auth-links"
        root.mkdir(exist_ok=True)
        with MirrorServer(str(root)) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            m = self.absolute_mirror(srv, "m", metadata_sidecars=False)
            page = root / "links" / "index.html"
            page.parent.mkdir()
            page.write_text("".join(f'<a href="{f.url}#sha256={f.sha256}">{f.filename}</a>\n' for f in m.files))
            links = f"http://alice:{self.PASSWORD}@{srv.url[len('http://'):]}/links/"
            r = harness.run(["debug", "candidates", "foo-bar", "--no-index", "-f", links, "--json", "--metadata",
                             "--target-env", str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache()],
                            env=STATE["env"])
            doc = self.assertListing(r)
            self.assertEqual(doc["versions"][0]["metadata"]["requires_dist"], ["idna>=2.5", "six"])
            self.assertTrue(srv.count("/m/files/*.whl") >= 1)
            self.assertTrue(all(q.status != 401 for q in srv.requests), [(q.path, q.status) for q in srv.requests])
            self.assertNoSecret(r.stdout, r.stderr)

    def test_index_credentials_are_not_sent_to_another_host(self):
        # The files live on another origin (localhost instead of 127.0.0.1: same server, other host
        # name): they must be asked for without the index's credentials, and fail with a 401 that
        # names the file's URL and no password.
        root = STATE["tmp"] / "auth-other"
        root.mkdir(exist_ok=True)
        with MirrorServer(str(root)) as srv:
            srv.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            other = srv.url.replace("127.0.0.1", "localhost")
            mirror_gen.build_mirror(SPEC, str(root / "m"), files_base_url=f"{other}/m/files/")
            index = f"http://alice:{self.PASSWORD}@{srv.url[len('http://'):]}/m/simple/"
            r = thoth(index, "--json", "--metadata")
            self.assertEqual(r.rc, 3, r)
            self.assertIn(f"{other}/m/files/foo_bar-2.0-py3-none-any.whl.metadata", r.stderr)
            self.assertIn("401", r.stderr)
            self.assertNoSecret(r.stdout, r.stderr)
            files = srv.matching("/m/files/*")
            self.assertTrue(files)
            self.assertTrue(all("authorization" not in q.headers for q in files), [q.headers for q in files])
            self.assertTrue(all("authorization" in q.headers for q in srv.matching("/m/simple/*")))

class CacheBehaviour(Assertions):
    def test_offline_with_empty_cache_fails_clearly(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            line = self.assertIndexError(thoth(srv, "--json", "--offline"), srv.index_url + "foo-bar/")
            self.assertIn("offline", line)
            self.assertEqual(srv.requests, [])

    def test_offline_with_warm_cache_makes_no_request(self):
        with MirrorServer(STATE["mirror"].root, cache_control="no-cache") as srv:
            cache = fresh_cache()
            online = thoth(srv, "--json", "--metadata", cache=cache)
            self.assertListing(online)
            srv.clear_log()
            offline = thoth(srv, "--json", "--metadata", "--offline", cache=cache)
            self.assertListing(offline)
            self.assertEqual(offline.stdout, online.stdout)
            self.assertEqual(srv.requests, [])

    def test_etag_revalidation(self):
        with MirrorServer(STATE["mirror"].root, cache_control="max-age=0") as srv:
            cache = fresh_cache()
            first = thoth(srv, "--json", "--metadata", cache=cache)
            self.assertListing(first)
            self.assertEqual([q.status for q in srv.matching(PAGE)], [200])
            srv.clear_log()
            second = thoth(srv, "--json", "--metadata", cache=cache)
            self.assertEqual(second.stdout, first.stdout)
            page = srv.matching(PAGE)
            self.assertEqual([q.status for q in page], [304])
            self.assertIn("if-none-match", page[0].headers)
            # PEP 658 files are stored by hash: never asked for again.
            self.assertEqual(srv.count("/files/*"), 0)

    def test_last_modified_revalidation(self):
        # A server without ETags: the stored Last-Modified is sent back as If-Modified-Since and the
        # 304 stands for the stored page (RFC 9111 4.3.1).
        with MirrorServer(STATE["mirror"].root, cache_control="max-age=0", etags=False) as srv:
            cache = fresh_cache()
            first = thoth(srv, "--json", cache=cache)
            self.assertListing(first)
            stored = srv.matching(PAGE)
            self.assertEqual([q.status for q in stored], [200])
            srv.clear_log()
            second = thoth(srv, "--json", cache=cache)
            self.assertEqual(second.stdout, first.stdout)
            page = srv.matching(PAGE)
            self.assertEqual([q.status for q in page], [304])
            self.assertIn("if-modified-since", page[0].headers)
            self.assertNotIn("if-none-match", page[0].headers)

    def test_processes_sharing_a_cache(self):
        # Several thoth processes filling one cache at once: each sees whole entries only, and the
        # cache they leave serves an offline run.
        with MirrorServer(STATE["mirror"].root, cache_control="no-cache") as srv:
            cache = fresh_cache()
            argv = [str(harness.thoth_binary()), "debug", "candidates", "foo-bar", "-i", srv.index_url,
                    "--target-env", str(STATE["tmp"] / "target.json"), "--cache-dir", cache, "--json", "--metadata"]
            env = harness.clean_env(STATE["env"])
            procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                     for _ in range(6)]
            outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
            for out, err, rc in outs:
                self.assertEqual((rc, err), (0, ""))
                self.assertEqual(out, outs[0][0])
            srv.clear_log()
            offline = thoth(srv, "--json", "--metadata", "--offline", cache=cache)
            self.assertEqual(offline.stdout, outs[0][0])
            self.assertEqual(srv.requests, [])
        leftovers = [p for p in pathlib.Path(cache).rglob("*") if p.is_file() and ".tmp" in p.name]
        self.assertEqual(leftovers, [])

    def test_fresh_page_is_not_asked_again(self):
        with MirrorServer(STATE["mirror"].root, cache_control="max-age=600") as srv:
            cache = fresh_cache()
            thoth(srv, "--json", cache=cache)
            srv.clear_log()
            self.assertListing(thoth(srv, "--json", cache=cache))
            self.assertEqual(srv.requests, [])


class NetworkSettings(Assertions):
    """--retries, --timeout, --proxy, --cert and --client-cert as pip takes them: the command line,
    else PIP_RETRIES (PIP_TIMEOUT, ...), else pip.conf, where [install] beats [global]."""

    def run_with(self, conf, *args, env=None, index=None):
        path = STATE["tmp"] / f"pip{STATE['n']}.conf"
        path.write_text(conf)
        argv = ["debug", "candidates", "foo-bar", "-i", index, "--target-env", str(STATE["tmp"] / "target.json"),
                "--cache-dir", fresh_cache(), "--json", *args]
        return harness.run(argv, env={**STATE["env"], "PIP_CONFIG_FILE": str(path), **(env or {})})

    def test_retries(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "status", status=503)
            for conf, env, args, attempts in (
                    ("[global]\nretries = 1\n", {}, [], 2),
                    ("[global]\nretries = 1\n[install]\nretries = 2\n", {}, [], 3),
                    ("[global]\nretries = 1\n[install]\nretries = 2\n", {"PIP_RETRIES": "0"}, [], 1),
                    ("[install]\nretries = 2\n", {"PIP_RETRIES": "0"}, ["--retries", "1"], 2)):
                srv.clear_log()
                r = self.run_with(conf, *args, env=env, index=srv.index_url)
                self.assertIndexError(r, "503")
                self.assertEqual(srv.count(PAGE), attempts, (conf, env, args))

    def test_timeout(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            for conf, env, attempts in (("[global]\ntimeout = 0.5\n", {}, 2),
                                        ("[global]\ntimeout = 0.5\n", {"PIP_TIMEOUT": "10"}, 1)):
                srv.clear_log()
                srv.add_fault(PAGE, "slow", times=1, delay=2, chunks=1)
                self.assertListing(self.run_with(conf, env=env, index=srv.index_url))
                self.assertEqual(srv.count(PAGE), attempts, (conf, env))

    def test_proxy(self):
        # The test server answers absolute-form requests, so it stands in for the proxy; the index
        # host does not exist, so a listing proves the proxy carried the requests.
        index = "http://index.invalid/simple/"
        dead = f"http://127.0.0.1:{harness.free_port()}"
        with MirrorServer(STATE["mirror"].root) as srv:
            trusted = "[global]\ntrusted-host = index.invalid\n"
            for conf, env, args in ((f"{trusted}proxy = {srv.url}\n", {}, []),
                                    (f"{trusted}proxy = {dead}\n", {"PIP_PROXY": srv.url}, []),
                                    (trusted, {"PIP_PROXY": dead}, ["--proxy", srv.url])):
                srv.clear_log()
                self.assertListing(self.run_with(conf, *args, env=env, index=index))
                self.assertEqual(srv.count(PAGE), 1, (conf, env, args))
                self.assertTrue(srv.matching(PAGE)[0].path.startswith("http://index.invalid/"))
            secret_proxy = dead.replace("http://", "http://bob:pr0xypw@")
            r = self.run_with(trusted, "--proxy", secret_proxy, "--retries", "0", index=index)
            line = self.assertIndexError(r, "through the proxy http://bob:****@127.0.0.1:")
            self.assertNotIn("pr0xypw", line)

    def test_cert_and_client_cert(self):
        # Only their existence and content can be seen without TLS: a missing file is a usage error
        # (exit 2) naming it, so the value that wins shows in which file is complained about. The real
        # one is a certificate with its key: a valid CA bundle and client certificate alike.
        real = STATE["tmp"] / "bundle.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", "/CN=thoth-test", "-keyout", str(STATE["tmp"] / "bundle.key"),
                        "-out", str(real)], check=True, capture_output=True)
        real.write_text(real.read_text() + (STATE["tmp"] / "bundle.key").read_text())
        missing = str(STATE["tmp"] / "missing.pem")
        with MirrorServer(STATE["mirror"].root) as srv:
            for key, env_name, flag in (("cert", "PIP_CERT", "--cert"), ("client-cert", "PIP_CLIENT_CERT", "--client-cert")):
                r = self.run_with(f"[global]\n{key} = {real}\n[install]\n{key} = {missing}\n", index=srv.index_url)
                self.assertEqual(r.rc, 2, r)
                self.assertIn(missing, r.stderr)
                self.assertListing(self.run_with(f"[install]\n{key} = {missing}\n", env={env_name: str(real)},
                                                 index=srv.index_url))
                self.assertListing(self.run_with(f"[global]\n{key} = {missing}\n", flag, str(real),
                                                 env={env_name: missing}, index=srv.index_url))
            # pip.conf's cert comes before requests' own REQUESTS_CA_BUNDLE.
            self.assertListing(self.run_with(f"[global]\ncert = {real}\n", env={"REQUESTS_CA_BUNDLE": missing},
                                             index=srv.index_url))

    def test_bad_values_name_where_they_were_set(self):
        r = self.run_with("[global]\ntimeout = soon\n", index="file:///nonexistent/")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("[global] timeout = 'soon' is not a number", r.stderr)
        self.assertIn("pip", r.stderr)
        r = self.run_with("", env={"PIP_RETRIES": "-1"}, index="file:///nonexistent/")
        self.assertEqual(r.rc, 2, r)
        self.assertIn("PIP_RETRIES", r.stderr)

class Timeouts(Assertions):
    """--timeout bounds each wait for the server once (not connect + read), and --resolve-timeout
    bounds the whole resolution, network waits included."""

    def test_silent_server_waits_the_timeout_once(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault(PAGE, "silent", delay=10)
            t0 = time.monotonic()
            r = thoth(srv, "--json", "--timeout", "2", "--retries", "0")
            elapsed = time.monotonic() - t0
            self.assertIndexError(r, srv.index_url + "foo-bar/", "timed out")
            # 2 s of silence, then the error: before the fix it took connect + read timeout (4 s).
            self.assertGreaterEqual(elapsed, 1.9)
            self.assertLess(elapsed, 3.5)

    def test_trickling_server_does_not_outlive_the_resolve_timeout(self):
        # A byte every 0.1 s is never silent for --timeout, so only --resolve-timeout can end it.
        with MirrorServer(STATE["mirror"].root, max_delay=60) as srv:
            srv.add_fault(PAGE, "slow", delay=60, chunks=600)
            t0 = time.monotonic()
            r = harness.run(["lock", "foo-bar", "-i", srv.index_url, "--target-env", str(STATE["tmp"] / "target.json"),
                             "--cache-dir", fresh_cache(), "--resolve-timeout", "2"], env=STATE["env"])
            elapsed = time.monotonic() - t0
        self.assertEqual(r.rc, 1, r)
        self.assertEqual(r.stdout, "", r)
        self.assertIn("resolution timed out after 2 s (--resolve-timeout)", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertLess(elapsed, 10)


class HttpsDowngrade(Assertions):
    """An https index redirecting to plain http: refused unless the target host is local or trusted.
    The https server is a MirrorServer wrapped in TLS (a throwaway certificate for 127.0.0.1, given
    with --cert); the plain "remote" host is a name only the proxy resolves (the plain MirrorServer
    answers absolute-form requests for any host), so nothing leaves 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        cls.dir = STATE["tmp"] / "tls"
        cls.dir.mkdir(exist_ok=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(cls.dir / "key.pem"),
                        "-out", str(cls.dir / "cert.pem")], check=True, capture_output=True)

    def tls_server(self):
        import ssl
        srv = MirrorServer(STATE["mirror"].root)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.dir / "cert.pem"), str(self.dir / "key.pem"))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        return srv

    def run_redirected(self, tls, plain, *args):
        port = tls.server_address[1]
        return harness.run(["debug", "candidates", "foo-bar", "-i", f"https://127.0.0.1:{port}/simple/",
                            "--cert", str(self.dir / "cert.pem"), "--proxy", plain.url, "--target-env",
                            str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache(), "--json", *args],
                           env={**STATE["env"], "no_proxy": "127.0.0.1"})

    def test_redirect_to_http_on_an_untrusted_host_is_refused(self):
        with self.tls_server() as tls, MirrorServer(STATE["mirror"].root) as plain:
            remote = f"http://remote.test:{plain.server_address[1]}{PAGE}"
            tls.add_fault(PAGE, "redirect", location=remote)
            line = self.assertIndexError(self.run_redirected(tls, plain, "--retries", "0"),
                                         f"redirected from https to plain http ({remote})", "--trusted-host remote.test")
            self.assertEqual(plain.requests, [])
            self.assertIn("https://127.0.0.1:", line)
            # Trusted: followed, through the proxy that knows the name.
            tls.add_fault(PAGE, "redirect", location=remote)
            self.assertListing(self.run_redirected(tls, plain, "--trusted-host", "remote.test"))
            self.assertTrue(plain.matching(PAGE)[0].path.startswith("http://remote.test:"))


class Secrets(Assertions):
    """Credentials given in -r/-c URLs, direct URLs, index URLs and netrc stay out of locks, messages,
    -v output and the cache, and are not carried to another host by a redirect."""
    PASSWORD = "s3cr3t-pw"

    def lock(self, *args, cache=None):
        return harness.run(["lock", *args, "--target-env", str(STATE["tmp"] / "target.json"), "--cache-dir",
                            cache or fresh_cache()], env=STATE["env"])

    def assertNoSecret(self, *texts):
        for text in texts:
            self.assertNotIn(self.PASSWORD, text)

    def assertCacheClean(self, cache):
        for p in pathlib.Path(cache).rglob("*"):
            if p.is_file():
                self.assertNotIn(self.PASSWORD.encode(), p.read_bytes(), p)

    def test_requirements_and_constraints_urls(self):
        root = STATE["tmp"] / "secret-reqs"
        root.mkdir(exist_ok=True)
        (root / "reqs.txt").write_text("foo-bar==1.0\n-c cons.txt\n")
        (root / "cons.txt").write_text("foo-bar<2\n")
        (root / "bad.txt").write_text("foo-bar==1.0\nfoo bar baz ==\n")
        with MirrorServer(STATE["mirror"].root) as idx, MirrorServer(str(root)) as files:
            files.add_fault("/*", "auth", username="alice", password=self.PASSWORD)
            base = files.url.replace("http://", f"http://alice:{self.PASSWORD}@")
            cache = fresh_cache()
            for fmt in ("requirements", "pylock", "report"):
                r = self.lock("-r", base + "/reqs.txt", "-i", idx.index_url, "--format", fmt, "-v", cache=cache)
                self.assertEqual(r.rc, 0, r)
                self.assertNoSecret(r.stdout, r.stderr)
            r = self.lock("-r", base + "/reqs.txt", "-i", idx.index_url, cache=cache)
            shown = files.url.replace("http://", "http://alice:****@")
            self.assertIn(f"#   -r {shown}/reqs.txt\n", r.stdout)
            self.assertIn(f"#   -c {shown}/cons.txt\n", r.stdout)
            self.assertIn(f"--requirement='{shown}/reqs.txt'", r.stdout)
            r = self.lock("-r", base + "/bad.txt", "-i", idx.index_url, cache=cache)
            self.assertEqual(r.rc, 2, r)
            self.assertTrue(r.stderr.startswith(f"thoth: error: {shown}/bad.txt:2: "), r)
            self.assertNoSecret(r.stdout, r.stderr)
            # A link in a constraints file names no project: the error shows it redacted.
            (root / "badcons.txt").write_text(f"http://bob:{self.PASSWORD}@127.0.0.1:1/x-1.0-py3-none-any.whl\n")
            r = self.lock("foo-bar", "-c", str(root / "badcons.txt"), "-i", idx.index_url, cache=cache)
            self.assertEqual(r.rc, 2, r)
            self.assertIn("http://bob:****@127.0.0.1:1/", r.stderr)
            self.assertNoSecret(r.stdout, r.stderr)
            self.assertCacheClean(cache)

    def test_direct_url(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            srv.add_fault("/files/*", "auth", username="alice", password=self.PASSWORD)
            wheel = srv.url.replace("http://", f"http://alice:{self.PASSWORD}@") + "/files/foo_bar-1.0-py3-none-any.whl"
            cache = fresh_cache()
            for fmt in ("requirements", "pylock", "report"):
                r = self.lock(f"foo-bar @ {wheel}", "-i", srv.index_url, "--format", fmt, "-v", cache=cache)
                self.assertEqual(r.rc, 0, r)
                self.assertNoSecret(r.stdout, r.stderr)
                self.assertIn(srv.url + "/files/foo_bar-1.0-py3-none-any.whl", r.stdout)
                if fmt == "requirements":  # the command in the header
                    self.assertIn("'foo-bar @ http://alice:****@127.0.0.1:", r.stdout)
            r = self.lock(f"other @ {wheel}", "-i", srv.index_url, cache=cache)
            self.assertEqual(r.rc, 2, r)
            self.assertIn("alice:****@", r.stderr)
            self.assertNoSecret(r.stdout, r.stderr)
            self.assertCacheClean(cache)

    def test_redirect_to_another_host_drops_credentials(self):
        # The same server under two loopback names: the index at 127.0.0.1 with credentials in its URL
        # (and in netrc), its page redirecting to localhost. The redirected request carries neither.
        netrc = STATE["tmp"] / "secret-netrc"
        netrc.write_text(f"machine 127.0.0.1 login bob password {self.PASSWORD}\n")
        with MirrorServer(STATE["mirror"].root) as srv:
            other = srv.url.replace("127.0.0.1", "localhost")
            for index, env in ((srv.index_url.replace("http://", f"http://alice:{self.PASSWORD}@"), {}),
                               (srv.index_url, {"NETRC": str(netrc)})):
                srv.clear_faults()
                srv.clear_log()
                srv.add_fault(PAGE, "redirect", location=other + PAGE)
                r = harness.run(["debug", "candidates", "foo-bar", "-i", index, "--target-env",
                                 str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache(), "--json", "-v"],
                                env={**STATE["env"], **env})
                self.assertListing(r)
                self.assertNoSecret(r.stdout, r.stderr)
                first, second = srv.matching(PAGE)
                self.assertIn("authorization", first.headers, env)
                self.assertTrue(second.headers["host"].startswith("localhost:"))
                self.assertNotIn("authorization", second.headers, env)


class InconsistentMetadata(Assertions):
    def test_file_whose_metadata_names_another_version_is_skipped(self):
        # pip discards a candidate whose metadata disagrees with its file name ("inconsistent
        # version") and goes on with the other versions; so does thoth, with a warning.
        spec = {"projects": {"weird": {"versions": {
            "1.0": {"files": ["py3-none-any"]},
            "2.0": {"files": [{"tag": "py3-none-any", "filename": "weird-3.0-py3-none-any.whl"}]}}}}}
        m = mirror_gen.build_mirror(spec, str(STATE["tmp"] / "weird"))
        with MirrorServer(m.root) as srv:
            r = harness.run(["lock", "weird", "-i", srv.index_url, "--target-env", str(STATE["tmp"] / "target.json"),
                             "--cache-dir", fresh_cache(), "--no-header"], env=STATE["env"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("weird==1.0", r.stdout)
        self.assertIn("thoth: warning: weird-3.0-py3-none-any.whl: its metadata is for weird 2.0, not weird 3.0; "
                      "version 3.0 is skipped", r.stderr)


class LocalErrorsExitCodes(Assertions):
    """Bad input and local failures are exit status 2, not the network's 3 (man thoth(1), EXIT STATUS)."""

    def assertUsage(self, r, *fragments):
        self.assertEqual(r.rc, 2, r)
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        for f in fragments:
            self.assertIn(f, r.stderr)

    def test_ftp_index_url(self):
        self.assertUsage(thoth("ftp://alice:pw@127.0.0.1/simple/", "--json"), "unsupported index URL ftp://alice:****@")

    def test_invalid_project_name(self):
        with MirrorServer(STATE["mirror"].root) as srv:
            self.assertUsage(thoth(srv, "--json", name="../etc"), "invalid project name '../etc'")
            self.assertUsage(harness.run(["debug", "metadata", "foo-bar", "a b", "-i", srv.index_url],
                                         env=STATE["env"]), "invalid project name 'a b'")
            self.assertEqual(srv.requests, [])

    def test_garbage_cert_files(self):
        garbage = STATE["tmp"] / "garbage.pem"
        garbage.write_bytes(b"\x00\x01 not a certificate\n")
        with MirrorServer(STATE["mirror"].root) as srv:
            self.assertUsage(thoth(srv, "--json", "--cert", str(garbage)), "the CA bundle", "holds no PEM certificate")
            self.assertUsage(thoth(srv, "--json", "--client-cert", str(garbage)), "the client certificate")
            self.assertEqual(srv.requests, [])

    def test_cache_without_a_location(self):
        r = harness.run(["cache", "clean"], env={"NETRC": "/nonexistent"}, unset=("HOME", "XDG_CACHE_HOME"))
        self.assertUsage(r, "cannot locate the cache directory")


class ConnectionReuse(Assertions):
    def test_many_requests_few_connections(self):
        # 40 project pages and 40 .metadata files: keep-alive carries them over at most the
        # per-host bound of connections (12), not one connection per request.
        spec = {"projects": {f"proj{i}": {"1.0": {"files": ["py3-none-any"]}} for i in range(40)}}
        m = mirror_gen.build_mirror(spec, str(STATE["tmp"] / "many"))
        with MirrorServer(m.root) as srv:
            r = harness.run(["debug", "metadata", *[f"proj{i}" for i in range(40)], "-i", srv.index_url,
                             "--target-env", str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache()],
                            env=STATE["env"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stdout.count(" 1.0 ("), 40, r)
            requests = srv.requests
            self.assertEqual(len(requests), 80)
            self.assertLessEqual(srv.connections_opened(), 12)
            self.assertEqual(len({q.connection for q in requests}), srv.connections_opened())

class RangeRequests(Assertions):
    def test_metadata_without_sidecars_reads_little(self):
        big = STATE["big"]
        wheels_total = sum(f.size for f in big.files)
        self.assertGreater(wheels_total, 8_000_000)
        with MirrorServer(big.root) as srv:
            r = thoth(srv, "--json", "--metadata", name="heavy")
            doc = self.assertListing(r, versions=[f"1.{i}" for i in reversed(range(4))])
            for v in doc["versions"]:
                self.assertFalse(v["files"][0]["core_metadata"])
                i = int(v["version"].split(".")[1])
                self.assertEqual(v["metadata"]["requires_dist"], [f"dep{i}>={i}"])
            files = srv.matching("/files/*")
            self.assertEqual(srv.count("/files/*.metadata"), 0)
            self.assertTrue(files)
            self.assertTrue(all("range" in q.headers for q in files), [(q.path, q.headers) for q in files])
            self.assertTrue(all(q.status == 206 for q in files), [(q.path, q.status) for q in files])
            sent = srv.bytes_sent("/files/*")
        # Far below the wheels' size: about one read of each wheel's tail (central directory and the
        # METADATA member next to it).
        self.assertLess(sent, wheels_total / 20, (sent, wheels_total))
        self.assertLess(sent, 4 * 80 * 1024, (sent, wheels_total))

    def test_debug_metadata_uses_ranges(self):
        big = STATE["big"]
        with MirrorServer(big.root) as srv:
            r = harness.run(["debug", "metadata", "heavy", "-i", srv.index_url, "--target-env",
                             str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache()], env=STATE["env"])
            self.assertEqual(r.rc, 0, r)
            self.assertEqual(r.stdout, "heavy 1.3 (heavy-1.3-py3-none-any.whl)\n  requires-dist dep3>=3\n")
            self.assertLess(srv.bytes_sent("/files/*"), big.file("heavy-1.3-py3-none-any.whl").size / 20)


    def test_server_refusing_ranges_gets_whole_downloads(self):
        # pip's lazy wheel falls back to downloading the wheel when the server will not do ranges;
        # so does thoth, with one warning naming the server.
        big = STATE["big"]
        with MirrorServer(big.root) as srv:
            srv.add_fault("/files/*", "no_ranges", status=405)
            r = thoth(srv, "--json", "--metadata", name="heavy")
            doc = self.assertListing(r, versions=[f"1.{i}" for i in reversed(range(4))])
            for v in doc["versions"]:
                i = int(v["version"].split(".")[1])
                self.assertEqual(v["metadata"]["requires_dist"], [f"dep{i}>={i}"])
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 1, r)
            self.assertTrue(lines[0].startswith("thoth: warning: "), r)
            self.assertIn("HTTP 405", lines[0])
            self.assertIn(srv.url, lines[0])
            for f in big.files:
                asked = srv.matching("/files/" + f.filename)
                self.assertTrue(all(q.status in (405, 200) for q in asked), [(q.path, q.status) for q in asked])
                whole = [q for q in asked if q.status == 200]
                self.assertEqual(len(whole), 1, f.filename)
                self.assertNotIn("range", whole[0].headers)
                self.assertEqual(whole[0].bytes_sent, f.size)

    def test_whole_downloads_leave_no_temporary_files(self):
        # Wheels downloaded whole to read their METADATA go to a scratch directory under TMPDIR, which
        # is gone when thoth exits, after a lock as after a debug command.
        big = STATE["big"]
        scratch = STATE["tmp"] / "scratch-tmp"
        scratch.mkdir()
        env = dict(STATE["env"], TMPDIR=str(scratch))
        with MirrorServer(big.root) as srv:
            srv.add_fault("/files/*", "no_ranges", status=405)
            # The lock reads every version's metadata before finding that heavy's dependencies are
            # missing from this mirror (exit 1).
            for argv, rc in ((["lock", "heavy"], 1), (["debug", "metadata", "heavy"], 0)):
                r = harness.run(argv + ["-i", srv.index_url, "--target-env", str(STATE["tmp"] / "target.json"),
                                        "--cache-dir", fresh_cache()], env=env)
                self.assertEqual(r.rc, rc, r)
                self.assertTrue(any(q.status == 200 for q in srv.matching("/files/*")), "no whole download")
                self.assertEqual(os.listdir(scratch), [], argv)

    def test_whole_body_for_a_range_is_hash_checked(self):
        # A server that ignores Range sends the whole wheel with 200: it must be the wheel the index
        # names. The flipped byte is in the payload, so METADATA itself would read fine.
        big = STATE["big"]
        wheel = "/files/heavy-1.3-py3-none-any.whl"
        with MirrorServer(big.root) as srv:
            srv.add_fault("/files/*", "no_ranges")
            srv.add_fault(wheel, "corrupt")
            r = harness.run(["debug", "metadata", "heavy", "-i", srv.index_url, "--target-env",
                             str(STATE["tmp"] / "target.json"), "--cache-dir", fresh_cache(), "--retries", "0"],
                            env=STATE["env"])
            self.assertEqual(r.rc, 3, r)
            self.assertEqual(len(r.stderr.splitlines()), 1, r)
            self.assertIn(srv.url + wheel, r.stderr)
            self.assertIn("sha256", r.stderr)
            self.assertEqual([q.status for q in srv.matching(wheel)], [200])

if __name__ == "__main__":
    unittest.main()
