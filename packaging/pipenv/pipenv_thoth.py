"""thoth as a pipenv resolver backend.

pipenv (with its pluggable resolver backends, pipenv/resolver/backends) resolves through an object
with a ``name``, ``is_available()`` and ``resolve(request) -> response``, where request and response
are the typed envelopes of pipenv's resolver protocol (pipenv/resolver/schema.py, schema version 1).
This backend writes the request as JSON, runs ``thoth pipenv-resolver --request-file R
--response-file S`` and reads the response back: thoth does the resolution, pipenv everything else.

Importing this module registers the backend as ``thoth`` (``PIPENV_RESOLVER=thoth``) when pipenv's
registry is importable. See README.md.

Environment:
  THOTH              the thoth executable (default: ``thoth`` on PATH)
  THOTH_PIPENV_ARGS  extra arguments for thoth, split as a shell would (e.g. ``--recommend stable
                     --kb /srv/kb``: the advisor's stack, its score and justification in
                     diagnostics.resolver_log)
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile

NAME = "thoth"


def thoth_executable() -> str | None:
    """The thoth program to run: $THOTH, else thoth on PATH."""
    configured = os.environ.get("THOTH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("thoth")


def resolve_json(request: dict, *, timeout: float | None = None) -> tuple[dict, int]:
    """Runs thoth on one request (the wire dict) and returns (response dict, exit status).

    A response that thoth could not write (a crash) becomes an internal_error carrying its stderr.
    """
    exe = thoth_executable()
    if exe is None:
        return _internal_error("thoth is not installed (set THOTH or put thoth on PATH)"), 1
    with tempfile.TemporaryDirectory(prefix="pipenv-thoth-") as tmp:
        request_file = os.path.join(tmp, "request.json")
        response_file = os.path.join(tmp, "response.json")
        with open(request_file, "w", encoding="utf-8") as f:
            json.dump(request, f)
        args = [exe, "pipenv-resolver", "--request-file", request_file, "--response-file", response_file,
                *shlex.split(os.environ.get("THOTH_PIPENV_ARGS", ""))]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        try:
            with open(response_file, encoding="utf-8") as f:
                return json.load(f), proc.returncode
        except (OSError, ValueError):
            return _internal_error(f"thoth exited {proc.returncode} without a response: {proc.stderr.strip()}"), \
                proc.returncode or 1


def _internal_error(message: str) -> dict:
    return {"schema_version": 1, "result": {"kind": "internal_error", "message": message}}


class ThothBackend:
    """pipenv's Backend protocol (pipenv/resolver/backends/base.py) over `thoth pipenv-resolver`."""

    name = NAME

    def is_available(self) -> bool:
        return thoth_executable() is not None

    def resolve(self, request):
        from pipenv.resolver.schema import ResolverResponse

        deadline = getattr(getattr(request, "metadata", None), "deadline_seconds", None)
        response, _status = resolve_json(request.to_json_dict(), timeout=deadline)
        return ResolverResponse.from_json_dict(response)


def register() -> bool:
    """Adds the backend to pipenv's registry; False when this pipenv has none."""
    try:
        from pipenv.resolver.backends.base import REGISTRY
    except ImportError:
        return False
    REGISTRY[NAME] = ThothBackend
    return True


register()
