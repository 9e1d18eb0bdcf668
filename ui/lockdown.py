"""Keeps the resident inside the kiosk: no closing, no context menus, no tooltips.

Installed once on the QApplication, so it covers every widget, dialog-free overlay and
future screen without each of them having to remember.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

_BLOCKED_EVENTS = frozenset(
    {
        QEvent.Type.ContextMenu,  # right click and long press
        QEvent.Type.ToolTip,
        QEvent.Type.WhatsThis,
        QEvent.Type.QueryWhatsThis,
        QEvent.Type.StatusTip,
    }
)



@functools.cache
def _close_sequences() -> tuple[QKeySequence, ...]:
    # Built on first use: platform key bindings need a QGuiApplication to exist.
    fixed = (
        QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_F4),
        QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q),
        QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W),
    )
    standard = (
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Close),
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Quit),
    )
    return tuple(s for s in (*fixed, *standard) if not s.isEmpty())


def _is_close_shortcut(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(
        sequence.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
        for sequence in _close_sequences()
    )


class LockdownFilter(QObject):
    """Application-wide event filter that swallows every way out of the kiosk."""

    EVENT_TYPES = _BLOCKED_EVENTS | {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _BLOCKED_EVENTS:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            return _is_close_shortcut(event)
        return False
