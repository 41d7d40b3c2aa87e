"""A mirror directory served over plain HTTP by Debian's nginx (package nginx-light), as static file
servers and private mirrors serve one: ETag and Last-Modified on every file, no Cache-Control, JSON
project pages (simple/NAME/index.json) as PEP 691's application/vnd.pypi.simple.v1+json.

    with NginxMirror(root) as n:            # n.index_url, n.fresh_index_url, n.requests()
        ...

Two ports serve the same tree: `index_url` sends no Cache-Control (every warm use revalidates),
`fresh_index_url` adds `Cache-Control: max-age=600` (warm use within ten minutes sends nothing).
nginx runs in the foreground (master_process off) with everything under a temporary prefix; the
access log has one line per request: "<port> <status> <uri>".
"""

import pathlib
import shutil
import subprocess
import tempfile
import time
import urllib.request

from . import harness

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONF = """daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    types {{ application/vnd.pypi.simple.v1+json json; application/octet-stream whl gz metadata; }}
    default_type application/octet-stream;
    log_format short '$server_port $status $request_uri';
    access_log {prefix}/access.log short;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.json;
    }}
    server {{
        listen 127.0.0.1:{fresh_port};
        root {root};
        index index.json;
        add_header Cache-Control "max-age=600";
    }}
}}
"""


class NginxMirror:
    def __init__(self, root):
        self.root = pathlib.Path(root).resolve()
        self.port, self.fresh_port = harness.free_port(), harness.free_port()
        self.index_url = f"http://127.0.0.1:{self.port}/simple/"
        self.fresh_index_url = f"http://127.0.0.1:{self.fresh_port}/simple/"

    def __enter__(self):
        if not pathlib.Path(NGINX).exists():
            raise RuntimeError("nginx is not installed: run scripts/install-deps.sh (package nginx-light)")
        self._tmp = tempfile.TemporaryDirectory(prefix="thoth-nginx-")
        self.prefix = pathlib.Path(self._tmp.name)
        (self.prefix / "tmp").mkdir()
        (self.prefix / "nginx.conf").write_text(CONF.format(prefix=self.prefix, port=self.port,
                                                             fresh_port=self.fresh_port, root=self.root))
        self.proc = subprocess.Popen([NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e",
                                      str(self.prefix / "error.log")], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        for url in (self.index_url, self.fresh_index_url):
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2).read()
                    break
                except OSError:
                    if self.proc.poll() is not None or time.monotonic() > deadline:
                        self.__exit__(None, None, None)
                        raise RuntimeError("nginx did not start: " + (self.prefix / "error.log").read_text())
                    time.sleep(0.1)
        self._seen = self._lines()
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self._tmp.cleanup()

    def _lines(self):
        path = self.prefix / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def requests(self):
        """[(port, status, uri)] of the requests since the previous call (or the start)."""
        lines = self._lines()
        new, self._seen = lines[len(self._seen):], lines
        return [tuple(line.split(" ", 2)) for line in new if line.strip()]
