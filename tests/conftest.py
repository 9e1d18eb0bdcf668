"""Test set-up shared by every package: offscreen Qt, an in-memory keyring, temp data dirs."""

from __future__ import annotations

import logging
import os

# Set before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import settings

from kiosk.logging_setup import HANDLER_NAME
from tests.memory_keyring import MemoryKeyring

settings.register_profile("ci", deadline=None, print_blob=True)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets a fresh, empty in-memory keyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def root_logger_restored() -> Iterator[None]:
    """Tests that run ``kiosk ...`` set up the root logger for a process: undo it after.

    Otherwise its handler, bound to that test's captured stderr, is still there when a
    later test logs ("Logging error ... I/O operation on closed file").
    """
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory of the test's own."""
    path = tmp_path / "data"
    path.mkdir()
    return path
