"""The queue file: states, durability rules, pause, retention, schema."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Misconfigured,
    Outgoing,
    RetryLater,
    Unauthorized,
)
from offline_queue.crypto import PayloadCipher
from offline_queue.errors import (
    DuplicateItem,
    NotRetryable,
    PayloadUnreadable,
    SchemaTooNew,
    UnknownItem,
)
from offline_queue.schema import MIGRATIONS, SCHEMA_VERSION, connect
from offline_queue.store import (
    EXPIRED_REASON,
    PAUSE_CONFIGURATION,
    PAUSE_CREDENTIALS,
    QueueStore,
    State,
)
from tests.offline_queue.fakes import FakeClock

DAY = 86_400.0


def _payload(n: int = 1) -> bytes:
    return json.dumps({"data": {"motif": f"demande {n}"}}).encode()


def _sealed(path: Path, item_id: str) -> bytes | None:
    with sqlite3.connect(path) as raw:
        row = raw.execute("SELECT sealed FROM items WHERE id = ?", (item_id,)).fetchone()
    return row[0]


def test_enqueued_item_is_pending_and_shows_no_payload(store: QueueStore) -> None:
    store.enqueue("id-1", "ADM-AAA-111", "etat-civil", _payload())

    (info,) = store.items()
    assert (info.id, info.reference, info.kind) == ("id-1", "ADM-AAA-111", "etat-civil")
    assert info.state is State.PENDING
    assert info.attempts == 0
    assert info.has_payload
    assert "payload" not in info.__dataclass_fields__
    assert store.status().counts[State.PENDING] == 1


def test_enqueue_is_committed_for_another_connection(store: QueueStore, queue_path: Path) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    with sqlite3.connect(queue_path) as other:
        assert other.execute("SELECT state FROM items").fetchall() == [("pending",)]


def test_duplicate_id_is_refused_and_the_first_is_kept(store: QueueStore) -> None:
    store.enqueue("id-1", "R1", "k", b"first")
    with pytest.raises(DuplicateItem):
        store.enqueue("id-1", "R2", "k", b"second")

    assert [i.reference for i in store.items()] == ["R1"]
    claimed = store.claim_next()
    assert claimed is not None
    assert claimed.payload == b"first"


def test_delivery_erases_the_payload_and_keeps_a_tombstone(
    store: QueueStore, queue_path: Path, clock: FakeClock
) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    claimed = store.claim_next()
    assert claimed is not None
    assert (claimed.item_id, claimed.reference, claimed.attempt) == ("id-1", "R1", 1)
    assert store.get("id-1").state is State.SENDING
    clock.advance(5)

    assert store.mark_delivered("id-1", "BO-42")

    info = store.get("id-1")
    assert info.state is State.DELIVERED
    assert info.remote_reference == "BO-42"
    assert not info.has_payload
    assert _sealed(queue_path, "id-1") is None
    assert store.status().last_success_at == clock.now
    assert store.claim_next() is None


def test_outcome_of_an_item_not_sending_is_ignored(store: QueueStore) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    assert not store.mark_delivered("id-1", None)  # never sent: cannot be delivered
    assert store.get("id-1").state is State.PENDING


def test_retry_wait_is_due_only_at_its_time(store: QueueStore, clock: FakeClock) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    assert store.claim_next() is not None
    store.mark_retry("id-1", "HTTP 503", delay=10.0)

    info = store.get("id-1")
    assert info.state is State.RETRY_WAIT
    assert info.next_attempt_at == clock.now + 10.0
    assert info.last_error == "HTTP 503"
    assert store.claim_next() is None
    assert store.next_due_at() == clock.now + 10.0
    clock.advance(10.0)
    again = store.claim_next()
    assert again is not None
    assert again.attempt == 2


def test_rejected_item_is_dead_with_reason_and_can_be_retried(store: QueueStore) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    assert store.claim_next() is not None
    store.mark_dead("id-1", "HTTP 422: champ manquant")

    dead = store.get("id-1")
    assert dead.state is State.DEAD
    assert dead.last_error == "HTTP 422: champ manquant"
    assert dead.has_payload
    assert store.status().last_error == "HTTP 422: champ manquant"

    store.retry("id-1")
    assert store.get("id-1").state is State.PENDING
    assert store.claim_next() is not None


def test_retry_refuses_delivered_sending_and_unknown(store: QueueStore) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    store.enqueue("id-2", "R2", "k", _payload())
    assert store.claim_next() is not None
    with pytest.raises(NotRetryable):
        store.retry("id-1")  # sending
    store.mark_delivered("id-1", None)
    with pytest.raises(NotRetryable):
        store.retry("id-1")
    with pytest.raises(UnknownItem):
        store.retry("nope")
    store.retry("id-2")  # pending: left as it is
    assert store.get("id-2").state is State.PENDING


def test_unauthorized_puts_the_item_back_and_pauses_across_restarts(
    queue_path: Path, queue_key: bytes
) -> None:
    with QueueStore(queue_path, queue_key) as store:
        store.enqueue("id-1", "R1", "k", _payload())
        assert store.claim_next() is not None
        store.mark_unauthorized("id-1", "HTTP 401")
        assert store.get("id-1").state is State.PENDING
        assert store.claim_next() is None

    with QueueStore(queue_path, queue_key) as reopened:
        status = reopened.status()
        assert status.paused
        assert status.paused_reason == "HTTP 401"
        assert reopened.claim_next() is None
        assert reopened.resume()
        assert not reopened.status().paused
        assert reopened.claim_next() is not None


def test_a_refused_clock_retries_the_item_without_pausing_until_a_delivery(
    store: QueueStore, clock: FakeClock
) -> None:
    """A terminal that booted before NTP: the item waits, the queue goes on, the problem
    and the measured skew are recorded until a delivery proves the clock right."""
    store.enqueue("id-1", "R1", "k", _payload())
    assert store.claim_next() is not None
    store.record_outcome("id-1", ClockRefused("HTTP 401 stale_timestamp", 3600.0), delay=5.0)
    item = store.get("id-1")
    assert (item.state, item.next_attempt_at, item.has_payload) == (
        State.RETRY_WAIT, clock() + 5.0, True
    )
    status = store.status()
    assert not status.paused
    assert (status.clock_error, status.clock_error_at, status.clock_skew) == (
        "HTTP 401 stale_timestamp", clock(), 3600.0
    )
    clock.advance(5.0)
    assert store.claim_next() is not None
    store.record_outcome("id-1", Delivered("BO-1"))
    status = store.status()
    assert (status.clock_error, status.clock_error_at, status.clock_skew) == (None, None, None)


def test_a_clock_step_moves_the_times_of_the_items_stored_on_the_old_clock(
    store: QueueStore, clock: FakeClock
) -> None:
    store.enqueue("before", "R0", "k", _payload())
    clock.advance(100.0)
    store.enqueue("wrong-clock", "R1", "k", _payload())
    assert store.claim_next() is not None
    store.record_outcome("before", Delivered("BO-1"))
    assert store.claim_next() is not None
    store.record_outcome("wrong-clock", ClockRefused("HTTP 401 stale_timestamp"), delay=2.0)
    moved_from = store.get("wrong-clock")
    assert store.clock_stepped(clock() - 50.0, clock(), 40 * DAY) == 1  # delivered: not
    moved = store.get("wrong-clock")
    assert (moved.created_at, moved.updated_at, moved.next_attempt_at) == (
        moved_from.created_at + 40 * DAY, moved_from.updated_at + 40 * DAY,
        (moved_from.next_attempt_at or 0) + 40 * DAY,
    )
    assert store.clock_stepped(clock() - 50.0, clock(), 40 * DAY) == 0  # out of the range


def test_retries_planned_on_a_clock_since_set_back_are_made_due(
    store: QueueStore, clock: FakeClock
) -> None:
    """A clock a year ahead, then set right: the retry must not wait a year."""
    for item_id in ("ahead", "on-time"):
        store.enqueue(item_id, item_id, "k", _payload())
    clock.advance(365 * DAY)
    assert store.claim_next() is not None
    store.record_outcome("ahead", RetryLater("HTTP 503", retry_after=120.0), delay=30.0)
    clock.advance(-365 * DAY)
    assert store.claim_next() is not None
    store.record_outcome("on-time", RetryLater("HTTP 503"), delay=30.0)
    clock.advance(-30.0)  # a small step back: nothing to do, the delay is short anyway
    assert store.release_set_back() == 1
    assert store.get("ahead").next_attempt_at == clock()
    assert store.get("on-time").next_attempt_at == clock() + 60.0
    claimed = store.claim_next()
    assert claimed is not None
    assert claimed.item_id == "ahead"
    assert store.release_set_back() == 0


@pytest.mark.parametrize(
    ("outcome", "cause"),
    [(Unauthorized("HTTP 401 bad_signature"), PAUSE_CREDENTIALS),
     (Misconfigured("the back-office URL answers HTTP 404"), PAUSE_CONFIGURATION)],
)
def test_a_pause_says_its_cause_until_resumed(store: QueueStore, outcome, cause) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    assert store.claim_next() is not None
    store.record_outcome("id-1", outcome)
    status = store.status()
    assert (status.paused, status.paused_reason, status.pause_cause) == (
        True, outcome.reason, cause
    )
    assert store.get("id-1").state is State.PENDING
    assert store.resume()
    assert store.status().pause_cause is None
    store.pause("maintenance")
    assert store.status().pause_cause is None


def test_sending_rows_left_by_a_crash_are_recovered(queue_path: Path, queue_key: bytes) -> None:
    crashed = QueueStore(queue_path, queue_key)
    crashed.enqueue("id-1", "R1", "k", b"x")
    assert crashed.claim_next() is not None
    crashed.close()  # the process dies here: no outcome recorded

    with QueueStore(queue_path, queue_key) as store:
        assert store.get("id-1").state is State.SENDING
        assert store.recover_sending() == 1
        info = store.get("id-1")
        assert info.state is State.PENDING
        assert info.attempts == 1
        claimed = store.claim_next()
        assert claimed is not None
        assert claimed.attempt == 2
        assert claimed.payload == b"x"


def test_status_counts_ages_and_oldest(store: QueueStore, clock: FakeClock) -> None:
    assert store.status().oldest_pending_age is None
    store.enqueue("a", "R1", "k", _payload())
    clock.advance(60)
    store.enqueue("b", "R2", "k", _payload())
    store.enqueue("c", "R3", "k", _payload())
    assert store.claim_next() is not None
    store.mark_delivered("a", None)
    clock.advance(40)

    status = store.status()
    assert status.counts == {
        State.PENDING: 2,
        State.SENDING: 0,
        State.DELIVERED: 1,
        State.RETRY_WAIT: 0,
        State.DEAD: 0,
    }
    assert status.waiting == 2
    assert status.oldest_pending_age == 40.0
    assert [i.id for i in store.items(State.PENDING)] == ["b", "c"]


def test_purge_delivered_removes_only_tombstones(store: QueueStore) -> None:
    for n in range(3):
        store.enqueue(f"id-{n}", f"R{n}", "k", _payload(n))
    for _ in range(2):
        item = store.claim_next()
        assert item is not None
        store.mark_delivered(item.item_id, None)

    assert store.purge_delivered() == 2
    assert [i.id for i in store.items()] == ["id-2"]


def test_retention_warns_then_erases_undelivered_payloads(
    queue_path: Path, queue_key: bytes, clock: FakeClock
) -> None:
    with QueueStore(
        queue_path, queue_key, clock=clock, retention_seconds=10 * DAY,
        expiry_warning_seconds=2 * DAY,
    ) as store:
        store.enqueue("old", "R1", "k", _payload())
        clock.advance(1 * DAY)
        store.enqueue("young", "R2", "k", _payload())
        clock.advance(7 * DAY)  # "old" is 8 days old: in the warning window
        status = store.status()
        assert status.expiring_soon == 1
        assert status.next_expiry_at == clock.now + 2 * DAY
        assert store.purge_expired() == []

        clock.advance(2 * DAY)
        (expired,) = store.purge_expired()
        assert expired.id == "old"
        assert expired.state is State.DEAD
        assert expired.last_error == EXPIRED_REASON
        assert _sealed(queue_path, "old") is None
        with pytest.raises(NotRetryable):
            store.retry("old")
        assert store.get("young").state is State.PENDING
        assert store.status().expiring_soon == 1  # "young" is now 9 days old


def test_schema_is_versioned_with_the_queue_pragmas(store: QueueStore, queue_path: Path) -> None:
    conn = connect(queue_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        conn.close()


def test_a_newer_schema_is_refused(queue_path: Path, queue_key: bytes) -> None:
    QueueStore(queue_path, queue_key).close()
    with sqlite3.connect(queue_path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew):
        QueueStore(queue_path, queue_key)


def test_queue_file_is_private(store: QueueStore, queue_path: Path) -> None:
    store.enqueue("id-1", "R1", "k", _payload())
    for path in (queue_path, Path(f"{queue_path}-wal")):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


# ---------------------------------------------------------------- draining: one commit per item


def test_an_outcome_and_the_next_claim_share_one_commit(store: QueueStore) -> None:
    for item_id in ("a", "b", "c"):
        store.enqueue(item_id, f"R-{item_id}", "k", _payload())
    first = store.claim_next()
    assert first is not None

    following = store.record_outcome("a", Delivered("BO-1"), claim_next=True)

    assert isinstance(following, Outgoing)
    assert (following.item_id, following.attempt, following.payload) == ("b", 1, _payload())
    assert store.get("a").state is State.DELIVERED
    assert store.get("a").remote_reference == "BO-1"
    assert store.get("b").state is State.SENDING
    assert store.get("c").state is State.PENDING
    # A refusal of the credentials pauses the queue in that commit: nothing more is claimed.
    assert store.record_outcome("b", Unauthorized("HTTP 401"), claim_next=True) is None
    assert store.get("b").state is State.PENDING
    assert store.get("c").state is State.PENDING
    assert store.status().paused


def test_recording_without_claim_next_claims_nothing(store: QueueStore, clock: FakeClock) -> None:
    store.enqueue("a", "R-a", "k", _payload())
    store.enqueue("b", "R-b", "k", _payload())
    assert store.claim_next() is not None

    assert store.record_outcome("a", RetryLater("HTTP 503", 30.0), delay=5.0) is None

    info = store.get("a")
    assert info.state is State.RETRY_WAIT
    assert info.next_attempt_at == clock.now + 5.0
    assert store.get("b").state is State.PENDING
    assert store.release("a") is False  # not sending


def test_a_corrupted_next_item_goes_dead_in_the_chained_claim(
    store: QueueStore, queue_path: Path
) -> None:
    for item_id in ("a", "bad", "c"):
        store.enqueue(item_id, f"R-{item_id}", "k", _payload())
    with sqlite3.connect(queue_path) as raw:  # each blob is bound to its id
        raw.execute("UPDATE items SET sealed = (SELECT sealed FROM items WHERE id = 'c') "
                    "WHERE id = 'bad'")
    assert store.claim_next() is not None

    following = store.record_outcome("a", Delivered(None), claim_next=True)

    assert isinstance(following, PayloadUnreadable)
    assert following.item_id == "bad"
    assert store.get("bad").state is State.DEAD
    claimed = store.claim_next()
    assert claimed is not None
    assert claimed.item_id == "c"


def test_items_queued_before_the_connection_opened_are_carried_over(
    queue_path: Path, queue_key: bytes
) -> None:
    """The worker opens its own connection at start: what was queued before may have been
    sent by an earlier run whose count of the attempt a power cut undid."""
    gui = QueueStore(queue_path, queue_key)
    gui.enqueue("old", "R-old", "k", b"x")
    with QueueStore(queue_path, queue_key) as worker:
        gui.enqueue("new", "R-new", "k", b"y")
        first, second = worker.claim_next(), worker.claim_next()
    gui.close()
    assert first is not None
    assert second is not None
    assert (first.item_id, first.attempt, first.carried_over) == ("old", 1, True)
    assert (second.item_id, second.attempt, second.carried_over) == ("new", 1, False)


def test_release_gives_a_claimed_item_back_uncounted(store: QueueStore) -> None:
    store.enqueue("a", "R-a", "k", _payload())
    assert store.claim_next() is not None

    assert store.release("a") is True

    info = store.get("a")
    assert (info.state, info.attempts) == (State.PENDING, 0)
    again = store.claim_next()
    assert again is not None
    assert again.attempt == 1


def test_next_due_at_is_now_when_pending_else_the_earliest_retry(
    store: QueueStore, clock: FakeClock
) -> None:
    assert store.next_due_at() is None
    for item_id in ("a", "b"):
        store.enqueue(item_id, f"R-{item_id}", "k", _payload())
    assert store.next_due_at() == clock.now
    for delay in (50.0, 20.0):
        claimed = store.claim_next()
        assert claimed is not None
        store.mark_retry(claimed.item_id, "HTTP 503", delay)
    assert store.next_due_at() == clock.now + 20.0


def _claim_work(store: QueueStore) -> int:
    """SQLite virtual-machine steps of one ``claim_next`` (a measure of work, not of time)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    store._conn.set_progress_handler(count, 1)  # the only way to see SQLite's work
    try:
        assert store.claim_next() is not None
    finally:
        store._conn.set_progress_handler(None, 1)
    return steps


@pytest.mark.parametrize("backlog", ["pending", "retry_wait due", "retry_wait later"])
def test_claim_work_does_not_grow_with_the_queue(
    queue_key: bytes, tmp_path: Path, clock: FakeClock, backlog: str
) -> None:
    """The claim reads the head of an index instead of sorting every waiting item (with
    v1's query, claiming from 400 waiting items took some 30 times the steps of 5)."""
    work = []
    for size in (5, 400):
        with QueueStore(tmp_path / f"{size}.sqlite3", queue_key, clock=clock) as store:
            for n in range(size):
                store.enqueue(f"item-{n:04d}", f"R{n}", "k", _payload(n))
                clock.advance(0.001)
            if backlog != "pending":
                for _ in range(size):
                    claimed = store.claim_next()
                    assert claimed is not None
                    store.mark_retry(claimed.item_id, "HTTP 503", delay=100.0)
                store.enqueue("newest", "RN", "k", _payload())
                if backlog == "retry_wait due":
                    clock.advance(100.0)
            work.append(_claim_work(store))
    small, large = work
    assert large <= small * 1.2, work


def _v1_file(path: Path, key: bytes) -> None:
    """A queue file as the v1 library left it: pending, retry_wait and delivered rows."""
    raw = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](raw)
    raw.execute("PRAGMA user_version = 1")
    cipher = PayloadCipher(key)
    rows = [  # id, state, created_at, next_attempt_at
        ("pending-young", "pending", 300.0, None),
        ("retry-due", "retry_wait", 200.0, 250.0),
        ("retry-later", "retry_wait", 100.0, 5000.0),
    ]
    for item_id, state, created, next_at in rows:
        raw.execute(
            "INSERT INTO items (id, reference, kind, state, attempts, created_at, updated_at, "
            "next_attempt_at, sealed) VALUES (?, ?, 'k', ?, 1, ?, ?, ?, ?)",
            (item_id, f"R-{item_id}", state, created, created, next_at,
             cipher.seal(_payload(), item_id)),
        )
    raw.execute(
        "INSERT INTO items (id, reference, kind, state, created_at, updated_at) "
        "VALUES ('done', 'R-done', 'k', 'delivered', 50.0, 60.0)"
    )
    raw.close()


def test_an_old_version_file_is_migrated(queue_path: Path, queue_key: bytes) -> None:
    _v1_file(queue_path, queue_key)

    with QueueStore(queue_path, queue_key, clock=FakeClock(1000.0)) as store:
        assert [item.id for item in store.items()] == [
            "done", "retry-later", "retry-due", "pending-young",
        ]
        claimed = [store.claim_next() for _ in range(3)]
        assert [c.item_id if c else None for c in claimed] == ["retry-due", "pending-young", None]
        assert store.next_due_at() == 5000.0
    with sqlite3.connect(queue_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {row[0] for row in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )}
        assert indexes == {"items_by_age", "items_retry_due", "items_by_reference"}
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    QueueStore(queue_path, queue_key).close()  # opening a migrated file again is a no-op
