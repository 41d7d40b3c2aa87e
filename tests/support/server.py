#!/usr/bin/env python3
"""A local HTTP/1.1 package-index server for thoth's tests and benchmarks (standard library only).

Serves a mirror directory (see mirror.py) on 127.0.0.1 with what real indexes do and what a client
must cope with:

- PEP 691 content negotiation on /simple/ directories (Accept with q-values, ?format=), 406 when
  nothing acceptable, redirects /simple/Foo_Bar/ -> /simple/foo-bar/ (PEP 503 normalization);
- single byte ranges (bytes=a-b, bytes=a-, bytes=-n) with 206 / Content-Range / 416, If-Range;
- ETag (can be turned off, leaving Last-Modified as the only validator), Last-Modified,
  If-None-Match / If-Modified-Since -> 304, configurable Cache-Control;
- keep-alive (Content-Length on every response), with every connection numbered so tests can
  count how many a client opened;
- directory listings for folders without index.html (usable as pip --find-links pages);
- fault injection per path glob: status (500/503/429 + Retry-After), reset, truncate, slow,
  silent (the connection accepted, then not a byte), corrupt, redirect (once by default), redirect_loop, auth (Basic), no_ranges (a server without
  range support: Range ignored and the whole file sent with 200, or refused with a status);
- a request log (method, path, headers, status, body bytes sent, connection number).

Use in tests:

    with MirrorServer(mirror_dir) as srv:
        srv.add_fault("/files/*.whl", "status", times=2, status=503, retry_after=0)
        run(..., "--index-url", srv.index_url)
        assert srv.count("/files/*") == 3
        print(srv.bytes_sent(), srv.connections_opened())

CLI: python3 server.py DIR [--port N] [--cache-control V] [--no-json] [--no-etags] [--latency S]
     [--fault GLOB=KIND[,key=value...]] [--max-seconds N]   (prints the base URL, then serves)
"""
from __future__ import annotations

import argparse
import base64
import email.utils
import fnmatch
import html
import os
import posixpath
import re
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "application/vnd.pypi.simple.v1+html"
_ACCEPTED = {  # media type -> (format, content type to answer with)
    JSON_TYPE: ("json", JSON_TYPE),
    "application/vnd.pypi.simple.latest+json": ("json", JSON_TYPE),
    HTML_TYPE: ("html", HTML_TYPE),
    "application/vnd.pypi.simple.latest+html": ("html", HTML_TYPE),
    "text/html": ("html", "text/html; charset=utf-8"),
    "text/*": ("html", "text/html; charset=utf-8"),
    "*/*": ("html", "text/html; charset=utf-8"),
}
FAULT_KINDS = ("status", "reset", "truncate", "slow", "silent", "corrupt", "redirect", "redirect_loop", "auth",
               "no_ranges")
# Kinds that are checked on their own and combine with the one other fault a request may get.
_SIDE_FAULTS = ("auth", "no_ranges")


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def negotiate(accept: str | None, json_enabled: bool = True):
    """PEP 691 negotiation: returns ("json"|"html", content type) or None when nothing is acceptable.

    Highest q wins; on equal q the client's earlier entry wins; no Accept means HTML.
    """
    if accept is None or not accept.strip():
        return "html", "text/html; charset=utf-8"
    best, best_q = None, 0.0
    for part in accept.split(","):
        fields = part.split(";")
        media = fields[0].strip().lower()
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        choice = _ACCEPTED.get(media)
        if choice is None or q <= 0 or (choice[0] == "json" and not json_enabled):
            continue
        if q > best_q:
            best, best_q = choice, q
    return best


def parse_range(header: str, size: int):
    """One byte range -> (start, end) inclusive, "unsatisfiable", or None (ignore the header).

    Multiple ranges and malformed headers are ignored, which RFC 9110 section 14.2 allows.
    """
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (m.group(1) == "" and m.group(2) == ""):
        return None
    first, last = m.groups()
    if first == "":  # suffix range: the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


@dataclass
class Fault:
    pattern: str
    kind: str
    times: int | None          # None: every matching request
    params: dict = field(default_factory=dict)
    hits: int = 0

    def active(self) -> bool:
        return self.times is None or self.hits < self.times


@dataclass
class Request:
    method: str
    path: str                  # as requested, with query
    headers: dict              # lower-cased names
    status: int | None = None  # None if the connection was reset before a status line
    bytes_sent: int = 0        # body bytes written
    fault: str | None = None
    time: float = 0.0
    connection: int = 0        # which connection it came on: 1 for the first the server accepted


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "thoth-test-index/1.0"
    # Headers and body go out in separate writes; with Nagle's algorithm the body then waits for the
    # client's delayed ACK of the headers (40 ms on Linux), a stall real servers (nginx) do not have.
    disable_nagle_algorithm = True

    # -- plumbing ----------------------------------------------------------------------------
    def setup(self):
        self.timeout = self.server.handler_timeout
        super().setup()
        self.connection_number = self.server._track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        self.server._track(self.connection, False)

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass

    def do_GET(self):
        self._serve(body=True)

    def do_HEAD(self):
        self._serve(body=False)

    # -- one request ---------------------------------------------------------------------------
    def _serve(self, body: bool):
        # The record is logged before anything is sent and updated as the response goes out, so a
        # client that has read a response always finds it in the log.
        self.rec = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, time=time.time(),
                           connection=self.connection_number)
        self.ignore_range = False  # a handler serves every request of its keep-alive connection
        self.server._record(self.rec)
        try:
            self._respond(body)
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True

    def send_response(self, code, message=None):
        self.rec.status = code
        super().send_response(code, message)

    def _send(self, data: bytes):
        self.rec.bytes_sent += len(data)
        try:
            self.wfile.write(data)
        except OSError:
            self.rec.bytes_sent -= len(data)
            raise

    def _respond(self, body: bool):
        srv = self.server
        split = urlsplit(self.path)
        path = unquote(split.path)
        if srv.latency:
            time.sleep(min(srv.latency, srv.max_delay))
        for fault in srv._auth_faults(path):
            if not self._authorized(fault):
                self.rec.fault = "auth"
                self._simple(401, b"authentication required\n",
                             {"WWW-Authenticate": f'Basic realm="{fault.params.get("realm", "thoth-test")}"'})
                return
        refusal = srv._range_fault(path) if "Range" in self.headers else None
        if refusal is not None:
            self.rec.fault = "no_ranges"
            if refusal.params.get("status") is None:
                self.ignore_range = True
            else:
                status = int(refusal.params["status"])
                self._simple(status, f"range requests are not supported ({status})\n".encode())
                return
        fault = srv._take_fault(path)
        if fault is not None:
            self.rec.fault = fault.kind
            if self._early_fault(fault, path, split.query):
                return
        self._serve_path(path, split.query, body, fault)

    def _authorized(self, fault: Fault) -> bool:
        got = self.headers.get("Authorization", "")
        want = f"{fault.params.get('username', 'user')}:{fault.params.get('password', 'pass')}"
        if not got.lower().startswith("basic "):
            return False
        try:
            return base64.b64decode(got[6:].strip()).decode("utf-8") == want
        except (ValueError, UnicodeDecodeError):
            return False

    def _early_fault(self, fault: Fault, path: str, query: str) -> bool:
        """Faults that replace the response. Returns True if the request is done."""
        p = fault.params
        if fault.kind == "status":
            status = int(p.get("status", 503))
            headers = {}
            if p.get("retry_after") is not None:
                headers["Retry-After"] = str(p["retry_after"])
            self._simple(status, p.get("body", f"injected {status}\n").encode(), headers)
            return True
        if fault.kind == "reset":
            # SO_LINGER with zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return True
        if fault.kind == "silent":
            # A server that accepts and reads the request, then sends nothing until it hangs up.
            time.sleep(min(float(p.get("delay", 10.0)), self.server.max_delay))
            self.close_connection = True
            return True
        if fault.kind == "redirect":
            location = p.get("location") or quote(path) + ("?" + query + "&" if query else "?") + "redirected=1"
            self._simple(int(p.get("status", 302)), b"", {"Location": location})
            return True
        if fault.kind == "redirect_loop":
            self._simple(int(p.get("status", 302)), b"", {"Location": f"{quote(path)}?loop={fault.hits}"})
            return True
        return False

    def _simple(self, status: int, payload: bytes, headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self._send(payload)

    def _serve_path(self, path: str, query: str, body: bool, fault: Fault | None):
        srv = self.server
        fs = srv.translate(path)
        if fs is None:
            self._simple(404, b"not found\n")
            return
        extra = {}
        is_simple = path == "/simple" or path.startswith("/simple/")
        if os.path.isdir(fs):
            if not path.endswith("/"):
                self._simple(301, b"", {"Location": quote(path + "/") + ("?" + query if query else "")})
                return
            if is_simple:
                fmt = _query_param(query, "format")
                choice = negotiate(fmt or self.headers.get("Accept"), srv.json)
                if choice is None:
                    self._simple(406, b"no acceptable representation\n", {"Vary": "Accept"})
                    return
                kind, ctype = choice
                fs = os.path.join(fs, "index.json" if kind == "json" else "index.html")
                extra["Vary"] = "Accept"
                if not os.path.isfile(fs):
                    self._simple(404, b"not found\n", extra)
                    return
            else:
                index = os.path.join(fs, "index.html")
                if os.path.isfile(index):
                    fs, ctype = index, "text/html; charset=utf-8"
                else:
                    self._listing(path, fs, body)
                    return
        elif os.path.isfile(fs):
            ctype = srv.content_type(fs, is_simple)
        else:
            # PEP 503: a repository may redirect a non-normalized project URL to the normalized one.
            m = re.fullmatch(r"/simple/([^/]+)/?", path)
            if m and _normalize(m.group(1)) != m.group(1):
                target = f"/simple/{_normalize(m.group(1))}/"
                if os.path.isdir(srv.translate(target) or ""):
                    self._simple(301, b"", {"Location": target + ("?" + query if query else "")})
                    return
            self._simple(404, b"not found\n")
            return
        self._send_file(fs, ctype, path, body, fault, extra)

    def _listing(self, path: str, fs: str, body: bool):
        names = sorted(os.listdir(fs))
        rows = [f'<a href="{html.escape(quote(n))}{"/" if os.path.isdir(os.path.join(fs, n)) else ""}">'
                f"{html.escape(n)}</a><br />" for n in names]
        page = ("<!DOCTYPE html>\n<html><head><title>Index of " + html.escape(path) + "</title></head><body>\n"
                + "\n".join(rows) + "\n</body></html>\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if body:
            self._send(page)

    def _send_file(self, fs: str, ctype: str, path: str, body: bool, fault: Fault | None, extra: dict):
        srv = self.server
        st = os.stat(fs)
        size = st.st_size
        etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}-{st.st_ino:x}"'
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        common = dict(extra)
        if srv.etags:
            common["ETag"] = etag
        common["Last-Modified"] = last_modified
        cache = srv.cache_control_for(path)
        if cache:
            common["Cache-Control"] = cache
        # RFC 9110 13.1.2 / 13.1.3: If-None-Match takes precedence over If-Modified-Since.
        inm = self.headers.get("If-None-Match") if srv.etags else None  # no ETag given, none can match
        if inm is not None:
            if _etag_matches(inm, etag):
                self._not_modified(common)
                return
        else:
            ims = self.headers.get("If-Modified-Since")
            if ims:
                try:
                    since = email.utils.parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError, IndexError):
                    since = None
                if since is not None and int(st.st_mtime) <= since:
                    self._not_modified(common)
                    return
        status, start, end = 200, 0, size - 1
        rng = None if self.ignore_range else self.headers.get("Range")
        if rng is not None and _if_range_ok(self.headers.get("If-Range"), etag, last_modified):
            parsed = parse_range(rng, size)
            if parsed == "unsatisfiable":
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                for k, v in common.items():
                    self.send_header(k, v)
                self.end_headers()
                return
            if parsed is not None:
                status, (start, end) = 206, parsed
        length = end - start + 1 if size else 0
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        for k, v in common.items():
            self.send_header(k, v)
        self.end_headers()
        if not body or length == 0:
            return
        with open(fs, "rb") as f:
            f.seek(start)
            data = f.read(length)
        self._write_body(data, fault)

    def _write_body(self, data: bytes, fault: Fault | None):
        srv = self.server
        kind = fault.kind if fault else None
        p = fault.params if fault else {}
        if kind == "corrupt":
            buf = bytearray(data)
            at = int(p.get("offset", len(buf) // 2))
            at = min(max(at, 0), len(buf) - 1)
            buf[at] ^= 0xFF
            data = bytes(buf)
        if kind == "truncate":
            keep = int(p.get("keep", len(data) // 2))
            keep = min(max(keep, 0), max(len(data) - 1, 0))
            self._send(data[:keep])
            self.wfile.flush()
            # Content-Length promised more: closing now leaves the client with a short body.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if kind == "slow":
            total = min(float(p.get("delay", 1.0)), srv.max_delay)
            chunks = max(1, int(p.get("chunks", 10)))
            step = max(1, -(-len(data) // chunks))
            for i in range(0, len(data), step):
                time.sleep(total / chunks)
                self._send(data[i:i + step])
                self.wfile.flush()
            return
        self._send(data)

    def _not_modified(self, headers: dict):
        self.send_response(304)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()


def _query_param(query: str, key: str):
    """Value of `key` in a query string; '+' stays '+' (media types contain it)."""
    for part in query.split("&"):
        k, _, v = part.partition("=")
        if unquote(k) == key:
            return unquote(v)
    return None


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 8.8.3.2), as If-None-Match uses."""
    if header.strip() == "*":
        return True
    strip = lambda t: t.strip()[2:] if t.strip().startswith("W/") else t.strip()  # noqa: E731
    return any(strip(t) == strip(etag) for t in header.split(","))


def _if_range_ok(header: str | None, etag: str, last_modified: str) -> bool:
    """If-Range: the range applies only if the validator still matches (strong comparison)."""
    if header is None:
        return True
    header = header.strip()
    if header.startswith('"') or header.startswith("W/"):
        return header == etag
    return header == last_modified


class MirrorServer(ThreadingHTTPServer):
    """Threaded HTTP/1.1 server for a mirror directory on 127.0.0.1 and a free port.

    Options: cache_control (str, None, or [(glob, value), ...] tried in order), json (serve PEP 691
    JSON), etags (send ETag; False leaves Last-Modified as the only validator), latency (seconds
    before each response), handler_timeout (idle keep-alive limit), max_delay (upper bound of any
    injected delay).
    """

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops connection attempts when a client opens a dozen at once.
    request_queue_size = 128

    def __init__(self, root: str, host: str = "127.0.0.1", port: int = 0, *, cache_control="max-age=600",
                 json: bool = True, etags: bool = True, latency: float = 0.0, handler_timeout: float = 30.0,
                 max_delay: float = 10.0):
        super().__init__((host, port), _Handler)
        self.root = os.path.realpath(root)
        self.cache_control = cache_control
        self.json = json
        self.etags = etags
        self.latency = latency
        self.handler_timeout = handler_timeout
        self.max_delay = max_delay
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._log: list[Request] = []
        self._conns: set = set()
        self._accepted = 0  # connections accepted since the start or the last clear_log()
        self._numbered = 0  # connection numbers handed out, never reset
        self._thread = None

    # -- lifecycle -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def index_url(self) -> str:
        return self.url + "/simple/"

    def start(self) -> "MirrorServer":
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="mirror-server", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout)
            self._thread = None
        with self._lock:
            conns = list(self._conns)
        for c in conns:  # wake handler threads blocked on idle keep-alive connections
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()

    def __enter__(self) -> "MirrorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def handle_error(self, request, client_address):
        # Clients hanging up mid-response are expected in fault tests; keep test output clean.
        pass

    # -- faults --------------------------------------------------------------------------------
    def add_fault(self, pattern: str, kind: str, times: int | None = None, **params) -> Fault:
        """Inject `kind` on requests whose path matches the glob `pattern` (fnmatch, no query).

        times: how many matching requests it applies to (None: all; "redirect" defaults to 1).
        status: status=503, retry_after=None, body=...;  truncate: keep=<bytes sent>;
        slow: delay=<total s>, chunks=10;  silent: delay=<s before hanging up without a response>
        (default and bound: max_delay);  corrupt: offset=<byte flipped>;
        redirect: location=..., status=302;  redirect_loop: status=302;
        auth: username='user', password='pass', realm (checked before other faults, never used up
        unless times is given);  no_ranges: status=None (requests carrying Range get the whole file
        with 200, as from a server that does not do ranges) or status=N (they get status N, as 405,
        416 or 501 from servers that refuse them); requests without Range are served normally and
        do not use it up; it combines with another fault (e.g. corrupt).  The first active fault
        other than auth and no_ranges, in insertion order, wins.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if kind == "redirect" and times is None:
            times = 1
        fault = Fault(pattern, kind, times, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _side_faults(self, kind: str, path: str):
        with self._lock:
            found = [f for f in self._faults if f.kind == kind and f.active() and fnmatch.fnmatchcase(path, f.pattern)]
            for f in found:
                f.hits += 1
        return found

    def _auth_faults(self, path: str):
        return self._side_faults("auth", path)

    def _range_fault(self, path: str):
        """The first active no_ranges fault for `path` (only it is used up), or None."""
        with self._lock:
            for f in self._faults:
                if f.kind == "no_ranges" and f.active() and fnmatch.fnmatchcase(path, f.pattern):
                    f.hits += 1
                    return f
        return None

    def _take_fault(self, path: str):
        with self._lock:
            for f in self._faults:
                if f.kind not in _SIDE_FAULTS and f.active() and fnmatch.fnmatchcase(path, f.pattern):
                    f.hits += 1
                    return f
        return None

    # -- log -----------------------------------------------------------------------------------
    def _record(self, rec: Request) -> None:
        with self._lock:
            self._log.append(rec)

    def _track(self, conn, add: bool) -> int:
        """Adds or drops an open connection; a new one gets its number (1, 2, ...)."""
        with self._lock:
            if not add:
                self._conns.discard(conn)
                return 0
            self._conns.add(conn)
            self._accepted += 1
            self._numbered += 1
            return self._numbered

    @property
    def requests(self) -> list:
        """Completed requests, oldest first (a copy)."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        """Forgets the requests and the count of connections opened so far."""
        with self._lock:
            self._log.clear()
            self._accepted = 0

    def connections_opened(self) -> int:
        """Connections accepted since the start or the last clear_log(): with keep-alive, far fewer
        than requests."""
        with self._lock:
            return self._accepted

    def matching(self, pattern: str = "*", method: str | None = None) -> list:
        return [r for r in self.requests if fnmatch.fnmatchcase(unquote(urlsplit(r.path).path), pattern)
                and (method is None or r.method == method)]

    def count(self, pattern: str = "*", method: str | None = None) -> int:
        return len(self.matching(pattern, method))

    def bytes_sent(self, pattern: str = "*") -> int:
        return sum(r.bytes_sent for r in self.matching(pattern))

    # -- files ---------------------------------------------------------------------------------
    def translate(self, path: str) -> str | None:
        """URL path -> file system path inside root, or None if it would escape root."""
        clean = posixpath.normpath("/" + path.lstrip("/"))
        fs = os.path.realpath(os.path.join(self.root, clean.lstrip("/")))
        if fs != self.root and not fs.startswith(self.root + os.sep):
            return None
        return fs

    @staticmethod
    def content_type(fs: str, is_simple: bool) -> str:
        if fs.endswith(".json"):
            return JSON_TYPE if is_simple else "application/json"
        if fs.endswith(".html"):
            return "text/html; charset=utf-8"
        if fs.endswith(".metadata") or fs.endswith(".txt"):
            return "text/plain; charset=utf-8"
        if fs.endswith(".tar.gz"):
            return "application/x-tar"
        return "application/octet-stream"

    def cache_control_for(self, path: str) -> str | None:
        cc = self.cache_control
        if cc is None or isinstance(cc, str):
            return cc
        for pattern, value in cc:
            if fnmatch.fnmatchcase(path, pattern):
                return value
        return None


def _parse_fault(text: str):
    """'GLOB=KIND[,key=value...]' -> (glob, kind, times, params) for the CLI."""
    glob, _, rest = text.partition("=")
    kind, *pairs = rest.split(",")
    params, times = {}, None
    for pair in pairs:
        k, _, v = pair.partition("=")
        if k == "times":
            times = int(v)
        else:
            params[k] = v
    return glob, kind, times, params


def _main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Serve a mirror directory on 127.0.0.1 (prints the URL).")
    ap.add_argument("root")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cache-control", default="max-age=600")
    ap.add_argument("--no-json", action="store_true", help="serve HTML only (PEP 691 JSON disabled)")
    ap.add_argument("--no-etags", action="store_true", help="send no ETag (Last-Modified is the only validator)")
    ap.add_argument("--latency", type=float, default=0.0, help="seconds of delay before each response")
    ap.add_argument("--fault", action="append", default=[], help="GLOB=KIND[,times=N][,key=value...]")
    ap.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long (default 1 h)")
    args = ap.parse_args(argv)
    srv = MirrorServer(args.root, args.host, args.port, cache_control=args.cache_control or None,
                       json=not args.no_json, etags=not args.no_etags, latency=args.latency)
    for spec in args.fault:
        glob, kind, times, params = _parse_fault(spec)
        srv.add_fault(glob, kind, times, **params)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with srv:
        print(srv.url + "/", flush=True)
        stop.wait(args.max_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
