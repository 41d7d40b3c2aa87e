"""End-to-end tests of `thoth debug candidates`, `thoth debug metadata` and `thoth cache`, and of the
index options every resolving command shares (--index-url, --extra-index-url, --index-strategy,
--find-links, --no-index, --exclude-newer, PIP_* variables, pip.conf): mirrors built with the
project's generator, read from file:// and served on 127.0.0.1 by tests/support/server.py.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_index_cli.py"""

import json
import os
import pathlib
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirror_gen  # noqa: E402
from support.server import MirrorServer  # noqa: E402

# Versions are uploaded a day apart from 2020-01-01 in spec order (mirror.py's default), so
# foo-bar 1.0 is 2020-01-01, 2.0 is 01-02, 2.1 is 01-03 and 3.0 is 01-04.
MAIN_SPEC = {"projects": {
    "Foo_Bar": {"versions": {
        "1.0": {"files": ["py3-none-any", "sdist"]},
        "2.0": {"requires_dist": ["idna>=2.5", "socks>=1; extra == 'socks'"], "requires_python": ">=3.8",
                "files": ["py3-none-any", "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                          "cp39-cp39-win_amd64", "sdist"]},
        "2.1": {"yanked": "broken build", "files": ["py3-none-any"]},
        "3.0": {"requires_python": ">=3.13", "files": ["py3-none-any"]},
    }},
    "idna": {"3.4": {}, "3.5rc1": {}},
    "onlypre": {"1.0a1": {}},
}}

# A second index for the multi-index tests: a newer foo-bar (the dependency-confusion shape) and a
# project the first index does not have.
EXTRA_SPEC = {"projects": {
    "foo-bar": {"9.0": {"files": ["py3-none-any"]}},
    "only-extra": {"0.5": {"requires_dist": ["idna"]}},
}}

TARGET = {"python_version": "3.11", "platform": "manylinux_2_28_x86_64"}

STATE = {}


def setUpModule():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="thoth-e2e-index-"))
    STATE["tmp"] = tmp
    STATE["main"] = mirror_gen.build_mirror(MAIN_SPEC, str(tmp / "main"))
    STATE["extra"] = mirror_gen.build_mirror(EXTRA_SPEC, str(tmp / "extra"))
    target = tmp / "target.json"
    target.write_text(json.dumps(TARGET))
    STATE["target"] = str(target)
    # HOME and XDG dirs of the test's own, so no pip.conf or cache of the machine leaks in.
    home = tmp / "home"
    home.mkdir()
    STATE["env"] = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_CACHE_HOME": str(home / ".cache"), "XDG_CONFIG_DIRS": str(home / "xdg")}


def tearDownModule():
    shutil.rmtree(STATE["tmp"], ignore_errors=True)


def file_index(name="main"):
    return pathlib.Path(STATE[name].simple_dir).as_uri()


def run(args, env=None, **kw):
    full_env = dict(STATE["env"])
    full_env.update(env or {})
    return harness.run(args, env=full_env, **kw)


def candidates(*args, env=None, target=True):
    """`thoth debug candidates ... --json`, which must succeed; returns (document, result)."""
    argv = ["debug", "candidates", *args, "--json"]
    if target:
        argv += ["--target-env", STATE["target"]]
    r = run(argv, env=env)
    if r.rc != 0:
        raise AssertionError(f"debug candidates failed:\n{r}")
    return json.loads(r.stdout), r


def versions(doc):
    return [v["version"] for v in doc["versions"]]


def by_version(doc, version):
    for v in doc["versions"]:
        if v["version"] == version:
            return v
    raise KeyError(version)


class Candidates(unittest.TestCase):
    def check_main_listing(self, doc, from_json_page):
        self.assertEqual(doc["name"], "foo-bar")
        self.assertEqual(versions(doc), ["3.0", "2.1", "2.0", "1.0"])  # newest first
        mirror = STATE["main"]

        v3 = by_version(doc, "3.0")
        self.assertIsNone(v3["best"])  # Requires-Python >=3.13 excludes 3.11
        self.assertEqual(v3["requires_python"], [">=3.13"])
        self.assertEqual(v3["files"][0]["unusable_reason"], "requires-python")

        v21 = by_version(doc, "2.1")
        self.assertTrue(v21["yanked"])
        self.assertEqual(v21["yank_reason"], "broken build")
        self.assertEqual(v21["files"][0]["yanked"], "broken build")

        v2 = by_version(doc, "2.0")
        self.assertFalse(v2["yanked"])
        self.assertIsNone(v2["yank_reason"])
        # The binary wheel ranks above the pure one for CPython 3.11 on manylinux; the Windows wheel
        # is listed but unusable; usable files come first, best first.
        self.assertEqual(v2["best"], "Foo_Bar-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
        files = {f["filename"]: f for f in v2["files"]}
        self.assertEqual(len(files), 4)
        self.assertEqual([f["filename"] for f in v2["files"]][:3],
                         [v2["best"], "Foo_Bar-2.0-py3-none-any.whl", "foo_bar-2.0.tar.gz"])
        self.assertFalse(files["Foo_Bar-2.0-cp39-cp39-win_amd64.whl"]["usable"])
        self.assertEqual(files["Foo_Bar-2.0-cp39-cp39-win_amd64.whl"]["unusable_reason"], "tags")
        self.assertTrue(files[v2["best"]]["best"])
        self.assertFalse(files["Foo_Bar-2.0-py3-none-any.whl"]["best"])
        for name, f in files.items():
            self.assertEqual(f["hashes"], {"sha256": mirror.file(name).sha256})
            self.assertEqual(f["requires_python"], ">=3.8")
            # PEP 658: the generator publishes sidecars for wheels only.
            self.assertEqual(f["core_metadata"], name.endswith(".whl"), name)
            self.assertEqual(f["kind"], "wheel" if name.endswith(".whl") else "sdist")
            # Only PEP 691 JSON / PEP 700 pages carry sizes.
            self.assertEqual(f["size"], mirror.file(name).size if from_json_page else None)

    def test_file_index(self):
        doc, r = candidates("Foo.Bar", "--index-url", file_index())
        self.check_main_listing(doc, from_json_page=True)
        self.assertEqual(r.stderr, "")

    def test_http_json_negotiated(self):
        with MirrorServer(STATE["main"].root) as srv:
            doc, _ = candidates("foo_bar", "-i", srv.index_url, "--no-cache")
            page = srv.matching("/simple/foo-bar/")
        self.check_main_listing(doc, from_json_page=True)
        self.assertEqual(len(page), 1)
        self.assertIn("application/vnd.pypi.simple.v1+json", page[0].headers.get("accept", ""))
        self.assertTrue(doc["versions"][2]["files"][0]["url"].startswith("http://127.0.0.1:"))

    def test_http_html_only(self):
        with MirrorServer(STATE["main"].root, json=False) as srv:
            doc, _ = candidates("foo-bar", "--index-url", srv.index_url, "--no-cache")
            self.assertEqual(srv.count("/simple/foo-bar/"), 1)
        self.check_main_listing(doc, from_json_page=False)

    def test_text_table(self):
        r = run(["debug", "candidates", "foo-bar", "-i", file_index(), "--target-env", STATE["target"]])
        self.assertEqual(r.rc, 0, r)
        lines = r.stdout.splitlines()
        self.assertTrue(lines[0].startswith("foo-bar: 4 version(s), 3 usable on cp311-cp311-manylinux_2_28_x86_64"), r)
        self.assertEqual(lines[1].split(), ["VERSION", "FILE", "USABLE", "HASHES", "PEP658", "REQUIRES-PYTHON", "YANKED"])
        self.assertRegex(r.stdout, r"\n3\.0 +Foo_Bar-3\.0-py3-none-any\.whl +no \(requires-python\) +sha256 +yes +>=3\.13\n")
        self.assertRegex(r.stdout, r"\n2\.1 +Foo_Bar-2\.1-py3-none-any\.whl +best +sha256 +yes +- +yanked: broken build\n")
        self.assertRegex(r.stdout, r"\n +foo_bar-2\.0\.tar\.gz +yes +sha256 +no +>=3\.8\n")

    def test_metadata_flag(self):
        doc, _ = candidates("foo-bar", "-i", file_index(), "--metadata")
        v2 = by_version(doc, "2.0")
        self.assertEqual(v2["metadata_file"], v2["best"])
        self.assertEqual(v2["metadata"]["requires_dist"], ["idna>=2.5", 'socks>=1; extra == "socks"'])
        self.assertEqual(v2["metadata"]["requires_python"], ">=3.8")
        self.assertEqual(v2["metadata"]["provides_extra"], ["socks"])
        self.assertNotIn("metadata", by_version(doc, "3.0"))  # nothing usable, nothing read

    def test_unknown_project(self):
        doc, r = candidates("no-such-project", "-i", file_index())
        self.assertEqual(doc["versions"], [])
        r = run(["debug", "candidates", "no-such-project", "-i", file_index(), "--target-env", STATE["target"]])
        self.assertEqual((r.rc, r.stdout), (0, "no-such-project: 0 version(s), 0 usable on cp311-cp311-manylinux_2_28_x86_64\n"))

    def test_exclude_newer(self):
        doc, _ = candidates("foo-bar", "-i", file_index(), "--exclude-newer", "2020-01-03")
        self.assertEqual(versions(doc), ["2.0", "1.0"])
        doc, _ = candidates("foo-bar", "-i", file_index(), "--exclude-newer", "2020-01-03T00:00:01Z")
        self.assertEqual(versions(doc), ["2.1", "2.0", "1.0"])

    def test_exclude_newer_without_upload_times(self):
        # PEP 700 upload times come with JSON pages only: from HTML every file is left out, with a warning.
        with MirrorServer(STATE["main"].root, json=False) as srv:
            doc, r = candidates("foo-bar", "-i", srv.index_url, "--no-cache", "--exclude-newer", "2020-01-03")
        self.assertEqual(doc["versions"], [])
        self.assertEqual(len(r.stderr.splitlines()), 1, r)
        self.assertIn("have no upload time", r.stderr)
        self.assertEqual(doc["warnings"], [r.stderr.strip()[len("thoth: warning: "):]])

    def test_target_options_change_usability(self):
        target = STATE["tmp"] / "py313.json"
        target.write_text(json.dumps({"python_version": "3.13", "platform": "win_amd64"}))
        doc, _ = candidates("foo-bar", "-i", file_index(), "--target-env", str(target), target=False)
        self.assertEqual(by_version(doc, "3.0")["best"], "Foo_Bar-3.0-py3-none-any.whl")
        self.assertEqual(by_version(doc, "2.0")["best"], "Foo_Bar-2.0-py3-none-any.whl")
        self.assertEqual(doc["python"], "3.13.0")


class MultipleSources(unittest.TestCase):
    def test_first_index_wins_by_default(self):
        doc, _ = candidates("foo-bar", "-i", file_index(), "--extra-index-url", file_index("extra"))
        self.assertEqual(versions(doc), ["3.0", "2.1", "2.0", "1.0"])
        doc2, _ = candidates("foo-bar", "-i", file_index(), "--extra-index-url", file_index("extra"),
                             "--index-strategy", "first-index")
        self.assertEqual(doc2, doc)

    def test_unsafe_best_match_merges(self):
        doc, _ = candidates("foo-bar", "-i", file_index(), "--extra-index-url", file_index("extra"),
                            "--index-strategy", "unsafe-best-match")
        self.assertEqual(versions(doc), ["9.0", "3.0", "2.1", "2.0", "1.0"])
        self.assertEqual(by_version(doc, "9.0")["files"][0]["source"], 1)
        self.assertEqual(by_version(doc, "2.0")["files"][0]["source"], 0)

    def test_project_only_on_extra_index(self):
        with MirrorServer(STATE["extra"].root) as srv:
            doc, _ = candidates("only-extra", "-i", file_index(), "--extra-index-url", srv.index_url, "--no-cache")
        self.assertEqual(versions(doc), ["0.5"])
        self.assertTrue(doc["versions"][0]["files"][0]["url"].startswith(srv.url))

    def test_find_links_directory_merges_with_index(self):
        links = STATE["tmp"] / "links"
        links.mkdir(exist_ok=True)
        shutil.copy(STATE["extra"].file("foo_bar-9.0-py3-none-any.whl").path, links)
        doc, _ = candidates("foo-bar", "-i", file_index(), "-f", str(links))
        self.assertEqual(versions(doc), ["9.0", "3.0", "2.1", "2.0", "1.0"])
        nine = by_version(doc, "9.0")["files"][0]
        self.assertEqual(nine["url"], (links / "foo_bar-9.0-py3-none-any.whl").as_uri())
        self.assertEqual(nine["hashes"], {})  # a directory listing has no hashes
        # --no-index: only the find-links location.
        doc, _ = candidates("foo-bar", "-i", file_index(), "--no-index", "--find-links", links.as_uri())
        self.assertEqual(versions(doc), ["9.0"])

    def test_find_links_page_over_http(self):
        with MirrorServer(STATE["main"].root) as srv:
            doc, _ = candidates("foo-bar", "--no-index", "-f", srv.url + "/files/", "--no-cache")
        self.assertEqual(versions(doc), ["3.0", "2.1", "2.0", "1.0"])
        # A flat page says nothing of yanking or Requires-Python: 3.0 is usable from here.
        self.assertEqual(by_version(doc, "3.0")["best"], "Foo_Bar-3.0-py3-none-any.whl")
        self.assertFalse(by_version(doc, "2.1")["yanked"])

    def test_no_index_alone_finds_nothing(self):
        doc, _ = candidates("foo-bar", "-i", file_index(), "--no-index")
        self.assertEqual(doc["versions"], [])

    def test_missing_find_links_directory_only_warns(self):
        missing = STATE["tmp"] / "no-such-dir"
        doc, r = candidates("foo-bar", "-i", file_index(), "-f", str(missing))
        self.assertEqual(versions(doc), ["3.0", "2.1", "2.0", "1.0"])
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("thoth: warning: "), r)
        self.assertIn(str(missing), lines[0])
        # -q silences warnings, not results.
        r = run(["-q", "debug", "candidates", "foo-bar", "-i", file_index(), "-f", str(missing),
                 "--target-env", STATE["target"]])
        self.assertEqual((r.rc, r.stderr), (0, ""), r)

    def test_bad_option_values_are_usage_errors(self):
        for args, fragment in ((["--index-strategy", "best"], "--index-strategy"),
                               (["--exclude-newer", "yesterday"], "--exclude-newer"),
                               (["--timeout", "0"], "invalid --timeout 0 (expected seconds > 0"),
                               (["--retries", "-1"], "invalid --retries value (expected a whole number"),
                               (["--retries", "1.5"], "invalid --retries value"),
                               (["--cert", str(STATE["tmp"] / "nope.pem")], "nope.pem")):
            r = run(["debug", "candidates", "foo-bar", "-i", file_index(), "--target-env", STATE["target"], *args])
            self.assertEqual(r.rc, 2, r)
            self.assertEqual(r.stdout, "")
            self.assertEqual(len(r.stderr.splitlines()), 1, r)
            self.assertIn(fragment, r.stderr)

    def test_unusable_cache_directory_is_one_warning(self):
        not_a_dir = STATE["tmp"] / "plain-file"
        not_a_dir.write_text("x")
        r = run(["debug", "candidates", "foo-bar", "-i", file_index(), "--target-env", STATE["target"],
                 "--cache-dir", str(not_a_dir)])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr.count("warning:"), 1, r)
        self.assertIn(f"the cache directory {not_a_dir} is not a writable directory", r.stderr)
        self.assertIn("running without a cache", r.stderr)

    def test_missing_index_directory_names_the_option(self):
        r = run(["debug", "candidates", "foo-bar", "-i", "file:///nonexistent/simple", "--target-env", STATE["target"]])
        self.assertEqual(r.rc, 3, r)
        self.assertIn("/nonexistent/simple/ does not exist (check --index-url)", r.stderr)

    def test_unsupported_index_url(self):
        # Bad input, found before any request: exit status 2 (issue 19), not a network failure.
        r = run(["debug", "candidates", "foo-bar", "-i", "ftp://example.com/simple", "--target-env", STATE["target"]])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("ftp://example.com/simple", r.stderr)


class PipConfiguration(unittest.TestCase):
    def test_pip_index_url_and_extra(self):
        doc, _ = candidates("foo-bar", env={"PIP_INDEX_URL": file_index("extra")})
        self.assertEqual(versions(doc), ["9.0"])
        doc, _ = candidates("only-extra", env={"PIP_INDEX_URL": file_index(), "PIP_EXTRA_INDEX_URL": file_index("extra")})
        self.assertEqual(versions(doc), ["0.5"])
        # The command line wins over the environment.
        doc, _ = candidates("foo-bar", "-i", file_index(), env={"PIP_INDEX_URL": file_index("extra")})
        self.assertEqual(versions(doc), ["3.0", "2.1", "2.0", "1.0"])

    def test_pip_find_links_and_no_index(self):
        links = STATE["tmp"] / "links-env"
        links.mkdir(exist_ok=True)
        shutil.copy(STATE["extra"].file("only_extra-0.5-py3-none-any.whl").path, links)
        doc, _ = candidates("only-extra", env={"PIP_INDEX_URL": file_index(), "PIP_FIND_LINKS": str(links),
                                               "PIP_NO_INDEX": "1"})
        self.assertEqual(versions(doc), ["0.5"])
        self.assertTrue(doc["versions"][0]["files"][0]["url"].startswith(links.as_uri()))

    def test_pip_conf_via_pip_config_file(self):
        conf = STATE["tmp"] / "pip.conf"
        conf.write_text(f"[global]\nindex-url = {file_index('extra')}\n\n[install]\nindex-url = {file_index()}\n"
                        f"extra-index-url =\n    {file_index('extra')}\n")
        doc, r = candidates("foo-bar", "--index-strategy", "unsafe-best-match", env={"PIP_CONFIG_FILE": str(conf)})
        self.assertEqual(versions(doc), ["9.0", "3.0", "2.1", "2.0", "1.0"])
        self.assertEqual(by_version(doc, "3.0")["files"][0]["source"], 0)  # [install] index-url wins
        # PIP_CONFIG_FILE=/dev/null: no file at all, so the default index (pypi.org) would be used;
        # -i keeps the test offline.
        doc, _ = candidates("foo-bar", "-i", file_index("extra"), env={"PIP_CONFIG_FILE": "/dev/null"})
        self.assertEqual(versions(doc), ["9.0"])

    def test_user_pip_conf(self):
        conf_dir = pathlib.Path(STATE["env"]["XDG_CONFIG_HOME"]) / "pip"
        conf_dir.mkdir(parents=True, exist_ok=True)
        (conf_dir / "pip.conf").write_text(f"[global]\nindex-url = {file_index('extra')}\n")
        try:
            doc, _ = candidates("foo-bar")
            self.assertEqual(versions(doc), ["9.0"])
        finally:
            (conf_dir / "pip.conf").unlink()


class DebugMetadata(unittest.TestCase):
    def test_many_projects(self):
        r = run(["debug", "metadata", "foo-bar", "idna", "onlypre", "only-extra", "-i", file_index(),
                 "--extra-index-url", file_index("extra"), "--target-env", STATE["target"], "--json"])
        self.assertEqual(r.rc, 0, r)
        doc = {p["name"]: p for p in json.loads(r.stdout)["projects"]}
        # 3.0 is excluded by Requires-Python and 2.1 is yanked: 2.0 is what a resolver tries first.
        self.assertEqual(doc["foo-bar"]["version"], "2.0")
        self.assertEqual(doc["foo-bar"]["metadata"]["requires_dist"], ["idna>=2.5", 'socks>=1; extra == "socks"'])
        self.assertEqual(doc["idna"]["version"], "3.4")  # a final release over a newer pre-release
        self.assertEqual(doc["onlypre"]["version"], "1.0a1")  # nothing else
        self.assertEqual(doc["only-extra"]["metadata"]["requires_dist"], ["idna"])

    def test_text_and_failure(self):
        r = run(["debug", "metadata", "foo-bar", "no-such-project", "-i", file_index(),
                 "--target-env", STATE["target"]])
        self.assertEqual(r.rc, 3, r)
        self.assertEqual(r.stdout, "foo-bar 2.0 (Foo_Bar-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl)\n"
                                   "  requires-python >=3.8\n  requires-dist idna>=2.5\n"
                                   '  requires-dist socks>=1; extra == "socks"\n')
        self.assertEqual(r.stderr.splitlines(), ["thoth: error: no-such-project: no such project on the configured indexes"])


class Cache(unittest.TestCase):
    def test_dir(self):
        r = run(["cache", "dir"])
        self.assertEqual((r.rc, r.stdout), (0, str(pathlib.Path(STATE["env"]["XDG_CACHE_HOME"]) / "thoth") + "\n"), r)
        r = run(["cache", "dir"], unset=["XDG_CACHE_HOME"], env={"XDG_CACHE_HOME": ""})
        self.assertEqual(r.stdout, str(pathlib.Path(STATE["env"]["HOME"]) / ".cache" / "thoth") + "\n", r)
        r = run(["cache", "dir", "--cache-dir", "rel/dir"], cwd=STATE["tmp"])
        self.assertEqual(r.stdout, str(STATE["tmp"] / "rel" / "dir") + "\n", r)

    def test_info_and_clean(self):
        cache = STATE["tmp"] / "cache-admin"
        r = run(["cache", "info", "--cache-dir", str(cache)])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("(does not exist yet)", r.stdout)
        self.assertIn("total: 0 entries, 0 B", r.stdout)
        with MirrorServer(STATE["main"].root) as srv:
            candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache), "--metadata")
        r = run(["cache", "info", "--cache-dir", str(cache)])
        self.assertEqual(r.rc, 0, r)
        # One project page; three PEP 658 files stored by hash (2.1, 2.0 and 1.0 are usable).
        self.assertRegex(r.stdout, r"index pages and responses: 1 entry, ")
        self.assertRegex(r.stdout, r"metadata and files by hash: 3 entries, ")
        # The page's parsed listing is kept in the page's own entry (only file:// pages have their own).
        self.assertRegex(r.stdout, r"parsed local index pages and lock memos: 0 entries, ")
        self.assertRegex(r.stdout, r"total: 4 entries, ")
        # A file of someone else's in the cache directory survives clean.
        (cache / "mine.txt").write_text("keep me")
        r = run(["cache", "clean", "--cache-dir", str(cache)])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.stdout.startswith("removed 4 entries, "), r)
        self.assertEqual((cache / "mine.txt").read_text(), "keep me")
        self.assertEqual(sorted(p.name for p in cache.iterdir()), ["mine.txt"])
        r = run(["cache", "info", "--cache-dir", str(cache)])
        self.assertIn("total: 0 entries, 0 B", r.stdout)
        # Without foreign files the directory itself goes too.
        (cache / "mine.txt").unlink()
        run(["cache", "clean", "--cache-dir", str(cache)])
        self.assertFalse(cache.exists())

    def test_parsed_listing_is_reused_only_for_the_same_page(self):
        mirror = mirror_gen.build_mirror(MAIN_SPEC, str(STATE["tmp"] / "listing-mirror"))
        cache = STATE["tmp"] / "cache-listing"

        def page_entry():
            """The cache entry of foo-bar's page, which keeps the page's parsed listing with it."""
            entries = [p for p in (cache / "pages-v1").rglob("*/*") if b"/simple/foo-bar/\n" in p.read_bytes()]
            self.assertEqual(len(entries), 1, entries)
            return entries[0]

        # No Cache-Control: every run revalidates the page, so the test sees a new one at once.
        with MirrorServer(mirror.root, cache_control=None) as srv:
            first, _ = candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache))
            stored = page_entry().read_bytes()
            self.assertIn(b"thl5", stored)  # the digest's FlatBuffers file identifier
            self.assertFalse((cache / "derived-v1").exists())
            warm, _ = candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache))
            self.assertEqual(warm, first)
            # A damaged digest is not used: the page is parsed again and the digest rewritten.
            page_entry().write_bytes(stored.replace(b"thl5", b"thX5"))
            damaged, _ = candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache))
            self.assertEqual(damaged, first)
            self.assertIn(b"thl5", page_entry().read_bytes())
            warm, _ = candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache))
            self.assertEqual(warm, first)
            # The index publishes a new page (3.0 removed): the new body is parsed, not the digest used.
            page = pathlib.Path(mirror.simple_dir) / "foo-bar" / "index.json"
            doc = json.loads(page.read_text())
            doc["files"] = [f for f in doc["files"] if "-3.0" not in f["filename"]]
            page.write_text(json.dumps(doc))
            changed, _ = candidates("foo-bar", "-i", srv.index_url, "--cache-dir", str(cache))
            self.assertEqual(versions(changed), [v for v in versions(first) if v != "3.0"])
            self.assertIn(b"thl5", page_entry().read_bytes())

    def test_default_cache_is_used_and_no_cache_writes_nothing(self):
        env = {"XDG_CACHE_HOME": str(STATE["tmp"] / "xdg-cache")}
        with MirrorServer(STATE["main"].root) as srv:
            candidates("foo-bar", "-i", srv.index_url, "--no-cache", env=env)
            self.assertFalse((STATE["tmp"] / "xdg-cache").exists())
            candidates("foo-bar", "-i", srv.index_url, env=env)
        self.assertTrue((STATE["tmp"] / "xdg-cache" / "thoth").is_dir())
        r = run(["cache", "info"], env=env)
        self.assertIn("index pages and responses: 1 entry", r.stdout)

    def test_help(self):
        r = run(["cache", "--help"])
        self.assertEqual(r.rc, 0, r)
        for word in ("dir", "info", "clean"):
            self.assertIn(word, r.stdout)
        r = run(["help", "debug"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("candidates", r.stdout)
        for command in ("debug", "cache"):  # without a subcommand: its help
            r = run([command])
            self.assertEqual(r.rc, 0, r)
            self.assertIn(f"Usage: thoth {command} [OPTIONS] [SUBCOMMAND]", r.stdout)
        r = run(["debug", "candidates", "--help"])
        self.assertEqual(r.rc, 0, r)
        for option in ("-i,--index-url", "--extra-index-url", "-f,--find-links", "--no-index", "--index-strategy",
                       "--trusted-host", "--cert", "--client-cert", "--exclude-newer", "--cache-dir", "--no-cache",
                       "--offline", "--timeout", "--retries", "--proxy", "--target-env", "--json", "--metadata"):
            self.assertIn(option, r.stdout)

    def test_missing_name_is_usage_error(self):
        r = run(["debug", "candidates"])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("NAME", r.stderr)


if __name__ == "__main__":
    unittest.main()
