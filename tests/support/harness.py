"""Helpers for thoth's end-to-end tests: standard library only.

An e2e test script starts with

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from support import harness

and then runs the binary with ``harness.run([...])``.

* ``thoth_binary()`` finds the program under test: $THOTH, else $THOTH_BUILD_DIR/thoth, else
  /work/main/build/thoth (CTest sets THOTH and THOTH_BUILD_DIR).
* ``run()`` runs it with every PIP_* variable removed from the environment (so a developer's pip
  configuration cannot change what a test sees) and returns rc, stdout and stderr as text.
* ``run_on_terminal()`` runs it the same way with standard error on a pseudo-terminal.
* ``temp_dir()`` and ``free_port()`` are for tests that write files or serve a mirror on 127.0.0.1.
"""

import contextlib
import os
import pathlib
import socket
import subprocess
import tempfile
from typing import Iterator, Mapping, NamedTuple, Optional, Sequence

DEFAULT_BUILD_DIR = "/work/main/build"


def thoth_binary() -> pathlib.Path:
    """Path of the thoth executable under test."""
    if os.environ.get("THOTH"):
        return pathlib.Path(os.environ["THOTH"])
    build_dir = os.environ.get("THOTH_BUILD_DIR") or DEFAULT_BUILD_DIR
    return pathlib.Path(build_dir) / "thoth"


def source_dir() -> pathlib.Path:
    """The repository root: $THOTH_SOURCE_DIR, else two levels above this file."""
    if os.environ.get("THOTH_SOURCE_DIR"):
        return pathlib.Path(os.environ["THOTH_SOURCE_DIR"])
    return pathlib.Path(__file__).resolve().parents[2]


def clean_env(extra: Optional[Mapping[str, str]] = None, unset: Sequence[str] = ()) -> dict:
    """os.environ without PIP_* variables and without `unset`, updated with `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k not in unset}
    env.update(extra or {})
    return env


class Result(NamedTuple):
    rc: int
    stdout: str
    stderr: str

    def __str__(self) -> str:  # for assertion messages
        return f"rc={self.rc}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run(args: Sequence[str], *, program: Optional[os.PathLike] = None,
        env: Optional[Mapping[str, str]] = None, unset: Sequence[str] = (),
        input: Optional[str] = None, cwd: Optional[os.PathLike] = None,
        timeout: float = 300) -> Result:
    """Runs thoth (or `program`, e.g. a thoth-install symlink) with `args`.

    The environment is clean_env(env, unset). Standard input is `input`, or empty.
    """
    exe = str(program if program is not None else thoth_binary())
    proc = subprocess.run([exe, *args], input=input if input is not None else "",
                          capture_output=True, text=True, env=clean_env(env, unset),
                          cwd=cwd, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def run_on_terminal(args: Sequence[str], *, env: Optional[Mapping[str, str]] = None) -> Result:
    """Runs thoth with `args` with its standard error on a pseudo-terminal (python's pty module), so
    that it draws what it draws for people (progress displays); stdout is the standard output, stderr
    everything the terminal received (cursor movements included, lines ending in \\r\\n)."""
    import pty  # POSIX only, as the rest of the suite
    master, slave = pty.openpty()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([str(thoth_binary()), *args], stdin=subprocess.DEVNULL, stdout=out, stderr=slave,
                                env=clean_env(env))
        os.close(slave)
        seen = b""
        while True:  # read while it runs: a full terminal buffer would block the writer
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        rc = proc.wait(timeout=300)
        out.seek(0)
        return Result(rc, out.read(), seen.decode("utf-8", "replace"))


@contextlib.contextmanager
def temp_dir() -> Iterator[pathlib.Path]:
    """A fresh directory, removed with its content afterwards."""
    with tempfile.TemporaryDirectory(prefix="thoth-e2e-") as d:
        yield pathlib.Path(d)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
