"""End-to-end tests of the knowledge-guided advisor on the example mirror (examples/mirror): `thoth
advise`, `thoth lock --recommend`, `thoth kb import-osv|check|explain|observe` and `thoth sample`.

* each recommendation moves the versions the knowledge base says it should, and nothing else; the lock
  it writes resolves again as it is (every stack is a full resolution);
* a security advisory with no clean way around is reported loudly, not silently kept;
* the same seed and move budget give the same bytes; the justification report names the facts;
* OSV records (files, a directory, a zip) become security facts the advisor acts on; a bad KB is
  refused naming the fact;
* a sample is N distinct valid locks, and a failure recorded with kb observe is avoided afterwards.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_advise.py"""

import json
import pathlib
import re
import sys
import unittest
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402

EXAMPLES = harness.source_dir() / "examples"
REQUIREMENTS = EXAMPLES / "requirements.txt"
FILE_INDEX = (EXAMPLES / "mirror").resolve().as_uri() + "/simple"
TARGET = ["--python-version", "3.11", "--platform", "manylinux_2_17_x86_64"]
PIN = re.compile(r"^([a-z0-9][a-z0-9._-]*)(\[[^\]]*\])?==(\S+)", re.M)


def pins(text):
    return {m.group(1): m.group(3) for m in PIN.finditer(text)}


def fact(package, versions, kind, score, **extra):
    return {"package": package, "versions": versions, "kind": kind, "score": score, **extra}


class Advise(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        plain = cls.run_thoth(cls, "lock", "-r", str(REQUIREMENTS), "--no-header")
        assert plain.rc == 0, plain
        cls.plain = pins(plain.stdout)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.__exit__(None, None, None)

    def run_thoth(self, command, *args):
        common = ["--index-url", FILE_INDEX, *TARGET, "--cache-dir", str(self.tmp / "cache")]
        return harness.run([command, *args, *common])

    def kb(self, name, facts):
        path = self.tmp / name
        path.write_text(json.dumps({"kb-version": 1, "facts": facts}))
        return path

    def advise(self, kb, recommend, *args):
        return self.run_thoth("advise", "-r", str(REQUIREMENTS), "--no-header", "--kb", str(kb), "--recommend",
                              recommend, "--budget", "300", *args)

    def test_plain_lock_is_the_readme_answer(self):
        self.assertEqual(self.plain["templar"], "3.1.3")
        self.assertEqual(self.plain["httpkit"], "2.1.1")

    def test_security_avoids_an_advisory(self):
        kb = self.kb("security.json", [fact("Templar", "==3.1.3", "security", -0.8, ids=["CVE-2099-0001"],
                                            message="template injection")])
        r = self.advise(kb, "security")
        self.assertEqual(r.rc, 0, r)
        got = pins(r.stdout)
        self.assertEqual(got["templar"], "3.1.2")
        # Nothing else has a reason to move.
        self.assertEqual({k: v for k, v in got.items() if k != "templar"},
                         {k: v for k, v in self.plain.items() if k != "templar"})
        # The lock resolves again as it is: the pins are a full, valid resolution.
        lock = self.tmp / "security.txt"
        lock.write_text(r.stdout)
        again = self.run_thoth("lock", "-r", str(lock), "--no-header")
        self.assertEqual(again.rc, 0, again)
        self.assertEqual(pins(again.stdout), got)

    def test_security_without_a_clean_stack_is_loud(self):
        kb = self.kb("nowhere.json", [fact("templar", ">=3.1", "security", -0.9, ids=["CVE-2099-0002"])])
        r = self.advise(kb, "security")
        self.assertEqual(r.rc, 0, r)
        self.assertIn("templar", r.stderr)
        self.assertIn("warning", r.stderr)

    def test_stable_vetoes_a_broken_release_and_performance_adds_scores(self):
        kb = self.kb("mixed.json", [fact("templar", "==3.1.3", "broken", -1.0, veto=True, message="crashes"),
                                    fact("httpkit", ">=2.1", "performance", -0.4, message="slow")])
        stable = self.advise(kb, "stable")
        self.assertEqual(stable.rc, 0, stable)
        self.assertEqual(pins(stable.stdout)["templar"], "3.1.2")
        # Nothing else moves: among stacks that score the same, the newest is kept.
        self.assertEqual({k: v for k, v in pins(stable.stdout).items() if k != "templar"},
                         {k: v for k, v in self.plain.items() if k != "templar"})
        performance = self.advise(kb, "performance")
        self.assertEqual(performance.rc, 0, performance)
        self.assertNotEqual(pins(performance.stdout)["httpkit"], self.plain["httpkit"])
        # latest: the KB only annotates (a veto still removes the vetoed version).
        latest = self.advise(kb, "latest")
        self.assertEqual(latest.rc, 0, latest)
        self.assertEqual(pins(latest.stdout)["httpkit"], self.plain["httpkit"])

    def test_same_seed_same_bytes_and_justification(self):
        kb = self.kb("perf.json", [fact("httpkit", ">=2.1", "performance", -0.4, message="slow"),
                                   fact("templar", "<3.1.3", "performance", 0.2, message="fast")])
        outputs = []
        for _ in range(2):
            justify = self.tmp / f"justify-{len(outputs)}.json"
            r = self.advise(kb, "performance", "--seed", "7", "--justify", str(justify))
            self.assertEqual(r.rc, 0, r)
            outputs.append((r.stdout, json.loads(justify.read_text())))
        self.assertEqual(outputs[0][0], outputs[1][0])
        report = outputs[0][1]
        self.assertEqual(report["recommendation"], "performance")
        self.assertEqual(report["search"]["seed"], 7)
        packages = {p["name"]: p for p in report["stacks"][0]["packages"]}
        self.assertEqual(packages["templar"]["newest"], "3.1.3")
        self.assertEqual(packages["templar"]["version"], pins(outputs[0][0])["templar"])
        reasons = [e["fact"]["message"] for p in packages.values() for e in p["facts"] + p["avoided"] if "fact" in e]
        self.assertIn("slow", reasons)
        for key in ("score", "vetoes", "packages"):
            self.assertIn(key, report["stacks"][0])
        for key in ("iterations", "resolutions", "states", "elapsed_ms"):
            self.assertIn(key, report["stats"])
        stats = report["stats"]
        self.assertLessEqual(stats["iterations"], 300)

    def test_lock_recommend_is_advise(self):
        kb = self.kb("sec2.json", [fact("templar", "==3.1.3", "security", -0.8)])
        via_lock = self.run_thoth("lock", "-r", str(REQUIREMENTS), "--no-header", "--kb", str(kb), "--recommend",
                                  "security", "--budget", "300")
        self.assertEqual(via_lock.rc, 0, via_lock)
        self.assertEqual(pins(via_lock.stdout), pins(self.advise(kb, "security").stdout))

    def test_osv_import_from_files_directory_and_zip(self):
        records = self.tmp / "osv"
        records.mkdir(exist_ok=True)
        (records / "PYSEC-2099-1.json").write_text(json.dumps({
            "id": "PYSEC-2099-1", "aliases": ["CVE-2099-0003"], "summary": "bad templates",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "templar"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.1.3"}]}]}],
            "references": [{"type": "ADVISORY", "url": "https://example.invalid/PYSEC-2099-1"}]}))
        (records / "GHSA-xxxx.json").write_text(json.dumps({
            "id": "GHSA-xxxx", "summary": "old and broken",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "httpkit"},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}],
                          "versions": ["1.9.0"]}]}))
        (records / "broken.json").write_text("{not json")
        archive = self.tmp / "osv.zip"
        with zipfile.ZipFile(archive, "w") as z:
            for f in sorted(records.glob("*.json")):
                z.write(f, f"advisories/{f.name}")
        for source, name in ((records, "from-dir.json"), (archive, "from-zip.json")):
            out = self.tmp / name
            r = harness.run(["kb", "import-osv", str(source), "-o", str(out)])
            self.assertEqual(r.rc, 0, r)
            self.assertIn("broken.json", r.stderr)  # reported by name, skipped
            data = json.loads(out.read_text())
            by_package = {f["package"]: f for f in data["facts"]}
            self.assertEqual(by_package["templar"]["versions"], ">=3.1.3")
            self.assertEqual(by_package["templar"]["kind"], "security")
            self.assertIn("CVE-2099-0003", by_package["templar"]["ids"])
            self.assertEqual(by_package["httpkit"]["versions"], "<2.0.0")
        r = self.advise(self.tmp / "from-zip.json", "security")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(pins(r.stdout)["templar"], "3.1.2")

    def test_kb_check_and_explain(self):
        bad = self.kb("bad.json", [fact("templar", ">=nope", "security", -1.0), fact("x", "", "weird", 0.0)])
        r = harness.run(["kb", "check", str(bad)])
        self.assertEqual(r.rc, 2, r)
        self.assertIn("facts[0]", r.stderr)
        self.assertIn("facts[1]", r.stderr)
        good = self.kb("good.json", [fact("templar", ">=3.1", "security", -0.5, message="watch out")])
        r = harness.run(["kb", "check", str(good)])
        self.assertEqual(r.rc, 0, r)
        r = harness.run(["kb", "explain", "templar==3.1.3", "--kb", str(good)])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("watch out", r.stdout)
        r = self.run_thoth("advise", "-r", str(REQUIREMENTS), "--kb", str(bad))
        self.assertEqual(r.rc, 2, r)
        self.assertIn("bad.json", r.stderr)

    def test_sample_and_observe(self):
        out = self.tmp / "samples"
        r = self.run_thoth("sample", "-r", str(REQUIREMENTS), "--count", "4", "--seed", "3", "-o", str(out))
        self.assertEqual(r.rc, 0, r)
        locks = sorted(out.glob("lock-*.txt"))
        self.assertEqual(len(locks), 4)
        stacks = [tuple(sorted(pins(p.read_text()).items())) for p in locks]
        self.assertEqual(len(set(stacks)), 4)
        for lock in locks:  # each is a valid resolution: it locks again to itself
            again = self.run_thoth("lock", "-r", str(lock), "--no-header")
            self.assertEqual(again.rc, 0, again)
            self.assertEqual(pins(again.stdout), dict(stacks[locks.index(lock)]))
        # The plain stack fails its tests: recorded, then avoided by the stable recommendation.
        plain_lock = self.tmp / "plain.txt"
        plain_lock.write_text("".join(f"{n}=={v}\n" for n, v in sorted(self.plain.items())))
        kb = self.tmp / "observed.json"
        r = harness.run(["kb", "observe", "--lock", str(plain_lock), "--result", "fail", "--message", "tests fail",
                         "-o", str(kb)])
        self.assertEqual(r.rc, 0, r)
        advised = self.advise(kb, "stable")
        self.assertEqual(advised.rc, 0, advised)
        self.assertNotEqual(pins(advised.stdout), self.plain)

    def test_usage_errors(self):
        for args, text in ((["lock", "-r", str(REQUIREMENTS), "--kb", "x.json"], "--recommend"),
                           (["advise", "-r", str(REQUIREMENTS), "--recommend", "fastest"], "--recommend"),
                           (["advise", "-r", str(REQUIREMENTS), "--budget", "soon"], "--budget"),
                           (["advise", "-r", str(REQUIREMENTS), "--search", "genetic"], "--search"),
                           (["sample", "-r", str(REQUIREMENTS)], "-o DIR")):
            r = self.run_thoth(*args)
            self.assertEqual(r.rc, 2, (args, r))
            self.assertIn(text, r.stderr, args)


if __name__ == "__main__":
    unittest.main()
