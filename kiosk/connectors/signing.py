"""The request signature shared by the kiosk and its back office (HMAC-SHA256).

Every request a terminal makes (except ``GET /v1/health``) carries three headers:

- ``X-Kiosk-Terminal``: the terminal's id (e.g. ``admiville-demo-01``);
- ``X-Kiosk-Timestamp``: the Unix time of signing, in whole seconds;
- ``X-Kiosk-Signature``: ``v1=`` then the lowercase hex HMAC-SHA256, keyed with the
  terminal's secret, of the lines (joined by ``\\n``)::

      v1
      <METHOD in upper case>
      <path as sent, with ?query if any>
      <timestamp>
      <terminal id>
      <lowercase hex SHA-256 of the body (of b"" when there is none)>

The receiver recomputes it, compares in constant time and refuses a timestamp further
than ``max_skew`` seconds (default 300) from its own clock. Replaying a captured request
inside that window gains nothing: submissions are idempotent by their key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

HEADER_TERMINAL = "X-Kiosk-Terminal"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_SIGNATURE = "X-Kiosk-Signature"
SCHEME = "v1"
DEFAULT_MAX_SKEW = 300.0
MIN_SECRET_BYTES = 16

_TERMINAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v1=([0-9a-f]{64})")


class SignatureError(ValueError):
    """A request's signature is missing, malformed, stale or wrong.

    ``code`` is a stable machine-readable word sent back in the receiver's JSON error
    (``missing_signature``, ``malformed_signature``, ``unknown_terminal``,
    ``stale_timestamp``, ``bad_signature``); the message is technical detail for logs.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def decode_secret(text: str) -> bytes:
    """A terminal secret written in hex or standard base64 (as keyring holds it).

    Raises ValueError when it is neither, or shorter than ``MIN_SECRET_BYTES``.
    """
    text = text.strip()
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        try:
            secret = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the secret must be written in hex or base64") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must hold at least {MIN_SECRET_BYTES} bytes")
    return secret


def fingerprint(secret: bytes) -> str:
    """A short, non-secret digest both sides print and compare: ``sha256:1a2b3c4d5e6f``
    (``kiosk enroll terminal-secret``, ``kiosk-receiver terminal add``)."""
    return "sha256:" + hashlib.sha256(secret).hexdigest()[:12]


def body_digest(body: bytes) -> str:
    """Lowercase hex SHA-256 of the body."""
    return hashlib.sha256(body).hexdigest()


def valid_terminal_id(terminal_id: str) -> bool:
    """Terminal ids are short ASCII words: letters, digits, ``.``, ``_`` and ``-``."""
    return _TERMINAL_ID.fullmatch(terminal_id) is not None


def string_to_sign(method: str, path: str, timestamp: str, terminal_id: str, body: bytes) -> bytes:
    """The exact bytes that are signed (see the module docstring)."""
    lines = (SCHEME, method.upper(), path, timestamp, terminal_id, body_digest(body))
    return "\n".join(lines).encode("utf-8")


def compute_signature(
    secret: bytes, method: str, path: str, timestamp: str, *, terminal_id: str, body: bytes
) -> str:
    """The value of ``X-Kiosk-Signature`` (``v1=<hex>``)."""
    mac = hmac.new(secret, string_to_sign(method, path, timestamp, terminal_id, body), "sha256")
    return f"{SCHEME}={mac.hexdigest()}"


def sign_request(
    secret: bytes,
    terminal_id: str,
    method: str,
    path: str,
    body: bytes,
    *,
    now: float | None = None,
) -> dict[str, str]:
    """The three signature headers for one request, signed at ``now`` (default: the clock).

    Sign each attempt afresh: a retry hours later needs a fresh timestamp.
    """
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the terminal secret must hold at least {MIN_SECRET_BYTES} bytes")
    if not valid_terminal_id(terminal_id):
        raise ValueError(f"invalid terminal id {terminal_id!r}")
    timestamp = str(int(time.time() if now is None else now))
    return {
        HEADER_TERMINAL: terminal_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_SIGNATURE: compute_signature(
            secret, method, path, timestamp, terminal_id=terminal_id, body=body
        ),
    }


@dataclass(frozen=True)
class VerifiedRequest:
    """What a valid signature proves: which terminal signed, and when."""

    terminal_id: str
    timestamp: int


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name (works on plain dicts too)."""
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    return value


def verify_request(
    secret_for: Callable[[str], bytes | None],
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    *,
    now: float | None = None,
    max_skew: float = DEFAULT_MAX_SKEW,
) -> VerifiedRequest:
    """Check a request's signature; return who signed it or raise ``SignatureError``.

    Args:
        secret_for: the secret of a terminal id, or None for an unknown terminal.
        headers: the request headers (case-insensitive mapping or lower-case dict).
        method, path, body: the request as received (path with ``?query`` if any).
        now: the receiver's clock (default: ``time.time()``).
        max_skew: how far, in seconds, the timestamp may be from ``now`` either way.
    """
    terminal_id = _header(headers, HEADER_TERMINAL)
    timestamp = _header(headers, HEADER_TIMESTAMP)
    signature = _header(headers, HEADER_SIGNATURE)
    if terminal_id is None or timestamp is None or signature is None:
        raise SignatureError("missing_signature", "signature headers missing")
    if not valid_terminal_id(terminal_id):
        raise SignatureError("malformed_signature", "malformed terminal id")
    if _TIMESTAMP.fullmatch(timestamp) is None:
        raise SignatureError("malformed_signature", "malformed timestamp")
    if _SIGNATURE.fullmatch(signature) is None:
        raise SignatureError("malformed_signature", "malformed signature value")
    clock = time.time() if now is None else now
    if abs(clock - int(timestamp)) > max_skew:
        raise SignatureError(
            "stale_timestamp",
            f"timestamp {int(clock) - int(timestamp):+d} s away from the receiver's clock "
            f"(allowed: {max_skew:g} s)",
        )
    secret = secret_for(terminal_id)
    if secret is None:
        raise SignatureError("unknown_terminal", f"unknown terminal {terminal_id}")
    expected = compute_signature(
        secret, method, path, timestamp, terminal_id=terminal_id, body=body
    )
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
        raise SignatureError("bad_signature", "signature does not match")
    return VerifiedRequest(terminal_id=terminal_id, timestamp=int(timestamp))
