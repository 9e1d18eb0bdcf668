"""The reference receiver as a real subprocess on 127.0.0.1, for tests of any folder,
and helpers for the queue tests that drain to it (items, waiting, worker events).

Use the context manager ``running_receiver(directory, *serve_args)`` anywhere, or the
module-scoped ``receiver`` fixture, imported into a conftest.py::

    from tests.receiver_process import receiver  # noqa: F401  (a fixture)
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import TypeVar

import pytest

from kiosk.connectors.signing import sign_request
from kiosk.receiver.launcher import start_receiver, stop_receiver
from kiosk.receiver.storage import FaultEvent, Heartbeat, ReceiverStore, Submission
from offline_queue.store import QueueStore, State

TERMINAL_ID = "test-terminal-01"
T = TypeVar("T")


@dataclass
class RunningReceiver:
    """A started receiver: its URL, its database, and the one terminal it accepts."""

    url: str
    db: Path | str  # its SQLite file, or its postgresql:// URL
    secret: bytes
    process: Popen[str]
    terminal_id: str = TERMINAL_ID

    def submissions(self) -> list[Submission]:
        """What the receiver stored, read from its database."""
        return self._read(ReceiverStore.submissions)

    def heartbeats(self) -> list[Heartbeat]:
        """The last heartbeat of each terminal, read from its database."""
        return self._read(ReceiverStore.heartbeats)

    def faults(self) -> list[FaultEvent]:
        """The faults it injected, in order."""
        return self._read(ReceiverStore.faults)

    def _read(self, query: Callable[[ReceiverStore], list[T]]) -> list[T]:
        store = ReceiverStore(self.db)
        try:
            return query(store)
        finally:
            store.close()

    def signed_headers(
        self, method: str, path: str, body: bytes = b"", *, now: float | None = None
    ) -> dict[str, str]:
        """Signature headers as the kiosk would send them."""
        return sign_request(self.secret, self.terminal_id, method, path, body, now=now)

    def output(self) -> str:
        """The last lines the receiver printed (for failure messages)."""
        return "\n".join(getattr(self.process, "output_lines", ()))


@contextmanager
def running_receiver(
    directory: Path, *serve_args: str, secret: bytes | None = None,
    terminal_id: str = TERMINAL_ID, database: str | None = None,
) -> Iterator[RunningReceiver]:
    """Start ``kiosk-receiver serve`` on a free port, with ``terminal_id`` enrolled (its
    secret: ``secret``, or a random one); stop it on exit. Its database: a SQLite file in
    ``directory``, or the ``database`` URL (tests/postgres_server.py)."""
    directory.mkdir(parents=True, exist_ok=True)
    secret = secret or os.urandom(32)
    db = directory / "received.sqlite3"
    process, url = start_receiver(db, {terminal_id: secret}, extra_args=serve_args,
                                  database=database)
    try:
        yield RunningReceiver(url, database or db, secret, process, terminal_id)
    finally:
        stop_receiver(process)


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningReceiver]:
    """A well-behaved receiver shared by the tests of one module (use unique keys)."""
    directory = tmp_path_factory.mktemp("receiver")
    catalog = directory / "catalog.json"
    catalog.write_text('{"demarches": []}', encoding="utf-8")
    with running_receiver(directory, "--catalog", str(catalog)) as started:
        yield started


# ---------------------------------------------------------------- queue-side helpers

FINAL_STATES = (State.DELIVERED, State.DEAD)


def submission(n: int, **fields: object) -> tuple[str, str, bytes]:
    """A fresh item id, a reference and its JSON payload."""
    reference = f"TST-{n:04d}"
    body = {"reference": reference, "n": n, "nom": "Jeanne Martin", **fields}
    return str(uuid.uuid4()), reference, json.dumps(body).encode()


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout:.0f} s: {what}")
        time.sleep(0.02)


def all_final(path: Path, key: bytes) -> Callable[[], bool]:
    """A condition: every item of the queue is delivered or dead."""

    def check() -> bool:
        with QueueStore(path, key) as store:
            return all(item.state in FINAL_STATES for item in store.items())

    return check


class Events:
    """Collects SyncWorker events (thread-safe) and signals each kind seen."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self._lock = threading.Lock()
        self._seen: dict[str, threading.Event] = {}

    def __call__(self, event: object) -> None:
        kind = str(getattr(event, "kind", ""))
        with self._lock:
            self.kinds.append(kind)
            self._seen.setdefault(kind, threading.Event()).set()

    def wait_for(self, kind: str, timeout: float = 30.0) -> None:
        with self._lock:
            seen = self._seen.setdefault(kind, threading.Event())
        if not seen.wait(timeout):
            raise AssertionError(f"no {kind!r} event after {timeout:.0f} s: {self.kinds}")
