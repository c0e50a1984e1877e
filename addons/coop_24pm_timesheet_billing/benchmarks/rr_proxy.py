"""A minimal round-robin HTTP proxy for B5: queue_job's elected runner sends each job
(``GET /queue_job/runjob?...``) here, and the request goes to the next live node.
Usage: python rr_proxy.py LISTEN_PORT NODE_PORT [NODE_PORT ...]  (all on 127.0.0.1)."""

import itertools
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LISTEN = int(sys.argv[1])
NODES = [int(port) for port in sys.argv[2:]]
_cycle = itertools.cycle(NODES)
_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        for _attempt in range(len(NODES)):
            with _lock:
                port = next(_cycle)
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}{self.path}", headers=dict(self.headers))
                with urllib.request.urlopen(request, timeout=3600) as response:
                    body = response.read()
                    self.send_response(response.status)
                    self.end_headers()
                    self.wfile.write(body)
                    return
            except urllib.error.HTTPError as error:
                self.send_response(error.code)
                self.end_headers()
                return
            except OSError:
                continue  # a dead node: the next one
        self.send_response(502)
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("proxy: " + (fmt % args) + "\n")


ThreadingHTTPServer(("127.0.0.1", LISTEN), Handler).serve_forever()
