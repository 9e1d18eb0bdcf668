"""The machinery of the exactly-once tests of connectors to back offices without
idempotency (w.c.s., Open311): the real queue (SQLite file, the attempt code the sync worker
runs, and the worker itself) drains through the connector to a fake back office while it
fails in every way; at the end each submission is stored once, under the reference the
queue kept."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from kiosk.domain import Submission
from offline_queue.attempt import attempt_next
from offline_queue.backoff import BackoffPolicy
from offline_queue.connector import Connector
from offline_queue.store import QueueStore, State
from offline_queue.sync import SyncWorker
from tests.offline_queue.fakes import FakeClock
from tests.receiver_process import all_final, wait_until

KEY = bytes(range(32))
DEADLINE = 0.4  # seconds: a hang or a trickle costs this much, not more
SETTINGS = settings(
    max_examples=12,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class ExactlyOnce(RuleBasedStateMachine):
    """Submissions enqueued, attempts and crashes in any order; subclasses add the rules
    that queue faults on their fake and say what it stored."""

    demarche: str

    def connector(self) -> Connector:
        raise NotImplementedError

    def submission(self, n: int) -> Submission:
        raise NotImplementedError

    def clear_faults(self) -> None:
        raise NotImplementedError

    def stored(self, subs: Sequence[Submission]) -> dict[str, list[frozenset[str]]]:
        """Submission id -> one entry per record the back office holds for it: the remote
        references that name that record."""
        raise NotImplementedError

    @initialize()
    def open_queue(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.clock = FakeClock()
        self.store = QueueStore(Path(self.dir.name) / "queue.sqlite3", KEY, clock=self.clock)
        self.sender = self.connector()
        self.policy = BackoffPolicy(1.0, 60.0, random.Random(0))
        self.enqueued: list[Submission] = []
        self.clear_faults()

    @rule()
    def enqueue(self) -> None:
        sub = self.submission(len(self.enqueued))
        self.store.enqueue(sub.id, sub.reference, self.demarche, sub.to_json())
        self.enqueued.append(sub)

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
            self.sender.deliver(item)
            self.store.recover_sending()

    @precondition(lambda self: self.enqueued)
    @rule()
    def power_cut_after_sending(self) -> None:
        """The back office stored the item, then the power went: the worker's commits do
        not wait for the disk, so the one that counted the attempt is lost too (the item
        is as before its claim), and the kiosk starts again with a new connection."""
        item = self.store.claim_next()
        if item is not None:
            self.sender.deliver(item)
            self.store.release(item.item_id)  # what the lost commit leaves: not claimed
            self.store.close()
            self.store = QueueStore(
                Path(self.dir.name) / "queue.sqlite3", KEY, clock=self.clock
            )

    def _attempt(self) -> None:
        event = attempt_next(self.store, self.sender, self.policy)
        if event is not None and event.kind == "paused":
            self.store.resume()  # a technician enrolled the right key
        self.clock.advance(120.0)  # every retry falls due

    def teardown(self) -> None:
        try:
            self.clear_faults()
            for _ in range(4 * len(self.enqueued) + 4):
                if self.store.status().waiting == 0:
                    break
                self._attempt()
            items = {item.id: item for item in self.store.items()}
            assert {i.state for i in items.values()} <= {State.DELIVERED}
            stored = self.stored(self.enqueued)
            assert {sub.id: len(stored.get(sub.id, [])) for sub in self.enqueued} == {
                sub.id: 1 for sub in self.enqueued
            }
            for sub in self.enqueued:
                assert items[sub.id].remote_reference in stored[sub.id][0]
        finally:
            self.store.close()
            self.dir.cleanup()


def deliver_with_worker(
    path: Path, connector: Connector, subs: Sequence[Submission], demarche: str
) -> None:
    """Enqueue ``subs``, let a real ``SyncWorker`` drain the queue; check all delivered."""
    with QueueStore(path, KEY) as store:
        for sub in subs:
            store.enqueue(sub.id, sub.reference, demarche, sub.to_json())
    worker = SyncWorker(
        path, KEY, connector, policy=BackoffPolicy(base=0.05, cap=0.2), interval=0.5,
    )
    worker.start()
    try:
        worker.wake()
        wait_until(all_final(path, KEY), what="all delivered or dead")
    finally:
        worker.stop()
    with QueueStore(path, KEY) as store:
        assert {item.state for item in store.items()} == {State.DELIVERED}
