"""End-to-end tests of `thoth lock` as a drop-in for pip-compile (pip-tools 7): the markers written on
pin lines, the incremental model (an existing -o file's pins are preferences; --upgrade,
--upgrade-package), the output flags, positional requirement files, how -o writes its file (symlinks,
permissions, devices and FIFOs), input errors and the resolution timeout.

Each test builds a small mirror with tests/support/mirror.py and reads it over file://, for an explicit
target, so the answers do not depend on the machine's interpreter.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_lock_compile.py [-k NAME]"""

import os
import pathlib
import re
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402
from support.server import MirrorServer  # noqa: E402

LINUX_311 = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64", "--implementation", "cp"]

PIN_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def pins(text):
    """{normalised name: version} of the `name==version` lines of a requirements lock."""
    return {mirrorlib.normalize_name(m.group(1)): m.group(2) for m in PIN_LINE.finditer(text)}


class CompileCase(unittest.TestCase):
    """Base: a temp dir per test (the working directory of thoth), a mirror built into it."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="thoth-e2e-compile-")
        self.addCleanup(self._tmp.cleanup)
        self.tmp = pathlib.Path(self._tmp.name)
        self.index_url = None

    def build(self, projects):
        root = self.tmp / "mirror"
        mirrorlib.build_mirror({"projects": projects}, str(root))
        self.index_url = (root / "simple").as_uri() + "/"

    def write(self, relpath, text):
        path = self.tmp / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def lock(self, *args, target=LINUX_311, env=None, cache=True):
        cmd = ["lock", *args, *target, *(["--cache-dir", str(self.tmp / "cache")] if cache else ["--no-cache"])]
        if self.index_url:
            cmd += ["--index-url", self.index_url]
        return harness.run(cmd, cwd=self.tmp, env=env, unset=["CUSTOM_COMPILE_COMMAND"], timeout=180)

    def ok(self, result):
        self.assertEqual(result.rc, 0, f"thoth lock failed\n{result}")
        return result

    def usage_error(self, result, *fragments):
        """Exit 2, a one-line message naming each fragment, nothing on stdout."""
        self.assertEqual(result.rc, 2, str(result))
        self.assertEqual(result.stdout, "", str(result))
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, str(result))
        for fragment in fragments:
            self.assertIn(fragment, result.stderr, str(result))


class RootMarkers(CompileCase):
    """pip-compile filters out root requirements whose marker is false for the target before resolving
    (compile.py, PEP 496) and copies the marker of a top-level requirement onto its pin line."""

    def setUp(self):
        super().setUp()
        self.build({
            "beta": {"1.0": {}, "2.0": {}},
            "gamma": {"1.0": {"requires_dist": ["beta"]}},
        })

    def pin_line(self, text, name):
        return next(line for line in text.splitlines() if line.startswith(name + "=="))

    def test_false_marker_root_does_not_contribute(self):
        reqs = self.write("requirements.in", 'beta>=2; python_version>="3.8"\nbeta<2; python_version<"3.8"\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), 'beta==2.0 ; python_version >= "3.8"', out)
        # The other order: the last line's (false) marker is not the one written.
        reqs.write_text('beta<2; python_version<"3.8"\nbeta>=2; python_version>="3.8"\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), 'beta==2.0 ; python_version >= "3.8"', out)

    def test_unconditional_root_writes_no_marker(self):
        reqs = self.write("requirements.in", 'beta; python_version>="3.8"\nbeta>=1\n')
        out = self.ok(self.lock("-r", str(reqs))).stdout
        self.assertEqual(self.pin_line(out, "beta"), "beta==2.0", out)

    def test_dependency_of_another_pin_writes_no_marker(self):
        # gamma needs beta wherever gamma is installed, whatever beta's own root line says.
        out = self.ok(self.lock('beta; python_version>="3.8"', "gamma")).stdout
        self.assertEqual(self.pin_line(out, "beta"), "beta==2.0", out)
        self.assertEqual(self.pin_line(out, "gamma"), "gamma==1.0", out)


class Incremental(CompileCase):
    """pip-compile's incremental model: the pins of an existing -o file are preferences."""

    def setUp(self):
        super().setUp()
        self.build({
            "app": {"1.0": {"requires_dist": ["lib>=1"]}, "2.0": {"requires_dist": ["lib>=1"]}},
            "lib": {"1.0": {}, "1.5": {}, "2.0": {}},
            "tool": {"1.0": {}, "3.0": {}},
        })
        self.reqs = self.write("requirements.in", "app\ntool\n")
        self.out = self.write("requirements.txt", "app==1.0\nlib==1.0\ntool==1.0\n")

    def compile(self, *args):
        r = self.ok(self.lock("-r", "requirements.in", "-o", "requirements.txt", *args))
        return pins(self.out.read_text())

    def test_existing_pins_are_kept(self):
        self.assertEqual(self.compile(), {"app": "1.0", "lib": "1.0", "tool": "1.0"})
        # Without an existing file: the newest versions.
        self.out.unlink()
        self.assertEqual(self.compile(), {"app": "2.0", "lib": "2.0", "tool": "3.0"})
        # Its own output is stable under re-locking.
        before = self.out.read_text()
        self.compile()
        self.assertEqual(self.out.read_text(), before)

    def test_upgrade_ignores_every_pin(self):
        for flag in ("--upgrade", "-U"):
            self.out.write_text("app==1.0\nlib==1.0\ntool==1.0\n")
            self.assertEqual(self.compile(flag), {"app": "2.0", "lib": "2.0", "tool": "3.0"}, flag)
        # A one-off option: not recorded in the header.
        self.assertNotIn("--upgrade", self.out.read_text())

    def test_upgrade_package_upgrades_only_those(self):
        self.assertEqual(self.compile("--upgrade-package", "lib"), {"app": "1.0", "lib": "2.0", "tool": "1.0"})
        self.out.write_text("app==1.0\nlib==1.0\ntool==1.0\n")
        self.assertEqual(self.compile("-P", "LIB", "-P", "tool"), {"app": "1.0", "lib": "2.0", "tool": "3.0"})
        # To a given version: the new pin satisfies it.
        self.out.write_text("app==1.0\nlib==1.0\ntool==1.0\n")
        self.assertEqual(self.compile("-P", "lib==1.5"), {"app": "1.0", "lib": "1.5", "tool": "1.0"})
        self.out.write_text("app==1.0\nlib==1.0\ntool==1.0\n")
        self.assertEqual(self.compile("-P", "lib<2"), {"app": "1.0", "lib": "1.5", "tool": "1.0"})
        self.assertNotIn("upgrade", self.out.read_text())

    def test_pin_that_no_longer_fits_moves(self):
        self.reqs.write_text("app\ntool\nlib>=1.5\n")
        self.assertEqual(self.compile(), {"app": "1.0", "lib": "2.0", "tool": "1.0"})

    def test_bad_upgrade_options_exit_2(self):
        self.usage_error(self.lock("-r", "requirements.in", "-o", "requirements.txt", "-U", "-P", "lib"),
                         "--upgrade", "--upgrade-package")
        self.usage_error(self.lock("-r", "requirements.in", "-P", "lib>>1"), "--upgrade-package 'lib>>1'")
        self.assertEqual(self.out.read_text(), "app==1.0\nlib==1.0\ntool==1.0\n")

    def test_an_existing_file_that_is_not_a_lock_is_replaced_with_a_warning(self):
        self.out.write_text("not a lock at all\n")
        r = self.ok(self.lock("-r", "requirements.in", "-o", "requirements.txt"))
        self.assertIn("warning", r.stderr)
        self.assertIn("requirements.txt", r.stderr)
        self.assertEqual(pins(self.out.read_text()), {"app": "2.0", "lib": "2.0", "tool": "3.0"})


class OutputFlags(CompileCase):
    """pip-compile's output options: --no-header, --no-annotate, --strip-extras, --annotation-style,
    --emit-index-url/--no-emit-index-url, --unsafe-package, --dry-run; and positional source files."""

    def setUp(self):
        super().setUp()
        self.build({
            "web": {"1.0": {"requires_dist": ["core>=1", "setuptools", "fastlib; extra == 'fast'"],
                            "provides_extra": ["fast"]}},
            "core": {"1.0": {}},
            "fastlib": {"1.0": {"requires_dist": ["core"]}},
            "setuptools": {"69.0": {}},
        })
        self.reqs = self.write("requirements.in", "web[fast]\n")

    def test_defaults(self):
        out = self.ok(self.lock("-r", "requirements.in")).stdout
        self.assertTrue(out.startswith("#\n# This file is autogenerated by thoth with Python 3.11\n"), out)
        self.assertIn(f"\n--index-url {self.index_url}\n\n", out)
        self.assertIn("\ncore==1.0\n    # via\n    #   fastlib\n    #   web\n", out)
        self.assertIn("\nweb[fast]==1.0\n    # via -r requirements.in\n", out)
        self.assertTrue(out.endswith("\n# The following packages are considered to be unsafe in a requirements file:\n"
                                     "# setuptools\n"), out)

    def test_no_header(self):
        out = self.ok(self.lock("-r", "requirements.in", "--no-header")).stdout
        self.assertTrue(out.startswith(f"--index-url {self.index_url}\n\ncore==1.0\n"), out)

    def test_network_settings_stay_out_of_the_header(self):
        # How this machine reaches the network (a proxy may carry a password) is not part of the lock.
        ca = self.tmp / "ca.pem"  # a real certificate: --cert refuses a file that holds none
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", "/CN=thoth-test", "-keyout", str(self.tmp / "ca.key"),
                        "-out", str(ca)], check=True, capture_output=True)
        out = self.ok(self.lock("-r", "requirements.in", "--proxy", "http://u:s3cret@127.0.0.1:9",
                                "--cert", str(ca), "--timeout", "5")).stdout
        header = out[:out.index("\n\n")]
        for word in ("--proxy", "s3cret", "--cert", "--timeout"):
            self.assertNotIn(word, header)

    def test_no_annotate_and_strip_extras(self):
        out = self.ok(self.lock("-r", "requirements.in", "--no-annotate", "--strip-extras")).stdout
        self.assertNotIn("# via", out)
        self.assertIn("\ncore==1.0\nfastlib==1.0\nweb==1.0\n\n", out)
        self.assertIn(" --no-annotate --platform=manylinux2014_x86_64 --python-version=3.11 "
                      "--requirement=requirements.in --strip-extras\n", out)

    def test_annotation_style_line(self):
        out = self.ok(self.lock("-r", "requirements.in", "--annotation-style", "line")).stdout
        self.assertIn("\ncore==1.0                 # via fastlib, web\n"
                      "fastlib==1.0              # via web\n"
                      "web[fast]==1.0            # via -r requirements.in\n", out)
        out = self.ok(self.lock("-r", "requirements.in", "--annotation-style=split")).stdout
        self.assertIn("\nfastlib==1.0\n    # via web\n", out)
        self.usage_error(self.lock("-r", "requirements.in", "--annotation-style", "wide"), "--annotation-style", "wide")

    def test_emit_index_url(self):
        out = self.ok(self.lock("-r", "requirements.in", "--no-emit-index-url")).stdout
        self.assertNotIn("\n--index-url", out)
        self.assertIn("--no-emit-index-url", out.split("\n\n")[0])  # recorded in the header
        # The last of the pair wins, as with pip-compile's click flag pair; the default is not recorded.
        out = self.ok(self.lock("-r", "requirements.in", "--no-emit-index-url", "--emit-index-url")).stdout
        self.assertIn(f"\n--index-url {self.index_url}\n", out)
        self.assertNotIn("emit-index-url", out)

    def test_unsafe_package(self):
        out = self.ok(self.lock("-r", "requirements.in", "--unsafe-package", "Core", "--unsafe-package", "fastlib")).stdout
        self.assertIn("\nsetuptools==69.0\n    # via web\n", out)
        self.assertTrue(out.endswith("# The following packages are considered to be unsafe in a requirements file:\n"
                                     "# core\n# fastlib\n"), out)
        out = self.ok(self.lock("-r", "requirements.in", "--unsafe-package", "core", "--allow-unsafe")).stdout
        self.assertTrue(out.endswith("# The following packages are considered to be unsafe in a requirements file:\n"
                                     "core==1.0\n    # via\n    #   fastlib\n    #   web\n"), out)
        self.usage_error(self.lock("-r", "requirements.in", "--unsafe-package", "not a name"), "--unsafe-package")

    def test_dry_run_writes_nothing(self):
        out = self.tmp / "requirements.txt"
        r = self.ok(self.lock("-r", "requirements.in", "-o", "requirements.txt", "--dry-run"))
        self.assertIn("\nweb[fast]==1.0\n", r.stdout)
        self.assertNotIn("--dry-run", r.stdout)
        self.assertIn("Dry-run, so nothing updated.", r.stderr)
        self.assertFalse(out.exists())
        out.write_text("core==1.0\n")
        r = self.ok(self.lock("-r", "requirements.in", "-o", "requirements.txt", "--dry-run"))
        self.assertIn("\ncore==1.0\n", r.stdout)
        self.assertEqual(out.read_text(), "core==1.0\n")
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir() if p.name != "cache"),
                         ["mirror", "requirements.in", "requirements.txt"])  # no temporary file either

    def test_positional_requirement_files(self):
        by_option = self.ok(self.lock("-r", "requirements.in")).stdout
        positional = self.ok(self.lock("requirements.in")).stdout
        self.assertIn("--python-version=3.11 requirements.in\n#\n", positional)
        body = lambda text: text[text.index("\n--index-url"):]  # noqa: E731
        self.assertEqual(body(positional), body(by_option))
        # .txt too, mixed with a requirement; the file's lines are "-r FILE" in the annotations.
        self.write("sub/more.txt", "core\n")
        out = self.ok(self.lock("sub/more.txt", "web")).stdout
        self.assertIn("\ncore==1.0\n    # via\n    #   -r sub/more.txt\n    #   web\n", out)
        self.assertIn("\nweb==1.0\n", out)
        # An existing file of another name is not a requirements file, nor is a missing one.
        self.write("core", "web\n")
        self.assertEqual(pins(self.ok(self.lock("core")).stdout), {"core": "1.0"})
        r = self.lock("missing.in")
        self.assertNotEqual(r.rc, 0)
        # Project files are not read yet: said plainly.
        self.write("pyproject.toml", "[project]\nname = 'x'\n")
        self.usage_error(self.lock("pyproject.toml"), "pyproject.toml", "not supported")


class OutputFile(CompileCase):
    """How -o writes: through symlinks (kept) to their target, replaced atomically with its permission
    bits kept; devices and FIFOs written in place, never renamed over."""

    def setUp(self):
        super().setUp()
        self.build({"lib": {"1.0": {}}})

    def lock_to(self, output, *args):
        return self.ok(self.lock("lib", "--no-header", "-o", str(output), *args))

    def test_symlinks_are_kept_and_their_target_replaced(self):
        real = self.write("locks/real.txt", "old\n")
        (self.tmp / "link.txt").symlink_to("locks/real.txt")  # relative, resolved from the link's directory
        (self.tmp / "chain.txt").symlink_to("link.txt")
        self.lock_to(self.tmp / "chain.txt")
        self.assertEqual(os.readlink(self.tmp / "chain.txt"), "link.txt")
        self.assertEqual(os.readlink(self.tmp / "link.txt"), "locks/real.txt")
        self.assertIn("lib==1.0\n", real.read_text())
        self.assertEqual(sorted(p.name for p in real.parent.iterdir()), ["real.txt"])  # no temporary left
        # A dangling link: its target is created.
        (self.tmp / "dangling.txt").symlink_to("locks/new.txt")
        self.lock_to(self.tmp / "dangling.txt")
        self.assertTrue((self.tmp / "dangling.txt").is_symlink())
        self.assertIn("lib==1.0\n", (self.tmp / "locks" / "new.txt").read_text())

    def test_temporaries_of_dead_processes_are_swept(self):
        # A thoth killed with SIGKILL while writing leaves ".NAME.tmp.PID.N"; the next write of NAME
        # removes it (its process is gone), but not another live process's one.
        locks = self.tmp / "swept"
        locks.mkdir()
        dead = subprocess.Popen(["true"])
        dead.wait()
        stale = self.write(f"swept/.out.txt.tmp.{dead.pid}.42", "partial")
        live = self.write(f"swept/.out.txt.tmp.{os.getpid()}.43", "partial")
        self.lock_to(locks / "out.txt")
        self.assertFalse(stale.exists())
        self.assertTrue(live.exists())
        self.assertIn("lib==1.0\n", (locks / "out.txt").read_text())

    def test_permission_bits_are_kept(self):
        for mode in (0o640, 0o755, 0o600):
            out = self.write(f"mode-{mode:o}.txt", "old\n")
            out.chmod(mode)
            self.lock_to(out)
            self.assertEqual(stat.S_IMODE(out.stat().st_mode), mode)
            self.assertIn("lib==1.0\n", out.read_text())
        # Through a symlink: the target's bits.
        target = self.write("target.txt", "old\n")
        target.chmod(0o604)
        (self.tmp / "to-target.txt").symlink_to("target.txt")
        self.lock_to(self.tmp / "to-target.txt")
        self.assertEqual(stat.S_IMODE(target.stat().st_mode), 0o604)
        # A new file: 0666 less the umask.
        umask = os.umask(0)
        os.umask(umask)
        self.lock_to(self.tmp / "fresh.txt")
        self.assertEqual(stat.S_IMODE((self.tmp / "fresh.txt").stat().st_mode), 0o666 & ~umask)

    def read_fifo_while_locking(self, output, fifo):
        """Runs the lock with -o `output` while reading `fifo`; returns what came through."""
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader first, so thoth's open does not block
        try:
            cmd = [str(harness.thoth_binary()), "lock", "lib", "--no-header", "-o", str(output), *LINUX_311,
                   "--cache-dir", str(self.tmp / "cache"), "--index-url", self.index_url]
            proc = subprocess.Popen(cmd, cwd=self.tmp, env=harness.clean_env(), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            data, deadline = b"", time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    chunk = None
                if chunk:
                    data += chunk
                elif proc.poll() is not None:
                    break
                else:
                    time.sleep(0.01)
            else:
                proc.kill()
            out, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, 0, err.decode())
            return data.decode()
        finally:
            os.close(fd)

    def test_fifo_is_written_in_place(self):
        fifo = self.tmp / "lock.fifo"
        os.mkfifo(fifo)
        self.assertIn("lib==1.0\n", self.read_fifo_while_locking(fifo, fifo))
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))
        # Through a symlink too; the link stays.
        (self.tmp / "fifo-link").symlink_to("lock.fifo")
        self.assertIn("lib==1.0\n", self.read_fifo_while_locking(self.tmp / "fifo-link", fifo))
        self.assertTrue((self.tmp / "fifo-link").is_symlink())
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def test_symlink_to_dev_null(self):
        link = self.tmp / "null"
        link.symlink_to("/dev/null")
        self.lock_to(link)
        self.assertEqual(os.readlink(link), "/dev/null")
        self.assertTrue(stat.S_ISCHR(os.stat("/dev/null").st_mode))
        self.assertEqual([p.name for p in self.tmp.iterdir() if ".tmp." in p.name], [])

    def test_dev_stdout_is_standard_output(self):
        r = self.lock_to("/dev/stdout")
        self.assertIn("lib==1.0\n", r.stdout)

    def test_directory_is_an_error(self):
        (self.tmp / "adir").mkdir()
        self.usage_error(self.lock("lib", "-o", "adir"), "adir", "directory")


class InputErrors(CompileCase):
    """Requirements files that cannot be read: one line naming the input and what to fix, exit 2; and
    -r URL (http, file), which pip reads too."""

    def setUp(self):
        super().setUp()
        self.build({"lib": {"1.0": {}, "2.0": {}}, "tool": {"1.0": {}}})

    def test_directory_as_requirements_or_constraints_file(self):
        (self.tmp / "reqs").mkdir()
        self.usage_error(self.lock("-r", "reqs"), "reqs", "is a directory")
        self.usage_error(self.lock("lib", "-c", "reqs"), "reqs", "is a directory")
        self.write("top.in", "lib\n-r reqs\n")
        self.usage_error(self.lock("-r", "top.in"), "top.in:2:", "reqs is a directory")

    def test_missing_nested_file_names_the_including_line(self):
        self.write("top.in", "lib\n-r sub/mid.in\n")
        self.write("sub/mid.in", "# comment\ntool\n-c missing.txt\n")
        self.usage_error(self.lock("-r", "top.in"), "sub/mid.in:3:", "sub/missing.txt")
        self.usage_error(self.lock("-r", "absent.in"), "absent.in")

    def test_requirements_file_over_http(self):
        self.write("mirror/reqs/base.in", "lib<2\n-r more.in\n-c cons.txt\n")
        self.write("mirror/reqs/more.in", "tool\n")
        self.write("mirror/reqs/cons.txt", "tool==1.0\n")
        with MirrorServer(str(self.tmp / "mirror")) as srv:
            url = srv.url + "/reqs/base.in"
            out = self.ok(self.lock("-r", url)).stdout
            self.assertEqual(pins(out), {"lib": "1.0", "tool": "1.0"})
            self.assertIn(f"\nlib==1.0\n    # via -r {url}\n", out)
            self.assertIn(f"\ntool==1.0\n    # via\n    #   -c {srv.url}/reqs/cons.txt\n"
                          f"    #   -r {srv.url}/reqs/more.in\n", out)
            # A URL that is not there: named, with the line that includes it.
            self.write("mirror/reqs/broken.in", "lib\n-r gone.in\n")
            self.usage_error(self.lock("-r", srv.url + "/reqs/broken.in"),
                             f"{srv.url}/reqs/broken.in:2:", f"{srv.url}/reqs/gone.in", "404")
            self.usage_error(self.lock("-r", srv.url + "/reqs/nothing.in"), f"{srv.url}/reqs/nothing.in")

    def test_requirements_file_url_on_disk(self):
        base = self.write("reqs/base.in", "lib<2\n-r more.in\n")
        self.write("reqs/more.in", "tool\n")
        self.assertEqual(pins(self.ok(self.lock("-r", base.as_uri())).stdout), {"lib": "1.0", "tool": "1.0"})


class ResolveTimeout(CompileCase):
    """--resolve-timeout: exit 1 (as for no solution, man page EXIT STATUS), a one-line message giving
    the time in plain seconds, nothing written."""

    def setUp(self):
        super().setUp()
        mirrorlib.build_mirror({"projects": {
            "a": {"1.0": {"requires_dist": ["b"]}}, "b": {"1.0": {"requires_dist": ["c"]}}, "c": {"1.0": {}},
        }}, str(self.tmp / "mirror"))
        # Every response waits 0.4 s, so any of these timeouts expires while the first pages arrive.
        self.server = MirrorServer(str(self.tmp / "mirror"), latency=0.4).start()
        self.addCleanup(self.server.stop)
        self.index_url = self.server.index_url

    def test_timeout_exits_1_and_names_the_time(self):
        out = self.tmp / "out.txt"
        for value, shown in (("0.25", "0.25"), ("0.0001", "0.001"), ("0.1", "0.1")):
            # No cache: every run waits for the server again.
            r = self.lock("a", "--resolve-timeout", value, "-o", str(out), cache=False)
            self.assertEqual(r.rc, 1, str(r))
            self.assertEqual(r.stderr.strip().splitlines(),
                             [f"thoth: error: resolution timed out after {shown} s (--resolve-timeout): "
                              "allow more time, or narrow the requirements"], str(r))
            self.assertFalse(out.exists())
        # Enough time: the same lock succeeds.
        self.assertEqual(pins(self.ok(self.lock("a", "--resolve-timeout", "120")).stdout), {"a": "1.0", "b": "1.0", "c": "1.0"})

    def test_bad_values_exit_2(self):
        for value in ("0", "-1", "1e300", "nan"):
            r = self.lock("a", "--resolve-timeout", value)
            self.assertEqual(r.rc, 2, f"{value}: {r}")
            self.assertIn("--resolve-timeout", r.stderr)


class MaxCandidates(CompileCase):
    """--max-candidates N bounds the candidate versions one resolution considers (pip's resolver gives up
    after 200,000 rounds): exit 1 with a message naming the bound, nothing written; every command that
    resolves takes it."""

    def setUp(self):
        super().setUp()
        # a 2.0 leads through b, c, d (three versions each) to e 2.0, which wants f<1 while the root wants
        # f>=1: the resolver backtracks over every b, c, d before it settles on a 1.0.
        projects = {"a": {"2.0": {"requires_dist": ["b"]}, "1.0": {}},
                    "e": {"2.0": {"requires_dist": ["f<1"]}, "1.0": {}}, "f": {"0.5": {}, "1.0": {}}}
        for name, dep in (("b", "c"), ("c", "d"), ("d", "e>=2")):
            projects[name] = {v: {"requires_dist": [dep]} for v in ("1.0", "1.1", "1.2")}
        self.build(projects)

    def test_bound_exits_1_and_a_larger_one_succeeds(self):
        out = self.tmp / "out.txt"
        r = self.lock("a", "f>=1", "--max-candidates", "3", "-o", str(out))
        self.assertEqual(r.rc, 1, str(r))
        self.assertEqual(r.stderr.strip().splitlines(),
                         ["thoth: error: resolution gave up after considering 3 candidate versions without finding a "
                          "solution: pin or constrain the projects it backtracks over, so that fewer versions need "
                          "trying, or allow more with --max-candidates"], str(r))
        self.assertFalse(out.exists())
        r = self.ok(self.lock("a", "f>=1", "--max-candidates", "100", "-o", str(out)))
        self.assertEqual(pins(out.read_text()), {"a": "1.0", "f": "1.0"})
        self.assertNotIn("--max-candidates", out.read_text())  # the lock does not depend on it
        self.assertEqual(pins(self.ok(self.lock("a", "f>=1")).stdout), {"a": "1.0", "f": "1.0"})  # default

    def test_bad_values_exit_2(self):
        for value in ("0", "-1", "many", "1.5"):
            with self.subTest(value=value):
                r = self.lock("a", "--max-candidates", value)
                self.assertEqual(r.rc, 2, str(r))
                self.assertIn("--max-candidates", r.stderr)

    def test_every_resolving_command_takes_it(self):
        for command in (["install"], ["download"], ["sample"], ["advise"], ["pipenv", "lock"]):
            with self.subTest(command=command):
                r = harness.run([*command, "--help"], cwd=self.tmp)
                self.assertEqual(r.rc, 0, str(r))
                self.assertIn("--max-candidates", r.stdout)


if __name__ == "__main__":
    unittest.main()
