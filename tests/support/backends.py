"""An in-tree PEP 517 build backend for the end-to-end tests (backend-path, standard library only): a
project whose sdist or directory holds it builds without any build requirement, and its wheels record
what the hooks received (config settings) so a test can read them back from the installed package.

    files = recording_backend_files("cfg-demo")  # pyproject.toml, _backend/cfg_backend.py

as an sdist's extra files (mirror.py "sdist_extra_files") or written into a project directory. Each
hook writes the config_settings it received into the source tree (each runs in a fresh interpreter
there); build_wheel and build_editable put them into the wheel as <module>/seen.json, e.g.
{"build_wheel": {"k": "v"}, "get_requires_for_build_wheel": {"k": "v"}}. Asked with dep=yes, the
metadata requires greet-dep. `build_seconds` makes build_wheel and build_editable take that long (for
progress displays)."""

import json
import pathlib

# Debian's python3-setuptools-whl and python3-wheel-whl: real wheels of the build tools.
DEBIAN_WHEELS = pathlib.Path("/usr/share/python-wheels")

PYPROJECT = """\
[build-system]
requires = []
build-backend = "cfg_backend"
backend-path = ["_backend"]
"""

BACKEND = """\
import base64, hashlib, json, os, time, zipfile
NAME, VERSION = @NAME@, "1.0"
BUILD_SECONDS = @SECONDS@
MOD = NAME.replace("-", "_")
DIST_INFO = MOD + "-" + VERSION + ".dist-info"

def _record(hook, config_settings):
    with open("_seen_" + hook + ".json", "w") as f:
        json.dump(config_settings, f)

def _seen(hook):
    try:
        with open("_seen_" + hook + ".json") as f:
            return json.load(f)
    except FileNotFoundError:
        return "not called"

def _metadata(config_settings):
    text = "Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n" % (NAME, VERSION)
    if config_settings and config_settings.get("dep") == "yes":
        text += "Requires-Dist: greet-dep\\n"
    return text

def get_requires_for_build_wheel(config_settings=None):
    _record("get_requires_for_build_wheel", config_settings)
    return []

def get_requires_for_build_editable(config_settings=None):
    _record("get_requires_for_build_editable", config_settings)
    return []

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, DIST_INFO))
    with open(os.path.join(metadata_directory, DIST_INFO, "METADATA"), "w") as f:
        f.write(_metadata(config_settings))
    return DIST_INFO

def _wheel(wheel_directory, config_settings, hook, get_requires):
    time.sleep(BUILD_SECONDS)
    seen = {hook: config_settings, get_requires: _seen(get_requires)}
    members = {
        MOD + "/__init__.py": "",
        MOD + "/seen.json": json.dumps(seen, sort_keys=True),
        DIST_INFO + "/METADATA": _metadata(config_settings),
        DIST_INFO + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: cfg\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    record = ""
    for path, text in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record += "%s,sha256=%s,%d\\n" % (path, digest, len(text.encode()))
    members[DIST_INFO + "/RECORD"] = record + DIST_INFO + "/RECORD,,\\n"
    name = MOD + "-" + VERSION + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        for path, text in members.items():
            z.writestr(path, text)
    return name

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, config_settings, "build_wheel", "get_requires_for_build_wheel")

def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, config_settings, "build_editable", "get_requires_for_build_editable")
"""


def recording_backend_files(name, build_seconds=0):
    """pyproject.toml and the backend of the project `name` (version 1.0), by path in the project."""
    code = BACKEND.replace("@NAME@", json.dumps(name)).replace("@SECONDS@", repr(build_seconds))
    return {"pyproject.toml": PYPROJECT, "_backend/cfg_backend.py": code}


def with_debian_build_tools(spec: dict) -> dict:
    """`spec` (mirror.py) with Debian's real setuptools and wheel wheels added to the mirror, for the
    isolated build environments of setuptools projects."""
    return dict(spec, external_files=[str(p) for p in sorted(DEBIAN_WHEELS.glob("*.whl"))
                                      if p.name.startswith(("setuptools-", "wheel-"))])
