"""Shell completion generated from thoth's command-line definition (`thoth completion bash|zsh`):
the bash script is sourced in `bash -c` and its function called as bash calls it (COMP_WORDS,
COMP_CWORD); the zsh script is checked with `zsh -n` and driven with stand-ins for compsys's
_describe/_files/_message. Run directly:
THOTH=build/thoth /usr/bin/python3 tests/e2e/test_completion.py"""

import pathlib
import shlex
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402


def script(shell: str) -> str:
    r = harness.run(["completion", shell])
    assert r.rc == 0 and r.stderr == "", r
    return r.stdout


class BashCompletion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.script = script("bash")

    def complete(self, line: str, cwd=None, program: str = "thoth") -> list:
        """COMPREPLY for the command line `line`, the cursor at its end (a trailing space starts a new
        word), after checking that `complete -p` names the function for `program`."""
        words = line.split()
        if line.endswith(" "):
            words.append("")
        words[0] = program
        shell = (
            self.script
            + "\nspec=$(complete -p " + program + ") || exit 9\n"
            + "fn=${spec#*-F }; fn=${fn%% *}\n"
            + "COMP_WORDS=(" + " ".join(shlex.quote(w) for w in words) + ")\n"
            + "COMP_CWORD=" + str(len(words) - 1) + "\n"
            + "COMP_LINE=" + shlex.quote(line) + "; COMP_POINT=${#COMP_LINE}\n"
            + '"$fn" ' + program + ' "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
            + 'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=cwd, timeout=60)
        self.assertEqual(proc.returncode, 0, proc)
        self.assertEqual(proc.stderr, "", proc)
        return [w for w in proc.stdout.splitlines() if w]

    def test_command_name(self):
        self.assertEqual(self.complete("thoth lo"), ["lock"])

    def test_every_command_at_the_start(self):
        names = self.complete("thoth ")
        for name in ("install", "lock", "advise", "kb", "debug", "cache", "help", "completion", "mirror"):
            self.assertIn(name, names)

    def test_option_of_the_command(self):
        offered = self.complete("thoth lock --ind")
        self.assertIn("--index-url", offered)
        self.assertIn("--index-strategy", offered)
        self.assertTrue(all(o.startswith("--ind") for o in offered), offered)

    def test_global_flag_after_the_command(self):
        self.assertIn("--verbose", self.complete("thoth lock --verb"))

    def test_nested_command_and_its_options(self):
        self.assertEqual(self.complete("thoth kb ch"), ["check"])
        self.assertEqual(self.complete("thoth debug candidates --js"), ["--json"])
        self.assertEqual(self.complete("thoth cache cl"), ["clean"])

    def test_options_taking_values_are_stepped_over(self):
        # "lock" after -r is that option's value (a file), not a command: the command stays lock.
        self.assertEqual(self.complete("thoth -v lock -r lock --python-version 3.11 --gen"),
                         ["--generate-hashes"])

    def test_file_option_completes_file_names(self):
        with harness.temp_dir() as d:
            (d / "requirements.txt").write_text("")
            (d / "reqdir").mkdir()
            self.assertEqual(sorted(self.complete("thoth lock -r req", cwd=d)), ["reqdir", "requirements.txt"])
            # bash splits --requirement=req into three words.
            self.assertEqual(sorted(self.complete("thoth lock --requirement = req", cwd=d)),
                             ["reqdir", "requirements.txt"])
            # A file name with a space is one candidate.
            (d / "my reqs.txt").write_text("")
            self.assertEqual(self.complete("thoth lock -c my", cwd=d), ["my reqs.txt"])
            # A directory option offers only directories.
            self.assertEqual(self.complete("thoth cache info --cache-dir req", cwd=d), ["reqdir"])
            # A value thoth cannot guess: nothing, not file names.
            self.assertEqual(self.complete("thoth lock --python-version ", cwd=d), [])

    def test_thoth_install_name(self):
        self.assertIn("--dry-run", self.complete("thoth-install --dry", program="thoth-install"))


@unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
class ZshCompletion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.script = script("zsh")

    def test_syntax(self):
        with harness.temp_dir() as d:
            path = d / "_thoth"
            path.write_text(self.script)
            proc = subprocess.run(["zsh", "-n", str(path)], capture_output=True, text=True, timeout=60)
            self.assertEqual((proc.returncode, proc.stderr), (0, ""), proc)

    def complete(self, line: str) -> list:
        """What _thoth offers for `line`, with compsys's functions replaced by ones that print the
        candidates matching the prefix (and "<files>", "<dirs>", "<value>" for the others)."""
        words = line.split()
        if line.endswith(" "):
            words.append("")
        stubs = r"""
compdef() { :; }
compset() { PREFIX=${PREFIX#*=}; }
_describe() { local item; for item in "${(@P)2}"; do item=${item%%:*}; [[ $item == ${PREFIX}* ]] && print -r -- $item; done; }
_files() { [[ $1 == -/ ]] && print '<dirs>' || print '<files>'; }
_message() { print '<value>'; }
"""
        shell = (stubs + self.script
                 + "\nservice=" + shlex.quote(words[0]) + "\n"
                 + "words=(" + " ".join(shlex.quote(w) for w in words) + ")\n"
                 + "CURRENT=" + str(len(words)) + "\nPREFIX=" + shlex.quote(words[-1]) + "\n_thoth\n")
        proc = subprocess.run(["zsh", "-f", "-c", shell], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.stderr, "", proc)
        return proc.stdout.splitlines()

    def test_command_and_options(self):
        self.assertEqual(self.complete("thoth lo"), ["lock"])
        offered = self.complete("thoth lock --ind")
        self.assertIn("--index-url", offered)
        self.assertNotIn("--no-index", offered)
        self.assertEqual(self.complete("thoth kb ch"), ["check"])

    def test_values(self):
        self.assertEqual(self.complete("thoth lock -r "), ["<files>"])
        self.assertEqual(self.complete("thoth lock --requirement=re"), ["<files>"])
        self.assertEqual(self.complete("thoth cache info --cache-dir "), ["<dirs>"])
        self.assertEqual(self.complete("thoth lock --python-version "), ["<value>"])
        self.assertIn("--dry-run", self.complete("thoth-install --dry"))


class CompletionCommand(unittest.TestCase):
    def test_unknown_shell(self):
        r = harness.run(["completion", "fish"])
        self.assertEqual((r.rc, r.stdout), (2, ""), r)
        self.assertIn("'fish'", r.stderr)

    def test_help_shows_usage(self):
        r = harness.run(["help", "completion"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn("Usage: thoth completion", r.stdout)


if __name__ == "__main__":
    unittest.main()
