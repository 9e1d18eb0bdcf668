"""A web server that is not a back office, as a real subprocess on 127.0.0.1: whatever
is asked, it answers one status with an HTML page (a wrong ``[backoffice] url``: the
town hall's web site, a captive portal, a proxy's error page)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS = int(sys.argv[1])
PAGE = b"<!DOCTYPE html><html><body><h1>Page introuvable</h1></body></html>"

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(STATUS)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST = answer

    def log_message(self, format, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@contextmanager
def running_web_page(status: int) -> Iterator[str]:
    """Serve an HTML page with ``status`` to every request; yields its base URL."""
    with subprocess.Popen(  # closes its pipe on exit
        [sys.executable, "-c", _SERVER, str(status)],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    ) as process:
        try:
            assert process.stdout is not None
            port = process.stdout.readline().strip()
            assert port.isdigit(), f"the web page server did not start (exit {process.poll()})"
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)
