"""Fixtures of the kiosk tests that need a wall clock moved by hand, or a keyed journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.audit.journal import AUDIT_FILE, Journal


class Clock:
    """Wall-clock seconds that a test moves by hand."""

    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def journal(data_dir: Path) -> Iterator[Journal]:
    stamp = dt.datetime(2025, 6, 15, 10, 0, tzinfo=dt.UTC)
    with Journal(data_dir / AUDIT_FILE, hmac_key=b"k" * 32, clock=lambda: stamp) as opened:
        yield opened
