"""Our w.c.s. URL signer against an independent verifier written from w.c.s.'s published
check (tests/fakes/wcs_server.py ``Verifier``, after wcs/api_utils.py ``is_url_signed``)."""

from __future__ import annotations

import datetime as dt
import string
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.connectors.wcs_signing import SIGNATURE_FIELDS, sign_query, signed_query
from tests.fakes.wcs_server import Refusal, Verifier

ORIG = "borne-test"
KEY = "cle-de-test-0123456789abcdef"
NOW = dt.datetime(2026, 12, 2, 9, 0, 0, tzinfo=dt.UTC)

names = st.text(string.ascii_lowercase + "-_", min_size=1, max_size=20).filter(
    lambda name: name not in SIGNATURE_FIELDS
)
params = st.lists(st.tuples(names, st.text(max_size=9)), max_size=4)
keys = st.text(min_size=1, max_size=64)
times = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)


def _verifier(key: str = KEY) -> Verifier:
    return Verifier({ORIG: key})


@given(params, keys, times)
def test_what_we_sign_w_c_s_accepts(pairs, key, now):
    query = signed_query(pairs, ORIG, key, now=now)
    _verifier(key).check(query, now)  # raises Refusal when refused


@pytest.mark.parametrize("field", sorted(SIGNATURE_FIELDS))
def test_a_parameter_named_like_a_signature_field_is_refused(field):
    with pytest.raises(ValueError, match=field):
        signed_query([(field, "x")], ORIG, KEY, now=NOW)


nonces = st.text("0123456789abcdef", min_size=1, max_size=32)


@given(params, times, nonces, st.data())
def test_a_change_of_any_byte_is_refused(pairs, now, nonce, data):
    query = signed_query(pairs, ORIG, KEY, now=now, nonce=nonce)
    at = data.draw(st.integers(0, len(query) - 1), label="position")
    byte = data.draw(st.sampled_from(string.printable.strip()).filter(lambda c: c != query[at]))
    changed = query[:at] + byte + query[at + 1 :]
    signed, signature = query.rsplit("&signature=", 1)
    # A change inside the signature itself that says the same (%2b for %2B): w.c.s.
    # rightly accepts it.
    if changed.startswith(signed + "&signature=") and unquote(
        changed.rsplit("&signature=", 1)[1]
    ) == unquote(signature):
        return
    with pytest.raises(Refusal):
        _verifier().check(changed, now)


def test_the_signature_is_quoted_so_that_a_plus_survives():
    """The HMAC's base64 holds + / =; sent raw, + would be read as a space."""
    for n in range(200):
        query = sign_query(f"orig={ORIG}&n={n}", KEY, now=NOW, nonce=f"{n:032x}")
        signature = query.rsplit("&signature=", 1)[1]
        assert "+" not in signature
        assert "=" not in signature
        _verifier().check(query, NOW)


def test_the_query_is_orig_then_algo_timestamp_nonce_then_signature_last():
    query = signed_query([("filter-kiosk_uuid", "abc")], ORIG, KEY, now=NOW, nonce="ff00")
    names = [part.split("=", 1)[0] for part in query.split("&")]
    assert names == ["filter-kiosk_uuid", "orig", "algo", "timestamp", "nonce", "signature"]
    assert "timestamp=2026-12-02T09%3A00%3A00Z" in query
    assert "algo=sha256" in query


def test_every_signature_has_its_own_nonce_and_a_nonce_is_refused_twice():
    verifier = _verifier()
    first, second = (signed_query([], ORIG, KEY, now=NOW) for _ in range(2))
    verifier.check(first, NOW)
    verifier.check(second, NOW)
    with pytest.raises(Refusal, match="Nonce already used"):
        verifier.check(first, NOW)


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-30, True), (30, True), (-31, False), (31, False)]
)
def test_the_timestamp_may_be_30_seconds_away_either_way(offset, accepted):
    query = signed_query([], ORIG, KEY, now=NOW)
    later = NOW + dt.timedelta(seconds=offset)
    if accepted:
        _verifier().check(query, later)
    else:
        with pytest.raises(Refusal, match="timestamp is more than 30 seconds"):
            _verifier().check(query, later)


def test_another_key_or_orig_is_refused():
    query = signed_query([], ORIG, KEY, now=NOW)
    with pytest.raises(Refusal, match="Invalid signature"):
        _verifier("une-autre-cle").check(query, NOW)
    with pytest.raises(Refusal, match="Invalid orig"):
        Verifier({"autre": KEY}).check(query, NOW)


def test_an_empty_orig_or_key_and_a_naive_time_are_refused_before_sending():
    with pytest.raises(ValueError, match="orig"):
        signed_query([], "", KEY)
    with pytest.raises(ValueError, match="key"):
        signed_query([], ORIG, "")
    with pytest.raises(ValueError, match="time zone"):
        signed_query([], ORIG, KEY, now=dt.datetime(2026, 12, 2, 9, 0, 0))
