"""Presses meant for the screen that just left are dropped: a double tap, a key held down.

The receipt's "Terminer" sits where "Envoyer" was: the second tap of a double tap on
"Envoyer" would end the visit before the resident saw the reference. So for
``SETTLE_MS`` after the window shows another screen, or opens or closes an overlay, the
presses of a finger, a mouse or a pen, and the keys that press a button, are dropped
without a word: the new screen is seen (or heard) first, and the next press works.
A key held down never presses twice, at any time. Keys that move the focus or steer
speech always pass, and so do a screen reader's own actions (they are no input events).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ui.keypad import typing_into

SETTLE_MS = 500  # longer than a double tap (about 250 ms), shorter than reading a title

_PRESSES = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def _presses_a_button(event: QKeyEvent) -> bool:
    """Enter, Return, Select, the keypad's 5 (in a box too: it types the highlighted key,
    or a 5 in a box of digits, and a second press of 5 on "Valider" must not type into
    the next question's box); Space unless it types into a text box."""
    key = event.key()
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
        return True
    if key == Qt.Key.Key_5 and event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
        return True
    return key == Qt.Key.Key_Space and not typing_into(QApplication.focusWidget())


class TapGuard(QObject):
    """Application event filter (through the ``InputHub``, before every other filter, so
    that a dropped press neither interrupts speech nor reaches the keypad navigation).

    ``arm()`` is called by the window at every change of what is shown.
    """

    EVENT_TYPES = _PRESSES | {QEvent.Type.KeyPress}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._until = 0.0  # time.monotonic() until which presses are dropped

    def arm(self) -> None:
        self._until = time.monotonic() + SETTLE_MS / 1000

    def settling(self) -> bool:
        """Whether a press now would be dropped (the screen changed a moment ago)."""
        return time.monotonic() < self._until

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            return (
                isinstance(event, QKeyEvent)
                and (event.isAutoRepeat() or self.settling())
                and _presses_a_button(event)
            )
        return kind in _PRESSES and self.settling()
