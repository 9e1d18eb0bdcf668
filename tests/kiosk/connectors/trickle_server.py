"""A back office that answers one byte at a time: its headers, or its body.

Run as a subprocess (``python -m tests.kiosk.connectors.trickle_server headers|body
[CERT KEY]``, over TLS with a certificate and its key): it prints its port, then serves on
127.0.0.1 until killed. Every answer keeps going for
about an hour at one byte every ``INTERVAL`` seconds, far below any read timeout, so only
a deadline on the whole exchange ends it.
"""

from __future__ import annotations

import socketserver
import ssl
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from subprocess import PIPE, Popen

INTERVAL = 0.05  # seconds between two bytes
_LONG = 60_000  # bytes of the trickled part (http.client accepts header lines of 64 KiB)


def _answer(mode: str) -> tuple[bytes, bytes]:
    """(sent at once, sent byte by byte)."""
    if mode == "headers":
        return b"", b"HTTP/1.1 201 Created\r\nX-Slow: " + b"a" * _LONG + b"\r\n\r\n"
    head = f"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {_LONG}"
    return (head + "\r\n\r\n").encode(), b'{"id": "' + b"9" * (_LONG - 10) + b'"}'


class _Handler(socketserver.StreamRequestHandler):
    mode = "headers"

    def handle(self) -> None:
        length = 0
        while (line := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        self.rfile.read(length)
        at_once, slowly = _answer(self.mode)
        try:
            self.wfile.write(at_once)
            for byte in slowly:
                self.wfile.write(bytes((byte,)))
                time.sleep(INTERVAL)
        except OSError:  # the client gave up: what the tests expect
            return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def trickling(mode: str, tls: tuple[str, str] | None = None) -> Iterator[str]:
    """The URL of a trickle server in a subprocess, for the block's duration.

    ``tls``: (certificate, key) files in PEM; the URL is then https.
    """
    with Popen(  # closes its pipe on exit
        [sys.executable, "-m", "tests.kiosk.connectors.trickle_server", mode, *(tls or ())],
        stdout=PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            port = int(process.stdout.readline())
            yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(10)


def main() -> None:
    _Handler.mode = sys.argv[1]
    with _Server(("127.0.0.1", 0), _Handler) as server:
        if len(sys.argv) == 4:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
