"""Fixtures that build the real kiosk application with a temporary data directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.config import BackofficeSection, Config, KioskSection
from wiring.app import KioskApp


@pytest.fixture
def make_kiosk(qapp: QApplication, data_dir) -> Iterator[Callable[..., KioskApp]]:
    """Build a windowed kiosk; keyword arguments override [kiosk] keys."""
    built: list[KioskApp] = []

    def build(**kiosk_keys: object) -> KioskApp:
        section = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
        section = section._replace(**kiosk_keys)
        # No back office: nothing may try the network from a UI test.
        app = KioskApp(Config(kiosk=section, backoffice=BackofficeSection(kind="none")), qapp)
        app.show()
        app.complete_setup()
        built.append(app)
        return app

    yield build
    for app in built:
        app.shutdown()
