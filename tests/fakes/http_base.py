"""What the fake back offices' HTTP handlers share: quiet logs, JSON answers, an answer
that trickles in, and a threading server on a free port of 127.0.0.1 holding a site."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_SECONDS = 60.0
TRICKLE_PAUSE = 0.25  # seconds between the bytes of a trickled answer


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: without TCP_NODELAY, Nagle's algorithm
    # and the client's delayed ACK hold every answer ~40 ms (the queue bench measured the
    # fake, not the connector).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: object) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, raw: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _failed(self, fault: str | None, error: Callable[[], None]) -> bool:
        """Answer as a look-up ``fault`` asks ("error": ``error()``, "drop": the connection
        closed without an answer, "hang": ``HANG_SECONDS`` of silence); False for none."""
        if fault == "error":
            error()
        elif fault == "drop":
            self.close_connection = True
        elif fault == "hang":
            time.sleep(HANG_SECONDS)
        return fault in ("error", "drop", "hang")

    def _trickle(self, body: object, *, stall: bool = False) -> None:
        """A 200 JSON answer one byte at a time or, with ``stall``, half of it and then
        nothing for ``HANG_SECONDS``."""
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        try:
            if stall:
                self.wfile.write(raw[: len(raw) // 2])
                self.wfile.flush()
                time.sleep(HANG_SECONDS)
            for byte in raw:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(TRICKLE_PAUSE)
        except OSError:
            self.close_connection = True  # the client gave up


class FakeServer(ThreadingHTTPServer):
    """Serves ``handler`` on a free port of 127.0.0.1; ``site`` is the fake's state."""

    daemon_threads = True

    def __init__(self, site: Any, handler: type[FakeHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.site = site
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class Faults:
    """Faults queued per kind of request (e.g. "submit", "list"), each used once by the
    next request of that kind. Thread-safe."""

    def __init__(self, allowed: dict[str, frozenset[str]]) -> None:
        self._allowed = allowed
        self._queued: dict[str, deque[str]] = {kind: deque() for kind in allowed}
        self._lock = threading.Lock()

    def order(self, order: dict[str, Any]) -> None:
        """Forget every queued fault when ``order["clear"]``, then queue ``order[kind]``."""
        with self._lock:
            if order.get("clear"):
                for queued in self._queued.values():
                    queued.clear()
            for kind, allowed in self._allowed.items():
                for name in order.get(kind, []):
                    assert name in allowed, name
                    self._queued[kind].append(name)

    def next(self, kind: str) -> str | None:
        with self._lock:
            queued = self._queued[kind]
            return queued.popleft() if queued else None
