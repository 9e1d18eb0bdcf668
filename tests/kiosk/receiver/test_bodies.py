"""The receiver's body checks: any bytes are accepted as the spec says or refused with a code."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.receiver.bodies import (
    MAX_UNIX_TIME,
    PAUSE_CAUSES,
    BodyError,
    HeartbeatBody,
    check_heartbeat,
    check_submission,
    is_json_media_type,
)
from kiosk.receiver.storage import HeartbeatDetails

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


bodies = st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode())


def outcome(check: Callable[[bytes], object], body: bytes) -> str:
    """``accepted``, or the refusal's code (any other exception fails the test)."""
    try:
        check(body)
    except BodyError as refusal:
        return refusal.code
    return "accepted"


@given(bodies)
def test_any_body_is_a_heartbeat_or_a_coded_refusal(body):
    assert outcome(check_heartbeat, body) in ("accepted", "invalid_heartbeat")


@given(bodies)
def test_any_body_is_a_submission_or_a_coded_refusal(body):
    assert outcome(check_submission, body) in ("accepted", "invalid_json", "invalid_submission")


pauses = st.sampled_from([(None, None), (False, None), (True, None)]) | st.tuples(
    st.just(True), st.sampled_from(PAUSE_CAUSES))


@given(st.dictionaries(st.text(max_size=32), st.integers(min_value=0)),
       st.text(max_size=64), st.integers(min_value=0, max_value=MAX_UNIX_TIME),
       st.none() | st.text(max_size=64), pauses)
def test_every_heartbeat_the_spec_allows_is_accepted(
    queue, version, sent_at, catalog_version, pause
):
    paused, pause_cause = pause
    fields = {"catalog_version": catalog_version, "paused": paused, "pause_cause": pause_cause}
    document = {"version": version, "queue": queue, "sent_at": sent_at}
    document |= {name: value for name, value in fields.items() if value is not None}
    assert check_heartbeat(json.dumps(document).encode()) == HeartbeatBody(
        version, queue, None, HeartbeatDetails(sent_at, catalog_version, paused, pause_cause)
    )


@given(json_values, st.none() | st.booleans())
def test_a_pause_cause_is_a_known_code_of_a_paused_queue_or_refused(cause, paused):
    document = {"version": "1", "queue": {}, "pause_cause": cause}
    if paused is not None:
        document["paused"] = paused
    allowed = cause in PAUSE_CAUSES and paused is True
    assert outcome(check_heartbeat, json.dumps(document).encode()) == (
        "accepted" if allowed else "invalid_heartbeat")


@given(st.text(max_size=60))
def test_any_content_type_is_judged_without_error(content_type):
    assert isinstance(is_json_media_type(content_type), bool)


@pytest.mark.parametrize(("content_type", "json_body"), [
    ("application/json", True), ("APPLICATION/JSON ; charset=\"UTF-8\"", True),
    ("application/json;charset=utf8", True), (None, False), ("text/plain", False),
    ("application/json; charset=iso-8859-1", False), ("application/problem+json", False),
])
def test_only_json_in_utf_8_is_json(content_type, json_body):
    assert is_json_media_type(content_type) is json_body
