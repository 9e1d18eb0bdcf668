"""Schemathesis hook (``SCHEMATHESIS_HOOKS``): sign each request as the kiosk does.

The signature covers the exact bytes sent, so it is applied as a ``requests`` auth, on the
prepared request, after Schemathesis has serialised the body. Schemathesis puts random
values in the three signature headers (the spec's security schemes), or leaves them out
to check that the server refuses a request without them: this auth replaces the values
with a real signature and never adds a header that was left out. The terminal and its
secret (hex) come from the environment: ``KIOSK_FUZZ_TERMINAL`` and ``KIOSK_FUZZ_SECRET``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import requests
import schemathesis

from kiosk.connectors.signing import (
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    sign_request,
)

SIGNATURE_HEADERS = (HEADER_TERMINAL, HEADER_TIMESTAMP, HEADER_SIGNATURE)


class KioskSignature(requests.auth.AuthBase):
    """Adds the three X-Kiosk-* headers for the prepared request's method, path and body."""

    def __init__(self, terminal_id: str, secret: bytes) -> None:
        self.terminal_id = terminal_id
        self.secret = secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if not all(name in request.headers for name in SIGNATURE_HEADERS):
            return request  # a case without credentials: it must be refused as it is
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        url = urlsplit(request.url or "")
        path = url.path + ("?" + url.query if url.query else "")
        request.headers.update(
            sign_request(self.secret, self.terminal_id, request.method or "GET", path, body))
        return request


schemathesis.auth.set_from_requests(KioskSignature(
    os.environ["KIOSK_FUZZ_TERMINAL"], bytes.fromhex(os.environ["KIOSK_FUZZ_SECRET"])))
