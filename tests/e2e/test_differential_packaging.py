#!/usr/bin/python3
"""Differential test: thoth's PEP 440 / PEP 508 core against packaging 23.0 (Debian 12's
python3-packaging) and packaging 25.0 (Debian 13's, unpacked by scripts/install-deps.sh; see
tests/support/references.py).

Seeded generators produce thousands of versions, specifier sets, version/specifier pairs,
requirement lines, markers and marker environments aimed at the edges of both PEPs (spellings,
separators, whitespace, epochs, pre/post/dev/local combinations, every operator, aliases,
undefined comparisons, near-valid mutations). Each case is answered by packaging in this process
and by thoth through the `pep_oracle` test program (tests/tools/pep_oracle.cpp) in one batch; the
outcomes must be identical (for errors: both fail, the messages are not compared).

A fixed list of hand-picked edges (and of disagreements found by earlier random runs) is checked
whatever the seed.

Every case is answered by both generations of packaging. Where they agree, thoth must give that
answer. Where they differ, thoth gives packaging 25's: each such difference must be one of the
changes packaging_25_change() names (a bug fix or a newer spec, by its changelog entry), and
the run prints how many cases each change decided; a difference none of them explains fails.

One deliberate difference from both: packaging prints a marker value in double quotes whatever it
holds, so str() can change a marker's meaning ('a" == os_name or "b' == os_name reads back as two
comparisons). Where packaging's text does not read back as the same marker, thoth's must (the value in
single quotes, or with backslash escapes): see marker_text(). The same for a comparison of `extra` with
another variable that prints first: packaging reads the first comparison with the variable's name in
its place, so thoth keeps that comparison's parentheses.

Environment:
  THOTH_BUILD_DIR    where pep_oracle was built (default /work/main/build)
  THOTH_DIFF_SEED    generator seed (default 440508)
  THOTH_DIFF_SCALE   multiplies the number of cases (default 1; e.g. 10 for a long local run)
  THOTH_DIFF_STRICT  1 to also check thoth's documented deliberate deviations (expected to fail)

Prints the count per category and a last line "N passed, M failed"; exits 1 on any disagreement
(the first 30, shortest first and spread over categories, are printed; all of them are written to
$THOTH_BUILD_DIR/differential_packaging_failures.txt).

Skipped, and counted as such: cases whose packaging answer depends on the order of a frozenset (the
pre-release default of a set with a '===' clause that is not a version raises or not), and cases
that hit one of thoth's deliberate deviations (see deviates_deliberately). Numbers of any size are
generated, far beyond 64 bits: PEP 440 sets no bound, and neither does thoth (issue 19 defect 11).
"""
import os
import random
import re
import subprocess
import sys
import time
import warnings

import contextlib
import pathlib
import ast

import packaging.markers
from packaging._parser import Value, Variable
from packaging._tokenizer import DEFAULT_RULES
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import references  # noqa: E402

PACKAGING_25 = references.load_packaging_25()

# ast.literal_eval (used by packaging for marker strings) warns about invalid escapes.
warnings.simplefilter("ignore")

SEED = int(os.environ.get("THOTH_DIFF_SEED", "440508"))
# Also check the inputs where thoth deviates from packaging on purpose (see deviates_deliberately).
STRICT = os.environ.get("THOTH_DIFF_STRICT") == "1"
SCALE = float(os.environ.get("THOTH_DIFF_SCALE", "1"))
U64_MAX = 2**64 - 1

# ----------------------------------------------------------------------------------------------
# Protocol with pep_oracle: tab-separated fields, '\' and control characters as "\\" / "\xHH".
# ----------------------------------------------------------------------------------------------
_ESC = {c: "\\x%02x" % c for c in list(range(0x20)) + [0x7F]}
_ESC[ord("\\")] = "\\\\"


def esc(s):
    return s.translate(_ESC)


def line_of(fields):
    return "\t".join(esc(f) for f in fields)


class Case:
    __slots__ = ("category", "query", "expected")

    def __init__(self, category, query, expected):
        self.category = category
        self.query = query  # list of str, command letter first
        self.expected = expected  # answer line (escaped)


def expect(fn):
    """packaging's outcome as an answer line: the fields fn returns, or "err" for any exception."""
    try:
        result = fn()
    except Exception:  # InvalidVersion, InvalidMarker, UndefinedComparison, KeyError, SyntaxError...
        return "err"
    if isinstance(result, str):
        return esc(result)
    return line_of(result)


def too_big(*texts):
    """Numbers have no bound in thoth as in packaging: nothing is too big (kept so that a bound, should
    one come back, has one place to say so)."""
    return False


def count(n):
    return max(1, int(n * SCALE))


# ----------------------------------------------------------------------------------------------
# Versions: a structured random version, rendered with random (valid) spellings.
# ----------------------------------------------------------------------------------------------
PRE_SPELLINGS = {
    "a": ["a", "A", "alpha", "Alpha", "ALPHA"],
    "b": ["b", "B", "beta", "Beta"],
    "rc": ["rc", "RC", "Rc", "c", "C", "pre", "PRE", "preview", "Preview"],
}
POST_SPELLINGS = ["post", "POST", "Post", "rev", "REV", "r", "R"]
DEV_SPELLINGS = ["dev", "DEV", "Dev"]
ASCII_WS = [" ", "  ", "\t", "\n", "\r\n", "\x0b", "\x0c", " \t "]
UNICODE_WS = ["\u00a0", "\u2003", "\u3000", "\x85", "\x1c", "\u2028"]
BIG_NUMBERS = [2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**63 + 1, U64_MAX, U64_MAX + 1,
               10**20, 10**20 + 1, 10**30, 10**30 + 7, 10**40, 2**128]


def rand_num(rng):
    r = rng.random()
    if r < 0.55:
        return rng.randint(0, 9)
    if r < 0.85:
        return rng.randint(10, 2024)
    if r < 0.97:
        return rng.randint(2025, 10**9)
    return rng.choice(BIG_NUMBERS)


def num_text(rng, n):
    r = rng.random()
    if r < 0.08:
        return "0" * rng.randint(1, 3) + str(n)
    if r < 0.09:
        return "0" * rng.randint(18, 30) + str(n)
    return str(n)


def rand_local(rng):
    segs = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        r = rng.random()
        if r < 0.35:
            segs.append(num_text(rng, rand_num(rng)))
        elif r < 0.7:
            segs.append(rng.choice(["ubuntu", "cpu", "cu118", "dev", "g1234abc", "abc", "Local", "post", "a1", "rc"]))
        else:
            alphabet = "abcxyz0123456789ABZ"
            segs.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))))
    return segs


def rand_vstruct(rng):
    epoch = None
    if rng.random() < 0.12:
        epoch = rng.choice([0, 0, 1, 1, 2, 5, rand_num(rng)])
    nrel = rng.choice([1, 2, 2, 2, 3, 3, 3, 3, 4, 5, 6])
    release = [rand_num(rng) if rng.random() < 0.2 else rng.randint(0, 12) for _ in range(nrel)]
    pre = None
    if rng.random() < 0.3:
        pre = (rng.choice(["a", "b", "rc"]), rng.choice([0, 1, 1, 2, 3, 10, rand_num(rng)]))
    post = rng.choice([0, 1, 1, 2, 5, rand_num(rng)]) if rng.random() < 0.2 else None
    dev = rng.choice([0, 0, 1, 2, 7, rand_num(rng)]) if rng.random() < 0.2 else None
    local = rand_local(rng) if rng.random() < 0.15 else None
    return (epoch, release, pre, post, dev, local)


def tweak_vstruct(rng, v):
    """A version close to v: the edges of comparisons and specifier matching are between neighbours."""
    epoch, release, pre, post, dev, local = v
    release = list(release)
    for _ in range(rng.choice([1, 1, 1, 2])):
        k = rng.randrange(11)
        if k == 0:
            release = release + [0] * rng.randint(1, 2)  # trailing zeros are insignificant
        elif k == 1 and len(release) > 1:
            release = release[:-1]
        elif k == 2:
            i = rng.randrange(len(release))
            release[i] = max(0, release[i] + rng.choice([-1, 1]))
        elif k == 3:
            pre = None if pre else (rng.choice(["a", "b", "rc"]), rng.randint(0, 3))
        elif k == 4:
            post = None if post is not None else rng.randint(0, 3)
        elif k == 5:
            dev = None if dev is not None else rng.randint(0, 3)
        elif k == 6:
            local = None if local else rand_local(rng)
        elif k == 7:
            epoch = None if epoch else rng.choice([0, 1, 2])
        elif k == 8:
            release = release + [rng.randint(0, 3)]
        elif k == 9 and pre:
            pre = (pre[0], max(0, pre[1] + rng.choice([-1, 1])))
        elif k == 10 and local:
            local = local + [rng.choice(["1", "a", "0"])]
    return (epoch, release, pre, post, dev, local)


def sep(rng, p_empty=0.6):
    return "" if rng.random() < p_empty else rng.choice(".-_")


def render(rng, v, fancy=True, allow_local=True):
    """A spelling of the version struct; fancy spellings use the alternatives packaging accepts."""
    epoch, release, pre, post, dev, local = v
    s = ""
    if fancy and rng.random() < 0.05:
        s += rng.choice("vV")
    if epoch is not None:
        s += num_text(rng, epoch) + "!"
    s += ".".join(num_text(rng, x) if fancy else str(x) for x in release)
    if pre:
        kind, n = pre
        if fancy:
            num = "" if (n == 0 and rng.random() < 0.3) else num_text(rng, n)
            s += sep(rng) + rng.choice(PRE_SPELLINGS[kind]) + (sep(rng, 0.7) if num else "") + num
        else:
            s += kind + str(n)
    if post is not None:
        if fancy and rng.random() < 0.2:
            s += "-" + num_text(rng, post)  # implicit post release: 1.0-1
        elif fancy:
            num = "" if (post == 0 and rng.random() < 0.3) else num_text(rng, post)
            s += sep(rng, 0.3) + rng.choice(POST_SPELLINGS) + (sep(rng, 0.7) if num else "") + num
        else:
            s += ".post" + str(post)
    if dev is not None:
        if fancy:
            num = "" if (dev == 0 and rng.random() < 0.3) else num_text(rng, dev)
            s += sep(rng, 0.3) + rng.choice(DEV_SPELLINGS) + (sep(rng, 0.7) if num else "") + num
        else:
            s += ".dev" + str(dev)
    if local and allow_local:
        s += "+" + local[0]
        for seg in local[1:]:
            s += (rng.choice(".-_") if fancy else ".") + seg
    return s


def wrap_ws(rng, s, p=0.1):
    if rng.random() < p:
        s = rng.choice(ASCII_WS) + s
    if rng.random() < p:
        s = s + rng.choice(ASCII_WS)
    if rng.random() < p / 8:
        s = rng.choice(UNICODE_WS) + s + rng.choice(UNICODE_WS)
    return s


MUTATION_CHARS = list("!+.-_*a xé0") + ["..", "\t", "++", "!!", "v", "K", "1",
                                          "\u212a", "\u0131", "\u017f", "\u0130"]  # case-fold to k, i, s, i


# The Kelvin sign matches 'k' case-insensitively and lower-cases to it, so packaging accepts it in local
# labels and extras consistently. (Long s and dotted/dotless i also match under re.IGNORECASE, but
# lower() keeps them, so packaging builds labels such as 'poſt' that compare unequal to what they
# print as: garbage that is not worth copying, hence not generated in keyword positions.)
FOLDS = {"k": ["\u212a"], "K": ["\u212a"]}


def mutate(rng, s):
    """A near-valid mutation of s (often invalid, sometimes still valid)."""
    k = rng.randrange(10)
    i = rng.randint(0, len(s))
    if k == 0:
        return s[:i] + rng.choice(MUTATION_CHARS) + s[i:]
    if k == 1 and s:
        i = rng.randrange(len(s))
        return s[:i] + s[i + 1:]
    if k == 2 and s:
        i = rng.randrange(len(s))
        return s[:i] + s[i] + s[i:]
    if k == 3 and len(s) > 1:
        i = rng.randrange(len(s) - 1)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k == 4:
        return s + rng.choice([".*", "+", "!", "-", ".", "_", "+.", "a", ".post", "-dev", ".*.*", "+x.*", ",", ";"])
    if k == 5:
        return rng.choice(["=", "vv", "ver", "!", ".", "-", "+", "0!0!", "V ", "v."]) + s
    if k == 6:
        return rng.choice(["", " ", "v", "1!", "+local", ".", "1..0", "1.0.", "1.0+", "1.0-", "1.0--1", "1.0a-"])
    if k == 7:
        return s.upper() if rng.random() < 0.5 else s.swapcase()
    if k == 8 and s:
        i = rng.randrange(len(s))
        return s[:i] + " " + s[i:]
    if k == 9 and rng.random() < 0.3:
        spots = [i for i, ch in enumerate(s) if ch in FOLDS]
        if spots:
            i = rng.choice(spots)
            return s[:i] + rng.choice(FOLDS[s[i]]) + s[i + 1:]
    return s + rng.choice(["", "+", "x"]) if s else "1"


def version_texts(rng, n):
    out = []
    while len(out) < n:
        t = wrap_ws(rng, render(rng, rand_vstruct(rng)))
        if rng.random() < 0.25:
            t = mutate(rng, t)
        if not too_big(t):
            out.append(t)
    return out


# ----------------------------------------------------------------------------------------------
# Specifier sets
# ----------------------------------------------------------------------------------------------
OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]
ARBITRARY = ["foobar", "1.0", "1.0.0", "1.0+local", "FOOBAR", "1.0-1", "v1.0", "", "1.0a1", "1!2.0"]


def rand_clause(rng, v):
    op = rng.choice(OPS)
    fancy = rng.random() < 0.5
    if op == "===":
        text = render(rng, v, fancy) if rng.random() < 0.7 else rng.choice(ARBITRARY)
    elif op in ("==", "!=") and rng.random() < 0.3:
        # Wildcards: normally on a release prefix, sometimes on versions PEP 440 forbids.
        base = render(rng, (v[0], v[1], None, None, None, None), fancy)
        if rng.random() < 0.15:
            base = render(rng, v, fancy)
        text = base + ".*"
    else:
        allow_local = op in ("==", "!=", "===") or rng.random() < 0.1
        text = render(rng, v, fancy, allow_local=allow_local)
        if op == "~=" and rng.random() < 0.1:
            text = text.split(".")[0]  # ~=1 is invalid
    gap = "" if rng.random() < 0.7 else rng.choice([" ", "  ", "\t"])
    return op + gap + text


def rand_specset(rng, v=None, clauses=None, ws_p=0.15):
    if v is None:
        v = rand_vstruct(rng)
    n = clauses if clauses is not None else rng.choice([0, 1, 1, 1, 2, 2, 3])
    parts = []
    for _ in range(n):
        w = v if rng.random() < 0.5 else tweak_vstruct(rng, v)
        parts.append(wrap_ws(rng, rand_clause(rng, w), ws_p))
    joined = ""
    for i, p in enumerate(parts):
        if i:
            joined += rng.choice([",", ",", ", ", " ,", ",,", " , "])
        joined += p
    if rng.random() < 0.03:
        joined = rng.choice([",", " ,"]) + joined
    if rng.random() < 0.03:
        joined += ","
    return joined


# ----------------------------------------------------------------------------------------------
# Markers and environments
# ----------------------------------------------------------------------------------------------
ENV_VARS = [  # MarkerVar order (extra is given separately)
    "python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
    "platform_system", "platform_version", "platform_machine", "platform_python_implementation",
    "implementation_name", "implementation_version",
]
ALIASES = {
    "os_name": ["os.name"],
    "sys_platform": ["sys.platform"],
    "platform_version": ["platform.version"],
    "platform_machine": ["platform.machine"],
    "platform_python_implementation": ["platform.python_implementation", "python_implementation"],
}
VALUES = {
    "python_version": ["2.7", "3", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14",
                       "3.8.*", "3.*", "3.10.0", "4", "3.1O", "3.12a1", "3.x"],
    "python_full_version": ["3.8.10", "3.11.4", "3.12.0", "3.12.0rc1", "3.13.0c2", "3.13.0a7", "2.7.18",
                            "3.11.4+", "3.10.0b4", "3.9", "3.11.*", "3.7.0.post1"],
    "os_name": ["posix", "nt", "java", "Posix", "os2", "ce"],
    "sys_platform": ["linux", "linux2", "darwin", "win32", "cygwin", "aix", "emscripten", "freebsd13",
                     "wasi", "Linux"],
    "platform_release": ["5.15.0-91-generic", "6.1.0-13-amd64", "6.5.0-1007-oem", "22.6.0", "10",
                         "4.19.112+", "6.1.21-v8+", "5.10.0-rt-amd64", "23.1.0", "2022Server",
                         "5.4.0-1.el8.x86_64", "6.6.9", "3.10.0-1160.el7.x86_64"],
    "platform_system": ["Linux", "Darwin", "Windows", "Java", "FreeBSD", "Emscripten", "linux", ""],
    "platform_version": ["#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)",
                         "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023",
                         "Darwin Kernel Version 22.6.0: Wed Jul  5 22:22:05 PDT 2023; "
                         "root:xnu-8796.141.3~6/RELEASE_ARM64_T6000",
                         "10.0.19045", "10.0.22631", "1", "6.1"],
    "platform_machine": ["x86_64", "aarch64", "arm64", "AMD64", "i686", "ppc64le", "s390x", "armv7l",
                         "wasm32", "x86"],
    "platform_python_implementation": ["CPython", "PyPy", "Jython", "IronPython", "cpython"],
    "implementation_name": ["cpython", "pypy", "jython", "graalpy", "CPython"],
    "implementation_version": ["3.11.4", "3.12.1", "7.3.12", "3.13.0c2", "3.12.0a7", "3.12.0b1", "0", "2.7"],
}
SUBSTRINGS = ["linux", "win", "arm", "64", "PREEMPT", "Darwin", "3.1", "generic", "x86", "Py", "", " ",
              "amd64", "rt"]
EXTRAS = ["", "test", "Test", "tests", "dev_tools", "dev-tools", "DEV.Tools", "dev__tools", "security",
          "socks", "1.0", "3", "a.b-c_d", "-x-", "all"]
GENERIC_VALUES = ["", "1", "0", "a", "foo bar", "3.8 ", " 3.8", "1.0+local", "1.0.*", "1!1.0", "v3",
                  "3.8.0.0", "===", "1.0a", "not", "in", "and", "python_version", "extra", "os_name",
                  "None", "3.8;", "linux)", "(3)", "1.0-1", "3\t8"]
ESCAPED_VALUES = ["\\x41", "a\\tb", "\\\\", "\\n", "3.\\x38", "\\u00e9"]

PROFILES = [
    ["3.11", "3.11.4", "posix", "linux", "6.1.0-13-amd64", "Linux",
     "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)", "x86_64", "CPython", "cpython", "3.11.4"],
    ["3.8", "3.8.10", "posix", "linux", "5.15.0-91-generic", "Linux",
     "#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023", "aarch64", "CPython", "cpython", "3.8.10"],
    ["3.12", "3.12.1", "posix", "darwin", "22.6.0", "Darwin",
     "Darwin Kernel Version 22.6.0: Wed Jul  5 22:22:05 PDT 2023; root:xnu-8796.141.3~6/RELEASE_ARM64_T6000",
     "arm64", "CPython", "cpython", "3.12.1"],
    ["3.10", "3.10.11", "nt", "win32", "10", "Windows", "10.0.19045", "AMD64", "CPython", "cpython", "3.10.11"],
    ["3.9", "3.9.18", "posix", "linux", "6.5.0-1007-oem", "Linux", "#7-Ubuntu SMP PREEMPT_DYNAMIC",
     "x86_64", "PyPy", "pypy", "7.3.12"],
    ["3.13", "3.13.0rc2", "posix", "linux", "6.6.9", "Linux", "#1 SMP", "x86_64", "CPython", "cpython",
     "3.13.0c2"],
    ["2.7", "2.7.18", "posix", "linux2", "4.19.112+", "Linux", "#1 SMP PREEMPT", "armv7l", "CPython",
     "cpython", "2.7.18"],
    ["3.12", "3.12.0+", "posix", "emscripten", "3.1.45", "Emscripten", "#1", "wasm32", "CPython",
     "cpython", "3.12.0"],
    ["3.11", "3.11.4", "java", "linux", "5.10.0-rt-amd64", "Java", "1", "x86_64", "Jython", "jython", "2.7"],
]


def rand_env(rng):
    env = list(rng.choice(PROFILES))
    for i, name in enumerate(ENV_VARS):
        r = rng.random()
        if r < 0.12:
            env[i] = rng.choice(VALUES[name])
        elif r < 0.14:
            env[i] = rng.choice(GENERIC_VALUES)
    return env


def quote(rng, value):
    if '"' in value and "'" not in value:
        return "'" + value + "'"
    if "'" in value and '"' not in value:
        return '"' + value + '"'
    q = rng.choice(['"', '"', "'"])
    return q + value + q


def rand_value_for(rng, var, op):
    r = rng.random()
    if op in ("in", "not in") and r < 0.5:
        return rng.choice(SUBSTRINGS)
    if var == "extra":
        return rng.choice(EXTRAS)
    if r < 0.8:
        return rng.choice(VALUES[var])
    if r < 0.97:
        return rng.choice(GENERIC_VALUES)
    if r < 0.99:
        return rng.choice(['a"b', "it's", '"', "'"])
    return rng.choice(ESCAPED_VALUES)


MARKER_OPS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "in", "not in"]
OP_WEIGHTS = [20, 8, 8, 8, 8, 10, 4, 3, 6, 4]


def ws(rng, p_space=0.85):
    r = rng.random()
    if r < p_space:
        return " "
    return rng.choice(["", "", "  ", "\t", " \t"])


def spell_var(rng, var):
    if var in ALIASES and rng.random() < 0.2:
        return rng.choice(ALIASES[var])
    return var


def rand_atom(rng):
    var = rng.choice(ENV_VARS + ["extra", "extra", "python_version", "python_full_version"])
    op = rng.choices(MARKER_OPS, OP_WEIGHTS)[0]
    value = rand_value_for(rng, var, op)
    op_text = op if op != "not in" else "not" + rng.choice([" ", " ", "  ", "\t"]) + "in"
    r = rng.random()
    if r < 0.78:
        lhs, rhs = spell_var(rng, var), quote(rng, value)
    elif r < 0.92:
        lhs, rhs = quote(rng, value), spell_var(rng, var)
    elif r < 0.96:  # both literals (packaging looks the right-hand side up as a variable name)
        other = rng.choice([rng.choice(GENERIC_VALUES), rng.choice(ENV_VARS), "extra"])
        lhs, rhs = quote(rng, value), quote(rng, other)
    else:  # both variables
        lhs, rhs = spell_var(rng, var), spell_var(rng, rng.choice(ENV_VARS + ["extra"]))
    g1 = ws(rng) if op[0].isalpha() or rng.random() < 0.7 else ""
    g2 = ws(rng) if op[0].isalpha() or rng.random() < 0.7 else ""
    if op[0].isalpha():  # 'in' needs a word boundary; keep at least one blank unless a quote is adjacent
        if not g1 and not lhs.endswith(("'", '"')):
            g1 = " "
        if not g2 and not rhs.startswith(("'", '"')):
            g2 = " "
    return lhs + g1 + op_text + g2 + rhs


def rand_marker(rng, depth=0):
    r = rng.random()
    if depth >= 3 or r < 0.45:
        atom = rand_atom(rng)
        if rng.random() < 0.1:
            atom = "(" + ws(rng, 0.3) + atom + ws(rng, 0.3) + ")"
        return atom
    if r < 0.85:
        n = rng.choice([2, 2, 2, 3])
        parts = [rand_marker(rng, depth + 1) for _ in range(n)]
        out = parts[0]
        for p in parts[1:]:
            out += " " + rng.choice(["and", "or"]) + " " + p
        return out
    return "(" + ws(rng, 0.4) + rand_marker(rng, depth + 1) + ws(rng, 0.4) + ")"


MARKER_BREAKS = [
    ("and", "AND"), ("or", "Or"), ("==", "="), ("==", "=>"), ('"', ""), ("'", ""), ("(", ""), (")", ""),
    ("python_version", "python_versions"), ("os_name", "os-name"), ("os_name", "os.Name"),
    ("platform_release", "platform.release"), ("platform_system", "platform.system"),
    ("implementation_name", "implementation.name"), ("not in", "notin"), ("not in", "not_in"),
    (" in ", " In "), (" ", ""), ("extra", "Extra"), ("<", "<<"), ("~=", "~"),
]


def mutate_marker(rng, m):
    r = rng.random()
    if r < 0.6:
        old, new = rng.choice(MARKER_BREAKS)
        if old in m:
            idx = [i for i in range(len(m)) if m.startswith(old, i)]
            i = rng.choice(idx)
            return m[:i] + new + m[i + len(old):]
    if r < 0.7:
        return m + rng.choice([" and", " or ", " and ()", ")", " and and os_name == 'a'", ";", " #c"])
    if r < 0.8:
        return rng.choice(["(", "and ", "not ", "extra == ", "'a' "]) + m
    return mutate(rng, m)


# ----------------------------------------------------------------------------------------------
# Requirements
# ----------------------------------------------------------------------------------------------
NAMES = ["requests", "Django", "zope.interface", "Foo_Bar", "foo-bar", "a", "A", "x1", "1abc", "ruamel.yaml",
         "typing_extensions", "backports.zoneinfo", "PyYAML", "scikit-learn", "a.b-c_d", "pkg2", "Q-_-.q",
         "name__with___runs", "Pillow"]
BAD_NAMES = ["-foo", "foo-", "foo.", "_foo", "fo o", "foo!", "", "fooé", "é", ".", "foo$bar", "*"]
URLS = [
    "https://example.com/pkg-1.0.tar.gz", "http://example.com/a.whl#sha256=" + "ab" * 32,
    "file:///tmp/pkg-1.0-py3-none-any.whl", "file://localhost/tmp/x.zip", "file:/tmp/x.zip",
    "git+https://github.com/pypa/pip.git@22.0#egg=pip", "git+ssh://git@github.com/a/b.git",
    "https://user:pass@host:8080/p/x.zip?q=1", "http://[::1]/x.tar.gz", "ftp://mirror/x.tgz",
    "/local/path/pkg.whl", "./relative/pkg", "https:/no-netloc", "https://", "foo:bar", "hg+https://h/r",
    "file:///C:/Users/x.whl", "https://example.com/pkg;python_version<'3'", "https://e.com/a,b",
    "file:///tmp/a b", "https://example.com/x.zip#egg=pkg[extra]", "HTTPS://EXAMPLE.COM/X.ZIP", "file:",
    "file://", "file:///", "git+file:///srv/repo",
]


def rand_extras(rng):
    r = rng.random()
    if r < 0.5:
        return ""
    if r < 0.9:
        pool = ["security", "socks", "Test", "dev_tools", "dev-tools", "DEV.Tools", "a", "all", "S3", "x.y"]
        items = [rng.choice(pool) for _ in range(rng.choice([1, 1, 2, 3]))]
        out = "[" + ws(rng, 0.3)
        for i, it in enumerate(items):
            if i:
                out += ws(rng, 0.2) + "," + ws(rng, 0.5)
            out += it
        return out + ws(rng, 0.3) + "]"
    return rng.choice(["[]", "[ ]", "[a b]", "[a,]", "[,a]", "[a", "a]", "[-a]", "[a,,b]", "[é]", "[a;b]"])


def rand_requirement(rng):
    name = rng.choice(NAMES) if rng.random() < 0.95 else rng.choice(BAD_NAMES)
    text = ws(rng, 0.1) if rng.random() < 0.1 else ""
    text += name + (ws(rng, 0.3) if rng.random() < 0.3 else "") + rand_extras(rng)
    r = rng.random()
    if r < 0.2:  # direct URL
        text += ws(rng, 0.8) + "@" + ws(rng, 0.8) + rng.choice(URLS)
        if rng.random() < 0.35:
            text += rng.choice([" ", "  ", "\t", ""]) + ";" + ws(rng, 0.8) + rand_marker(rng, 1)
    else:
        if r < 0.85:
            # Requirement lines allow only blanks and tabs (the specifier set alone allows any space).
            spec = rand_specset(rng, clauses=rng.choice([1, 1, 2, 3]), ws_p=0.02)
            if rng.random() < 0.15:
                spec = "(" + spec + rng.choice([")", ")", ")", ""])
            text += ws(rng, 0.5) + spec
        if rng.random() < 0.35:
            text += ws(rng, 0.7) + ";" + ws(rng, 0.8) + rand_marker(rng, 1)
    if rng.random() < 0.08:
        text += rng.choice([" ", "\t", "  "])
    if rng.random() < 0.12:
        text = mutate_marker(rng, text) if rng.random() < 0.5 else mutate(rng, text)
    return text


# ----------------------------------------------------------------------------------------------
# packaging's answers
# ----------------------------------------------------------------------------------------------
def pk_version(text):
    v = Version(text)
    pre = "".join(str(x) for x in v.pre) if v.pre else ""
    flags = "".join("1" if f else "0" for f in (v.is_prerelease, v.is_postrelease, v.is_devrelease))
    return ["ok", str(v), v.public, v.base_version, str(v.epoch), ".".join(str(x) for x in v.release), pre,
            "" if v.post is None else str(v.post), "" if v.dev is None else str(v.dev), v.local or "", flags,
            "1" if round_trips(v) else "0"]


def round_trips(v):
    try:
        again = Version(str(v))
    except Exception:
        return False
    return again == v and str(again) == str(v)


def pk_compare(a, b):
    va, vb = Version(a), Version(b)
    return str((va > vb) - (va < vb))


def pk_specset(text):
    return ["ok", str(SpecifierSet(text))]


def pk_prereleases(text):
    return "1" if SpecifierSet(text).prereleases else "0"


def prereleases_raises(text):
    """True if packaging's SpecifierSet(text).prereleases raises or would, depending on the order it
    visits the clauses in (a frozenset, so the order follows string hashing): a '===' clause whose text
    is not a version makes Version() raise there. Such cases are a packaging defect, not behaviour to
    copy, so they are skipped wherever the pre-release default is consulted."""
    try:
        specs = SpecifierSet(text)
    except Exception:
        return False
    for s in specs:
        try:
            s.prereleases
        except Exception:
            return True
    return False


PRE_ARG = {"none": None, "true": True, "false": False}


def pk_contains(spec, version, pre):
    return "1" if SpecifierSet(spec).contains(Version(version), prereleases=PRE_ARG[pre]) else "0"


def pk_filter(spec, pre, versions):
    objs = [Version(v) for v in versions]
    pos = {id(o): i for i, o in enumerate(objs)}
    kept = SpecifierSet(spec).filter(objs, prereleases=PRE_ARG[pre])
    return ["ok", ",".join(str(pos[id(o)]) for o in kept)]


def mentions_extra(items):
    """Whether evaluation reads the `extra` value: packaging looks up the left-hand side if it is a
    variable, else the right-hand side (even a quoted "extra")."""
    for item in items:
        if isinstance(item, list):
            if mentions_extra(item):
                return True
        elif isinstance(item, tuple):
            lhs, _, rhs = item
            if (lhs.value if isinstance(lhs, Variable) else rhs.value) == "extra":
                return True
    return False


def reads_back(token, value):
    """Whether the quoted token is read back by packaging (QUOTED_STRING, then ast.literal_eval) as value."""
    if token[0] in token[1:-1]:
        return False
    try:
        return ast.literal_eval(token) == value
    except (SyntaxError, ValueError):
        return False


def quote_value(value):
    r"""A marker value as thoth prints it: in double quotes as packaging does when that reads back as the
    value, else in single quotes when that does, else in double quotes with backslash, '"' and the C0
    controls and DEL escaped (\\, \x22, \xHH)."""
    for q in '"\'':
        if reads_back(q + value + q, value):
            return q + value + q
    escaped = "".join("\\\\" if c == "\\" else "\\x%02x" % ord(c) if c == '"' or ord(c) < 0x20 or c == "\x7f"
                      else c for c in value)
    return '"' + escaped + '"'


def _format_marker(m, first=True, out=None):
    """packaging's _format_marker with quote_value for values, and one more departure: a comparison of
    `extra` with another variable that prints first keeps parentheses, since packaging reads the first
    comparison of a marker with the variable's name as a string instead (_normalize_extra_values)."""
    top = out is None
    if top:
        out = []
    if isinstance(m, list) and len(m) == 1 and isinstance(m[0], (list, tuple)):
        _format_marker(m[0], True, out)
    elif isinstance(m, list):
        if not first:
            out.append("(")
        for i, x in enumerate(m):
            if i:
                out.append(" ")
            _format_marker(x, False, out)
        if not first:
            out.append(")")
    elif isinstance(m, tuple):
        lhs, _, rhs = m
        text = " ".join(quote_value(x.value) if isinstance(x, Value) else x.serialize() for x in m)
        wrap = not out and isinstance(lhs, Variable) and isinstance(rhs, Variable) and "extra" in (lhs.value, rhs.value)
        out.append("(" + text + ")" if wrap else text)
    else:
        out.append(m)
    return "".join(out) if top else None


def marker_text(marker):
    """str(marker) where it reads back as the same marker, which is wherever every value does; otherwise
    the text thoth prints instead. Checked here to read back the same in packaging."""
    text = _format_marker(marker._markers)
    if text != str(marker) and _format_marker(Marker(text)._markers) != text:
        raise AssertionError(f"test defect: {text!r} does not read back as itself")
    return text


def pk_marker(text):
    m = Marker(text)
    return ["ok", marker_text(m), "1" if mentions_extra(m._markers) else "0"]


def pk_requirement(text):
    r = Requirement(text)
    # thoth keeps extras normalised (PEP 685) and sorted; str() must still print them as written.
    extras = sorted({canonicalize_name(e) for e in r.extras})
    printed = str(r)
    if r.marker is not None:
        printed = printed[:len(printed) - len(str(r.marker))] + marker_text(r.marker)
    return ["ok", printed, r.name, ",".join(extras), str(r.specifier), r.url or "",
            marker_text(r.marker) if r.marker is not None else ""]


def pk_evaluate(marker, env, extra):
    d = dict(zip(ENV_VARS, env))
    d["extra"] = extra
    return "1" if marker.evaluate(d) else "0"


def pk_evaluate_lock(marker, env, extras, groups):
    """packaging 25's lock-file context (PEP 751): `extras` and `dependency_groups` are sets, and `extra`
    is not defined. (packaging 23 has neither variable, nor the context.)"""
    d = dict(zip(ENV_VARS, env))
    d["extras"] = set(e for e in extras.split(",") if e)
    d["dependency_groups"] = set(g for g in groups.split(",") if g)
    if REFERENCE.name == "23.0":
        return "1" if marker.evaluate(d) else "0"
    return "1" if marker.evaluate(d, "lock_file") else "0"


PEP508_NAME = re.compile(r"([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])", re.IGNORECASE | re.ASCII)
VARIABLE_RE = re.compile(DEFAULT_RULES["VARIABLE"]) if isinstance(DEFAULT_RULES["VARIABLE"], str) \
    else DEFAULT_RULES["VARIABLE"]


def pk_variable(name):
    if not VARIABLE_RE.fullmatch(name):
        return "-"
    name = name.replace(".", "_")
    return "platform_python_implementation" if name == "python_implementation" else name


# ----------------------------------------------------------------------------------------------
# The two generations of packaging
# ----------------------------------------------------------------------------------------------
class Reference:
    """One generation of packaging: the names the pk_* functions above use, which using() rebinds."""

    def __init__(self, name, package):
        self.name = name
        self.markers = package.markers
        rule = package._tokenizer.DEFAULT_RULES["VARIABLE"]
        self.names = {
            "Marker": package.markers.Marker, "Requirement": package.requirements.Requirement,
            "SpecifierSet": package.specifiers.SpecifierSet, "Specifier": package.specifiers.Specifier,
            "Version": package.version.Version,
            "canonicalize_name": package.utils.canonicalize_name, "Variable": package._parser.Variable,
            "Value": package._parser.Value,
            "VARIABLE_RE": re.compile(rule) if isinstance(rule, str) else rule,
        }


REFERENCES = [Reference("23.0", packaging), Reference("25.0", PACKAGING_25)]
REFERENCE = REFERENCES[0]  # the module's names are packaging 23.0's unless using() says otherwise


@contextlib.contextmanager
def using(ref):
    global REFERENCE
    saved = REFERENCE
    REFERENCE = ref
    globals().update(ref.names)
    try:
        yield
    finally:
        REFERENCE = saved
        globals().update(saved.names)


# ----------------------------------------------------------------------------------------------
# Case generation, one independent random stream per category
# ----------------------------------------------------------------------------------------------
SKIPPED = {}


def skip(category):
    SKIPPED[category] = SKIPPED.get(category, 0) + 1


def rng_for(name):
    return random.Random(f"{SEED}:{name}")


def gen_versions():
    rng = rng_for("version")
    for t in version_texts(rng, count(6000)):
        yield Case("version parse", ["V", t], expect(lambda: pk_version(t)))


def gen_compare():
    rng = rng_for("compare")
    for _ in range(count(6000)):
        v = rand_vstruct(rng)
        w = tweak_vstruct(rng, v) if rng.random() < 0.7 else rand_vstruct(rng)
        a, b = render(rng, v), render(rng, w)
        if rng.random() < 0.05:
            b = mutate(rng, b)
        if too_big(a, b):
            continue
        yield Case("version compare", ["C", a, b], expect(lambda: pk_compare(a, b)))


def gen_specsets():
    rng = rng_for("specset")
    for _ in range(count(4000)):
        s = rand_specset(rng)
        if rng.random() < 0.2:
            s = mutate(rng, s)
        if too_big(s):
            continue
        yield Case("specifier parse", ["S", s], expect(lambda: pk_specset(s)))
        if prereleases_raises(s):
            skip("specifier prereleases")
        else:
            yield Case("specifier prereleases", ["P", s], expect(lambda: pk_prereleases(s)))


def gen_contains():
    rng = rng_for("contains")
    made = 0
    while made < count(12000):
        v = rand_vstruct(rng)
        s = rand_specset(rng, v, clauses=rng.choice([1, 1, 1, 2, 2, 3]))
        if rng.random() < 0.03:
            s = mutate(rng, s)
        for _ in range(rng.randint(3, 6)):
            w = tweak_vstruct(rng, v) if rng.random() < 0.8 else rand_vstruct(rng)
            t = render(rng, w, fancy=rng.random() < 0.3)
            pre = rng.choice(["none", "none", "true", "false"])
            if too_big(s, t):
                continue
            made += 1
            if pre == "none" and prereleases_raises(s):
                skip("specifier contains")
                continue
            yield Case("specifier contains", ["N", s, t, pre], expect(lambda: pk_contains(s, t, pre)))


def gen_filter():
    rng = rng_for("filter")
    for _ in range(count(1500)):
        v = rand_vstruct(rng)
        s = rand_specset(rng, v, clauses=rng.choice([0, 1, 1, 1, 2, 2, 3]))
        vs = [render(rng, tweak_vstruct(rng, v) if rng.random() < 0.8 else rand_vstruct(rng),
                     fancy=rng.random() < 0.2) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.1:
            vs.append(vs[0])  # duplicates keep their places
        pre = rng.choice(["none", "none", "true", "false"])
        if too_big(s, *vs):
            continue
        if pre == "none" and prereleases_raises(s):
            skip("specifier filter")
            continue
        yield Case("specifier filter", ["F", s, pre] + vs, expect(lambda: pk_filter(s, pre, vs)))


def gen_requirements():
    rng = rng_for("requirement")
    made = 0
    while made < count(4000):
        r = rand_requirement(rng)
        if too_big(r):
            continue
        made += 1
        yield Case("requirement parse", ["R", r], expect(lambda: pk_requirement(r)))


def gen_markers():
    """Marker parsing, and evaluation of each marker against several environments and extras."""
    rng = rng_for("marker")
    parsed = evaluated = 0
    while parsed < count(3000) or evaluated < count(6000):
        m = rand_marker(rng)
        if rng.random() < 0.12:
            m = mutate_marker(rng, m)
        if too_big(m):
            continue
        parsed += 1
        yield Case("marker parse", ["M", m], expect(lambda: pk_marker(m)))
        try:
            marker = Marker(m)
        except Exception:
            marker = None
        for _ in range(rng.choice([1, 2, 2, 3]) if marker is not None else rng.choice([0, 0, 0, 1])):
            env = rand_env(rng)
            extra = rng.choice(EXTRAS)
            evaluated += 1
            exp = expect(lambda: pk_evaluate(marker, env, extra)) if marker is not None else "err"
            yield Case("marker evaluate", ["E", m] + env + [extra], exp)


SET_NAMES = ["", "dev", "Dev_Tools", "dev-tools", "test", "docs", "a.b", "x"]


def rand_set_atom(rng):
    """A comparison on PEP 751's set-valued variables, in the forms packaging 25 accepts and rejects."""
    var = rng.choice(["extras", "dependency_groups"])
    value = quote(rng, rng.choice(SET_NAMES))
    op = rng.choices(["in", "not in", "==", "!=", "<", "~="], [8, 4, 2, 2, 1, 1])[0]
    if rng.random() < 0.85:
        return f"{value} {op} {var}"
    return rng.choice([f"{var} {op} {value}", f"{value} {op} '{var}'", f"{var} in {var}"])


def gen_lock_markers():
    """Markers evaluated in a lock file (packaging 25's lock_file context, PEP 751): `extras` and
    `dependency_groups` are sets, `extra` is undefined."""
    rng = rng_for("lock marker")
    for _ in range(count(1500)):
        parts = [rand_set_atom(rng) if rng.random() < 0.6 else rand_marker(rng, 2) for _ in range(rng.choice([1, 1, 2, 3]))]
        m = parts[0]
        for p in parts[1:]:
            m += " " + rng.choice(["and", "or"]) + " " + (p if rng.random() < 0.8 else "(" + p + ")")
        for _ in range(rng.choice([1, 2])):
            extras = ",".join(rng.sample(SET_NAMES[1:], rng.randint(0, 3)))
            groups = ",".join(rng.sample(SET_NAMES[1:], rng.randint(0, 3)))
            q = ["L", m] + rand_env(rng) + [extras, groups]
            yield Case("marker evaluate (lock)", q, expected_for(q))


def gen_names():
    rng = rng_for("names")
    alphabet = "abcXYZ019-_.-_.. "
    for _ in range(count(1500)):
        if rng.random() < 0.4:
            n = rng.choice(NAMES + BAD_NAMES)
            if rng.random() < 0.5:
                n = mutate(rng, n) if rng.random() < 0.5 else n.upper()
        else:
            n = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        if not n.isascii():
            n = n.encode("ascii", "ignore").decode()
        yield Case("normalize_name", ["Z", n], expect(lambda: canonicalize_name(n)))
        yield Case("is_valid_name", ["I", n], "1" if PEP508_NAME.fullmatch(n) else "0")
    spellings = ENV_VARS + ["extra"] + [a for al in ALIASES.values() for a in al] + [
        "os-name", "OS_NAME", "Python_Version", "platform.release", "platform.system",
        "implementation.name", "implementation.version", "sys_platform ", " os_name", "", "python.version",
        "platform_python_implementation_", "python_implementation", "extras", "platform_node", "os..name"]
    for n in spellings:
        yield Case("marker variable", ["A", n], pk_variable(n))


def expected_for(q):
    """packaging's answer line for any oracle query."""
    cmd = q[0]
    if cmd == "V":
        return expect(lambda: pk_version(q[1]))
    if cmd == "C":
        return expect(lambda: pk_compare(q[1], q[2]))
    if cmd == "S":
        return expect(lambda: pk_specset(q[1]))
    if cmd == "P":
        return expect(lambda: pk_prereleases(q[1]))
    if cmd == "N":
        return expect(lambda: pk_contains(q[1], q[2], q[3]))
    if cmd == "F":
        return expect(lambda: pk_filter(q[1], q[2], q[3:]))
    if cmd == "R":
        return expect(lambda: pk_requirement(q[1]))
    if cmd == "M":
        return expect(lambda: pk_marker(q[1]))
    if cmd == "E":
        return expect(lambda: pk_evaluate(Marker(q[1]), q[2:13], q[13]))
    if cmd == "L":
        return expect(lambda: pk_evaluate_lock(Marker(q[1]), q[2:13], q[13], q[14]))
    if cmd == "Z":
        return esc(canonicalize_name(q[1]))
    if cmd == "I":
        return "1" if PEP508_NAME.fullmatch(q[1]) else "0"
    if cmd == "A":
        return pk_variable(q[1])
    raise ValueError(f"unknown command {cmd!r}")


# Hand-picked edges, kept whatever the seed: spellings and separators, Unicode that Python's regular
# expressions treat as spaces or (case-insensitively) as ASCII letters, and disagreements found by
# earlier random runs (the last entries of each list).
HAND_VERSIONS = [
    "1.0+\u212a", "1.0+\u0131", "1.0+\u0130", "1.0+\u017f", "1.0\u212a", "\u0131", "1.0 \u00a0", "\u20281.0",
    "1.0\x1c", "1.0\x1f", "\x85 1.0", "\u180e1.0", "\u200b1.0", "1.0\ufeff", "\uff11.0", "1.0+a-b_c.d",
    "1.0+a--b", "1.0+", "1.0.", "1.0-", "1.0-1-1", "1.0_1", "1.0.1a", "1.0a.1", "1.0a.", "1.0.a", "1.0-a-1",
    "1.0post", "1.0-post", "1.0.r", "1.0.rev.1", "1.0dev", "1.0-dev-1", "1!", "!1", "1!1!1", "v", "V1", "vv1",
    "1.0++", "1.0+.a", "01.0+00.0a", "1.0+1A", "0" * 25 + "1", str(U64_MAX), "1.0+0000000000018446744073709551615",
    "1.0a1-1", "1.0rc-1", "1.0c", "1.0pre", "1.0preview.2", "1.0-preview-2", "1.0_alpha_2", "1.0.beta",
    "1.0RC1.POST2.DEV3+LOCAL", " \t1.0\n", "", " ", "1 .0", "1. 0", "1.0 +a", "1.0+ a", "1.0 a1", "1.0a 1",
    # Numbers past 64 bits (issue 19 defect 11), with leading zeros, in every field.
    str(U64_MAX + 1), "0000" + str(10**30), "1." + str(10**25) + ".0", str(10**22) + "!1.0", "1.0a" + str(10**21),
    "1.0.post" + str(2**64) + ".dev" + str(2**70), "1.0-" + str(10**20), "1.0+" + str(10**20) + ".a." + str(2**64),
    "9223372036854775807", "9223372036854775808", "09223372036854775808",
]
HAND_COMPARE = [
    ("1.0+1", "1.0+a"), ("1.0+a.1", "1.0+a"), ("1.0+a", "1.0+A"), ("1.0+01", "1.0+1"), ("1.0+1.0", "1.0+1"),
    ("1.0+0", "1.0"), ("1.0.post0", "1.0-0"), ("1.0.dev0", "1.0a0"), ("1.0a0.dev0", "1.0a0.post0.dev0"),
    ("1.0rc1", "1.0c1"), ("1.0", "1.0.0.0+x"), ("1!0", "2.0"), ("1.0.post1.dev1", "1.0.post1"),
    ("1.0a1.post1", "1.0a2.dev1"), ("1.0+\u212a", "1.0+k"), ("1.0+a.b", "1.0+a-b"), ("0", "0.0.0.0.0"),
    ("1.0.dev1", "1.0a1.dev1"), ("1.0+1.a", "1.0+1.1"), ("1.0.post1+x", "1.0.post1"),
    (str(2**64), str(U64_MAX)), (str(10**30), str(10**30 + 1)), (str(10**30), "0" + str(10**30)),
    ("1." + str(10**25), "1." + str(10**25) + ".0"), ("1." + str(2**63), "1." + str(2**63 - 1)),
    (str(10**20) + "!1", str(10**21) + "!0"), ("1.0+" + str(10**20), "1.0+a"), ("1.0a" + str(2**64), "1.0b1"),
    ("1.0.post" + str(10**20), "1.0.post" + str(10**19)), ("1.0.dev" + str(10**30), "1.0"),
]
HAND_SPECS = [
    "==1.0.*", "==1.*", "==1.0a1.*", "==1.0.*.*", "!=1.0.*", "~=1", "~=1.0", "~=1.0.*", "~=1.0+a", "===1.0 ",
    "=== 1.0", "===a b", "==1.0+a", ">=1.0+a", "<1.0+a", "== 1.0", ">= 1.0 ,< 2", "==v1.0", "==V1.0.*", "~=v1.0",
    ">=1.0,", ",>=1.0", ",,", ",", " ", ">=1.0;", "<=1.0)", "==1.0.*+a", "==1.0-1.*", "==1.0.post1.*",
    "==1.0.dev1.*", "== 1.0 .*", "==1.0. *", "==1!1.*", ">1!1.0", "<=01.0", "=>1.0", "==1.0.0", "==1.0,==1.0.0",
    "==1.0.0,==1.0", "~=1.0,~=1.0.0", ">=1.0A1", ">=1.0ALPHA1", ">=1.0.alpha.1", ">=1.0\u00a0", "\u3000>=1.0",
    "<1.0\x1c", ">=1.0\n", "==1.0+\u212a", "~=1.0\u0131", "~=1.0a1", "~=1.0.post1", "~=1.0.dev1", "~=1!1.0",
    "<1.0", "<1.0a1", ">1.0", ">1.0.post1", "<=1.0+a", ">1.0+a", "==1.0+a.*",
    ">=" + str(10**20), "==1." + str(2**64) + ".*", "~=1." + str(10**30), "!=" + str(2**64) + ".*",
]
HAND_SPEC_VERSIONS = ["1.0", "1.0.0", "1.0a1", "1.0+a", "1.0.post1", "1.0.dev1", "1.1", "0.9", "2.0", "1!1.0",
                      "1.0+A", "1.0+a.1", "foo", "1.0+k", "1.0a2", "1.0.post1+a", "1.0.post2", "1.1a1", "0.9+z",
                      str(10**20), str(2**64) + ".1", "1." + str(2**64), "1." + str(2**64) + ".5", "1." + str(10**30)]
HAND_MARKERS = [
    r'os_name == "\x41"', r"os_name == 'a\tb'", r'os_name == "\\"', r'os_name == "\"', r"os_name == '\''",
    r'os_name == "\u00e9"', r'os_name == "\U0001F600"', r'os_name == "\777"', r'os_name == "\8"',
    'os_name == "\\\n"', 'os_name == "a\x00b"', 'os_name == "a\nb"', "os_name == '\"'", 'os_name==""',
    "os_name not in 'posix'", "os_name not\tin 'posix'", "os_name not  in 'posix'", "os_name notin 'posix'",
    "os_name in'posix'", 'os_name in"posix"', "'posix'in os_name", "os_name==extra", "extra==os_name",
    "os_name==os_name", "extra==extra", "'a'=='b'", "'a'=='extra'", "'extra'=='a'", "'x'=='os_name'",
    "python_version~='3.8'", "python_version~='3'", "python_version==='3.11'", "python_version===' 3.11'",
    "python_version==='3.11 '", "python_version==='3 11'", "python_version===''", "python_version == '3.11.*'",
    "python_version != '3.*'", "python_full_version<'3.11.4+'", "platform_release >= '5.0'",
    "platform_release >= 'a'", "os_name < 'posix'", "os_name ~= 'posix'", "os_name ~= '1.0'", "extra == '1.0'",
    "extra == 'Test'", "extra in 'test,dev'", "'Te_st' in extra", "(os_name=='posix')and(extra=='x')",
    "(os_name=='posix') and(extra=='x')", "os_name=='posix'and extra=='x'", "os_name=='posix' and(extra=='x')",
    "os_name == 'posix' or os_name == 'nt' and extra == 'x'", "((os_name == 'posix'))",
    "(((os_name == 'posix') or (extra == 'X')))", "os_name == 'posix' and (extra == 'X_Y' or extra == 'Z.z')",
    "extra == 'X_Y' and extra == 'Z.z'", "(extra == 'X_Y') and extra == 'Z.z'", "'X_Y' == extra",
    "python_implementation == 'CPython'", "platform.python_implementation == 'CPython'", "os.name == 'posix'",
    "sys.platform == 'linux'", "platform.machine=='x86_64'", "platform.version=='1'", " os_name == 'posix' ",
    "\tos_name == 'posix'", "os_name == 'posix'\t", "os_name\u00a0== 'posix'", "os_name == 'posix' ;",
    "python_version >= '3' and", "python_version > '3.9' or python_version < 'x'",
    "python_version>'3.9'or python_version<'x'", "python_version>'3.9' or'x'>python_version",
    "implementation_version >= '3.13.0c1'", "python_full_version >= '3.13.0rc1'", "platform_version >= '10.0'",
    "platform_machine in 'x86_64 aarch64'", "'' in os_name", "os_name in ''",
    # Values that packaging prints so they read back otherwise (issue 20): thoth prints them faithfully.
    "'a\" == os_name or python_version >= \"0\" or \"b' == os_name", "os_name == '\"'", "os_name == \"'\\x22\"",
    r"os_name == 'a\\b'", r"os_name == 'a\nb'", r"os_name == '\x00'", r"os_name == 'x\d'", r"os_name == '\x7f'",
    # A comparison of `extra` with a variable that prints first (found by the marker fuzzer, issue 19).
    "((python_version> extra ))", "(extra == os_name) and os_name == 'posix'", "((os_name == extra)) or extra == 'x'",
    # PEP 751's set-valued variables (packaging 25.0): undefined outside a lock file.
    "'dev' in dependency_groups", "'Dev_Tools' not in extras", "extras == 'x'", "'extras' in 'x'",
    # Unicode lower-casing of extras (checked with THOTH_DIFF_STRICT=1 only; see deviates_deliberately).
    "extra == 'dev_t\u212aools'", "extra == '\u00c9'", "'so\u212aks' != extra",
]
HAND_REQUIREMENTS = [
    "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686",
    "pip@https://x/y", "pip @https://x/y;os_name=='a'", "pip @ https://x/y ;os_name=='a'",
    "pip @ https://x/y\t; os_name=='a'", "pip @ https://x/y ", "pip @ https://x/y  x", "pip @ file:///a/b",
    "pip @ file://a/b", "pip @ file:a/b", "pip @ file:/a/b", "pip @ file:///a/b?x#y", "pip @ file:///a/b;x",
    "pip @ file:///a/b;", "pip @ file:///a/b?", "pip @ file:///a/b#", "pip @ file://", "pip @ file:///",
    "pip @ FILE:///a", "pip @ file:////a", "pip @ file:///a//b", "pip @ file:///C:/x", "pip @ file:///%20x",
    "pip @ file:///a;b=c", "pip @ file:///a;b=c?d", "pip @ http://", "pip @ http:///x", "pip @ //x/y",
    "pip @ x://y", "pip @ 1x://y", "pip @ a+b-c.d://y", "pip @ a_b://y", "pip @ -a://y", "pip @ http://[::1",
    "pip @ http://[::1]:80/x", "pip @ http://a:b@c", "pip @ http:x", "pip @ http:/x", "pip @ c:/x",
    "pip @ C:\\x", "pip @ file:c:/x", "pip @ \u00e9://x", "pip @ https://x/\u00e9", "pip @ https://x/y[",
    "pip[a] @ https://x", "pip [a]@https://x", "pip@", "pip @", "pip @ ", "@ https://x", "pip>=1.0 @ https://x",
    "foo==1.0;os_name=='a'", "foo (==1.0);os_name=='a'", "foo(==1.0)", "foo ( ==1.0 , <2 )", "foo ()",
    "foo(", "foo)", "foo==1.0 ,", "foo ==1.0, ,<2", "foo ===bar,baz", "foo===bar;os_name=='a'", "foo===bar)",
    "foo (===bar)", "foo===", "foo===;os_name=='a'", "foo; ", "foo;", "foo ; (os_name=='a'", "foo[]", "foo[ ]",
    "foo[a,b,a]", "foo[A,a]", "foo[a_b,a-b]", "foo [a] (>=1)", "foo[a]==1.0.*", "foo[a];extra=='X'",
    "foo..bar", "Foo\tbar", "foo==1.0\u00a0", "foo ==\u00a01.0", "foo == 1.0a1.*", "foo ~= 1",
    "foo >= 1.0+local", "foo==1.0+local", "foo!=1.0+local.*", "foo;extra=='Test' and python_version>='3'",
    "foo==1.0 extra", "foo bar", "foo\x0c==1.0", "foo==1.0\n", "\nfoo", "foo==1.0 # comment", "-e foo",
    "a-", "a.", "1", "_a", "\u00e4", "foo\u00e4",
    # Found by random runs: a local label with a letter that matches ASCII case-insensitively, accepted
    # by SpecifierSet but not inside a requirement.
    "foo==1.0+\u212a", "foo==1.0+a\u017f",
]
HAND_NAMES = ["\u212a", "A\u212a", "\u00c9", "Stra\u00dfe", "\u0130"]

# Deliberate deviations of thoth, documented in its sources, that the default run leaves out:
#  - names and extras are lower-cased in ASCII only (src/pep508/names.cpp), where packaging uses
#    str.lower(): cases whose answer changes with ASCII-only lowering are skipped;
#  - \N{...} escapes in marker strings are rejected (src/pep508/py_string.hpp);
#  - numbers beyond 64 bits are rejected (include/thoth/pep440.hpp): never generated.
# THOTH_DIFF_STRICT=1 checks the first two as well (and is expected to fail).
DELIBERATE_MARKERS = [r'os_name == "\N{LATIN SMALL LETTER A}"', r"os_name == '\N{DIGIT ONE}'"]


def _ascii_canonicalize(name):
    return "".join(c.lower() if c.isascii() else c for c in re.sub(r"[-_.]+", "-", name))


def deviates_deliberately(q):
    """True if either packaging's answer to the query depends on Unicode (rather than ASCII) lower-casing
    of names or extras, or the query uses a \\N{...} escape."""
    global canonicalize_name
    if STRICT:
        return False
    text = "".join(q[1:])
    if q[0] in "MEL" and "\\N{" in q[1]:
        return True
    if q[0] not in "MERZL" or text.isascii():
        return False
    for ref in REFERENCES:
        with using(ref):
            normal = expected_for(q)
            saved = ref.markers.canonicalize_name
            canonicalize_name = ref.markers.canonicalize_name = _ascii_canonicalize
            try:
                changed = expected_for(q) != normal
            finally:
                ref.markers.canonicalize_name = saved
        if changed:
            return True
    return False


def gen_handpicked():
    cat = "hand-picked"
    queries = [["V", v] for v in HAND_VERSIONS]
    queries += [["C", a, b] for a, b in HAND_COMPARE] + [["C", b, a] for a, b in HAND_COMPARE]
    for s in HAND_SPECS:
        queries += [["S", s], ["P", s]]
        for v in HAND_SPEC_VERSIONS:
            queries += [["N", s, v, pre] for pre in ("none", "true", "false")]
        queries += [["F", s, pre] + HAND_SPEC_VERSIONS for pre in ("none", "true", "false")]
    for m in HAND_MARKERS + DELIBERATE_MARKERS:
        queries.append(["M", m])
        for env in PROFILES[:4]:
            queries += [["E", m] + env + [extra] for extra in ("", "X-Y", "x_y", "1.0", "Test", "\u212a")]
            queries += [["L", m] + env + [extras, groups] for extras, groups in (("", ""), ("x,dev-tools", "dev"))]
    queries += [["R", r] for r in HAND_REQUIREMENTS]
    queries += [["Z", n] for n in HAND_NAMES]
    for q in queries:
        uses_default = q[0] == "P" or (q[0] == "N" and q[3] == "none") or (q[0] == "F" and q[2] == "none")
        if uses_default and prereleases_raises(q[1]):
            skip(cat)
            continue
        yield Case(cat, q, expected_for(q))


# Where packaging 23.0 and 25.0 answer differently, packaging_25_change() names the change and gives
# the answer thoth must give: packaging 25.0's where it fixes a bug or implements a newer spec, 23.0's
# where 25.0 regressed.
CLAUSE_RE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>)\s*(.*?)\s*$", re.S)


def normal_spelling(spec):
    """The specifier set text with every version (but an === operand) in PEP 440 normal form, or None."""
    out = []
    for clause in spec.split(","):
        if not clause.strip():
            continue
        m = CLAUSE_RE.match(clause)
        if m is None:
            return None
        op, text = m.groups()
        try:
            Specifier(clause)
        except Exception:
            return None
        if op == "===":
            out.append(clause)
            continue
        star = text.endswith(".*")
        try:
            text = str(Version(text[:-2] if star else text)) + (".*" if star else "")
        except Exception:
            return None
        out.append(op + text)
    return ",".join(out)


def normal_query(q):
    """The query with its specifier set in normal spelling (normal_spelling), or q itself.

    packaging splits the text of a ~= or == X.* version as written to find the prefix to match, so
    "~=v1.0", "~=1.0.r1" or "~=1.0-BETA1" match otherwise than their normal forms "~=1.0", "~=1.0.post1"
    and "~=1.0b1" (and 23.0 and 25.0 differently: 25.0 turns "~=v1.0" into "==0!v1.*", which matches
    nothing). PEP 440 "Normalization" makes such spellings the same version; thoth reads them so."""
    if q[0] not in "PNF":
        return q
    normal = normal_spelling(q[1])
    return q if normal is None or normal == q[1] else [q[0], normal] + q[2:]


def strict_clause_names_prerelease(spec):
    for clause in spec.split(","):
        m = CLAUSE_RE.match(clause)
        if m and m.group(1) in ("<", ">"):
            try:
                if Version(m.group(2)).is_prerelease:
                    return True
            except Exception:
                pass
    return False


def packaging_25_change(q, e23, e25):
    """(the change, the answer thoth must give) for a query 23.0 and 25.0 answer differently (25.0's names
    are in force), or None when no known change explains the difference."""
    cmd = q[0]
    if cmd == "A" or cmd == "L" or re.search(r"\b(extras|dependency_groups)\b", q[1]):
        return "PEP 751: the `extras` and `dependency_groups` marker variables, evaluated in a lock file " \
               "(25.0, #885)", e25
    if cmd == "R" and e23 == "err" and e25.split("\t")[5:6] != [""]:
        return "a requirement's URL is no longer validated (23.2, #120)", e25
    if cmd in "ME" and e23 != "err" and e25 == "err" and expect(lambda: pk_marker(q[1])) == "err":
        return "the whole marker must parse: text after it is an error (23.2, #687)", e25
    if cmd == "E" and q[3].endswith("+"):
        return "python_full_version ending in '+' (an untagged CPython build) reads as '+local' (24.1 #802, 24.2 #825)", e25
    if cmd in "PNF":
        if (cmd == "P" or q[2 if cmd == "F" else 3] == "none") and strict_clause_names_prerelease(q[1]):
            return "< and > naming a pre-release admit pre-releases (24.2, #794)", e25
        if ".*" in q[1] or "~=" in q[1]:
            return "prefix matching (== X.*, ~=) with an epoch (24.0, #683) or trailing zeros (23.1, #674)", e25
    return None


GENERATORS = [gen_handpicked, gen_versions, gen_compare, gen_specsets, gen_contains, gen_filter,
              gen_requirements, gen_markers, gen_lock_markers, gen_names]


# ----------------------------------------------------------------------------------------------
# Running the oracle
# ----------------------------------------------------------------------------------------------
def find_oracle():
    build = os.environ.get("THOTH_BUILD_DIR") or "/work/main/build"
    path = os.path.join(build, "pep_oracle")
    if not os.access(path, os.X_OK):
        print(f"pep_oracle not found at {path} (build the pep_oracle target; set THOTH_BUILD_DIR)")
        sys.exit(1)
    return path, build


def run_oracle(oracle, cases):
    """Answers for the cases, or None if the oracle did not answer them all (crash, hang)."""
    data = "".join(line_of(c.query) + "\n" for c in cases).encode("utf-8")
    try:
        proc = subprocess.run([oracle], input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=300)
    except subprocess.TimeoutExpired:
        return None
    lines = proc.stdout.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if proc.returncode != 0 or len(lines) != len(cases):
        return None
    return [ln.decode("utf-8", errors="backslashreplace") for ln in lines]


def find_crasher(oracle, cases):
    """Bisects to one case that makes the oracle crash or hang."""
    while len(cases) > 1:
        half = len(cases) // 2
        cases = cases[:half] if run_oracle(oracle, cases[:half]) is None else cases[half:]
    return cases[0]


def describe(case, got):
    return (f"[{case.category}] query: {case.query!r}\n"
            f"    packaging: {case.expected}\n"
            f"    thoth:     {got}")


def main():
    oracle, build = find_oracle()
    t0 = time.time()
    cases = []
    for gen in GENERATORS:
        for c in gen():
            if deviates_deliberately(c.query):
                skip(c.category)
            else:
                cases.append(c)
    # packaging 25's answers; where they differ from 23's, one of its changes must explain why.
    # Specifiers are read in their normal form (see normal_query): both answers are for that.
    changes = {}
    unexplained = []
    spelled = 0
    for c in cases:
        q = normal_query(c.query)
        with using(REFERENCES[1]):
            e25 = expected_for(q)
        e23 = c.expected
        if q is not c.query:
            e23 = expected_for(q)
            with using(REFERENCES[1]):
                as_written_25 = expected_for(c.query)
            if (e23, e25) != (c.expected, as_written_25):
                spelled += 1
        if e25 != e23:
            with using(REFERENCES[1]):
                change, e25 = packaging_25_change(q, e23, e25) or (None, e25)
            if change is None:
                unexplained.append((c, e23))
            changes[change] = changes.get(change, 0) + 1
        c.expected = e25
    t1 = time.time()
    answers = run_oracle(oracle, cases)
    t2 = time.time()
    if answers is None:
        bad = find_crasher(oracle, cases)
        print("pep_oracle crashed, hung or did not answer every query; first culprit:")
        print(f"  [{bad.category}] query: {bad.query!r}")
        print(f"0 passed, {len(cases)} failed")
        return 1

    per_cat = {}
    failures = []
    for case, got in zip(cases, answers):
        stats = per_cat.setdefault(case.category, [0, 0])
        if got == case.expected:
            stats[0] += 1
        else:
            stats[1] += 1
            failures.append((case, got))

    print(f"seed {SEED}, scale {SCALE:g}: {len(cases)} cases generated and answered by packaging in "
          f"{t1 - t0:.1f}s, by pep_oracle in {t2 - t1:.1f}s")
    for cat, (ok, bad) in per_cat.items():
        errors = sum(1 for c in cases if c.category == cat and c.expected == "err")
        skipped = f", {SKIPPED[cat]} skipped" if cat in SKIPPED else ""
        print(f"  {cat:22s} {ok + bad:6d} cases ({errors} invalid per packaging{skipped}): "
              f"{ok} passed, {bad} failed")
    if SKIPPED:
        print("  (skipped: the pre-release default of a set with a '===' clause that is not a version, where "
              "packaging raises or not depending on set order;")
        print("   and unless THOTH_DIFF_STRICT=1, thoth's deliberate deviations: ASCII-only lower-casing of "
              "names and extras, no \\N{...} escapes)")

    if spelled:
        print(f"  {spelled} cases name a version in ~= or == X.* in a spelling that is not its normal form, where "
              "packaging (23.0 or 25.0) answers otherwise than for the normal form; thoth answers as for that "
              "(PEP 440 Normalization; a deliberate difference)")
    if changes:
        print(f"  packaging 23.0 and 25.0 answer {sum(changes.values())} cases differently (thoth gives 25.0's "
              "answer unless said otherwise):")
        for change, n in sorted(changes.items(), key=lambda kv: (kv[0] is None, -kv[1])):
            print(f"    {n:6d}  {change or 'UNEXPLAINED (a failure: name the change in packaging_25_change)'}")
    if unexplained:
        lines = [f"  unexplained: [{case.category}] {case.query!r}\n    packaging 23.0: {e23}\n    packaging 25.0: "
                 f"{case.expected}" for case, e23 in sorted(unexplained, key=lambda u: len(line_of(u[0].query)))]
        print("\n".join(lines[:30]))
        report = os.path.join(build, "differential_packaging_unexplained.txt")
        with open(report, "w", encoding="utf-8", errors="backslashreplace") as f:
            f.write("\n".join(lines) + "\n")
        print(f"  all of them: {report}")

    if failures:
        # Shortest examples first, taken in turn from each category so one bug does not hide another.
        # One example per (category, command, first argument) before any repeats.
        by_cat = {}
        seen = set()
        rest = []
        for case, got in sorted(failures, key=lambda f: len(line_of(f[0].query))):
            key = (case.category, case.query[0], case.query[1] if len(case.query) > 1 else "")
            if key in seen:
                rest.append((case, got))
            else:
                seen.add(key)
                by_cat.setdefault(case.category, []).append((case, got))
        shown = []
        while len(shown) < 30 and any(by_cat.values()):
            for cat in list(by_cat):
                if by_cat[cat] and len(shown) < 30:
                    shown.append(by_cat[cat].pop(0))
        shown += rest[:30 - len(shown)]
        print(f"\nFirst {len(shown)} of {len(failures)} disagreements:")
        for case, got in shown:
            print(describe(case, got))
        report = os.path.join(build, "differential_packaging_failures.txt")
        try:
            with open(report, "w", encoding="utf-8", errors="backslashreplace") as f:
                for case, got in failures:
                    f.write(describe(case, got) + "\n")
            print(f"\nAll disagreements: {report}")
        except OSError:
            pass

    bad = {id(c) for c, _ in failures} | {id(c) for c, _ in unexplained}
    print(f"{len(cases) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
