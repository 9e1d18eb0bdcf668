"""The Qt side of headphone detection: a ``HeadphoneJack``'s changes as a signal.

The jack calls back from its own thread (``accessibility.headphones``); ``changed`` is
emitted from there and Qt queues it to the receivers' thread, the GUI's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from accessibility.headphones import HeadphoneJack


class HeadphoneWatcher(QObject):
    """Signals:
    changed(bool): headphones were plugged in (True) or pulled out (False).
    """

    changed = Signal(bool)

    def __init__(self, jack: HeadphoneJack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jack = jack
        self.detecting = False

    @property
    def plugged(self) -> bool:
        return self.detecting and self._jack.plugged

    def start(self) -> bool:
        """Watch the jack; False when this terminal cannot detect headphones."""
        self.detecting = self._jack.start(self.changed.emit)
        return self.detecting

    def stop(self) -> None:
        self._jack.stop()
        self.detecting = False
