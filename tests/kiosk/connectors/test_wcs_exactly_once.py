"""Exactly once over w.c.s., which has no idempotency: the real queue (SQLite file, the
attempt code the sync worker runs, and the worker itself) drains through WcsConnector to
the fake w.c.s. while it fails in every way; at the end each submission is one form."""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from offline_queue.attempt import attempt_next
from offline_queue.backoff import BackoffPolicy
from offline_queue.store import QueueStore, State
from offline_queue.sync import SyncWorker
from tests.fakes.wcs_process import RunningWcs, running_wcs
from tests.fakes.wcs_server import LIST_FAULTS
from tests.kiosk.connectors.wcs_support import DEMARCHE, SLUG, VARNAMES, connector, submission
from tests.offline_queue.fakes import FakeClock
from tests.receiver_process import all_final, wait_until

KEY = bytes(range(32))
DEADLINE = 0.4  # seconds: a hang or a trickle costs this much, not more
# Every way a submit can fail, before or after w.c.s. stored the form.
SUBMIT_FAULTS = (
    "refuse", "error", "store-error", "store-drop", "hang", "store-hang", "trickle", "store-stall"
)


@pytest.fixture(scope="module")
def wcs() -> RunningWcs:
    with running_wcs({SLUG: VARNAMES}) as started:
        yield started


def forms_per_uuid(wcs: RunningWcs) -> Counter[str]:
    return Counter(form["data"].get("kiosk_uuid") for form in wcs.stored().get(SLUG, []))


class ExactlyOnce(RuleBasedStateMachine):
    """Submissions enqueued, faults queued on the fake, attempts and crashes in any order."""

    wcs: ClassVar[RunningWcs]

    @initialize()
    def open_queue(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.clock = FakeClock()
        self.store = QueueStore(Path(self.dir.name) / "queue.sqlite3", KEY, clock=self.clock)
        self.connector = connector(self.wcs, deadline=DEADLINE)
        self.policy = BackoffPolicy(1.0, 60.0, random.Random(0))
        self.enqueued: list[str] = []
        self.wcs.faults(clear=True)

    @rule()
    def enqueue(self) -> None:
        sub = submission(len(self.enqueued))
        self.store.enqueue(sub.id, sub.reference, DEMARCHE, sub.to_json())
        self.enqueued.append(sub.id)

    @rule(fault=st.sampled_from(SUBMIT_FAULTS))
    def submit_fails(self, fault: str) -> None:
        self.wcs.faults(submit=[fault])

    @rule(fault=st.sampled_from(sorted(LIST_FAULTS)))
    def look_up_fails(self, fault: str) -> None:
        self.wcs.faults(lookup=[fault])

    @precondition(lambda self: self.enqueued)
    @rule()
    def attempt(self) -> None:
        self._attempt()

    @precondition(lambda self: self.enqueued)
    @rule()
    def crash_after_sending(self) -> None:
        """The process dies between the network call and the record of its outcome; the
        worker that starts next puts the item back (its attempt still counted)."""
        item = self.store.claim_next()
        if item is not None:
            self.connector.deliver(item)
            self.store.recover_sending()

    def _attempt(self) -> None:
        event = attempt_next(self.store, self.connector, self.policy)
        if event is not None and event.kind == "paused":
            self.store.resume()  # a technician enrolled the right key
        self.clock.advance(120.0)  # every retry falls due

    def teardown(self) -> None:
        try:
            self.wcs.faults(clear=True)
            for _ in range(4 * len(self.enqueued) + 4):
                if self.store.status().waiting == 0:
                    break
                self._attempt()
            items = {item.id: item for item in self.store.items()}
            assert {i.state for i in items.values()} <= {State.DELIVERED}
            counts = forms_per_uuid(self.wcs)
            assert {uuid: counts[uuid] for uuid in self.enqueued} == dict.fromkeys(
                self.enqueued, 1
            )
            stored_ids = {f["data"]["kiosk_uuid"]: f["id"] for f in self.wcs.stored()[SLUG]
                          if f["data"]["kiosk_uuid"] in items}
            assert {i: items[i].remote_reference for i in self.enqueued} == stored_ids
        finally:
            self.store.close()
            self.dir.cleanup()


def test_every_submission_is_one_form_whatever_fails(wcs):
    ExactlyOnce.wcs = wcs
    run_state_machine_as_test(
        ExactlyOnce,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_the_sync_worker_delivers_once_through_a_series_of_faults(wcs, tmp_path):
    path = tmp_path / "queue.sqlite3"
    with QueueStore(path, KEY) as store:
        subs = [submission(n) for n in range(6)]
        for sub in subs:
            store.enqueue(sub.id, sub.reference, DEMARCHE, sub.to_json())
    wcs.faults(
        clear=True,
        submit=["store-drop", "store-error", "trickle", "error", "store-hang", "hang"],
        lookup=["error", "drop"],
    )
    worker = SyncWorker(
        path, KEY, connector(wcs, deadline=DEADLINE),
        policy=BackoffPolicy(base=0.05, cap=0.2), interval=0.5,
    )
    worker.start()
    try:
        worker.wake()
        wait_until(all_final(path, KEY), what="all delivered or dead")
    finally:
        worker.stop()
    with QueueStore(path, KEY) as store:
        assert {item.state for item in store.items()} == {State.DELIVERED}
    counts = forms_per_uuid(wcs)
    assert [counts[sub.id] for sub in subs] == [1] * 6
