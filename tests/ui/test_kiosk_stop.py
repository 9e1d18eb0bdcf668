"""The kiosk does not claim a clean stop when its sender still runs."""

from __future__ import annotations

import logging

from kiosk.config import BackofficeSection, Config, KioskSection
from wiring.app import KioskApp


def test_a_kiosk_stopping_with_a_delivery_under_way_says_so(qapp, data_dir, monkeypatch, caplog):
    section = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
    kiosk = KioskApp(Config(kiosk=section, backoffice=BackofficeSection(kind="none")), qapp)
    kiosk.show()
    kiosk.complete_setup()
    stop = kiosk.delivery.stop
    monkeypatch.setattr(kiosk.delivery, "stop", lambda: stop() and False)  # still running
    with caplog.at_level(logging.WARNING, logger="wiring.app"):
        kiosk.shutdown()
    assert "delivery still under way" in caplog.text
