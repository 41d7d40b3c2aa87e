"""HTTP/2 where the server offers it: a mirror served over HTTPS by Debian's nginx (http2 on, a
self-signed certificate given to thoth with --cert) is read over HTTP/2, its requests multiplexed on
a few connections, metadata included (range requests on wheels, no .metadata sidecars).

nginx comes from scripts/install-deps.sh (package nginx-light); it runs unprivileged-style in the
foreground (master_process off) with everything under a temporary prefix, on a free port of 127.0.0.1.

Run directly: THOTH=build/thoth /usr/bin/python3 tests/e2e/test_http2.py"""

import pathlib
import shutil
import subprocess
import sys
import time
import unittest
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from support import harness  # noqa: E402
from support import mirror as mirrorlib  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TARGET = ["--python-version", "3.11", "--platform", "manylinux2014_x86_64"]

CONF = """daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; application/json json; application/octet-stream whl gz; }}
    log_format proto '$server_protocol $connection $status $request_uri $http_range';
    access_log {prefix}/access.log proto;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate {prefix}/cert.pem;
        ssl_certificate_key {prefix}/key.pem;
        root {root};
        index index.html;
    }}
}}
"""


class Http2(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not pathlib.Path(NGINX).exists():
            raise AssertionError("nginx is not installed: run scripts/install-deps.sh (package nginx-light)")
        cls._tmp = harness.temp_dir()
        cls.tmp = cls._tmp.__enter__()
        prefix = cls.tmp / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        projects = {"app": {"1.0": {"requires_dist": ["lib>=1", "util"]}}, "lib": {"1.0": {}, "2.0": {}},
                    "util": {"1.0": {"requires_dist": ["lib<3"]}}}
        mirrorlib.build_mirror({"projects": projects}, str(cls.tmp / "m"), metadata_sidecars=False)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(prefix / "key.pem"),
                        "-out", str(prefix / "cert.pem")], check=True, capture_output=True)
        cls.port = harness.free_port()
        (prefix / "nginx.conf").write_text(CONF.format(prefix=prefix, port=cls.port, root=cls.tmp / "m"))
        cls.nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e",
                                      str(prefix / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        cls.prefix = prefix
        cls.index_url = f"https://127.0.0.1:{cls.port}/simple/"
        cls.wait_until_up()

    @classmethod
    def wait_until_up(cls):
        import ssl
        ctx = ssl.create_default_context(cafile=str(cls.prefix / "cert.pem"))
        deadline = time.monotonic() + 20
        while True:
            try:
                # The root page, which thoth never asks for: the tests tell their requests from this one.
                urllib.request.urlopen(cls.index_url, context=ctx, timeout=2).read()
                return
            except OSError:
                if cls.nginx.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("nginx did not start: " + (cls.prefix / "error.log").read_text())
                time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.nginx.terminate()
        cls.nginx.wait(timeout=20)
        cls._tmp.__exit__(None, None, None)

    def log(self):
        return [line.split() for line in (self.prefix / "access.log").read_text().splitlines() if line.strip()]

    def test_resolution_over_http2(self):
        r = harness.run(["lock", "app", *TARGET, "--index-url", self.index_url, "--cert", str(self.prefix / "cert.pem"),
                         "--no-cache"], cwd=self.tmp, timeout=120)
        self.assertEqual(r.rc, 0, str(r))
        self.assertIn("lib==2.0", r.stdout)
        entries = self.log()
        thoth_entries = [e for e in entries if e[3].startswith(("/simple/", "/files/")) and e[3] != "/simple/"]
        self.assertGreaterEqual(len(thoth_entries), 6, entries)  # 3 pages + 3 wheels at least
        self.assertEqual({e[0] for e in thoth_entries}, {"HTTP/2.0"}, entries)
        # Range reads of the wheels' central directories went over HTTP/2 too.
        self.assertTrue(any(e[3].startswith("/files/") and len(e) > 4 and e[4].startswith("bytes=")
                            for e in thoth_entries), entries)
        # Multiplexed: every request shares one connection (or very few).
        self.assertLessEqual(len({e[1] for e in thoth_entries}), 2, entries)

    def test_without_the_certificate_tls_fails_clearly(self):
        r = harness.run(["lock", "app", *TARGET, "--index-url", self.index_url, "--no-cache", "--retries", "0"],
                        cwd=self.tmp, timeout=120)
        self.assertEqual(r.rc, 3, str(r))
        self.assertRegex(r.stderr, r"(?i)certificate", str(r))
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, str(r))


if __name__ == "__main__":
    unittest.main(verbosity=2)
