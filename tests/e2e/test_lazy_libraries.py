"""libcurl and libarchive are loaded only when a command needs them (src/net/curl_api.cpp,
src/archive/libarchive_api.cpp): a lock answered from file:// mirrors or from a fresh cache loads
neither; fetching over HTTP loads libcurl; reading an sdist loads libarchive. glibc's LD_DEBUG=files
reports every library as it is loaded.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_lazy_libraries.py"""

import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

TARGET = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64"]


class LazyLibraries(unittest.TestCase):
    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        projects = {"app": {"1.0": {"requires_dist": ["lib"]}}, "lib": {"1.0": {}},
                    "src": {"1.0": {"files": ["sdist"], "metadata_version": "2.2"}}}
        mirrorlib.build_mirror({"projects": projects}, str(self.tmp / "m"), metadata_sidecars=False,
                               sdist_backend="intree")
        self.file_index = (self.tmp / "m" / "simple").as_uri() + "/"

    def lock(self, *args):
        r = harness.run(["lock", *args, *TARGET, "--cache-dir", str(self.tmp / "cache")], cwd=self.tmp,
                        env={"LD_DEBUG": "files"}, timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        return r.stderr

    def test_file_index_loads_neither(self):
        loaded = self.lock("app", "--index-url", self.file_index)
        self.assertNotIn("libcurl.so", loaded)
        self.assertNotIn("libarchive.so", loaded)

    def test_http_loads_libcurl_and_a_fresh_cache_does_not(self):
        with MirrorServer(str(self.tmp / "m")) as server:
            self.assertIn("libcurl.so", self.lock("app", "--index-url", server.index_url))
            warm = self.lock("app", "--index-url", server.index_url)
        self.assertNotIn("libcurl.so", warm, "every page and metadata file was fresh in the cache")

    def test_libcurl_that_cannot_load_fails_the_requests_that_need_it(self):
        # libcurl is loaded on the network thread (src/net/http_client.cpp): when it cannot be, every
        # request that needs the network fails with the reason, exit status 3 (man thoth(1)), and
        # the run ends without waiting.
        broken = self.tmp / "broken-libs"
        broken.mkdir()
        (broken / "libcurl.so.4").write_bytes(b"not a shared library\n")
        with MirrorServer(str(self.tmp / "m")) as server:
            r = harness.run(["lock", "app", *TARGET, "--index-url", server.index_url, "--cache-dir",
                             str(self.tmp / "cache")], cwd=self.tmp, env={"LD_LIBRARY_PATH": str(broken)},
                            timeout=60)
            self.assertEqual(r.rc, 3, str(r))
            self.assertIn("libcurl.so.4", r.stderr)
            self.assertEqual(len(r.stderr.splitlines()), 1, str(r))
            self.assertEqual(server.requests, [])

    def test_sdist_loads_libarchive(self):
        self.assertIn("libarchive.so", self.lock("src", "--index-url", self.file_index))


if __name__ == "__main__":
    unittest.main(verbosity=2)
