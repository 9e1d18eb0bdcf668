"""Fixtures of the offline queue tests: a data key, a queue file, a store on a fake clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_queue.store import QueueStore
from tests.offline_queue.fakes import FakeClock


@pytest.fixture
def queue_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def queue_path(tmp_path: Path) -> Path:
    return tmp_path / "queue.sqlite3"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(queue_path: Path, queue_key: bytes, clock: FakeClock) -> Iterator[QueueStore]:
    with QueueStore(queue_path, queue_key, clock=clock, retention_seconds=30 * 86_400) as s:
        yield s
