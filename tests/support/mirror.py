#!/usr/bin/env python3
"""Build package mirrors (PEP 503 / 691 / 658 / 700 simple indexes) for thoth's tests and benchmarks.

There is no network in the test environment, so every end-to-end test and benchmark makes its own
index: a small JSON-able spec goes in, a directory comes out that any static HTTP server (see
server.py) can serve and that pip accepts as an --index-url.

Spec (dict or JSON file)::

    {"options": {...see DEFAULT_OPTIONS...},
     "defaults": {...version keys applied to every version...},
     "projects": {
        "Foo_Bar": {                      # the key is the name as written by the project
          "summary": "...",               # project-level keys are defaults for its versions
          "versions": {
            "1.0": {"requires_dist": ["idna>=2.5", "socks>=1; extra == 'socks'"],
                    "requires_python": ">=3.8", "yanked": false, "upload_time": "2021-03-04",
                    "files": ["py3-none-any", "sdist"]}}},
        "idna": {"3.4": {}}               # a project may also map versions directly
     }}

Version keys: see VERSION_KEYS ("sdist_entry_points", a dict like "entry_points", become
[project.scripts] / [project.gui-scripts] / [project.entry-points.*] of the sdist's pyproject.toml;
"sdist_extra_files" maps paths inside the sdist's top directory to text, e.g. a module a script
names or a setup.py; a path the generator writes too is replaced, and None leaves it out, e.g.
{"pyproject.toml": None} for a setup.py-only sdist).

Top-level "external_files": paths of real wheels (e.g. /usr/share/python-wheels/*.whl) copied into the
mirror and listed under the project their file name names.  A "files" entry is a wheel tag string ("py3-none-any",
"cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", "1-py3-none-any" with a build tag) or
"sdist", or a dict {"tag": ..., "yanked", "upload_time", "requires_python", "sidecar": bool,
"filename": str, "legacy_name": bool (sdist named as written, not PEP 625), "stub": bool (listed in
the pages with a made-up hash and size but not written: files no client under test ever fetches,
such as the other platforms' wheels of a large real-shaped page)}.

Output layout: files/<distribution files and their .metadata sidecars>, simple/index.html,
simple/index.json, simple/<normalized>/index.html and index.json.  Bytes are deterministic: the same
spec and options always give identical files.

Library: build_mirror(), generate_random_spec(), write_requirements(), normalize_name(),
core_metadata(), wheel_bytes(), sdist_bytes().
CLI: python3 mirror.py SPEC.json OUTDIR [--no-metadata] [--no-hashes] [--description-size N]
Standard library only.
"""
from __future__ import annotations

import argparse
import base64
import datetime as _dt
import gzip
import hashlib
import html
import io
import itertools
import json
import os
import random
import re
import sys
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

ZIP_TIME = (2020, 1, 1, 0, 0, 0)
TAR_MTIME = 1577836800  # 2020-01-01T00:00:00Z
GENERATOR = "thoth-test-mirror (1.0)"

DEFAULT_OPTIONS = {
    "metadata_sidecars": True,     # PEP 658 <file>.metadata + data-dist-info-metadata/data-core-metadata
    "sdist_sidecars": False,       # also publish sidecars for sdists (PKG-INFO)
    "hash_fragments": True,        # #sha256= in HTML hrefs and "hashes" in JSON
    "description_size": 600,       # bytes of long description in METADATA
    "sdist_backend": "setuptools",  # or "intree": a stdlib-only PEP 517 backend shipped in the sdist
    "files_base_url": None,        # absolute base URL for files (default: relative ../../files/)
    "base_upload_time": "2020-01-01T00:00:00Z",  # versions without upload_time count days from here
    "html_pages": True,
    "json_pages": True,
    # PEP 714: JSON carries only "core-metadata" (the old "dist-info-metadata" key crashes pip < 23.2);
    # True adds the old key too, for clients that must tolerate it.
    "json_dist_info_metadata": False,
}

VERSION_KEYS = {
    "requires_dist", "requires_python", "provides_extra", "yanked", "upload_time", "files",
    "metadata_version", "dynamic", "name_as_written", "summary", "description_size",
    "entry_points", "extra_metadata", "payload_size", "sdist_entry_points", "sdist_extra_files",
}


# ----------------------------------------------------------------------------------------------
# Names and small helpers


def normalize_name(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def escape_name(name: str) -> str:
    """Distribution name as used in wheel/sdist file names and .dist-info (runs of -_. -> _)."""
    return re.sub(r"[-_.]+", "_", name)


def import_name(name: str) -> str:
    return normalize_name(name).replace("-", "_")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def parse_time(value) -> _dt.datetime:
    """Accepts 'YYYY-MM-DD', ISO 8601 with Z/offset, or a datetime; returns an aware UTC datetime."""
    if isinstance(value, _dt.datetime):
        dt = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        dt = _dt.datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=_dt.timezone.utc)
    return dt.astimezone(_dt.timezone.utc)


def format_time(dt: _dt.datetime) -> str:
    """PEP 700 upload-time format."""
    return dt.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua resolver wheel index mirror package version marker extra "
    "specifier requirement install metadata archive network cache python library module"
).split()


def _description(name: str, version: str, size: int) -> str:
    """Deterministic markdown-ish text of exactly `size` bytes (at least the title)."""
    head = f"# {name}\n\nRelease {version} of {name}.\n\n"
    if size <= len(head):
        return head
    seed = int.from_bytes(hashlib.sha256(f"{name}=={version}".encode()).digest()[:8], "big")
    out = [head]
    total = len(head)
    n = len(_WORDS)
    i = 0
    while total < size:
        seed = (seed * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        word = _WORDS[(seed >> 33) % n]
        i += 1
        sep = "\n" if i % 12 == 0 else " "
        out.append(word + sep)
        total += len(word) + 1
    return "".join(out)[:size - 1] + "\n"


# ----------------------------------------------------------------------------------------------
# Core metadata


_EXTRA_RE = re.compile(r"""\bextra\s*==\s*(['"])([^'"]+)\1""")


def _split_marker(req: str):
    head, sep, marker = req.partition(";")
    return head.strip(), marker.strip() if sep else ""


def _extras_of(requires_dist):
    seen = []
    for req in requires_dist:
        _, marker = _split_marker(req)
        for m in _EXTRA_RE.finditer(marker):
            if m.group(2) not in seen:
                seen.append(m.group(2))
    return seen


def core_metadata(name: str, version: str, *, metadata_version: str = "2.1", summary: str | None = None,
                  requires_dist=(), requires_python: str | None = None, provides_extra=None,
                  dynamic=(), description_size: int = 600, extra_metadata=()) -> str:
    """METADATA / PKG-INFO text shaped like what setuptools and friends write.

    provides_extra=None infers Provides-Extra from the extra markers of requires_dist.
    """
    if provides_extra is None:
        provides_extra = _extras_of(requires_dist)
    norm = normalize_name(name)
    mv = tuple(int(x) for x in str(metadata_version).split("."))
    lines = [
        f"Metadata-Version: {metadata_version}",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {summary if summary is not None else f'The {name} test package'}",
        f"Home-page: https://example.com/projects/{norm}",
        "Author: Thoth Test Suite",
        "Author-email: tests@example.com",
        "License: MIT",
    ]
    body = _description(name, version, description_size)
    if mv < (2, 1):
        # Before 2.1 the description is a header with 8-space continuation lines.
        folded = body.rstrip("\n").replace("\n", "\n        |")
        lines.append(f"Description: {folded}")
    lines += [
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: License :: OSI Approved :: MIT License",
        "Classifier: Operating System :: OS Independent",
    ]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    if mv >= (2, 1):
        lines.append("Description-Content-Type: text/markdown")
    if mv >= (2, 2):
        lines += [f"Dynamic: {d}" for d in dynamic]
    lines += list(extra_metadata)
    plain = [r for r in requires_dist if not _EXTRA_RE.search(_split_marker(r)[1])]
    extra = [r for r in requires_dist if _EXTRA_RE.search(_split_marker(r)[1])]
    lines += [f"Requires-Dist: {r}" for r in plain]
    lines += [f"Provides-Extra: {e}" for e in provides_extra]
    lines += [f"Requires-Dist: {r}" for r in extra]
    text = "\n".join(lines) + "\n"
    if mv >= (2, 1):
        text += "\n" + body
        if not text.endswith("\n"):
            text += "\n"
    return text


# ----------------------------------------------------------------------------------------------
# Archives


def _zip(members) -> bytes:
    """Deterministic zip: fixed timestamps, fixed permissions, member order as given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path, data, compress in members:
            info = zipfile.ZipInfo(path, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return buf.getvalue()


def _payload(name: str, version: str, size: int) -> bytes:
    """Incompressible deterministic bytes (so zip members really take `size` bytes on the wire)."""
    out = bytearray()
    block = hashlib.sha256(f"payload:{name}=={version}".encode()).digest()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


def expand_tags(tag: str):
    """'py2.py3-none-any' -> ['py2-none-any', 'py3-none-any'] (compressed tag sets)."""
    py, abi, plat = tag.split("-")
    return ["-".join(t) for t in itertools.product(py.split("."), abi.split("."), plat.split("."))]


def _split_wheel_tag(tag: str):
    """'1-py3-none-any' -> ('1', 'py3-none-any'); 'py3-none-any' -> (None, 'py3-none-any')."""
    parts = tag.split("-")
    if len(parts) == 4:
        return parts[0], "-".join(parts[1:])
    if len(parts) != 3:
        raise ValueError(f"bad wheel tag {tag!r}: expected python-abi-platform")
    return None, tag


def wheel_bytes(name: str, version: str, tag: str, metadata: str, *, entry_points=None,
                payload_size: int = 0) -> bytes:
    """A real wheel: <pkg>/__init__.py, .dist-info/{METADATA,WHEEL,entry_points.txt,RECORD}."""
    build, tag = _split_wheel_tag(tag)
    distinfo = f"{escape_name(name)}-{version}.dist-info"
    pkg = import_name(name)
    tags = expand_tags(tag)
    pure = all(t.endswith("-none-any") for t in tags)
    wheel = ["Wheel-Version: 1.0", f"Generator: {GENERATOR}", f"Root-Is-Purelib: {'true' if pure else 'false'}"]
    wheel += [f"Tag: {t}" for t in tags]
    if build is not None:
        wheel.append(f"Build: {build}")
    members = [(f"{pkg}/__init__.py", f'__version__ = "{version}"\n'.encode(), True)]
    if payload_size:
        members.append((f"{pkg}/_payload.bin", _payload(name, version, payload_size), False))
    members.append((f"{distinfo}/METADATA", metadata.encode("utf-8"), True))
    members.append((f"{distinfo}/WHEEL", ("\n".join(wheel) + "\n").encode(), True))
    if entry_points:
        members.append((f"{distinfo}/entry_points.txt", _entry_points_text(entry_points).encode(), True))
    record = [f"{p},{_record_hash(d)},{len(d)}" for p, d, _ in members]
    record.append(f"{distinfo}/RECORD,,")
    members.append((f"{distinfo}/RECORD", ("\n".join(record) + "\n").encode(), True))
    return _zip(members)


def _entry_points_text(entry_points) -> str:
    if isinstance(entry_points, str):
        return entry_points if entry_points.endswith("\n") else entry_points + "\n"
    out = []
    for group in sorted(entry_points):
        out.append(f"[{group}]")
        for key in sorted(entry_points[group]):
            out.append(f"{key} = {entry_points[group][key]}")
        out.append("")
    return "\n".join(out)


_INTREE_BACKEND = '''\
"""Stdlib-only PEP 517 backend of thoth's generated test sdists: builds offline with no requirements."""
import base64
import hashlib
import os
import re
import tarfile
import zipfile

PACKAGES = @PACKAGES@


def _pkg_info():
    with open("PKG-INFO", encoding="utf-8") as f:
        return f.read()


def _field(text, key):
    for line in text.split("\\n"):
        if line.startswith(key + ": "):
            return line[len(key) + 2:].strip()
    raise RuntimeError("PKG-INFO has no " + key)


def _names():
    text = _pkg_info()
    name, version = _field(text, "Name"), _field(text, "Version")
    return text, name, version, re.sub(r"[-_.]+", "_", name)


def _wheel_metadata(text):
    head, sep, body = text.partition("\\n\\n")
    kept = [line for line in head.split("\\n") if not line.startswith("Dynamic: ")]
    return "\\n".join(kept) + sep + body


_WHEEL = "Wheel-Version: 1.0\\nGenerator: thoth-test-backend\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    text, name, version, esc = _names()
    distinfo = esc + "-" + version + ".dist-info"
    os.makedirs(os.path.join(metadata_directory, distinfo), exist_ok=True)
    with open(os.path.join(metadata_directory, distinfo, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_wheel_metadata(text))
    with open(os.path.join(metadata_directory, distinfo, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(_WHEEL)
    return distinfo


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    text, name, version, esc = _names()
    distinfo = esc + "-" + version + ".dist-info"
    members = []
    for pkg in PACKAGES:
        for root, dirs, files in os.walk(pkg):
            dirs.sort()
            for fn in sorted(files):
                path = os.path.join(root, fn)
                with open(path, "rb") as f:
                    members.append((path.replace(os.sep, "/"), f.read()))
    members.append((distinfo + "/METADATA", _wheel_metadata(text).encode("utf-8")))
    members.append((distinfo + "/WHEEL", _WHEEL.encode()))
    record = []
    for path, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    record.append(distinfo + "/RECORD,,")
    members.append((distinfo + "/RECORD", ("\\n".join(record) + "\\n").encode()))
    filename = esc + "-" + version + "-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in members:
            zf.writestr(path, data)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    text, name, version, esc = _names()
    base = esc.lower() + "-" + version
    filename = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tf:
        for entry in ["PKG-INFO", "pyproject.toml", "_thoth_backend"] + list(PACKAGES):
            tf.add(entry, arcname=base + "/" + entry)
    return filename
'''


def _toml_str(s: str) -> str:
    return json.dumps(s)  # JSON string escapes are valid TOML basic-string escapes


def _pyproject(name, version, summary, requires_dist, requires_python, dynamic, backend, entry_points=None):
    pkg = import_name(name)
    deps, extras = [], {}
    for req in requires_dist:
        head, marker = _split_marker(req)
        m = _EXTRA_RE.search(marker)
        if not m:
            deps.append(req)
            continue
        # Move `extra == "x"` into [project.optional-dependencies] x, keeping the rest of the marker.
        rest = marker[:m.start()] + marker[m.end():]
        rest = re.sub(r"^\s*and\s+|\s+and\s*$", "", rest.strip()).strip()
        if "extra" in rest or " or " in f" {rest} ":
            deps.append(req)  # too clever a marker to move: keep as written
            continue
        extras.setdefault(m.group(2), []).append(f"{head} ; {rest}" if rest else head)
    dyn_deps = "Requires-Dist" in dynamic
    lines = ["[build-system]"]
    if backend == "intree":
        lines += ["requires = []", 'build-backend = "thoth_test_backend"', 'backend-path = ["_thoth_backend"]']
    else:
        lines += ['requires = ["setuptools>=61"]', 'build-backend = "setuptools.build_meta"']
    lines += ["", "[project]", f"name = {_toml_str(name)}", f"version = {_toml_str(version)}",
              f"description = {_toml_str(summary)}", 'readme = {text = "See PKG-INFO.", content-type = "text/plain"}']
    if requires_python:
        lines.append(f"requires-python = {_toml_str(requires_python)}")
    if dyn_deps:
        lines.append('dynamic = ["dependencies"]')
    else:
        lines.append("dependencies = [" + ", ".join(_toml_str(d) for d in deps) + "]")
    if extras:
        lines += ["", "[project.optional-dependencies]"]
        for extra, reqs in extras.items():
            lines.append(f"{_toml_str(extra)} = [" + ", ".join(_toml_str(r) for r in reqs) + "]")
    for group in sorted(entry_points or {}):
        table = {"console_scripts": "project.scripts", "gui_scripts": "project.gui-scripts"}.get(
            group, f"project.entry-points.{_toml_str(group)}")
        lines += ["", f"[{table}]"]
        lines += [f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(entry_points[group].items())]
    if backend != "intree":
        lines += ["", "[tool.setuptools]", f"packages = [{_toml_str(pkg)}]"]
        if dyn_deps:
            lines += ["", "[tool.setuptools.dynamic]", 'dependencies = {file = ["requirements.in"]}']
    return "\n".join(lines) + "\n", deps if dyn_deps else None


def _tar_gz(members) -> bytes:
    """Deterministic tar.gz: fixed mtime, root ownership, PAX format, gzip header without name/time."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for path, data in members:
            info = tarfile.TarInfo(path)
            info.mtime = TAR_MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            else:
                info.mode = 0o644
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def sdist_bytes(name: str, version: str, pkg_info: str, *, summary: str = "", requires_dist=(),
                requires_python=None, dynamic=(), backend: str = "setuptools", base: str | None = None,
                entry_points=None, extra_files=None) -> bytes:
    """A real sdist: <base>/PKG-INFO, pyproject.toml, <pkg>/__init__.py (+ in-tree backend, + extra_files)."""
    base = base or f"{escape_name(name).lower()}-{version}"
    pkg = import_name(name)
    if isinstance(entry_points, str):
        raise ValueError("an sdist's entry_points must be a dict of groups")
    pyproject, dyn_deps = _pyproject(name, version, summary, requires_dist, requires_python, dynamic, backend,
                                     entry_points)
    members = [
        (base, None),
        (f"{base}/PKG-INFO", pkg_info.encode("utf-8")),
        (f"{base}/pyproject.toml", pyproject.encode()),
        (f"{base}/{pkg}", None),
        (f"{base}/{pkg}/__init__.py", f'__version__ = "{version}"\n'.encode()),
    ]
    if dyn_deps is not None:
        members.append((f"{base}/requirements.in", ("\n".join(dyn_deps) + "\n").encode()))
    if backend == "intree":
        code = _INTREE_BACKEND.replace("@PACKAGES@", repr([pkg]))
        members.append((f"{base}/_thoth_backend", None))
        members.append((f"{base}/_thoth_backend/thoth_test_backend.py", code.encode()))
    elif backend != "setuptools":
        raise ValueError(f"unknown sdist_backend {backend!r} (expected 'setuptools' or 'intree')")
    extra = {f"{base}/{path}": text for path, text in (extra_files or {}).items()}
    members = [m for m in members if m[0] not in extra]
    for path, text in sorted(extra.items()):
        if text is not None:
            members.append((path, text.encode("utf-8")))
    return _tar_gz(members)


# ----------------------------------------------------------------------------------------------
# Mirror


@dataclass
class DistFile:
    project: str            # normalized project name
    version: str
    filename: str
    kind: str               # "wheel" | "sdist"
    sha256: str
    size: int
    path: str               # absolute path on disk
    url: str                # href as written in the pages (without fragment)
    requires_python: str | None
    yanked: object          # False | True | "reason"
    upload_time: str
    metadata_sha256: str | None  # hash of the <file>.metadata sidecar, if published
    metadata: str           # the core metadata text inside the file


@dataclass
class Mirror:
    root: str
    files: list = field(default_factory=list)      # [DistFile]
    projects: dict = field(default_factory=dict)   # normalized -> {"name": as written, "versions": [...]}

    @property
    def simple_dir(self) -> str:
        return os.path.join(self.root, "simple")

    def file(self, filename: str) -> DistFile:
        for f in self.files:
            if f.filename == filename:
                return f
        raise KeyError(filename)

    def files_for(self, project: str, version: str | None = None):
        norm = normalize_name(project)
        return [f for f in self.files if f.project == norm and (version is None or f.version == version)]

    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def _projects_of(spec):
    projects = spec.get("projects", {})
    for display in projects:
        proj = projects[display]
        if isinstance(proj.get("versions"), dict):
            defaults = {k: v for k, v in proj.items() if k != "versions"}
            versions = proj["versions"]
        else:
            defaults, versions = {}, proj
        yield display, defaults, versions


def _write(path: str, data: bytes):
    with open(path, "wb") as f:
        f.write(data)


def build_mirror(spec, outdir: str, **options) -> Mirror:
    """Writes the mirror for `spec` (dict or path to JSON) under outdir; returns what was written.

    Keyword options override spec["options"]; see DEFAULT_OPTIONS.
    """
    if isinstance(spec, (str, os.PathLike)):
        with open(spec, encoding="utf-8") as f:
            spec = json.load(f)
    opts = dict(DEFAULT_OPTIONS)
    opts.update(spec.get("options", {}))
    opts.update(options)
    unknown = set(opts) - set(DEFAULT_OPTIONS)
    if unknown:
        raise ValueError(f"unknown mirror option(s): {', '.join(sorted(unknown))}")
    root = os.path.abspath(outdir)
    files_dir = os.path.join(root, "files")
    simple_dir = os.path.join(root, "simple")
    os.makedirs(files_dir, exist_ok=True)
    os.makedirs(simple_dir, exist_ok=True)
    mirror = Mirror(root=root)
    base_time = parse_time(opts["base_upload_time"])
    global_defaults = spec.get("defaults", {})

    for display, proj_defaults, versions in _projects_of(spec):
        norm = normalize_name(display)
        if norm in mirror.projects:
            raise ValueError(f"project {display!r} collides with {mirror.projects[norm]['name']!r}")
        entry = {"name": display, "versions": [], "files": []}
        mirror.projects[norm] = entry
        for index, version in enumerate(versions):
            v = dict(global_defaults)
            v.update(proj_defaults)
            v.update(versions[version] or {})
            unknown = set(v) - VERSION_KEYS
            if unknown:
                raise ValueError(f"{display} {version}: unknown key(s) {', '.join(sorted(unknown))}")
            entry["versions"].append(version)
            for f in _build_version(display, norm, str(version), v, index, opts, base_time, files_dir):
                entry["files"].append(f)
                mirror.files.append(f)
    for path in spec.get("external_files", []):
        f, display = _external_file(path, opts, base_time, files_dir)
        entry = mirror.projects.setdefault(f.project, {"name": display, "versions": [], "files": []})
        if f.version not in entry["versions"]:
            entry["versions"].append(f.version)
        entry["files"].append(f)
        mirror.files.append(f)

    if opts["html_pages"]:
        _write(os.path.join(simple_dir, "index.html"), _root_html(mirror).encode())
    if opts["json_pages"]:
        _write(os.path.join(simple_dir, "index.json"), _root_json(mirror).encode())
    for norm, entry in mirror.projects.items():
        pdir = os.path.join(simple_dir, norm)
        os.makedirs(pdir, exist_ok=True)
        if opts["html_pages"]:
            _write(os.path.join(pdir, "index.html"), _project_html(norm, entry, opts).encode())
        if opts["json_pages"]:
            _write(os.path.join(pdir, "index.json"), _project_json(norm, entry, opts).encode())
    return mirror


def _build_version(display, norm, version, v, index, opts, base_time, files_dir):
    name = v.get("name_as_written", display)
    requires_dist = list(v.get("requires_dist", []))
    requires_python = v.get("requires_python")
    dynamic = list(v.get("dynamic", []))
    summary = v.get("summary", f"The {name} test package")
    desc_size = int(v.get("description_size", opts["description_size"]))
    mv = str(v.get("metadata_version", "2.1"))
    common = dict(summary=summary, requires_dist=requires_dist, requires_python=requires_python,
                  provides_extra=v.get("provides_extra"), description_size=desc_size,
                  extra_metadata=v.get("extra_metadata", ()))
    wheel_meta = core_metadata(name, version, metadata_version=mv, **common)
    sdist_mv = mv if (not dynamic or tuple(map(int, mv.split("."))) >= (2, 2)) else "2.2"
    sdist_meta = core_metadata(name, version, metadata_version=sdist_mv, dynamic=dynamic, **common)
    upload = parse_time(v["upload_time"]) if "upload_time" in v else base_time + _dt.timedelta(days=index)
    yanked = v.get("yanked", False)

    out = []
    for item in v.get("files", ["py3-none-any"]):
        fspec = {"tag": item} if isinstance(item, str) else dict(item)
        tag = fspec["tag"]
        if fspec.get("stub"):
            out.append(_stub_file(norm, name, version, tag, fspec, opts, upload, yanked, requires_python, wheel_meta))
            continue
        if tag == "sdist":
            if fspec.get("legacy_name"):
                stem = f"{name}-{version}"
            else:
                stem = f"{escape_name(name).lower()}-{version}"  # PEP 625
            filename = fspec.get("filename", stem + ".tar.gz")
            data = sdist_bytes(name, version, sdist_meta, summary=summary, requires_dist=requires_dist,
                               requires_python=requires_python, dynamic=dynamic,
                               backend=opts["sdist_backend"], base=stem, entry_points=v.get("sdist_entry_points"),
                               extra_files=v.get("sdist_extra_files"))
            meta, kind = sdist_meta, "sdist"
            sidecar = fspec.get("sidecar", opts["metadata_sidecars"] and opts["sdist_sidecars"])
        else:
            _split_wheel_tag(tag)
            filename = fspec.get("filename", f"{escape_name(name)}-{version}-{tag}.whl")
            data = wheel_bytes(name, version, tag, wheel_meta, entry_points=v.get("entry_points"),
                               payload_size=int(v.get("payload_size", 0)))
            meta, kind = wheel_meta, "wheel"
            sidecar = fspec.get("sidecar", opts["metadata_sidecars"])
        path = os.path.join(files_dir, filename)
        _write(path, data)
        meta_hash = None
        if sidecar:
            meta_bytes = meta.encode("utf-8")
            _write(path + ".metadata", meta_bytes)
            meta_hash = _sha256(meta_bytes)
        if opts["files_base_url"]:
            url = opts["files_base_url"].rstrip("/") + "/" + quote(filename)
        else:
            url = "../../files/" + quote(filename)
        ftime = parse_time(fspec["upload_time"]) if "upload_time" in fspec else upload
        out.append(DistFile(project=norm, version=version, filename=filename, kind=kind,
                            sha256=_sha256(data), size=len(data), path=path, url=url,
                            requires_python=fspec.get("requires_python", requires_python),
                            yanked=fspec.get("yanked", yanked), upload_time=format_time(ftime),
                            metadata_sha256=meta_hash, metadata=meta))
    return out


def _external_file(path, opts, base_time, files_dir):
    """A real wheel copied into the mirror as it is, with its METADATA as the sidecar."""
    filename = os.path.basename(path)
    if not filename.endswith(".whl"):
        raise ValueError(f"external_files takes wheels only: {path}")
    with open(path, "rb") as fh:
        data = fh.read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        meta_name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        meta = zf.read(meta_name).decode("utf-8")
    fields = {}
    for line in meta.split("\n\n", 1)[0].split("\n"):
        key, sep, value = line.partition(": ")
        if sep and key not in fields:
            fields[key] = value.strip()
    dest = os.path.join(files_dir, filename)
    _write(dest, data)
    meta_hash = None
    if opts["metadata_sidecars"]:
        _write(dest + ".metadata", meta.encode("utf-8"))
        meta_hash = _sha256(meta.encode("utf-8"))
    url = (opts["files_base_url"].rstrip("/") + "/" if opts["files_base_url"] else "../../files/") + quote(filename)
    f = DistFile(project=normalize_name(fields["Name"]), version=fields["Version"], filename=filename, kind="wheel",
                 sha256=_sha256(data), size=len(data), path=dest, url=url,
                 requires_python=fields.get("Requires-Python"), yanked=False, upload_time=format_time(base_time),
                 metadata_sha256=meta_hash, metadata=meta)
    return f, fields["Name"]


def _stub_file(norm, name, version, tag, fspec, opts, upload, yanked, requires_python, meta):
    """A file listed but never written: hashes and size derived from its name, so pages stay deterministic."""
    if tag == "sdist":
        filename, kind = fspec.get("filename", f"{escape_name(name).lower()}-{version}.tar.gz"), "sdist"
        sidecar = fspec.get("sidecar", opts["metadata_sidecars"] and opts["sdist_sidecars"])
    else:
        _split_wheel_tag(tag)
        filename, kind = fspec.get("filename", f"{escape_name(name)}-{version}-{tag}.whl"), "wheel"
        sidecar = fspec.get("sidecar", opts["metadata_sidecars"])
    seed = hashlib.sha256(filename.encode()).digest()
    if opts["files_base_url"]:
        url = opts["files_base_url"].rstrip("/") + "/" + quote(filename)
    else:
        url = "../../files/" + quote(filename)
    ftime = parse_time(fspec["upload_time"]) if "upload_time" in fspec else upload
    return DistFile(project=norm, version=version, filename=filename, kind=kind, sha256=seed.hex(),
                    size=20_000 + int.from_bytes(seed[:3], "big"), path="", url=url,
                    requires_python=fspec.get("requires_python", requires_python),
                    yanked=fspec.get("yanked", yanked), upload_time=format_time(ftime),
                    metadata_sha256=_sha256(seed) if sidecar else None, metadata=meta)


def _root_html(mirror: Mirror) -> str:
    lines = ["<!DOCTYPE html>", "<html>", "  <head>",
             '    <meta name="pypi:repository-version" content="1.1">',
             "    <title>Simple index</title>", "  </head>", "  <body>"]
    for norm in sorted(mirror.projects):
        lines.append(f'    <a href="{html.escape(norm)}/">{html.escape(mirror.projects[norm]["name"])}</a>')
    lines += ["  </body>", "</html>"]
    return "\n".join(lines) + "\n"


def _root_json(mirror: Mirror) -> str:
    doc = {"meta": {"api-version": "1.1"},
           "projects": [{"name": mirror.projects[n]["name"]} for n in sorted(mirror.projects)]}
    return json.dumps(doc, separators=(",", ":")) + "\n"


def _project_html(norm: str, entry, opts) -> str:
    lines = ["<!DOCTYPE html>", "<html>", "  <head>",
             '    <meta name="pypi:repository-version" content="1.1">',
             f"    <title>Links for {html.escape(norm)}</title>", "  </head>", "  <body>",
             f"    <h1>Links for {html.escape(norm)}</h1>"]
    for f in entry["files"]:
        href = f.url + (f"#sha256={f.sha256}" if opts["hash_fragments"] else "")
        attrs = [f'href="{html.escape(href)}"']
        if f.requires_python:
            attrs.append(f'data-requires-python="{html.escape(f.requires_python)}"')
        if f.yanked is not False and f.yanked is not None:
            reason = f.yanked if isinstance(f.yanked, str) else ""
            attrs.append(f'data-yanked="{html.escape(reason)}"')
        if f.metadata_sha256:
            attrs.append(f'data-dist-info-metadata="sha256={f.metadata_sha256}"')
            attrs.append(f'data-core-metadata="sha256={f.metadata_sha256}"')
        lines.append(f"    <a {' '.join(attrs)}>{html.escape(f.filename)}</a><br />")
    lines += ["  </body>", "</html>"]
    return "\n".join(lines) + "\n"


def _project_json(norm: str, entry, opts) -> str:
    files = []
    for f in entry["files"]:
        meta = {"sha256": f.metadata_sha256} if f.metadata_sha256 else False
        yanked = f.yanked if isinstance(f.yanked, str) else bool(f.yanked)
        files.append({
            "filename": f.filename,
            "url": f.url,
            "hashes": {"sha256": f.sha256} if opts["hash_fragments"] else {},
            "requires-python": f.requires_python,
            "core-metadata": meta,
            "gpg-sig": False,
            "yanked": yanked,
            "size": f.size,
            "upload-time": f.upload_time,
        })
        if opts["json_dist_info_metadata"]:
            files[-1]["dist-info-metadata"] = meta
    doc = {"meta": {"api-version": "1.1"}, "name": norm, "versions": list(entry["versions"]), "files": files}
    return json.dumps(doc, separators=(",", ":")) + "\n"


def write_requirements(path: str, requirements) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(r + "\n" for r in requirements))


# ----------------------------------------------------------------------------------------------
# Random mirrors with a realistic shape (benchmarks, large end-to-end tests)
#
# The generator builds a release history per project on a shared timeline (2017..mid 2024), then
# dependencies whose lower bounds point at versions that existed when the depending version was
# released.  To guarantee a solution it first chooses a witness version per project (the newest
# final, non-yanked release installable on the target) and makes every dependency of a witness
# admit the dependency's witness.  Dependencies only point to projects later in a fixed order, so
# the graph is acyclic; a few "hub" projects collect many dependents.


@dataclass
class _Ver:
    key: tuple            # (major, minor, patch, pre_rank, pre_num, post) for ordering
    text: str
    time: _dt.datetime
    pre: bool
    yanked: object = False
    requires_python: str | None = None
    rp_min: tuple = (0, 0)      # lowest Python the requires_python admits
    rp_max: tuple | None = None  # first Python it excludes
    files: list = field(default_factory=list)
    bad: bool = False     # newest release deliberately broken (backtracking bait)
    deps: list = field(default_factory=list)      # [_Dep]
    extra_deps: dict = field(default_factory=dict)  # extra -> [_Dep]
    provides: list = field(default_factory=list)


@dataclass
class _Dep:
    target: int
    clauses: list         # [(op, key, text)]
    extras: list
    marker: str | None    # PEP 508 marker without extra
    active: bool          # marker true on the target environment


_PRE_RANK = {"a": 0, "b": 1, "rc": 2, None: 3}
_EXTRA_NAMES = ["socks", "security", "speedups", "async", "cli", "yaml", "toml", "crypto", "http2", "all"]
_MARKERS = [  # (marker, active on CPython 3.11 / Linux)
    ('python_version < "3.8"', False),
    ('sys_platform == "win32"', False),
    ('platform_system != "Windows"', True),
    ('python_version >= "3.8"', True),
    ('implementation_name == "cpython"', True),
    ('platform_machine == "arm64"', False),
]
_SYLLABLES = ("ka lo mi ra ne to vi su pa de fo gri zen tra lux vor mon dal ser bel qua nix "
              "pyr cor tal sim hex ion arc bit dyn fer gal hum jet kin lum mag nov orb pix").split()
_PREFIXES = ["", "", "", "", "py", "py-", "django-", "flask-", "pytest-", "types-", "aio", "sphinx-"]
_SUFFIXES = ["", "", "", "", "", "-utils", "-core", "lib", "-client", "-tools", "io", "-sdk", "-plugin"]
_TIMELINE = (_dt.datetime(2017, 1, 1, tzinfo=_dt.timezone.utc), _dt.datetime(2024, 6, 1, tzinfo=_dt.timezone.utc))


def _vkey_text(key) -> str:
    major, minor, patch, rank, num, post = key
    s = f"{major}.{minor}.{patch}"
    if rank < 3:
        s += ("a", "b", "rc")[rank] + str(num)
    if post >= 0:
        s += f".post{post}"
    return s


def _release_of(key):
    return key[:3] + (3, 0, -1)


class _RandomMirror:
    def __init__(self, seed, projects, versions, stack_size, target_python, binary_fraction):
        self.r = random.Random(seed)
        self.n = projects
        self.v = max(1, versions)
        self.stack_size = stack_size
        self.py = tuple(int(x) for x in target_python.split("."))[:2]
        self.binary_fraction = binary_fraction

    # -- projects ------------------------------------------------------------------------------
    def names(self):
        r, names, seen = self.r, [], set()
        while len(names) < self.n:
            root = "".join(r.choice(_SYLLABLES) for _ in range(r.choice((2, 2, 3))))
            name = r.choice(_PREFIXES) + root + r.choice(_SUFFIXES)
            style = r.random()
            if style < 0.10:
                name = "".join(p.capitalize() for p in re.split(r"[-_.]", name) if p)
            elif style < 0.22:
                name = name.replace("-", "_")
            elif style < 0.25 and "-" in name:
                name = name.replace("-", ".")
            norm = normalize_name(name)
            if norm in seen or not re.match(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$", name):
                continue
            seen.add(norm)
            names.append(name)
        return names

    def history(self, binary):
        """Release list (oldest first) with times, pre-releases, yanks, requires-python, files."""
        r = self.r
        t0, t1 = _TIMELINE
        span = (t1 - t0).total_seconds()
        start = t0 + _dt.timedelta(seconds=span * r.uniform(0.0, 0.55))
        if r.random() < 0.85:
            end = t1 - _dt.timedelta(days=r.uniform(1, 60))
        else:  # abandoned project
            end = start + (t1 - start) * r.uniform(0.3, 0.8)
        major, minor, patch = r.choice((0, 0, 1, 1, 2, 3)), r.randint(0, 5), r.randint(0, 3)
        keys = []
        while len(keys) < self.v:
            if keys:
                x = r.random()
                if x < 0.07:
                    major, minor, patch, bump = major + 1, 0, 0, True
                elif x < 0.33:
                    minor, patch, bump = minor + 1, 0, True
                else:
                    patch, bump = patch + 1, False
                if bump and r.random() < 0.3 and len(keys) + 1 < self.v:
                    for rank_num in ((0, 1), (1, 1), (2, 1))[r.randint(0, 2):]:
                        if len(keys) + 1 < self.v:
                            keys.append((major, minor, patch) + rank_num + (-1,))
            keys.append((major, minor, patch, 3, 0, -1))
            if r.random() < 0.02 and len(keys) < self.v:
                keys.append((major, minor, patch, 3, 0, 1))
        keys = keys[:self.v]
        step = (end - start) / max(1, len(keys))
        times = sorted(start + step * i + step * r.uniform(0.0, 0.9) for i in range(len(keys)))
        style2 = r.random() < 0.25  # project writes "1.2" rather than "1.2.0"
        sdist_only_old = r.random() < 0.2
        abi3 = r.random() < 0.5
        # Projects start declaring Requires-Python at some point and then keep doing so.
        declares_from = start + (end - start) * r.uniform(0.0, 1.4)
        out = []
        for i, (key, t) in enumerate(zip(keys, times)):
            text = _vkey_text(key)
            if style2 and key[2] == 0:
                text = text.replace(f"{key[0]}.{key[1]}.0", f"{key[0]}.{key[1]}", 1)
            ver = _Ver(key=key, text=text, time=t, pre=key[3] < 3)
            ver.requires_python, ver.rp_min, ver.rp_max = self.requires_python(t, declares_from)
            ver.files = self.files(t, binary, abi3, sdist_only_old and i < 2)
            if i > 0 and r.random() < 0.03:
                ver.yanked = r.choice([True, "broken release", "security issue, use a newer version"])
            out.append(ver)
        return out

    def requires_python(self, t, declares_from):
        r = self.r
        year = t.year + t.month / 12
        if t < declares_from:
            return None, (0, 0), None
        if year < 2019.5:
            return r.choice([(">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*", (2, 7), None), (">=3.5", (3, 5), None)])
        if year < 2021:
            return r.choice([(">=3.6", (3, 6), None), (">=3.6,<4", (3, 6), (4, 0))])
        if year < 2022.5:
            return r.choice([(">=3.7", (3, 7), None), ("~=3.7", (3, 7), (4, 0))])
        if year < 2024 or r.random() < 0.9:
            return r.choice([(">=3.8", (3, 8), None), (">=3.8", (3, 8), None), (">=3.9", (3, 9), None)])
        return ">=3.12", (3, 12), None

    def files(self, t, binary, abi3, sdist_only):
        r = self.r
        if sdist_only:
            return ["sdist"]
        year = t.year
        if not binary:
            out = ["py2.py3-none-any" if year < 2020 else "py3-none-any"]
            if r.random() < 0.7:
                out.append("sdist")
            return out
        lo, hi = {2017: (5, 7), 2018: (5, 7), 2019: (5, 8), 2020: (6, 9), 2021: (6, 10), 2022: (7, 11)}.get(year, (8, 12))
        linux = "manylinux_2_17_x86_64.manylinux2014_x86_64"
        if abi3:
            out = [f"cp3{lo}-abi3-{linux}", f"cp3{lo}-abi3-win_amd64", f"cp3{lo}-abi3-macosx_11_0_arm64"]
        else:
            out = [f"cp3{m}-cp3{m}-{linux}" for m in range(lo, hi + 1)]
            out += [f"cp3{hi}-cp3{hi}-win_amd64", f"cp3{hi}-cp3{hi}-macosx_11_0_arm64"]
        return out + ["sdist"]

    def installable(self, ver):
        """True if `ver` has a file the target (CPython x.y, Linux x86_64) can use without a build."""
        if ver.rp_min > self.py or (ver.rp_max is not None and self.py >= ver.rp_max):
            return False
        for f in ver.files:
            if f in ("py3-none-any", "py2.py3-none-any"):
                return True
            m = re.match(r"cp3(\d+)-(cp3\d+|abi3)-manylinux", f)
            if m:
                minor = int(m.group(1))
                if (m.group(2) == "abi3" and minor <= self.py[1]) or minor == self.py[1]:
                    return True
        return False

    # -- specifiers ----------------------------------------------------------------------------
    @staticmethod
    def admits(clauses, key):
        for op, ck, _ in clauses:
            if op == ">=" and not key >= ck:
                return False
            if op == ">" and not (key > ck and (ck[5] >= 0 or key[:5] != ck[:5])):
                return False  # PEP 440: `>V` excludes post-releases of V
            if op == "<" and not key < _release_of(ck)[:3] + (0, 0, -1):  # `<X` excludes X's pre-releases
                return False
            if op == "!=" and key == ck:
                return False
            if op == "~=" and not (key >= ck and key[0] == ck[0]):
                return False
            if op == "==.*" and key[:2] != ck[:2]:
                return False
        return True

    def make_clauses(self, kind, qhist, avail, low):
        """Render a specifier of `kind` for dependency history qhist, given releases available."""
        low_v = avail[low]
        latest = avail[-1]
        cl = []
        if kind == "bare":
            return cl
        if kind in (">=", "range", "!="):
            cl.append((">=", low_v.key, low_v.text))
        if kind == "range":
            cap = (latest.key[0] + 1, 0, 0, 3, 0, -1)
            cl.append(("<", cap, str(cap[0])))
        if kind == "!=":
            later = [v for v in avail[low + 1:]]
            if later:
                bad = self.r.choice(later)
                cl.append(("!=", bad.key, bad.text))
        if kind == "~=":
            k = low_v.key
            cl.append(("~=", (k[0], k[1], 0, 3, 0, -1), f"{k[0]}.{k[1]}"))
        if kind == "==*":
            k = latest.key
            cl.append(("==.*", (k[0], k[1], 0, 3, 0, -1), f"{k[0]}.{k[1]}.*"))
        if kind == ">":
            cl.append((">", low_v.key, low_v.text))
        return cl

    # -- whole mirror --------------------------------------------------------------------------
    def build(self):
        r = self.r
        names = self.names()
        n = self.n
        binary = [r.random() < self.binary_fraction for _ in range(n)]
        hist = [self.history(binary[i]) for i in range(n)]
        # Hubs: a few low-level projects (late in the order, so many can depend on them).
        hub_pool = list(range(n // 3, n))
        hubs = sorted(r.sample(hub_pool, min(len(hub_pool), max(1, n // 25))))
        extras = {}
        for i in range(n):
            if r.random() < 0.15 and i < n - 2:
                extras[i] = (r.sample(_EXTRA_NAMES, r.randint(1, 3)), r.randrange(len(hist[i])))
                for ver in hist[i][extras[i][1]:]:
                    ver.provides = list(extras[i][0])
        # Bait: the newest final release of some projects is broken for the target.
        for i in range(n):
            finals = [v for v in hist[i] if not v.pre]
            if len(finals) >= 3 and r.random() < 0.06:
                finals[-1].bad = True
                if r.random() < 0.5:
                    finals[-1].requires_python, finals[-1].rp_min, finals[-1].rp_max = ">=3.13", (3, 13), None
        witness = [self.choose_witness(h) for h in hist]
        for i in range(n):
            self.dependencies(i, hist, hubs, extras, witness)
        stack, reqs = self.stack(names, hist, witness, extras)
        spec = self.to_spec(names, hist)
        solution = [f"{names[i]}=={hist[i][witness[i]].text}" for i in sorted(stack, key=lambda i: normalize_name(names[i]))]
        return spec, reqs, solution

    def choose_witness(self, h):
        for idx in range(len(h) - 1, -1, -1):
            v = h[idx]
            if not v.pre and not v.yanked and not v.bad and self.installable(v):
                return idx
        # None qualifies: make the newest final release (the first release always is one) installable.
        idx = max(i for i, v in enumerate(h) if not v.pre)
        v = h[idx]
        v.yanked, v.bad = False, False
        v.requires_python, v.rp_min, v.rp_max = None, (0, 0), None
        v.files = ["py3-none-any"] + [f for f in v.files if f == "sdist"]
        return idx

    def pick_target(self, i, hubs):
        r = self.r
        later_hubs = [h for h in hubs if h > i]
        if later_hubs and r.random() < 0.35:
            return r.choice(later_hubs)
        return r.randrange(i + 1, self.n)

    def dependencies(self, i, hist, hubs, extras, witness):
        r, n = self.r, self.n
        if i >= n - 1:
            return
        fan = r.choices([0, 1, 2, 3, 4, 5, 8, 12], weights=[30, 22, 18, 12, 8, 4, 4, 2])[0]
        fan = min(fan, n - 1 - i)
        pool = {}
        for _ in range(fan):
            pool.setdefault(self.pick_target(i, hubs), self.new_dep_state())
        extra_names, extra_from = extras.get(i, ([], 0))
        extra_pools = {e: {} for e in extra_names}
        for e in extra_names:
            for _ in range(r.randint(1, 3)):
                extra_pools[e].setdefault(self.pick_target(i, hubs), self.new_dep_state())
        for idx, ver in enumerate(hist[i]):
            # The dependency set drifts slowly from release to release.
            if idx and r.random() < 0.05:
                pool.setdefault(self.pick_target(i, hubs), self.new_dep_state())
            if idx and pool and r.random() < 0.04:
                pool.pop(r.choice(sorted(pool)))
            is_witness = idx == witness[i]
            ver.deps = [d for q, st in sorted(pool.items())
                        if (d := self.render_dep(ver, q, st, hist, extras, witness, is_witness))]
            if idx >= extra_from:
                for e in extra_names:
                    ver.extra_deps[e] = [d for q, st in sorted(extra_pools[e].items())
                                         if (d := self.render_dep(ver, q, st, hist, extras, witness, is_witness))]
            if ver.bad and ver.rp_min <= self.py:
                # Broken newest release: pins a dependency below what the rest of the graph uses.
                targets = [q for q in pool if witness[q] > 0]
                if targets:
                    q = r.choice(targets)
                    k = hist[q][witness[q]]
                    ver.deps = [d for d in ver.deps if d.target != q]
                    ver.deps.append(_Dep(q, [("<", k.key, k.text)], [], None, True))

    def new_dep_state(self):
        r = self.r
        kind = r.choices(["bare", ">=", "range", "~=", "!=", "==*", ">"], weights=[25, 38, 15, 9, 6, 3, 4])[0]
        marker = None
        if r.random() < 0.08:
            marker = r.choice(_MARKERS)
        return {"kind": kind, "low": None, "marker": marker, "extras": r.random() < 0.4}

    def render_dep(self, ver, q, st, hist, extras, witness, is_witness):
        r = self.r
        avail = [v for v in hist[q] if v.time <= ver.time and not v.pre and not v.bad]
        qw = hist[q][witness[q]]
        if not avail:
            avail = [qw] if is_witness else [v for v in hist[q] if not v.pre][:1] or [hist[q][0]]
        if st["low"] is None:
            st["low"] = max(0, len(avail) - 1 - int(r.expovariate(0.4)))
        elif r.random() < 0.3:
            st["low"] = max(st["low"], len(avail) - 1 - int(r.expovariate(0.6)))
        low = min(st["low"], len(avail) - 1)
        clauses = self.make_clauses(st["kind"], hist[q], avail, low)
        if is_witness and not self.admits(clauses, qw.key):
            # Keep the guarantee: the witness of a dependency satisfies the witness's requirement.
            ok = [j for j, v in enumerate(avail) if v.key <= qw.key]
            clauses = [(">=", avail[ok[-1]].key, avail[ok[-1]].text)] if ok and r.random() < 0.7 else []
            if not self.admits(clauses, qw.key):
                clauses = []
        want = []
        if st["extras"] and q in extras:
            if is_witness:
                offered = qw.provides
            else:
                offered = next((v.provides for v in hist[q] if v.provides and v.time <= ver.time), [])
            if offered:
                want = [r.choice(offered)]
        marker, active = st["marker"] if st["marker"] else (None, True)
        return _Dep(q, clauses, want, marker, active)

    def stack(self, names, hist, witness, extras):
        """Top-level requirements whose witness closure has >= stack_size projects."""
        r, n = self.r, self.n
        goal = min(self.stack_size, max(1, int(n * 0.8)))
        roots, closure = [], set()
        order = list(range(n))
        r.shuffle(order)
        order.sort(key=lambda i: i > n // 3)  # applications come from the top of the order
        reqs, seen_extras = [], set()
        for i in order:
            if len(closure) >= goal:
                break
            if i in closure:
                continue
            roots.append(i)
            w = hist[i][witness[i]]
            want = []
            if i in extras and w.provides and r.random() < 0.5:
                want = [r.choice(w.provides)]
            self.close(i, want, hist, witness, closure, seen_extras)
            reqs.append(self.root_line(names[i], hist[i], witness[i], want))
        return closure, reqs

    def close(self, i, want, hist, witness, closure, seen_extras):
        todo = [(i, tuple(want))]
        while todo:
            q, ex = todo.pop()
            new_extras = [e for e in ex if (q, e) not in seen_extras]
            if q in closure and not new_extras:
                continue
            first = q not in closure
            closure.add(q)
            w = hist[q][witness[q]]
            deps = list(w.deps) if first else []
            for e in new_extras:
                seen_extras.add((q, e))
                deps += w.extra_deps.get(e, [])
            for d in deps:
                if d.active:
                    todo.append((d.target, tuple(d.extras)))

    def root_line(self, name, h, widx, want):
        r = self.r
        w = h[widx]
        extras = f"[{','.join(want)}]" if want else ""
        finals = [v for v in h[:widx + 1] if not v.pre and not v.bad]
        x = r.random()
        if x < 0.45 or not finals:
            return f"{name}{extras}"
        if x < 0.85:
            lo = r.choice(finals[-4:])
            return f"{name}{extras}>={lo.text}"
        return f"{name}{extras}>={finals[-1].text},<{w.key[0] + 1}"

    def to_spec(self, names, hist):
        projects = {}
        for i, name in enumerate(names):
            versions = {}
            for v in hist[i]:
                reqs = [self.dep_text(names, d, None) for d in v.deps]
                for e in v.provides:
                    reqs += [self.dep_text(names, d, e) for d in v.extra_deps.get(e, [])]
                entry = {"upload_time": format_time(v.time), "files": list(v.files)}
                if reqs:
                    entry["requires_dist"] = reqs
                if v.requires_python:
                    entry["requires_python"] = v.requires_python
                if v.provides:
                    entry["provides_extra"] = list(v.provides)
                if v.yanked:
                    entry["yanked"] = v.yanked
                versions[v.text] = entry
            projects[name] = {"versions": versions}
        return {"projects": projects}

    @staticmethod
    def dep_text(names, d, extra):
        # Dependents spell a name either as the project writes it or normalized, as in the wild.
        name = names[d.target]
        text = normalize_name(name) if zlib.crc32(name.encode()) % 2 else name
        if d.extras:
            text += "[" + ",".join(d.extras) + "]"
        ops = []
        for op, _, vt in d.clauses:
            ops.append(f"=={vt}" if op == "==.*" else f"{op}{vt}")
        text += ",".join(ops)
        markers = []
        if d.marker:
            markers.append(d.marker)
        if extra:
            markers.append(f'extra == "{extra}"')
        if markers:
            text += " ; " + " and ".join(markers)
        return text


def generate_random_spec(seed: int = 0, projects: int = 400, versions: int = 20, *, stack_size: int = 120,
                         target_python: str = "3.11", binary_fraction: float = 0.15, options=None):
    """A random mirror spec with a realistic shape.

    Returns (spec, requirements, solution): `requirements` is a list of top-level requirement lines
    (requirements.txt) that is satisfiable on CPython `target_python` / Linux x86_64 and whose
    resolution has about `stack_size` projects (fewer if the mirror is small); `solution` is one
    known valid set of pins ("name==version") for it, not necessarily the newest one.
    Same arguments, same result.
    """
    spec, reqs, solution = _RandomMirror(seed, projects, versions, stack_size, target_python, binary_fraction).build()
    # The in-tree backend lets pip and thoth build the (old, sdist-only) releases offline.
    spec["options"] = {"sdist_backend": "intree", **(options or {})}
    return spec, reqs, solution


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Build a PEP 503/691 mirror directory from a JSON spec.")
    ap.add_argument("spec", help="spec JSON file")
    ap.add_argument("outdir", help="output directory (gets files/ and simple/)")
    ap.add_argument("--no-metadata", action="store_true", help="no PEP 658 .metadata sidecars")
    ap.add_argument("--no-hashes", action="store_true", help="no #sha256= fragments / JSON hashes")
    ap.add_argument("--description-size", type=int, help="bytes of long description per METADATA")
    ap.add_argument("--sdist-backend", choices=["setuptools", "intree"])
    args = ap.parse_args(argv)
    overrides = {}
    if args.no_metadata:
        overrides["metadata_sidecars"] = False
    if args.no_hashes:
        overrides["hash_fragments"] = False
    if args.description_size is not None:
        overrides["description_size"] = args.description_size
    if args.sdist_backend:
        overrides["sdist_backend"] = args.sdist_backend
    try:
        m = build_mirror(args.spec, args.outdir, **overrides)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
        print(f"mirror.py: {e}", file=sys.stderr)
        return 1
    print(f"{len(m.projects)} projects, {len(m.files)} files, {m.total_bytes()} bytes -> {m.root}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
