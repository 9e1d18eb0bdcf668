"""The terminals' mediator usage report, and its ``locks`` field: any bytes are read as the
spec says or refused whole, naming the field (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.mediator.lockout import MAX_LOCK_SECONDS
from kiosk.receiver.bodies import MAX_UNIX_TIME, BodyError
from kiosk.receiver.mediator_api import MAX_USES, check_usage
from tests.kiosk.receiver.test_bodies import bodies, json_values, outcome

ids = st.text("0123456789abcdef", min_size=8, max_size=8).map(lambda hexa: "med-" + hexa)
locks = st.fixed_dictionaries({
    "id": ids,
    "since": st.integers(0, MAX_UNIX_TIME),
    "seconds_left": st.integers(1, int(MAX_LOCK_SECONDS)),
})
HOSTILE = {  # a field, and values that the spec does not allow in it
    "id": st.one_of(st.text(max_size=20).filter(lambda t: not t.startswith("med-")),
                    st.integers(), st.none(), ids.map(str.upper)),
    "since": st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_UNIX_TIME + 1),
                       st.text(max_size=5), st.booleans(), st.floats(0.1, 0.9), st.none()),
    "seconds_left": st.one_of(st.integers(max_value=0),
                              st.integers(min_value=int(MAX_LOCK_SECONDS) + 1),
                              st.text(max_size=5), st.booleans(), st.none()),
}


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


@given(bodies | json_values.map(lambda v: body({"mediators": [], "locks": v})))
def test_any_body_is_read_or_refused_as_invalid_usage(raw):
    assert outcome(check_usage, raw) in ("accepted", "invalid_usage")


@given(st.lists(locks, max_size=20))
def test_the_locks_a_kiosk_sends_are_read_as_sent(sent):
    report = check_usage(body({"mediators": [], "locks": sent}))
    assert report.locks == [(lock["id"], lock["since"], lock["seconds_left"]) for lock in sent]


def test_a_report_without_locks_says_nothing_of_them():
    assert check_usage(b'{"mediators": []}').locks is None
    assert check_usage(b'{"mediators": [], "locks": []}').locks == []


@given(st.lists(locks, min_size=1, max_size=5), st.data())
def test_one_hostile_field_refuses_the_whole_report_and_names_it(sent, data):
    index = data.draw(st.integers(0, len(sent) - 1))
    field = data.draw(st.sampled_from(sorted(HOSTILE)))
    bad = dict(sent[index])
    if data.draw(st.booleans(), label="missing"):
        del bad[field]
    else:
        bad[field] = data.draw(HOSTILE[field])
    sent = [*sent[:index], bad, *sent[index + 1:]]
    with pytest.raises(BodyError, match=rf"^locks\[{index}\]\.{field}:") as refused:
        check_usage(body({"mediators": [], "locks": sent}))
    assert refused.value.code == "invalid_usage"


@given(st.one_of(st.integers(), st.text(), st.dictionaries(st.text(), st.integers()),
                 st.none(), st.just([3])))
def test_locks_that_are_not_a_list_of_objects_are_refused_by_name(value):
    with pytest.raises(BodyError, match=r"^locks"):
        check_usage(body({"mediators": [], "locks": value}))


def test_more_locks_than_the_limit_are_refused():
    lock = {"id": "med-0a1b2c3d", "since": 1, "seconds_left": 1}
    with pytest.raises(BodyError, match=r"^locks: a list of at most"):
        check_usage(body({"mediators": [], "locks": [lock] * (MAX_USES + 1)}))
