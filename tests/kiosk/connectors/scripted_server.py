"""A tiny HTTP server that answers what a test scripts, hostile answers included."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Scripted:
    """The next answers (status, headers, body, delay) and the requests received."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    def answer(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, delay=0.0
    ) -> None:
        self.status, self.body, self.headers, self.delay = status, body, headers or {}, delay


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Scripted

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        script = self.server.script  # type: ignore[attr-defined]
        script.requests.append((self.command, self.path, dict(self.headers.items()), body))
        if script.delay:
            time.sleep(script.delay)
        self.send_response(script.status)
        for name, value in script.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in script.headers:
            self.send_header("Content-Length", str(len(script.body)))
        self.end_headers()
        if self.command != "HEAD" and script.status not in (204, 304):
            self.wfile.write(script.body)

    do_GET = do_POST = do_HEAD = _handle  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client gave up waiting (timeout tests): expected, not news
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def scripted_server() -> Iterator[Scripted]:
    """Serve on 127.0.0.1 (any port) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    script = Scripted(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.script = script  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()
