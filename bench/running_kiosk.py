"""The kiosk the in-process benches measure: windowed, throwaway data, no back office."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from PySide6.QtWidgets import QApplication

from kiosk.config import BackofficeSection, Config, KioskSection, SpeechSection
from kiosk.secrets import MemoryKeyring
from wiring.app import KioskApp


@contextmanager
def running_kiosk(qt_app: QApplication, speech: SpeechSection | None = None) -> Iterator[KioskApp]:
    """A kiosk shown and set up, in-memory keys, a temporary data directory; shut after."""
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as data:
        config = Config(
            kiosk=KioskSection(fullscreen=False, data_dir=data, watchdog=False, log_level="ERROR"),
            backoffice=BackofficeSection(kind="none"),
            speech=speech or SpeechSection(),
        )
        app = KioskApp(config, qt_app)
        app.show()
        app.complete_setup()
        try:
            yield app
        finally:
            app.shutdown()
