#!/usr/bin/env python3
"""tests/support/server.py's MirrorServer, driven line by line over stdin/stdout by the net unit tests.

    python3 net_server.py ROOT [--tls CERT KEY [--client-ca CA]]
        prints the base URL ("http://127.0.0.1:PORT", or https:// with --tls), then answers each command
        line with one line. --client-ca makes the server require a client certificate signed by CA.

    fault GLOB KIND [times=N] [key=value...]   inject a fault (see MirrorServer.add_fault)     -> ok
    cache-control VALUE|none                   Cache-Control of every file response            -> ok
    gzip GLOB                                  gzip matching files for clients that accept it  -> ok
    etags on|off                               send ETag (off: Last-Modified only)             -> ok
    clear                                      drop faults, the request log, connection peak
                                               and count; ETags on                              -> ok
    count GLOB                                 requests whose path matches                     -> N
    header GLOB NAME                           NAME of the last matching request, or "-"       -> value
    peak                                       most connections open at once since clear       -> N
    connections                                connections opened since clear                  -> N
    quit

It exits when stdin closes, so a crashed test never leaves it behind.
"""
import argparse
import fnmatch
import gzip
import os
import ssl
import sys
import threading
import time
from urllib.parse import unquote, urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from support.server import MirrorServer, _Handler  # noqa: E402


class CountingHandler(_Handler):
    """Marks requests in flight: the server logs a request only once it has answered it, so a count
    taken right after the client got its response could miss it."""

    def _serve(self, body):
        srv = self.server
        with srv._peak_lock:
            srv.inflight.append(self.path)
        try:
            super()._serve(body)
        finally:
            with srv._peak_lock:
                srv.inflight.remove(self.path)

    def _send_file(self, fs, ctype, path, body, fault, extra):
        srv = self.server
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "") and "Range" not in self.headers
        if not (wants_gzip and any(fnmatch.fnmatchcase(path, g) for g in srv.gzip_globs)):
            return super()._send_file(fs, ctype, path, body, fault, extra)
        with open(fs, "rb") as f:
            payload = gzip.compress(f.read())
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.rec.status = 200
        if body:
            self.wfile.write(payload)
            self.rec.bytes_sent += len(payload)


class CountingServer(MirrorServer):
    """Also tracks how many connections are open at once: the client's parallelism bound."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = CountingHandler
        self.inflight = []
        self.gzip_globs = []
        self._open = 0
        self.peak = 0
        self._peak_lock = threading.Lock()

    def _track(self, conn, add):
        number = super()._track(conn, add)
        with self._peak_lock:
            self._open += 1 if add else -1
            self.peak = max(self.peak, self._open)
        return number

    def settle(self, glob, timeout=2.0):
        """Waits (bounded) until no request whose path matches `glob` is still being answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._peak_lock:
                busy = any(fnmatch.fnmatchcase(unquote(urlsplit(p).path), glob) for p in self.inflight)
            if not busy:
                return
            time.sleep(0.002)

    def reset_peak(self):
        with self._peak_lock:
            self.peak = self._open


def answer(text):
    sys.stdout.write(str(text) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--client-ca")
    args = ap.parse_args()
    srv = CountingServer(args.root, cache_control="max-age=600", handler_timeout=5.0)
    url = srv.url
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        if args.client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(args.client_ca)
        # The handshake runs in the handler thread (first read), so a client that gives up on it
        # cannot block the accept loop.
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
        url = "https://" + url[len("http://"):]
    srv.start()
    answer(url)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if cmd == "quit":
            break
        if cmd == "fault":
            times, params = None, {}
            for pair in args[2:]:
                key, _, value = pair.partition("=")
                if key == "times":
                    times = int(value)
                else:
                    params[key] = value
            srv.add_fault(args[0], args[1], times, **params)
            answer("ok")
        elif cmd == "cache-control":
            srv.cache_control = None if args[0] == "none" else " ".join(args)
            answer("ok")
        elif cmd == "gzip":
            srv.gzip_globs.append(args[0])
            answer("ok")
        elif cmd == "etags":
            srv.etags = args[0] == "on"
            answer("ok")
        elif cmd == "clear":
            srv.gzip_globs.clear()
            srv.clear_faults()
            srv.clear_log()
            srv.reset_peak()
            srv.etags = True
            answer("ok")
        elif cmd == "count":
            srv.settle(args[0])
            answer(srv.count(args[0]))
        elif cmd == "header":
            srv.settle(args[0])
            found = srv.matching(args[0])
            answer(found[-1].headers.get(args[1].lower(), "-") if found else "-")
        elif cmd == "peak":
            answer(srv.peak)
        elif cmd == "connections":
            answer(srv.connections_opened())
        else:
            answer("error: unknown command " + cmd)
    srv.stop(timeout=1.0)


if __name__ == "__main__":
    main()
