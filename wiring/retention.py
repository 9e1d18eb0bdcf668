"""The retention purge on the kiosk's clock: once at start, then every day
(``kiosk.retention``; docs/gdpr.md)."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QObject, QTimer

from kiosk.retention import Retention

_log = logging.getLogger(__name__)
DAY_MS = 24 * 3600 * 1000


class RetentionTimer(QObject):
    """Runs ``retention.purge()`` now and every 24 hours; a failure is logged, and tried
    again the next day."""

    def __init__(self, retention: Retention, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._retention = retention
        self._timer = QTimer(self)
        self._timer.setInterval(DAY_MS)
        self._timer.timeout.connect(self.purge)

    def start(self) -> None:
        self._timer.start()
        self.purge()

    def stop(self) -> None:
        self._timer.stop()

    def purge(self) -> None:
        try:
            self._retention.purge()
        except (sqlite3.Error, OSError) as error:
            _log.error("retention purge failed: %s", type(error).__name__)
