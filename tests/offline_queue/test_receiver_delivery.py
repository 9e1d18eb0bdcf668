"""The queue drained by the real SyncWorker to the real receiver over HTTP."""

from __future__ import annotations

import os
import socket

import pytest

from kiosk.connectors.http_api import HttpApiConnector
from kiosk.receiver.launcher import start_receiver, stop_receiver
from offline_queue.store import QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncWorker
from tests.receiver_process import (
    TERMINAL_ID,
    RunningReceiver,
    all_final,
    running_receiver,
    submission,
    wait_until,
)

FAST = BackoffPolicy(base=0.05, cap=0.3)


@pytest.fixture
def rx(tmp_path) -> RunningReceiver:
    with running_receiver(tmp_path / "rx", "--no-catalog") as started:
        yield started


def test_every_item_is_delivered_once_with_its_payload_and_reference(rx, queue_path, queue_key):
    connector = HttpApiConnector(rx.url, TERMINAL_ID, rx.secret, timeout=5.0)
    sent = {}
    with QueueStore(queue_path, queue_key) as store:
        for n in range(30):
            item_id, reference, payload = submission(n)
            store.enqueue(item_id, reference, "test", payload)
            sent[item_id] = payload
    worker = SyncWorker(queue_path, queue_key, connector, policy=FAST, interval=0.5)
    worker.start()
    try:
        worker.wake()
        wait_until(all_final(queue_path, queue_key), what="all delivered")
    finally:
        worker.stop()
    received = {row.idempotency_key: row for row in rx.submissions()}
    assert {key: row.payload for key, row in received.items()} == sent
    with QueueStore(queue_path, queue_key) as store:
        items = store.items()
    assert {item.state for item in items} == {State.DELIVERED}
    assert {item.id: item.remote_reference for item in items} == {
        key: row.remote_id for key, row in received.items()
    }
    assert all(item.attempts == 1 and not item.has_payload for item in items)


def test_items_wait_while_the_back_office_is_away_and_go_when_it_returns(
    tmp_path, queue_path, queue_key
):
    with socket.socket() as probe:  # a free port, for a receiver that is not there yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = os.urandom(32)
    connector = HttpApiConnector(f"http://127.0.0.1:{port}", TERMINAL_ID, secret, timeout=2.0)
    worker = SyncWorker(
        queue_path, queue_key, connector,
        policy=BackoffPolicy(base=30.0, cap=60.0), interval=30.0, probe_interval=0.2,
    )
    with QueueStore(queue_path, queue_key) as store:
        for n in range(3):
            item_id, reference, payload = submission(n)
            store.enqueue(item_id, reference, "test", payload)
    worker.start()
    try:
        worker.wake()

        def all_waiting() -> bool:
            with QueueStore(queue_path, queue_key) as store:
                return store.status().counts[State.RETRY_WAIT] == 3

        wait_until(all_waiting, what="items in retry_wait")
        process, _ = start_receiver(tmp_path / "late.sqlite3", {TERMINAL_ID: secret}, port=port)
        try:
            # Backoff alone would wait up to a minute; the network probe brings them out.
            wait_until(all_final(queue_path, queue_key), timeout=20, what="delivered on return")
        finally:
            stop_receiver(process)
    finally:
        worker.stop()
    with QueueStore(queue_path, queue_key) as store:
        assert [item.state for item in store.items()] == [State.DELIVERED] * 3
