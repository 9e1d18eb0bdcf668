"""Test doubles for the offline queue: a settable clock and a scripted connector."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from offline_queue.connector import Delivered, Outcome, Outgoing


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ScriptedConnector:
    """Answers each ``deliver`` with the next scripted outcome (or an exception to raise);
    once the script is empty it answers ``Delivered``. Thread-safe; records every call."""

    def __init__(self, outcomes: Iterable[Outcome | Exception] = (), reachable: bool = True):
        self.script: deque[Outcome | Exception] = deque(outcomes)
        self.calls: list[Outgoing] = []
        self.is_reachable = reachable
        self.probes = 0
        self._lock = threading.Lock()
        self.called = threading.Event()

    def deliver(self, item: Outgoing) -> Outcome:
        with self._lock:
            self.calls.append(item)
            step = self.script.popleft() if self.script else Delivered(f"BO-{len(self.calls)}")
        self.called.set()
        if isinstance(step, Exception):
            raise step
        return step

    def reachable(self) -> bool:
        with self._lock:
            self.probes += 1
        return self.is_reachable

    def delivered_ids(self) -> list[str]:
        return [call.item_id for call in self.calls]
