"""The hidden technician gesture: five taps in the logo corner within three seconds."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

TAPS = 5
WINDOW_SECONDS = 3.0


class CornerTapDetector(QObject):
    """Watches presses on ``window``; emits ``triggered`` after the gesture.

    The corner is the top corner on the side where lines start (the logo's corner):
    top-left in French, top-right in Arabic.

    Signals:
        triggered: the technician gesture was made.
    """

    triggered = Signal()
    EVENT_TYPES = frozenset({QEvent.Type.MouseButtonPress})

    def __init__(
        self,
        window: QWidget,
        corner_px: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._corner_px = corner_px
        self._clock = clock
        self._taps: deque[float] = deque(maxlen=TAPS)
        self._last_press = -1

    def _in_corner(self, point: QPoint) -> bool:
        x = point.x()
        if self._window.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            x = self._window.width() - 1 - x
        return 0 <= x < self._corner_px and 0 <= point.y() < self._corner_px

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            # The application filter sees one press again for each parent it propagates
            # to: count each physical press once, by its timestamp.
            if event.timestamp() == self._last_press:
                return False
            self._last_press = event.timestamp()
            point = self._window.mapFromGlobal(event.globalPosition().toPoint())
            if self._in_corner(point):
                now = self._clock()
                self._taps.append(now)
                if len(self._taps) == TAPS and now - self._taps[0] <= WINDOW_SECONDS:
                    self._taps.clear()
                    self.triggered.emit()
            else:
                self._taps.clear()
        return False
