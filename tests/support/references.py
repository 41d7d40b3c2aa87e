"""The reference implementations the differential tests compare thoth with.

Two generations of each: Debian 12's python3-packaging 23.0 and pip 23.0.1 (installed in the system's
Python), and Debian 13's packaging 25.0 and pip 25.1.1, whose wheels scripts/install-deps.sh unpacks
into $THOTH_TEST_WHEELS (default /usr/local/share/thoth-test-wheels) as packaging-25.0/ and
pip-25.1.1/, one directory each to put on sys.path or PYTHONPATH.

Where the two generations disagree, thoth follows packaging 25 where it fixes a bug or implements a
newer spec; each differential test says which differences it saw and how it judged them.
"""

import importlib
import importlib.util
import os
import pathlib
import sys

WHEELS = pathlib.Path(os.environ.get("THOTH_TEST_WHEELS") or "/usr/local/share/thoth-test-wheels")
PACKAGING_25 = WHEELS / "packaging-25.0"
PIP_25 = WHEELS / "pip-25.1.1"
MISSING = "run scripts/install-deps.sh (it unpacks Debian 13's wheels there), or set THOTH_TEST_WHEELS"


def require(path: pathlib.Path) -> pathlib.Path:
    """`path`, or exits with a message saying how to get it."""
    if not path.is_dir():
        print(f"reference not found: {path}; {MISSING}", file=sys.stderr)
        sys.exit(1)
    return path


def load_packaging_25(alias: str = "packaging25"):
    """packaging 25.0 imported as the package `alias`, beside the system's packaging 23.0 (its modules
    import each other relatively, so both generations live in one process). Returns the package, with
    its markers, requirements, specifiers, utils, version, _parser and _tokenizer modules loaded."""
    root = require(PACKAGING_25) / "packaging"
    if alias not in sys.modules:
        spec = importlib.util.spec_from_file_location(alias, root / "__init__.py",
                                                      submodule_search_locations=[str(root)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[alias] = module
        spec.loader.exec_module(module)
    package = sys.modules[alias]
    for name in ("markers", "requirements", "specifiers", "utils", "version", "_parser", "_tokenizer"):
        importlib.import_module(f"{alias}.{name}")
    return package


def pip_25_env(env: dict) -> dict:
    """`env` with PYTHONPATH set so that `python3 -m pip` runs pip 25.1.1."""
    out = dict(env)
    out["PYTHONPATH"] = str(require(PIP_25))
    return out
