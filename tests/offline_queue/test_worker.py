"""The sync worker thread, driven by a scripted in-process connector."""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Outcome,
    Outgoing,
    RetryLater,
    Unauthorized,
)
from offline_queue.errors import WorkerAlreadyRunning, WrongKey
from offline_queue.store import EXPIRED_REASON, QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncEvent, SyncWorker
from tests.offline_queue.fakes import FakeClock, ScriptedConnector

WAIT = 10.0  # generous: only reached when the worker is broken


class Events:
    """Collects a worker's events and waits for the ones a test expects."""

    def __init__(self) -> None:
        self.seen: list[SyncEvent] = []
        self._queue: queue.Queue[SyncEvent] = queue.Queue()

    def __call__(self, event: SyncEvent) -> None:
        self._queue.put(event)

    def wait_for(self, kind: str, count: int = 1) -> list[SyncEvent]:
        deadline = time.monotonic() + WAIT
        while sum(e.kind == kind for e in self.seen) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {count} {kind!r} event(s); got {self.kinds()}")
            try:
                self.seen.append(self._queue.get(timeout=left))
            except queue.Empty:
                continue
        return [e for e in self.seen if e.kind == kind]

    def kinds(self) -> list[str]:
        return [e.kind for e in self.seen]


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def make_worker(
    queue_path: Path, queue_key: bytes, events: Events
) -> Iterator[Callable[..., SyncWorker]]:
    started: list[SyncWorker] = []

    def make(connector: ScriptedConnector, **options: object) -> SyncWorker:
        options.setdefault("policy", BackoffPolicy(0.01, 0.05, random.Random(3)))
        options.setdefault("interval", 0.5)
        options.setdefault("probe_interval", 0.05)
        worker = SyncWorker(queue_path, queue_key, connector, on_event=events, **options)  # type: ignore[arg-type]
        worker.start()
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.stop(WAIT)


@pytest.fixture
def gui_store(queue_path: Path, queue_key: bytes) -> Iterator[QueueStore]:
    """The GUI thread's own store, beside the worker's."""
    with QueueStore(queue_path, queue_key) as store:
        yield store


def _enqueue(store: QueueStore, *ids: str) -> None:
    for item_id in ids:
        store.enqueue(item_id, f"REF-{item_id}", "demarche", f"payload {item_id}".encode())


def test_worker_delivers_what_is_enqueued(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    connector = ScriptedConnector()
    _enqueue(gui_store, "a", "b")
    worker = make_worker(connector)
    _enqueue(gui_store, "c")
    worker.wake()

    delivered = events.wait_for("delivered", 3)
    assert sorted(e.item_id or "" for e in delivered) == ["a", "b", "c"]
    assert connector.delivered_ids() == ["a", "b", "c"]  # once each, oldest first
    assert connector.calls[0].payload == b"payload a"
    assert {i.state for i in gui_store.items()} == {State.DELIVERED}
    assert gui_store.get("a").remote_reference == "BO-1"
    events.wait_for("idle")


def test_passing_failures_are_retried_with_retry_after_honoured(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    times: list[float] = []

    class Timed(ScriptedConnector):
        def deliver(self, item: Outgoing) -> Outcome:
            times.append(time.monotonic())
            return super().deliver(item)

    connector = Timed([RetryLater("HTTP 503"), RetryLater("HTTP 429", retry_after=0.3)])
    _enqueue(gui_store, "a")
    make_worker(connector)

    events.wait_for("delivered")
    busy = [kind for kind in events.kinds() if kind != "idle"]  # idle: nothing due now
    assert busy[:3] == ["retry", "retry", "delivered"]
    assert [c.attempt for c in connector.calls] == [1, 2, 3]
    assert {c.item_id for c in connector.calls} == {"a"}  # same idempotency key every time
    assert times[2] - times[1] >= 0.3
    info = gui_store.get("a")
    assert (info.state, info.attempts) == (State.DELIVERED, 3)


def test_a_connector_that_raises_is_a_passing_failure(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    connector = ScriptedConnector([ValueError("Jeanne Dupont, 12 rue des Lilas")])
    _enqueue(gui_store, "a")
    make_worker(connector)

    (retry,) = events.wait_for("retry")
    assert retry.detail is not None
    assert "ValueError" in retry.detail
    assert "Jeanne" not in retry.detail
    events.wait_for("delivered")
    assert gui_store.status().last_error == "connector error: ValueError"


def test_waiting_items_do_not_make_the_worker_spin(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    connector = ScriptedConnector([RetryLater("HTTP 503", retry_after=3600)])
    _enqueue(gui_store, "a")
    worker = make_worker(connector, probe_interval=0.1)
    events.wait_for("retry")
    events.wait_for("idle")
    time.sleep(0.5)  # let it run: it must sleep, not poll the connector
    assert len(connector.calls) == 1
    assert connector.probes <= 7  # about one per probe_interval
    assert worker.running
    assert gui_store.get("a").state is State.RETRY_WAIT


def test_network_coming_back_sends_waiting_items_at_once(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    connector = ScriptedConnector([RetryLater("connection refused")], reachable=False)
    _enqueue(gui_store, "a")
    make_worker(connector, policy=BackoffPolicy(3600, 3600, random.Random(1)))
    events.wait_for("retry")
    deadline = time.monotonic() + WAIT
    while connector.probes < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert connector.probes >= 1
    assert gui_store.get("a").state is State.RETRY_WAIT
    connector.is_reachable = True

    events.wait_for("delivered")  # long before the hour of backoff
    assert len(connector.calls) == 2


def test_unauthorized_pauses_the_queue_until_resume(
    gui_store: QueueStore,
    make_worker: Callable[..., SyncWorker],
    events: Events,
    queue_path: Path,
    queue_key: bytes,
) -> None:
    connector = ScriptedConnector([Unauthorized("HTTP 401")])
    _enqueue(gui_store, "a", "b")
    worker = make_worker(connector)

    (paused,) = events.wait_for("paused")
    assert paused.detail == "HTTP 401"
    time.sleep(0.2)
    assert len(connector.calls) == 1  # the other item was not burned either
    assert [i.state for i in gui_store.items()] == [State.PENDING, State.PENDING]
    assert gui_store.status().paused
    worker.stop(WAIT)

    restarted = make_worker(connector)  # a restart stays paused
    events.wait_for("paused", 2)
    assert len(connector.calls) == 1
    restarted.resume()
    events.wait_for("resumed")
    events.wait_for("delivered", 2)
    assert not gui_store.status().paused


def test_stop_lets_the_attempt_under_way_record_its_outcome(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker]
) -> None:
    release = threading.Event()

    class Slow(ScriptedConnector):
        def deliver(self, item: Outgoing) -> Outcome:
            self.called.set()
            release.wait(WAIT)
            return Delivered("BO-slow")

    connector = Slow()
    _enqueue(gui_store, "a")
    worker = make_worker(connector)
    assert connector.called.wait(WAIT)

    assert worker.stop(timeout=0.05) is False  # the attempt outlasts the timeout
    assert worker.running
    assert gui_store.get("a").state is State.SENDING  # consistent: recovered if we died now
    release.set()
    assert worker.stop(WAIT) is True
    assert not worker.running
    assert gui_store.get("a").state is State.DELIVERED


def test_start_recovers_attempts_interrupted_by_a_crash(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    _enqueue(gui_store, "a")
    assert gui_store.claim_next() is not None  # a previous worker died here
    connector = ScriptedConnector()
    make_worker(connector)

    (recovered,) = events.wait_for("recovered")
    assert recovered.detail == "1 interrupted attempt(s)"
    events.wait_for("delivered")
    assert connector.calls[0].attempt == 2


def test_one_worker_per_queue_file_and_only_with_its_key(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], queue_path: Path
) -> None:
    make_worker(ScriptedConnector())
    with pytest.raises(WorkerAlreadyRunning):
        make_worker(ScriptedConnector())
    other = SyncWorker(queue_path.with_name("other.sqlite3"), b"k" * 32, ScriptedConnector())
    other.start()
    other.stop()
    with pytest.raises(WrongKey):
        SyncWorker(queue_path.with_name("other.sqlite3"), b"x" * 32, ScriptedConnector()).start()


def test_retention_alerts_then_erases(
    queue_path: Path,
    queue_key: bytes,
    make_worker: Callable[..., SyncWorker],
    events: Events,
) -> None:
    clock = FakeClock()
    with QueueStore(queue_path, queue_key, clock=clock) as store:
        _enqueue(store, "old")
        clock.advance(10)
        _enqueue(store, "young")
        store.pause("HTTP 403")  # nothing gets delivered meanwhile
    clock.advance(95)
    worker = make_worker(
        ScriptedConnector(), clock=clock, retention_seconds=100, expiry_warning_seconds=20
    )
    (expired,) = events.wait_for("expired")
    assert (expired.item_id, expired.detail) == ("old", EXPIRED_REASON)
    (expiring,) = events.wait_for("expiring")
    assert expiring.detail is not None
    assert expiring.detail.startswith("1 item(s)")
    worker.stop(WAIT)
    with QueueStore(queue_path, queue_key) as store:
        assert store.get("old").state is State.DEAD
        assert store.get("young").state is State.PENDING


def test_enqueues_racing_the_worker_are_all_delivered_once(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker], events: Events
) -> None:
    connector = ScriptedConnector([RetryLater("HTTP 503")] * 20)
    worker = make_worker(connector)
    ids = [f"item-{n:03d}" for n in range(150)]
    for item_id in ids:  # the GUI thread writes while the worker claims and records
        _enqueue(gui_store, item_id)
        worker.wake()
    events.wait_for("delivered", len(ids))

    delivered = [e.item_id for e in events.seen if e.kind == "delivered"]
    assert sorted(delivered) == ids  # each exactly once
    assert {i.state for i in gui_store.items()} == {State.DELIVERED}
    assert len(connector.calls) == len(ids) + 20


def test_stopping_during_an_attempt_claims_nothing_more(
    gui_store: QueueStore, make_worker: Callable[..., SyncWorker]
) -> None:
    release = threading.Event()

    class Slow(ScriptedConnector):
        def deliver(self, item: Outgoing) -> Outcome:
            self.calls.append(item)
            self.called.set()
            release.wait(WAIT)
            return Delivered("BO-slow")

    connector = Slow()
    _enqueue(gui_store, "a", "b")
    worker = make_worker(connector)
    assert connector.called.wait(WAIT)
    worker.stop(timeout=0.05)  # asked while "a" is on the wire
    release.set()
    worker.stop(WAIT)

    assert connector.delivered_ids() == ["a"]
    assert gui_store.get("a").state is State.DELIVERED
    b = gui_store.get("b")
    assert (b.state, b.attempts) == (State.PENDING, 0)  # not claimed along with a's outcome


def test_an_item_claimed_ahead_is_given_back_when_the_queue_pauses_meanwhile(
    gui_store: QueueStore, queue_path: Path, queue_key: bytes, events: Events
) -> None:
    def pause_after_the_first_delivery(event: SyncEvent) -> None:
        events(event)
        if event.kind == "delivered" and event.item_id == "a":
            # Another writer pauses the queue after "b" was claimed in a's commit.
            with QueueStore(queue_path, queue_key) as other:
                assert other.get("b").state is State.SENDING
                other.pause("maintenance")

    connector = ScriptedConnector()
    _enqueue(gui_store, "a", "b")
    worker = SyncWorker(queue_path, queue_key, connector, interval=0.5,
                        on_event=pause_after_the_first_delivery)
    worker.start()
    try:
        (paused,) = events.wait_for("paused")
        assert paused.detail == "maintenance"
        assert connector.delivered_ids() == ["a"]
        b = gui_store.get("b")
        assert (b.state, b.attempts) == (State.PENDING, 0)
        worker.resume()
        events.wait_for("delivered", 2)
    finally:
        worker.stop(WAIT)
    assert [call.attempt for call in connector.calls] == [1, 1]
    assert [e.kind for e in events.seen].count("error") == 0


def test_items_stored_on_a_clock_far_behind_are_not_erased_when_it_is_set_right(
    queue_path: Path,
    queue_key: bytes,
    make_worker: Callable[..., SyncWorker],
    events: Events,
) -> None:
    """A terminal whose clock read a date 40 days past (a flat RTC battery) stores a
    request, the back office refuses its clock, then NTP sets the clock right: the
    request must not look 40 days old to the 30-day retention."""
    clock = FakeClock()
    connector = ScriptedConnector([ClockRefused("HTTP 401 stale_timestamp", 40 * 86_400.0)] * 2)
    make_worker(connector, clock=clock, interval=0.05)
    with QueueStore(queue_path, queue_key, clock=clock) as store:
        _enqueue(store, "stored-on-the-wrong-clock")
        created = store.get("stored-on-the-wrong-clock").created_at
    events.wait_for("clock")
    clock.advance(40 * 86_400.0)  # NTP: 40 days forward, in one step

    def followed_or_erased() -> bool:
        with QueueStore(queue_path, queue_key, clock=clock) as store:
            item = store.get("stored-on-the-wrong-clock")
        return item.state is State.DEAD or item.created_at != created

    deadline = time.monotonic() + WAIT
    while not followed_or_erased():
        assert time.monotonic() < deadline, "the worker did not look at the clock"
        time.sleep(0.01)
    with QueueStore(queue_path, queue_key, clock=clock) as store:
        item = store.get("stored-on-the-wrong-clock")
    assert item.state is not State.DEAD, item.last_error
    assert item.created_at == pytest.approx(created + 40 * 86_400.0, abs=1.0)
    clock.advance(1.0)  # past the backoff of the last refusal
    events.wait_for("delivered")
    assert "expired" not in events.kinds()
