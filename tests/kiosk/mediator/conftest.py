"""Mediator tests: cheap scrypt (the cost is a parameter stored in each hash); the clock and
journal fixtures are in tests/kiosk/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.audit.journal import Journal
from kiosk.mediator.accounts import MEDIATORS_FILE, MediatorRegistry
from tests.kiosk.conftest import Clock

PIN = "482913"


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # hash_pin stores n in the hash and verify_pin reads it back: same code path, less CPU.
    monkeypatch.setattr("kiosk.security.pin._N", 2**4)


@pytest.fixture
def registry(data_dir: Path, journal: Journal, clock: Clock) -> Iterator[MediatorRegistry]:
    with MediatorRegistry(data_dir / MEDIATORS_FILE, journal, clock) as opened:
        yield opened
