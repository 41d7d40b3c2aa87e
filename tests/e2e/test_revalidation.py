"""Revalidation writes nothing it need not (RFC 9111 §4.3.4, src/net/http_cache.cpp): when every index
page answers 304, a warm lock leaves the cache's files as they were. A server that sends validators
only (ETag, Last-Modified, no Cache-Control, as static servers and many private mirrors do) gets no
write at all; one whose pages can be fresh (max-age) gets a small freshness record beside each page,
which makes the page fresh again without rewriting it.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_revalidation.py"""

import os
import pathlib
import sys
import time
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

TARGET = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]
PROJECTS = {"app": {"1.0": {"requires_dist": ["lib>=1", "util"]}}, "lib": {"1.0": {}, "2.0": {}},
            "util": {"1.0": {"requires_dist": ["lib<3"]}, "0.9": {}}}


def snapshot(root):
    """Every file under root with what a rewrite changes: its inode, mtime and size."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            out[os.path.relpath(os.path.join(dirpath, name), root)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


class Revalidation(unittest.TestCase):
    def setUp(self):
        self._tmp = harness.temp_dir()
        self.tmp = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        mirrorlib.build_mirror({"projects": PROJECTS}, str(self.tmp / "m"))
        self.cache = self.tmp / "cache"

    def lock(self, srv):
        r = harness.run(["lock", "app", *TARGET, "--index-url", srv.index_url, "--cache-dir", str(self.cache),
                         "-o", str(self.tmp / "requirements.txt")], timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        return r

    def pages(self, srv):
        return [r for r in srv.requests if r.path.startswith("/simple/")]

    def test_validators_only_no_cache_write(self):
        with MirrorServer(str(self.tmp / "m"), cache_control=None) as srv:
            first = self.lock(srv)
            before = snapshot(self.cache)
            self.assertTrue(any(p.startswith("pages-v1") for p in before))
            srv.clear_log()
            second = self.lock(srv)
            self.assertEqual(first.stdout, second.stdout)
            statuses = sorted({r.path: r.status for r in self.pages(srv)}.items())
            self.assertEqual([s for _, s in statuses], [304, 304, 304], statuses)
            self.assertEqual(snapshot(self.cache), before, "a 304 from a server without Cache-Control writes nothing")

    def test_max_age_304_writes_a_record_not_the_page(self):
        with MirrorServer(str(self.tmp / "m"), cache_control="max-age=3") as srv:
            self.lock(srv)
            before = snapshot(self.cache)
            time.sleep(4)  # the pages go stale
            srv.clear_log()
            self.lock(srv)
            self.assertEqual(sorted(r.status for r in self.pages(srv)), [304, 304, 304])
            after = snapshot(self.cache)
            records = {p for p in after if p.endswith(".fresh")}
            self.assertEqual(len(records), 3, after)
            self.assertEqual({p: v for p, v in after.items() if p not in records}, before,
                             "the pages themselves are not rewritten")
            # The records made the pages fresh again: the next run asks for none of them.
            srv.clear_log()
            self.lock(srv)
            self.assertEqual(self.pages(srv), [])


    def test_pinned_pages_are_revalidated_together(self):
        # A chain app -> a -> b -> c -> d: level by level, each page is asked for only once the one
        # above it has answered. The pages of the previous lock's pins are all asked for at the start.
        chain = {"app": {"1.0": {"requires_dist": ["a"]}}, "a": {"1.0": {"requires_dist": ["b"]}},
                 "b": {"1.0": {"requires_dist": ["c"]}}, "c": {"1.0": {"requires_dist": ["d"]}}, "d": {"1.0": {}}}
        mirrorlib.build_mirror({"projects": chain}, str(self.tmp / "chain"))
        with MirrorServer(str(self.tmp / "chain"), cache_control=None) as srv:
            self.lock(srv)
            srv.latency = 0.5
            srv.clear_log()
            self.lock(srv)
            asked = {r.path: r.time for r in self.pages(srv)}
            self.assertEqual(len(asked), 5, asked)
            spread = max(asked.values()) - min(asked.values())
            self.assertLess(spread, 0.5, f"the pages were asked for one level at a time: {asked}")


if __name__ == "__main__":
    unittest.main()
