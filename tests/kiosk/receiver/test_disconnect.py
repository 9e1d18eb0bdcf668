"""A client that leaves mid-upload costs the receiver one calm log line, not a traceback."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import requests

from tests.receiver_process import running_receiver, wait_until


def send_half_then_close(url: str, headers: dict[str, str], body: bytes) -> None:
    """Announce ``body`` in full, send its first half over a raw socket, and hang up."""
    address = urlsplit(url)
    head = ["POST /v1/submissions HTTP/1.1", f"Host: {address.netloc}",
            f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
    with socket.create_connection((address.hostname, address.port), timeout=10) as raw:
        raw.sendall(("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body[: len(body) // 2])


def test_a_client_leaving_mid_upload_is_one_log_line_and_no_traceback(tmp_path):
    body = b'{"reference": "ADM-7K3-Q9P", "pad": "' + b"x" * 4000 + b'"}'
    with running_receiver(tmp_path) as rx:
        headers = rx.signed_headers("POST", "/v1/submissions", body)
        headers.update({"Content-Type": "application/json", "Idempotency-Key": "half-1"})
        send_half_then_close(rx.url, headers, body)
        wait_until(lambda: "client left" in rx.output() or "Traceback" in rx.output(),
                   what="the receiver to notice the client left")
        assert requests.get(rx.url + "/v1/health", timeout=5).ok  # still serving
        output = rx.output()
        assert rx.submissions() == []
    assert "Traceback" not in output
    assert "ERROR" not in output
    [line] = [line for line in output.splitlines() if "client left" in line]
    assert "WARNING" in line
    assert f"POST /v1/submissions after {len(body) // 2} of {len(body)} bytes" in line
