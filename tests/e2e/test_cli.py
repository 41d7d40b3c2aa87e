"""End-to-end tests of thoth's command line: version, help, usage errors, exit codes, and the
thoth-install name. Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_cli.py"""

import os
import pathlib
import re
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402


def project_version() -> str:
    """The version in the top-level CMakeLists.txt, the one source of truth."""
    text = (harness.source_dir() / "CMakeLists.txt").read_text()
    m = re.search(r"project\(\s*thoth\s+VERSION\s+([0-9.]+)", text)
    assert m, "no project(thoth VERSION ...) in CMakeLists.txt"
    return m.group(1)


def subcommands(help_text: str) -> list:
    """The command names of the Subcommands section of a help text."""
    if "Subcommands:" not in help_text:
        return []
    section = help_text.split("Subcommands:", 1)[1]
    return [line.split()[0] for line in section.splitlines() if line.startswith("  ")]


def command_paths() -> list:
    """Every command, nested ones included, as the words that select it: ["lock"], ["kb", "check"]."""
    paths = []
    pending = [[name] for name in subcommands(harness.run(["--help"]).stdout)]
    while pending:
        path = pending.pop(0)
        paths.append(path)
        pending += [path + [sub] for sub in subcommands(harness.run(["help", *path]).stdout)]
    return paths


class UsageErrorAssertions(unittest.TestCase):
    def assertUsageError(self, result, *fragments):
        """rc 2, nothing on stdout, exactly one line on stderr starting 'thoth: error: '."""
        self.assertEqual(result.rc, 2, result)
        self.assertEqual(result.stdout, "", result)
        self.assertTrue(result.stderr.endswith("\n"), result)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result)
        self.assertTrue(lines[0].startswith("thoth: error: "), result)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        return lines[0]


class VersionAndHelp(UsageErrorAssertions):
    def test_version(self):
        r = harness.run(["--version"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stdout, f"thoth {project_version()}\n")
        self.assertEqual(r.stderr, "")

    def test_help_lists_commands_and_global_flags(self):
        r = harness.run(["--help"])
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.stderr, "")
        self.assertTrue(r.stdout.startswith("thoth: "), r)
        self.assertIn("Usage: thoth [OPTIONS] [SUBCOMMAND]", r.stdout)
        for word in ("env", "help", "--version", "-v,--verbose", "-q,--quiet"):
            self.assertIn(word, r.stdout)
        # Exactly the commands this build has, one per line of the Subcommands section.
        section = r.stdout.split("Subcommands:", 1)[1]
        names = [line.split()[0] for line in section.splitlines() if line.startswith("  ")]
        self.assertIn("env", names)

    def test_help_command_equals_help_flag(self):
        self.assertEqual(harness.run(["help"]), harness.run(["--help"]))
        self.assertEqual(harness.run(["-h"]), harness.run(["--help"]))

    def test_no_command_prints_overview(self):
        r = harness.run([])
        self.assertEqual(r, harness.run(["--help"]))

    def test_help_env_equals_env_help(self):
        r = harness.run(["help", "env"])
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.stdout.startswith("Print the target environment"), r)
        self.assertIn("Usage: thoth env [OPTIONS]", r.stdout)
        for option in ("--python", "--target-env", "--python-version", "--platform",
                       "--implementation", "--abi", "-o,--output"):
            self.assertIn(option, r.stdout)
        self.assertEqual(harness.run(["env", "--help"]), r)
        self.assertEqual(harness.run(["env", "-h"]), r)

    def test_help_unknown_command(self):
        line = self.assertUsageError(harness.run(["help", "frobnicate"]), "frobnicate")
        self.assertIn("thoth help", line)
        self.assertUsageError(harness.run(["help", "kb", "frobnicate"]), "'kb frobnicate'")

    def test_help_texts_end_with_a_newline(self):
        for args in (["--help"], ["help"], [], ["lock", "--help"], ["cache"], ["help", "kb", "check"]):
            r = harness.run(args)
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(r.stdout.endswith("\n") and not r.stdout.endswith("\n\n"), (args, r.stdout[-80:]))

    def test_help_of_every_command_equals_its_help_flag(self):
        for path in command_paths():
            r = harness.run(["help", *path])
            self.assertEqual(r.rc, 0, r)
            self.assertIn("Usage: thoth " + " ".join(path), r.stdout)
            self.assertEqual(harness.run([*path, "--help"]), r, path)


class UsageErrors(UsageErrorAssertions):
    def test_unknown_option_of_command(self):
        line = self.assertUsageError(harness.run(["env", "--frobnicate"]))
        self.assertEqual(line, "thoth: error: unknown option --frobnicate (see 'thoth help env')")

    def test_unknown_option_with_value(self):
        line = self.assertUsageError(harness.run(["env", "--frobnicate=3"]))
        self.assertEqual(line, "thoth: error: unknown option --frobnicate (see 'thoth help env')")

    def test_unknown_global_option(self):
        line = self.assertUsageError(harness.run(["--frobnicate"]))
        self.assertEqual(line, "thoth: error: unknown option --frobnicate (see 'thoth help')")

    def test_unknown_short_option(self):
        self.assertUsageError(harness.run(["env", "-Z"]), "unknown option -Z")

    def test_unknown_command(self):
        line = self.assertUsageError(harness.run(["frobnicate"]))
        self.assertEqual(line, "thoth: error: unknown command 'frobnicate' (see 'thoth help')")

    def test_unexpected_argument(self):
        self.assertUsageError(harness.run(["env", "surplus"]), "unexpected argument 'surplus'",
                              "thoth help env")

    def test_missing_option_value(self):
        self.assertUsageError(harness.run(["env", "--python"]), "--python", "thoth help env")

    def test_conflicting_target_options(self):
        self.assertUsageError(harness.run(["env", "--target-env", "t.json", "--python", "x"]),
                              "--target-env", "--python")
        self.assertUsageError(harness.run(["env", "--target-env", "t.json", "--platform", "win32"]),
                              "--target-env", "--platform")

    def test_verbose_and_quiet_conflict(self):
        self.assertUsageError(harness.run(["-v", "-q", "env"]), "--quiet", "--verbose")

    def test_no_usage_error_text_on_stdout_for_bad_json(self):
        # Invalid input (not usage) also exits 2 with one line.
        with harness.temp_dir() as d:
            bad = d / "bad.json"
            bad.write_text("{not json")
            self.assertUsageError(harness.run(["env", "--target-env", str(bad)]), str(bad))


class GlobalFlags(unittest.TestCase):
    TARGET = '{"python_version": "3.10", "platform": "manylinux2014_x86_64"}'

    def test_verbose_notes_on_stderr_quiet_silent(self):
        with harness.temp_dir() as d:
            out = d / "t.json"
            loud = harness.run(["-v", "env", "--target-env", "-", "-o", str(out)], input=self.TARGET)
            self.assertEqual(loud.rc, 0, loud)
            self.assertEqual(loud.stdout, "")
            self.assertIn(f"thoth: wrote {out}", loud.stderr)
            # The global flags may also follow the command.
            quiet = harness.run(["env", "--target-env", "-", "-o", str(out), "-q"], input=self.TARGET)
            self.assertEqual(quiet, harness.Result(0, "", ""))
            normal = harness.run(["env", "--target-env", "-", "-o", str(out)], input=self.TARGET)
            self.assertEqual(normal, harness.Result(0, "", ""))


class ManPage(unittest.TestCase):
    """man/thoth.1 documents what the binary has."""

    def setUp(self):
        self.page = (harness.source_dir() / "man" / "thoth.1").read_text()
        # roff escapes hyphens in option names; the plain text is what a reader sees.
        self.text = self.page.replace("\\-", "-")

    def test_version(self):
        self.assertIn(f'"thoth {project_version()}"', self.page.splitlines()[0])

    def test_every_command_and_option(self):
        listed = self.text.split(".SH COMMANDS", 1)[1].split("\n.SH", 1)[0]
        for path in command_paths():
            command = " ".join(path)
            if len(path) == 1:
                # Each command is a tagged paragraph: .TP then .B env, or .BI "help " ... for one with arguments.
                self.assertRegex(listed, rf'\.TP\n\.BI? "?{command}\b', f"command {command} not documented")
            else:
                self.assertIn(path[-1], self.text, f"command {command} not documented")
            options = re.findall(r"^\s+(-[-\w,]+)", harness.run(["help", *path]).stdout, re.M)
            for spelling in options:
                for option in spelling.split(","):
                    self.assertIn(option, self.text, f"option {option} of {command} not documented")

    def test_exit_codes(self):
        section = self.text.split(".SH EXIT STATUS", 1)[1].split(".SH", 1)[0]
        codes = re.findall(r"^\.TP\n\.B (\d+)$", section, re.M)
        self.assertEqual(codes, ["0", "1", "2", "3", "4", "70"])


class InstallName(unittest.TestCase):
    """One program, two names: argv[0] 'thoth-install' means 'thoth install'."""

    def has_install(self):
        return harness.run(["help", "install"]).rc == 0

    def check_install_name(self, program):
        r = harness.run(["--help"], program=program)
        if self.has_install():
            self.assertEqual(r.rc, 0, r)
            self.assertIn("Usage: thoth install", r.stdout)
        else:
            self.assertEqual(r, harness.Result(2, "", "thoth: the install command is not available in this build\n"))

    def test_symlink_named_thoth_install(self):
        with harness.temp_dir() as d:
            link = d / "thoth-install"
            os.symlink(harness.thoth_binary().resolve(), link)
            self.check_install_name(link)
            # Any other name is plain thoth.
            other = d / "something-else"
            os.symlink(harness.thoth_binary().resolve(), other)
            self.assertEqual(harness.run(["--version"], program=other).stdout, f"thoth {project_version()}\n")

    def test_build_dir_symlink(self):
        link = harness.thoth_binary().parent / "thoth-install"
        if not link.exists():
            self.skipTest(f"{link} does not exist")
        self.check_install_name(link)


if __name__ == "__main__":
    unittest.main()
