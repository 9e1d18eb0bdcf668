"""Signed URLs for Publik w.c.s. (Entr'ouvert's forms engine), exactly as w.c.s. checks them.

The rule, from w.c.s.'s own source (``wcs/api_utils.py``: ``sign_query``, ``sign_string``
and the check ``is_url_signed``; read in the snapshot kept in the public repository
``LoganSeven/publik_famille_demo``, commit 3654d1f7, path
``wcs_snapshot/wcs/api_utils.py``; quoted in docs/back-office.md "How w.c.s. does it"):

1. The query string holds the caller's parameters and ``orig=<API access identifier>``.
2. ``algo=sha256&timestamp=<UTC, %Y-%m-%dT%H:%M:%SZ>&nonce=<random>`` is appended (after
   a ``&`` when the query is not empty), form-encoded.
3. The signature is the standard base64 (``+`` and ``/``, padded) of
   HMAC(key as UTF-8 bytes, the exact query string so far, sha256).
4. It is appended last, URL-quoted (``+`` -> ``%2B``, ``=`` -> ``%3D``), as
   ``&signature=<quoted>``.

w.c.s. finds the key of ``orig`` (an API access's, or the site option ``api-secrets``),
recomputes the HMAC over ``query[:query.find('&signature=')]`` (the raw query, not
re-encoded) and compares it with the decoded ``signature`` parameter, then refuses a
timestamp more than 30 s away from its clock (either way), then, when there is a nonce
(it is optional for w.c.s.; the kiosk always sends one), a nonce already used in the
last 30 s (normalised: ``simplify(nonce[:128])``, lower case). It answers 403 ``{"err":
1, "err_class": "Access denied", "err_code": "access-denied", "err_desc": ...}`` with
"Invalid orig.", "Invalid signature.", "timestamp is more than 30 seconds in the past:
…", "Nonce already used.", in that order of checks: a wrong key says "Invalid
signature." whatever the clock. The body of a POST is not signed.

So: sign at send time, afresh for every attempt (a retry needs a new timestamp and
nonce), and keep the terminal's clock NTP-synced.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from urllib.parse import quote, urlencode

ALGO = "sha256"
WINDOW_SECONDS = 30  # w.c.s.'s DEFAULT_DURATION: how far the timestamp may be, either way
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
NONCE_BYTES = 16  # 128 random bits, as w.c.s.'s own signer


def timestamp(now: dt.datetime | None = None) -> str:
    """The ``timestamp`` parameter: UTC, to the second."""
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("the signing time must carry its time zone")
    return moment.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def signature_of(query: str, key: str) -> str:
    """Standard base64 of HMAC-SHA256(key, query), not yet URL-quoted."""
    mac = hmac.new(key.encode("utf-8"), query.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def sign_query(
    query: str, key: str, *, now: dt.datetime | None = None, nonce: str | None = None
) -> str:
    """``query`` (already holding ``orig=``) with algo, timestamp, nonce and signature.

    Raises ValueError on an empty key.
    """
    if not key:
        raise ValueError("the w.c.s. API key is empty")
    if nonce is None:
        nonce = secrets.token_hex(NONCE_BYTES)
    appended = urlencode((("algo", ALGO), ("timestamp", timestamp(now)), ("nonce", nonce)))
    signed = f"{query}&{appended}" if query else appended
    return f"{signed}&signature={quote(signature_of(signed, key))}"


# The fields the signature adds to a query (w.c.s. wants each once).
SIGNATURE_FIELDS = frozenset({"orig", "algo", "timestamp", "nonce", "signature"})


def signed_query(
    params: Sequence[tuple[str, str]],
    orig: str,
    key: str,
    *,
    now: dt.datetime | None = None,
    nonce: str | None = None,
) -> str:
    """The signed query string of ``params`` followed by ``orig=<orig>``.

    Raises ValueError on an empty orig or key, or when ``params`` holds one of the
    signature's own fields (w.c.s. refuses a query with two of them).
    """
    if not orig:
        raise ValueError("the w.c.s. API access identifier (orig) is empty")
    taken = sorted({name for name, _value in params} & SIGNATURE_FIELDS)
    if taken:
        raise ValueError(f"query parameters reserved for the signature: {', '.join(taken)}")
    return sign_query(urlencode([*params, ("orig", orig)]), key, now=now, nonce=nonce)
