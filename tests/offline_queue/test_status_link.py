"""The link from a resident's reference to the back office's id: found by reference
without decrypting anything, kept ``link_seconds`` after delivery, then erased by the
worker's housekeeping (no payload is ever kept for it)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from offline_queue.connector import Delivered
from offline_queue.store import QueueStore, State
from offline_queue.sync import SyncWorker
from tests.offline_queue.fakes import FakeClock, ScriptedConnector

DAY = 86_400.0
WAIT = 20.0


def test_an_item_is_found_by_its_reference_without_its_key(
    store: QueueStore, queue_path: Path, clock: FakeClock
) -> None:
    store.enqueue("id-1", "ADM-7K3-Q9P", "signalement-rue", b"secret answers")
    clock.advance(1)
    store.enqueue("id-2", "ADM-7K3-Q9P", "signalement-rue", b"a second one, later")
    found = store.find_reference("ADM-7K3-Q9P")
    assert found is not None
    assert (found.id, found.state, found.has_payload) == ("id-2", State.PENDING, True)
    assert store.find_reference("ADM-222-222") is None
    plan = sqlite3.connect(queue_path).execute(
        "EXPLAIN QUERY PLAN SELECT id FROM items WHERE reference = ? "
        "ORDER BY created_at DESC LIMIT 1", ("x",)
    ).fetchall()
    assert "items_by_reference" in str(plan)


def test_delivered_links_go_after_their_retention_and_nothing_else(
    store: QueueStore, clock: FakeClock
) -> None:
    for item_id in ("old", "recent", "waiting"):
        store.enqueue(item_id, f"ADM-{item_id}", "k", b"payload")
    for _ in range(2):
        assert store.claim_next() is not None
    store.mark_delivered("old", "BO-1")
    clock.advance(50 * DAY)
    store.mark_delivered("recent", "BO-2")
    clock.advance(41 * DAY)
    assert store.purge_delivered(older_than=90 * DAY) == 1
    assert [i.id for i in store.items()] == ["recent", "waiting"]
    recent = store.find_reference("ADM-recent")
    assert recent is not None
    assert (recent.remote_reference, recent.has_payload) == ("BO-2", False)


def test_the_worker_forgets_old_links_in_its_housekeeping(
    queue_path: Path, queue_key: bytes
) -> None:
    clock = FakeClock()
    with QueueStore(queue_path, queue_key, clock=clock) as gui:
        gui.enqueue("id-1", "ADM-7K3-Q9P", "k", b"payload")
        worker = SyncWorker(queue_path, queue_key, ScriptedConnector([Delivered("BO-9")]),
                            clock=clock, interval=0.05, link_seconds=90 * DAY)
        worker.start()
        try:
            deadline = time.monotonic() + WAIT
            while (item := gui.find_reference("ADM-7K3-Q9P")) is None or (
                item.state is not State.DELIVERED
            ):
                assert time.monotonic() < deadline, "never delivered"
                time.sleep(0.02)
            clock.advance(90 * DAY + 1)
            worker.wake()
            while gui.find_reference("ADM-7K3-Q9P") is not None:
                assert time.monotonic() < deadline, "the link outlived its retention"
                time.sleep(0.02)
        finally:
            assert worker.stop(WAIT)


def test_a_back_office_id_given_later_completes_a_delivered_link_only(
    store: QueueStore,
) -> None:
    """An Open311 token resolved later: the delivered item keeps the server's id; an item
    not delivered is left alone (its outcome is the sync thread's to record)."""
    for item_id in ("sent", "waiting"):
        store.enqueue(item_id, f"ADM-{item_id}", "signalement-rue", b"payload")
    assert store.claim_next() is not None
    store.mark_delivered("sent", "token:abc123")
    assert store.complete_remote_reference("sent", "42")
    assert not store.complete_remote_reference("waiting", "43")
    assert [(i.id, i.remote_reference) for i in store.items()] == [
        ("sent", "42"), ("waiting", None)]
