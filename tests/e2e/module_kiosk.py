"""One real kiosk shared by the tests of a module that walk every scene (building one per
scene would take most of the run). Its keys live in an in-memory keyring of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
from PySide6.QtWidgets import QApplication

from kiosk.config import BackofficeSection, Config, KioskSection
from tests.memory_keyring import MemoryKeyring
from wiring.app import KioskApp


def shared_kiosk(qapp: QApplication, data_dir: Path) -> Iterator[KioskApp]:
    """A shown, windowed kiosk without back office; shut down at the end."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # never the real keyring of the machine
    config = Config(
        kiosk=KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False),
        backoffice=BackofficeSection(kind="none"),
    )
    app = KioskApp(config, qapp)
    app.show()
    app.complete_setup()
    app.window.activateWindow()
    try:
        yield app
    finally:
        app.shutdown()
        keyring.set_keyring(previous)
