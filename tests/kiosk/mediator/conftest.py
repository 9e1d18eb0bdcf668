"""Mediator tests: cheap scrypt (the cost is a parameter stored in each hash), fixed clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.mediator.accounts import MEDIATORS_FILE, MediatorRegistry

PIN = "482913"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # hash_pin stores n in the hash and verify_pin reads it back: same code path, less CPU.
    monkeypatch.setattr("kiosk.security.pin._N", 2**4)


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


@pytest.fixture
def registry(data_dir: Path, journal: Journal, clock: Clock) -> Iterator[MediatorRegistry]:
    with MediatorRegistry(data_dir / MEDIATORS_FILE, journal, clock) as opened:
        yield opened
