"""The roster parser: hostile rosters are refused by name, good ones read exactly."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.mediator.roster import (
    MAX_MEDIATORS,
    MAX_ROSTER_BYTES,
    RosterError,
    parse_roster,
)
from kiosk.security.pin import hash_pin

HASH = hash_pin("482913")


def entry(**changes: object) -> dict[str, object]:
    return {"id": "med-0a1b2c3d", "name": "Camille", "pin_hash": HASH, "disabled": False,
            "version": 3, "lockout_reset": 0} | changes


def body(*entries: dict[str, object], version: object = 3) -> bytes:
    return json.dumps({"version": version, "mediators": list(entries)}).encode()


def test_a_good_roster_is_read_field_by_field():
    roster = parse_roster(body(entry(), entry(id="med-ffffffff", disabled=True, name="Léa")))
    assert roster.version == 3
    assert [(m.id, m.name, m.disabled) for m in roster.mediators] == [
        ("med-0a1b2c3d", "Camille", False), ("med-ffffffff", "Léa", True)]
    assert roster.mediators[0].pin_hash == HASH


@pytest.mark.parametrize(("roster", "named"), [
    (b"\xff", "not JSON"),
    (b"[]", "not a JSON object"),
    (b'{"version": 1, "mediators": {}}', "mediators: not a list"),
    (b'{"version": NaN, "mediators": []}', "not JSON"),
    (body(version=-1), "version"),
    (body(version=True), "version"),
    (body(entry(id="camille")), "mediators[0].id"),
    (body(entry(id=7)), "mediators[0].id"),
    (body(entry(name="")), "mediators[0].name"),
    (body(entry(name="=HYPERLINK()")), "mediators[0].name"),
    (body(entry(name=" Camille")), "mediators[0].name"),
    (body(entry(pin_hash="482913")), "mediators[0].pin_hash"),
    (body(entry(pin_hash=HASH.replace("$16384$", "$1048576$"))), "mediators[0].pin_hash"),
    (body(entry(pin_hash=None)), "mediators[0].pin_hash"),
    (body(entry(disabled="no")), "mediators[0].disabled"),
    (body(entry(version=1.5)), "mediators[0].version"),
    (body(entry(lockout_reset=2**60)), "mediators[0].lockout_reset"),
    (body(entry(), entry()), "appears twice"),
    (body(*[entry(id=f"med-{i:08x}") for i in range(MAX_MEDIATORS + 1)]), "more than"),
    (b" " * (MAX_ROSTER_BYTES + 1), "too big"),
    (body("x"), "mediators[0]: not an object"),  # type: ignore[arg-type]
])
def test_a_hostile_roster_is_refused_with_a_message_naming_the_problem(roster, named):
    with pytest.raises(RosterError, match=named.replace("[", r"\[").replace("]", r"\]")):
        parse_roster(roster)


def test_a_refusal_never_quotes_a_pin_hash():
    with pytest.raises(RosterError) as refused:
        parse_roster(body(entry(pin_hash=HASH[:-4] + "!!!!")))
    assert HASH[20:40] not in str(refused.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["version", "mediators", "id", "name", "pin_hash", "disabled",
                         "lockout_reset"]), inner, max_size=6),
    max_leaves=20,
).map(lambda value: json.dumps(value).encode()))
def test_any_bytes_give_a_roster_or_a_roster_error(raw):
    try:
        roster = parse_roster(raw)
    except RosterError:
        return
    assert all(m.id.startswith("med-") for m in roster.mediators)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.booleans(), st.integers(0, 2**53)),
                max_size=20, unique_by=lambda t: t[0]))
def test_every_well_formed_roster_is_read_back_as_sent(rows):
    sent = [entry(id=f"med-{number:08x}", disabled=disabled, version=version)
            for number, disabled, version in rows]
    roster = parse_roster(body(*sent))
    assert [(m.id, m.disabled, m.version) for m in roster.mediators] == [
        (e["id"], e["disabled"], e["version"]) for e in sent]
