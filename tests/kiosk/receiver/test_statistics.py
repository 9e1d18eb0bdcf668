"""Statistics sent with the heartbeat: each terminal's day stored in place (replaced, never
added), read back by ``statistics_rows``; a hostile payload refused with
``invalid_statistics`` and stored nowhere."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.receiver.bodies import BodyError, check_heartbeat
from kiosk.receiver.storage import ReceiverStore, StatisticsRow
from kiosk.statistics.keys import MAX_COUNT, MAX_DAYS_PER_HEARTBEAT, MAX_KEYS_PER_DAY
from tests.kiosk.receiver.test_receiver_api import beat
from tests.receiver_process import RunningReceiver

KEYS = st.from_regex(r"[a-z][a-z_]{0,8}(\.[A-Za-z0-9_-]{1,8}){0,3}", fullmatch=True)
GOOD_DAYS = st.lists(
    st.fixed_dictionaries({
        "day": st.dates().map(lambda d: d.isoformat()).filter(lambda d: len(d) == 10),
        "counts": st.dictionaries(KEYS, st.integers(0, MAX_COUNT), max_size=5),
    }),
    max_size=MAX_DAYS_PER_HEARTBEAT,
)


def heartbeat(statistics: object) -> bytes:
    return json.dumps({"version": "1", "queue": {}, "statistics": statistics}).encode()


HOSTILE = st.one_of(
    st.dictionaries(st.text(), st.integers(), max_size=2),  # not a list
    st.lists(st.just({"day": "2026-12-02", "counts": {}}), min_size=MAX_DAYS_PER_HEARTBEAT + 1,
             max_size=MAX_DAYS_PER_HEARTBEAT + 2),
    st.builds(lambda d: [{"day": d, "counts": {}}],
              st.text(max_size=12).filter(lambda t: not t[:1].isdigit())),
    st.just([{"day": "2026-02-30", "counts": {}}]),
    st.just([{"day": "2026-12-02", "counts": {}, "who": "Camille"}]),
    st.builds(lambda key: [{"day": "2026-12-02", "counts": {key: 1}}],
              st.text(min_size=1).filter(lambda k: not k[:1].islower() or " " in k or "@" in k)),
    st.builds(lambda n: [{"day": "2026-12-02", "counts": {"visits": n}}],
              st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_COUNT + 1),
                        st.text(), st.booleans(), st.floats(0.1, 0.9), st.none())),
    st.just([{"day": "2026-12-02",
              "counts": {f"k.n{i}": 1 for i in range(MAX_KEYS_PER_DAY + 1)}}]),
)


@given(GOOD_DAYS)
def test_any_well_formed_statistics_are_accepted_as_sent(days) -> None:
    checked = check_heartbeat(heartbeat(days))
    assert [d.to_dict() for d in checked.statistics] == [
        {"day": d["day"], "counts": dict(sorted(d["counts"].items()))} for d in days]


@given(HOSTILE)
def test_hostile_statistics_are_refused_with_a_named_error(statistics) -> None:
    with pytest.raises(BodyError) as refusal:
        check_heartbeat(heartbeat(statistics))
    assert refusal.value.code == "invalid_statistics"


def stored(receiver: RunningReceiver) -> list[StatisticsRow]:
    store = ReceiverStore(receiver.db)
    try:
        return store.statistics_rows()
    finally:
        store.close()


def test_a_day_sent_again_replaces_what_was_stored(receiver: RunningReceiver) -> None:
    first = [{"day": "2026-12-01", "counts": {"visits": 3}},
             {"day": "2026-12-02", "counts": {"visits": 1, "audio": 1}}]
    answer = beat(receiver, heartbeat(first))
    assert answer.status_code == 200
    assert answer.json()["statistics_stored"] == ["2026-12-01", "2026-12-02"]
    again = [{"day": "2026-12-02", "counts": {"visits": 2}}]  # the whole day, as it is now
    assert beat(receiver, heartbeat(again)).json()["statistics_stored"] == ["2026-12-02"]
    assert beat(receiver, heartbeat(again)).status_code == 200  # a repeat changes nothing
    terminal = receiver.terminal_id
    assert stored(receiver) == [StatisticsRow("2026-12-01", terminal, "visits", 3),
                                StatisticsRow("2026-12-02", terminal, "visits", 2)]


def beats(receiver: RunningReceiver) -> list[tuple[object, ...]]:
    with sqlite3.connect(receiver.db) as db:
        return db.execute("SELECT * FROM heartbeats").fetchall()


def test_a_hostile_heartbeat_stores_nothing_at_all(receiver: RunningReceiver) -> None:
    before = (stored(receiver), beats(receiver))
    hostile = [{"day": "2026-12-03", "counts": {"visits": 1}},
               {"day": "2026-12-04", "counts": {"<script>": 1}}]
    refused = beat(receiver, heartbeat(hostile))
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_statistics")
    assert (stored(receiver), beats(receiver)) == before  # not even the good day


def test_statistics_rows_filter_by_terminal_period_and_prefix(tmp_path) -> None:
    from kiosk.statistics.keys import DayCounts

    store = ReceiverStore(tmp_path / "r.sqlite3")
    store.store_statistics("t1", [DayCounts("2026-11-30", {"visits": 1}),
                                  DayCounts("2026-12-01", {"demarche.rue.sent": 2,
                                                           "demarche.rue-bis.sent": 5})])
    store.store_statistics("t2", [DayCounts("2026-12-01", {"visits": 4})])
    assert [r.count for r in store.statistics_rows(since="2026-12-01")] == [5, 2, 4]
    assert store.statistics_rows(terminal_id="t2") == [
        StatisticsRow("2026-12-01", "t2", "visits", 4)]
    assert store.statistics_rows(until="2026-11-30", prefix="visits") == [
        StatisticsRow("2026-11-30", "t1", "visits", 1)]
    assert [r.key for r in store.statistics_rows(prefix="demarche.rue.")] == [
        "demarche.rue.sent"]
    store.close()
