#!/usr/bin/env python3
"""tests/support/server.py's MirrorServer driven line by line over stdin/stdout by the index unit tests.

    python3 index_server.py ROOT [--no-json]   prints the base URL ("http://127.0.0.1:PORT"), then one
                                               answer line per command:

    count GLOB                       requests whose path matches                  -> N
    bytes GLOB                       body bytes sent for matching requests         -> N
    ranges GLOB                      matching requests that carried a Range header -> N
    fault GLOB KIND [times=N] [k=v]  inject a fault (see MirrorServer.add_fault)   -> ok
    norange GLOB                     ignore Range headers on matching paths (a server
                                     without range support answers 200 with the file;
                                     the no_ranges fault)                          -> ok
    clear                            drop faults and the request log               -> ok
    quit

It exits when stdin closes, so a crashed test never leaves it behind.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from support.server import MirrorServer  # noqa: E402


def main():
    root = sys.argv[1]
    json_pages = "--no-json" not in sys.argv[2:]
    srv = MirrorServer(root, json=json_pages)
    srv.start()
    print(srv.url, flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            cmd, args = words[0], words[1:]
            if cmd == "quit":
                break
            if cmd == "count":
                out = str(srv.count(args[0]))
            elif cmd == "bytes":
                out = str(srv.bytes_sent(args[0]))
            elif cmd == "ranges":
                out = str(sum(1 for r in srv.matching(args[0]) if "range" in r.headers))
            elif cmd == "fault":
                params, times = {}, None
                for kv in args[2:]:
                    k, _, v = kv.partition("=")
                    if k == "times":
                        times = int(v)
                    else:
                        params[k] = int(v) if v.isdigit() else v
                srv.add_fault(args[0], args[1], times, **params)
                out = "ok"
            elif cmd == "norange":
                srv.add_fault(args[0], "no_ranges")
                out = "ok"
            elif cmd == "clear":
                srv.clear_faults()
                srv.clear_log()
                out = "ok"
            else:
                out = "error: unknown command " + cmd
            print(out, flush=True)
    finally:
        srv.stop()


if __name__ == "__main__":
    main()
