"""The request signature: what it covers, and every way a verification must fail."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.connectors.signing import (
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    SignatureError,
    decode_secret,
    sign_request,
    verify_request,
)

SECRET = bytes(range(32))
NOW = 1_750_000_000.0
METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD"])
PATHS = st.from_regex(r"/[A-Za-z0-9/_.?=&%-]{0,60}", fullmatch=True)
TERMINALS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
BODIES = st.binary(max_size=300)


def _secret_of(terminal: str) -> bytes:
    return SECRET


def _verify(headers: dict[str, str], method: str, path: str, body: bytes, **kw: float):
    return verify_request(_secret_of, headers, method, path, body, now=kw.pop("now", NOW), **kw)


def _refusal(headers: dict[str, str], method: str, path: str, body: bytes, **kw: float) -> str:
    with pytest.raises(SignatureError) as refused:
        _verify(headers, method, path, body, **kw)
    return refused.value.code


@given(method=METHODS, path=PATHS, terminal=TERMINALS, body=BODIES)
def test_a_signed_request_verifies_and_names_its_terminal(method, path, terminal, body):
    headers = sign_request(SECRET, terminal, method, path, body, now=NOW)
    verified = _verify(headers, method, path, body)
    assert verified.terminal_id == terminal
    assert verified.timestamp == int(NOW)


@given(method=METHODS, other=METHODS, path=PATHS, body=BODIES)
def test_another_method_breaks_it(method, other, path, body):
    headers = sign_request(SECRET, "t1", method, path, body, now=NOW)
    if other != method:
        assert _refusal(headers, other, path, body) == "bad_signature"


@given(path=PATHS, other=PATHS, body=BODIES)
def test_another_path_breaks_it(path, other, body):
    headers = sign_request(SECRET, "t1", "POST", path, body, now=NOW)
    if other != path:
        assert _refusal(headers, "POST", other, body) == "bad_signature"


@given(body=BODIES, other=BODIES)
def test_another_body_breaks_it(body, other):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", body, now=NOW)
    if other != body:
        assert _refusal(headers, "POST", "/v1/submissions", other) == "bad_signature"


@given(shift=st.integers(min_value=-300, max_value=300).filter(bool))
def test_another_timestamp_in_the_window_breaks_it(shift):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    headers[HEADER_TIMESTAMP] = str(int(NOW) + shift)
    assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "bad_signature"


@given(terminal=TERMINALS)
def test_another_terminal_id_breaks_it(terminal):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    headers[HEADER_TERMINAL] = terminal
    if terminal != "t1":
        assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "bad_signature"


@given(secret=st.binary(min_size=16, max_size=64).filter(lambda s: s != SECRET))
def test_another_secret_breaks_it(secret):
    headers = sign_request(secret, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "bad_signature"


@given(position=st.integers(min_value=3, max_value=66), digit=st.sampled_from("0123456789abcdef"))
def test_one_changed_digit_of_the_signature_breaks_it(position, digit):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    value = headers[HEADER_SIGNATURE]
    changed = value[:position] + digit + value[position + 1 :]
    if changed != value:
        headers[HEADER_SIGNATURE] = changed
        assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "bad_signature"


@pytest.mark.parametrize("age", [-301, 301, 3600, -86_400])
def test_a_timestamp_too_far_from_the_clock_is_refused(age):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW - age)
    assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "stale_timestamp"


@pytest.mark.parametrize("age", [-300, -1, 0, 1, 299, 300])
def test_a_timestamp_within_the_skew_is_accepted(age):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW - age)
    assert _verify(headers, "POST", "/v1/submissions", b"{}").terminal_id == "t1"


def test_the_skew_is_configurable():
    headers = sign_request(SECRET, "t1", "GET", "/v1/catalog", b"", now=NOW - 31)
    assert _refusal(headers, "GET", "/v1/catalog", b"", max_skew=30) == "stale_timestamp"
    assert _verify(headers, "GET", "/v1/catalog", b"", max_skew=60).terminal_id == "t1"


@pytest.mark.parametrize("missing", [HEADER_TERMINAL, HEADER_TIMESTAMP, HEADER_SIGNATURE])
def test_a_missing_header_is_refused(missing):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    del headers[missing]
    assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "missing_signature"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (HEADER_TIMESTAMP, "1.75e9"),
        (HEADER_TIMESTAMP, "-5"),
        (HEADER_TIMESTAMP, ""),
        (HEADER_SIGNATURE, "sha256=" + "0" * 64),
        (HEADER_SIGNATURE, "v1=" + "0" * 63),
        (HEADER_SIGNATURE, "v1=" + "A" * 64),
        (HEADER_TERMINAL, "with space"),
        (HEADER_TERMINAL, "x" * 65),
    ],
)
def test_a_malformed_header_is_refused(header, value):
    headers = sign_request(SECRET, "t1", "POST", "/v1/submissions", b"{}", now=NOW)
    headers[header] = value
    assert _refusal(headers, "POST", "/v1/submissions", b"{}") == "malformed_signature"


def test_an_unknown_terminal_is_refused():
    headers = sign_request(SECRET, "stranger", "GET", "/v1/catalog", b"", now=NOW)
    with pytest.raises(SignatureError) as refused:
        verify_request(lambda t: None, headers, "GET", "/v1/catalog", b"", now=NOW)
    assert refused.value.code == "unknown_terminal"


def test_lower_case_header_names_are_understood():
    headers = sign_request(SECRET, "t1", "POST", "/v1/heartbeat", b"{}", now=NOW)
    lower = {name.lower(): value for name, value in headers.items()}
    assert _verify(lower, "POST", "/v1/heartbeat", b"{}").terminal_id == "t1"


def test_signing_refuses_a_short_secret_and_a_bad_terminal_id():
    with pytest.raises(ValueError, match="at least 16 bytes"):
        sign_request(b"short", "t1", "GET", "/", b"")
    with pytest.raises(ValueError, match="terminal id"):
        sign_request(SECRET, "t 1", "GET", "/", b"")


def test_the_signature_is_a_known_value():
    """Pins the wire format documented in docs/back-office.md (other languages check it)."""
    headers = sign_request(bytes(32), "admiville-demo-01", "POST", "/v1/submissions", b"{}", now=0)
    assert headers[HEADER_TIMESTAMP] == "0"
    import hashlib
    import hmac

    text = "v1\nPOST\n/v1/submissions\n0\nadmiville-demo-01\n" + hashlib.sha256(b"{}").hexdigest()
    expected = hmac.new(bytes(32), text.encode(), "sha256").hexdigest()
    assert headers[HEADER_SIGNATURE] == "v1=" + expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ab" * 16, b"\xab" * 16), (" " + "00" * 32 + "\n", bytes(32)),
     ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", bytes(32))],
)
def test_a_secret_is_read_in_hex_or_base64(text, expected):
    assert decode_secret(text) == expected


@pytest.mark.parametrize("text", ["", "abcd", "not a secret!", "AAAA"])
def test_a_short_or_unreadable_secret_is_refused(text):
    with pytest.raises(ValueError, match="secret"):
        decode_secret(text)
