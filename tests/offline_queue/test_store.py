"""The queue file: states, durability rules, pause, retention, schema."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from offline_queue.errors import DuplicateItem, NotRetryable, SchemaTooNew, UnknownItem
from offline_queue.schema import SCHEMA_VERSION, connect
from offline_queue.store import EXPIRED_REASON, QueueStore, State
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
