"""A wrong clock and a wrong URL, against real servers in subprocesses: neither stops
deliveries for good nor burns an item.

- The terminal's clock an hour behind (it booted before NTP set it), or ahead: the
  reference receiver answers 401 ``stale_timestamp``; the items are retried with backoff,
  the queue is not paused, the skew is recorded; once the clock is right they are
  delivered (also when setting it right moved the clock back, past their retry time).
- A URL that leads to a web page or to the wrong path: the queue pauses with a reason
  that names the setting to check; no item goes ``dead``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.connectors.http_api import HttpApiConnector
from offline_queue.store import PAUSE_CONFIGURATION, QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncWorker
from tests.receiver_process import (
    TERMINAL_ID,
    Events,
    RunningReceiver,
    all_final,
    running_receiver,
    submission,
    wait_until,
)
from tests.web_page_process import running_web_page

FAST = BackoffPolicy(base=0.05, cap=0.3)
HOUR = 3600.0


@pytest.fixture
def rx(tmp_path: Path) -> Iterator[RunningReceiver]:
    with running_receiver(tmp_path / "rx", "--no-catalog") as started:
        yield started


class SettableClock:
    """The terminal's wall clock: the real one, offset until NTP sets it right."""

    def __init__(self, offset: float) -> None:
        self.offset = offset

    def __call__(self) -> float:
        return time.time() + self.offset


def _enqueue(path: Path, key: bytes, count: int, clock: SettableClock | None = None) -> None:
    with QueueStore(path, key, clock=clock or time.time) as store:
        for n in range(count):
            item_id, reference, payload = submission(n)
            store.enqueue(item_id, reference, "test", payload)


def _status(path: Path, key: bytes):
    with QueueStore(path, key) as store:
        return store.status()


@pytest.mark.parametrize(
    "offset", [-HOUR, HOUR, -40 * 24 * HOUR], ids=["behind", "ahead", "40-days-behind"]
)
def test_a_clock_an_hour_off_is_retried_not_paused_and_delivered_once_set_right(
    rx, queue_path, queue_key, offset
):
    clock = SettableClock(offset)
    connector = HttpApiConnector(rx.url, TERMINAL_ID, rx.secret, timeout=5.0, clock=clock)
    events = Events()
    worker = SyncWorker(
        queue_path, queue_key, connector, policy=FAST, interval=0.5, clock=clock,
        on_event=events,
    )
    _enqueue(queue_path, queue_key, 2, clock)
    worker.start()
    try:
        worker.wake()
        events.wait_for("clock")

        def retried() -> bool:
            with QueueStore(queue_path, queue_key) as store:
                return all(item.attempts >= 2 for item in store.items())

        wait_until(retried, what="each item refused, then tried again")
        status = _status(queue_path, queue_key)
        assert not status.paused
        assert status.counts[State.DEAD] == 0
        assert status.clock_error == "HTTP 401 stale_timestamp"
        assert status.clock_skew is not None
        assert abs(status.clock_skew + offset) < 10  # the receiver's Date header
        assert rx.submissions() == []

        clock.offset = 0.0  # NTP sets the clock right: an hour forward, or back
        wait_until(all_final(queue_path, queue_key), what="all delivered")
    finally:
        worker.stop()
    with QueueStore(queue_path, queue_key) as store:
        assert {item.state for item in store.items()} == {State.DELIVERED}
        status = store.status()
    assert status.clock_error is None
    assert status.clock_skew is None
    assert len(rx.submissions()) == 2
    assert "paused" not in events.kinds
    assert "dead" not in events.kinds


def _paused_by_a_wrong_url(url: str, queue_path: Path, queue_key: bytes, secret: bytes) -> None:
    connector = HttpApiConnector(url, TERMINAL_ID, secret, timeout=5.0)
    events = Events()
    worker = SyncWorker(queue_path, queue_key, connector, policy=FAST, interval=0.5,
                        on_event=events)
    _enqueue(queue_path, queue_key, 3)
    worker.start()
    try:
        worker.wake()
        events.wait_for("paused")
    finally:
        worker.stop()
    assert "dead" not in events.kinds
    with QueueStore(queue_path, queue_key) as store:
        items = store.items()
        status = store.status()
    assert status.paused
    assert status.pause_cause == PAUSE_CONFIGURATION
    assert status.paused_reason == "the back-office URL answers HTTP 404: check [backoffice] url"
    assert {item.state for item in items} == {State.PENDING}
    assert all(item.has_payload for item in items)


def test_a_url_that_answers_a_404_web_page_pauses_with_the_reason_and_burns_nothing(
    queue_path, queue_key
):
    with running_web_page(404) as url:
        _paused_by_a_wrong_url(url, queue_path, queue_key, bytes(32))


def test_a_wrong_path_to_the_real_receiver_pauses_too(rx, queue_path, queue_key):
    _paused_by_a_wrong_url(rx.url + "/kiosk-api", queue_path, queue_key, rx.secret)
    assert rx.submissions() == []
