"""Property test of the queue's state machine: the store driven by the real attempt code
and a connector whose answers hypothesis scripts, checked against a model after every step.

Attempts come both alone (``attempt_next``) and chained as the sync worker drains
(``attempt`` recording an outcome and claiming the next item in one commit; the item
claimed ahead is sent by the next chained attempt, given back, or left by a crash)."""

from __future__ import annotations

import random
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from offline_queue.attempt import attempt, attempt_next
from offline_queue.backoff import BackoffPolicy
from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Misconfigured,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from offline_queue.errors import DuplicateItem, NotRetryable, UnknownItem
from offline_queue.store import CLOCK_SET_BACK_MARGIN, QueueStore, State
from tests.offline_queue.fakes import FakeClock, ScriptedConnector

KEY = bytes(range(32))
# The machine checks logic, not durability: on tmpfs, fsync costs nothing.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None

outcomes = st.one_of(
    st.builds(Delivered, st.none() | st.just("BO-1")),
    st.builds(RetryLater, st.just("HTTP 503"), st.none() | st.floats(0.0, 120.0)),
    st.builds(Rejected, st.just("HTTP 422")),
    st.builds(ClockRefused, st.just("HTTP 401 stale_timestamp"), st.none() | st.floats(-1e9, 1e9)),
    st.builds(Unauthorized, st.just("HTTP 401")),
    st.builds(Misconfigured, st.just("the back-office URL answers HTTP 404")),
    st.just(RuntimeError("connector bug")),
)


class QueueMachine(RuleBasedStateMachine):
    """Model: item id -> expected state. Transitions follow docs/offline-queue.md."""

    @initialize()
    def open_queue(self) -> None:
        self.dir = tempfile.TemporaryDirectory(dir=SCRATCH)
        self.path = Path(self.dir.name) / "queue.sqlite3"
        self.clock = FakeClock()
        self.store = QueueStore(self.path, KEY, clock=self.clock)
        self.connector = ScriptedConnector()
        self.policy = BackoffPolicy(1.0, 60.0, random.Random(0))
        self.model: dict[str, State] = {}
        self.payloads: dict[str, bytes] = {}
        self.created: dict[str, float] = {}
        self.ever: list[str] = []  # every id enqueued, purged ones included
        self.paused = False
        self.clock_error: str | None = None  # a refused clock, until a delivery
        self.counter = 0
        self.ahead: Outgoing | None = None  # claimed by the last chained attempt

    def teardown(self) -> None:
        self.store.close()
        self.dir.cleanup()

    # ---------------------------------------------------------------- rules

    def _pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(self.ever), label="item")

    @rule(payload=st.binary(max_size=64))
    def enqueue(self, payload: bytes) -> None:
        self.counter += 1
        item_id = f"item-{self.counter}"
        self.store.enqueue(item_id, f"R{self.counter}", "demarche", payload)
        self.model[item_id] = State.PENDING
        self.payloads[item_id] = payload
        self.created[item_id] = self.clock()
        self.ever.append(item_id)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def enqueue_again(self, data: st.DataObject) -> None:
        item_id = data.draw(st.sampled_from(sorted(self.model)), label="item")
        before = self.store.get(item_id)
        try:
            self.store.enqueue(item_id, "other", "other", b"other")
        except DuplicateItem:
            pass
        else:
            raise AssertionError("a duplicate id was accepted")
        assert self.store.get(item_id) == before

    @rule(outcome=outcomes)
    def attempt(self, outcome: Outcome | Exception) -> None:
        due = self._due()
        self.connector.script.append(outcome)
        event = attempt_next(self.store, self.connector, self.policy)
        if self.paused or not due:
            assert event is None
            self.connector.script.pop()
            return
        item_id = self._oldest(due)
        assert event is not None
        assert event.item_id == item_id
        self._answered(item_id, outcome)

    def _oldest(self, ids: list[str]) -> str:
        return min(ids, key=lambda i: (self.created[i], i))

    def _answered(self, item_id: str, outcome: Outcome | Exception) -> None:
        """The model after the connector answered ``outcome`` for ``item_id``."""
        assert self.connector.calls[-1].item_id == item_id
        assert self.connector.calls[-1].payload == self.payloads[item_id]
        if isinstance(outcome, Delivered):
            self.model[item_id] = State.DELIVERED
            self.clock_error = None
        elif isinstance(outcome, Rejected):
            self.model[item_id] = State.DEAD
        elif isinstance(outcome, Unauthorized | Misconfigured):
            self.model[item_id] = State.PENDING
            self.paused = True
        else:  # RetryLater, ClockRefused (the queue goes on), or a connector that raised
            self.model[item_id] = State.RETRY_WAIT
            if isinstance(outcome, ClockRefused):
                self.clock_error = outcome.reason
        assert self.store.get(item_id).state is self.model[item_id]

    @rule(outcome=outcomes, go_on=st.booleans())
    def chained_attempt(self, outcome: Outcome | Exception, go_on: bool) -> None:
        """As the worker drains: the item claimed ahead (or the oldest due one) is sent,
        its outcome recorded and, unless stopping, the next one claimed in that commit."""
        ahead, self.ahead = self.ahead, None
        due = self._due()
        if ahead is None and (self.paused or not due):
            assert attempt(self.store, self.connector, self.policy).event is None
            return
        item_id = ahead.item_id if ahead is not None else self._oldest(due)
        self.connector.script.append(outcome)
        done = attempt(self.store, self.connector, self.policy, ahead, claim_next=lambda: go_on)
        assert done.event is not None
        assert done.event.item_id == item_id
        self._answered(item_id, outcome)
        # What was due once the outcome was in (a claimed item is `sending` by now).
        candidates = self._due()
        if isinstance(done.claimed, Outgoing):
            candidates.append(done.claimed.item_id)
        if not (go_on and not self.paused and candidates):
            assert done.claimed is None
            return
        assert isinstance(done.claimed, Outgoing)
        claimed = done.claimed.item_id
        assert claimed == self._oldest(candidates)
        assert self.model[claimed] in (State.PENDING, State.RETRY_WAIT)
        assert done.claimed.payload == self.payloads[claimed]
        assert done.claimed.attempt == self.store.get(claimed).attempts
        self.model[claimed] = State.SENDING
        self.ahead = done.claimed

    @precondition(lambda self: self.ahead is not None)
    @rule()
    def give_back(self) -> None:
        """The worker stops (or finds the queue paused) with an item claimed ahead."""
        assert self.ahead is not None
        item_id, attempts = self.ahead.item_id, self.ahead.attempt
        self.ahead = None
        assert self.store.release(item_id)
        self.model[item_id] = State.PENDING
        assert self.store.get(item_id).attempts == attempts - 1

    @rule(seconds=st.floats(0.0, 300.0))
    def time_passes(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(seconds=st.floats(0.0, 7200.0))
    def clock_set_back(self, seconds: float) -> None:
        """NTP corrects a clock that was ahead; the worker's housekeeping follows."""
        self.clock.advance(-seconds)
        now = self.clock()
        self.store.release_set_back()
        for info in self.store.items(State.RETRY_WAIT):
            assert info.updated_at <= now + CLOCK_SET_BACK_MARGIN
            assert info.next_attempt_at is not None
            # No retry planned further than its delay: the cap (60 s) or a Retry-After.
            assert info.next_attempt_at <= info.updated_at + 120.0

    @precondition(lambda self: self.ever)
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        item_id = self._pick(data)
        state = self.model.get(item_id)
        try:
            self.store.retry(item_id)
        except UnknownItem:
            assert state is None  # purged tombstone
            return
        except NotRetryable:
            assert state in (State.DELIVERED, State.SENDING)
            return
        assert state is not State.DELIVERED
        self.model[item_id] = State.PENDING

    @precondition(lambda self: self.paused)
    @rule()
    def resume(self) -> None:
        assert self.store.resume()
        self.paused = False

    @rule()
    def crash_during_an_attempt(self) -> None:
        """Claim an item, then die before any outcome; the next start recovers it."""
        claimed = self.store.claim_next()
        self.store.close()
        self.store = QueueStore(self.path, KEY, clock=self.clock)
        interrupted = [item.item_id for item in (claimed, self.ahead) if item is not None]
        self.ahead = None
        for item_id in interrupted:
            assert self.store.get(item_id).state is State.SENDING
            self.model[item_id] = State.PENDING
        assert self.store.recover_sending() == len(interrupted)

    @rule()
    def purge_delivered(self) -> None:
        delivered = {i for i, s in self.model.items() if s is State.DELIVERED}
        assert self.store.purge_delivered() == len(delivered)
        for gone in delivered:
            del self.model[gone]

    # ---------------------------------------------------------------- invariants

    def _due(self) -> list[str]:
        now = self.clock()
        return [
            info.id
            for info in self.store.items()
            if info.state is State.PENDING
            or (info.state is State.RETRY_WAIT and (info.next_attempt_at or 0) <= now)
        ]

    @invariant()
    def store_matches_the_model(self) -> None:
        items = {info.id: info for info in self.store.items()}
        assert {i: info.state for i, info in items.items()} == self.model
        status = self.store.status()
        for state in State:
            assert status.counts[state] == sum(1 for s in self.model.values() if s is state)
        assert status.paused is self.paused
        assert status.clock_error == self.clock_error
        for info in items.values():
            assert info.has_payload is (info.state is not State.DELIVERED)
            if info.state is State.DEAD:
                assert info.last_error
            if info.state is State.RETRY_WAIT:
                assert info.next_attempt_at is not None
            if info.state is State.SENDING:  # nothing stays half-sent...
                assert self.ahead is not None  # ...but the item claimed ahead
                assert info.id == self.ahead.item_id

    @invariant()
    def no_payload_of_a_delivered_item_on_disk(self) -> None:
        with sqlite3.connect(self.path) as raw:
            rows = raw.execute(
                "SELECT COUNT(*) FROM items WHERE state = 'delivered' AND sealed IS NOT NULL"
            ).fetchone()
        assert rows[0] == 0


QueueMachine.TestCase.settings = settings(max_examples=120, stateful_step_count=40, deadline=None)
TestQueueMachine = QueueMachine.TestCase
