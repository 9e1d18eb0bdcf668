"""Fault injection: the real SyncWorker against a receiver that misbehaves in turns.

Every good submission ends delivered exactly once; the ones refused with 422 end dead with
their reason; a 401 pauses the whole queue until resumed; and backoff never spins: each
attempt is accounted for by a fault that asked for it.
"""

from __future__ import annotations

import time

import pytest
import requests

from kiosk.connectors.http_api import HttpApiConnector
from offline_queue.store import QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncWorker
from tests.receiver_process import (
    TERMINAL_ID,
    Events,
    all_final,
    running_receiver,
    submission,
    wait_until,
)

# The first "ok" is for the conflicting key posted by the test itself.
PLAN = "ok,500,ok,429,ok,401,ok,422,ok,hang,ok,reset,ok,lost,ok,503,ok"
RETRYING = {"500", "429", "503", "401", "hang", "reset", "lost"}
GOOD_ITEMS = 12


@pytest.mark.slow
def test_faults_in_turns_end_in_exactly_one_delivery_or_a_reasoned_dead(
    tmp_path, queue_path, queue_key
):
    with running_receiver(
        tmp_path / "rx", "--no-catalog", "--fault-plan", PLAN, "--hang-seconds", "3"
    ) as rx:
        # A key the back office already holds with another payload: a natural 422.
        conflict_id, conflict_ref, first_payload = submission(999)
        headers = {"Idempotency-Key": conflict_id, "Content-Type": "application/json"}
        headers.update(rx.signed_headers("POST", "/v1/submissions", first_payload))
        posted = requests.post(rx.url + "/v1/submissions", data=first_payload, headers=headers,
                               timeout=10)
        assert posted.status_code == 201

        sent = {}
        with QueueStore(queue_path, queue_key) as store:
            for n in range(GOOD_ITEMS):
                item_id, reference, payload = submission(n)
                store.enqueue(item_id, reference, "test", payload)
                sent[item_id] = payload
            store.enqueue(conflict_id, conflict_ref, "test", submission(998)[2])

        events = Events()
        connector = HttpApiConnector(rx.url, TERMINAL_ID, rx.secret, timeout=2.0)
        worker = SyncWorker(
            queue_path, queue_key, connector,
            policy=BackoffPolicy(base=0.05, cap=0.3), interval=0.5, probe_interval=0.2,
            on_event=events,
        )
        worker.start()
        try:
            worker.wake()
            events.wait_for("paused")
            with QueueStore(queue_path, queue_key) as store:
                status = store.status()
                attempts_at_pause = sum(item.attempts for item in store.items())
                assert status.paused
                assert status.paused_reason == "HTTP 401 fault_injected"
            time.sleep(0.5)  # paused: nothing may be sent meanwhile
            with QueueStore(queue_path, queue_key) as store:
                assert store.status().paused
                assert sum(item.attempts for item in store.items()) == attempts_at_pause
            worker.resume()
            wait_until(all_final(queue_path, queue_key), what="every item delivered or dead")
        finally:
            worker.stop()

        faults = rx.faults()
        received = {row.idempotency_key: row for row in rx.submissions()}
        with QueueStore(queue_path, queue_key) as store:
            items = {item.id: item for item in store.items()}
            assert not store.status().paused

    injected = [action for action in PLAN.split(",") if action != "ok"]
    assert [fault.action for fault in faults] == injected  # the whole plan was played
    refused_by_fault = {fault.idempotency_key for fault in faults if fault.action == "422"}
    dead = {item_id for item_id, item in items.items() if item.state is State.DEAD}
    assert dead == refused_by_fault | {conflict_id}
    for item_id in dead:
        reason = items[item_id].last_error or ""
        expected = "fault_injected" if item_id in refused_by_fault else "idempotency_key_reused"
        assert reason == f"HTTP 422 {expected}"
    # Every other item is delivered, exactly once, with the back office's own id for it
    # (the "lost" one included: its retry was answered by a replay of the first answer).
    delivered = {item_id for item_id, item in items.items() if item.state is State.DELIVERED}
    assert delivered == set(sent) - refused_by_fault
    assert set(received) == delivered | {conflict_id}
    for item_id in delivered:
        assert items[item_id].remote_reference == received[item_id].remote_id
        assert received[item_id].payload == sent[item_id]
    assert received[conflict_id].payload == first_payload
    # No spinning: one attempt per item, plus exactly one per fault that asked for a retry.
    retries_asked = sum(1 for action in injected if action in RETRYING)
    assert sum(item.attempts for item in items.values()) == len(items) + retries_asked
