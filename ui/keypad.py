"""Tactile numeric keypad: the whole kiosk without touch or sight (ADA 707 practice).

4 / 6: previous / next control; 8 / 2: up / down (arrow keys); 5: press the control;
0: repeat what was said; . (or ,): help; + / -: louder / quieter; Enter: press.
Inside a text box every keypad key types as usual (a phone number, a date), and Enter
goes on to the next question, where navigation resumes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


def _typing_into(widget: QWidget | None) -> bool:
    return isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox)


class KeypadNavigation(QObject):
    """Application-wide filter that turns numeric-keypad keys into navigation.

    Signals:
        repeat_requested, help_requested, louder_requested, quieter_requested.
    """

    repeat_requested = Signal()
    help_requested = Signal()
    louder_requested = Signal()
    quieter_requested = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        if _typing_into(focus):
            return False
        return self._act(Qt.Key(event.key()), focus)

    def _act(self, key: Qt.Key, focus: QWidget | None) -> bool:
        window = QApplication.activeWindow() or (focus.window() if focus else None)
        if key == Qt.Key.Key_4 and window is not None:
            window.focusNextPrevChild(False)
        elif key == Qt.Key.Key_6 and window is not None:
            window.focusNextPrevChild(True)
        elif key in (Qt.Key.Key_8, Qt.Key.Key_2) and focus is not None:
            arrow = Qt.Key.Key_Up if key == Qt.Key.Key_8 else Qt.Key.Key_Down
            plain = Qt.KeyboardModifier.NoModifier
            QApplication.sendEvent(focus, QKeyEvent(QEvent.Type.KeyPress, arrow, plain))
        elif key in (Qt.Key.Key_5, Qt.Key.Key_Enter) and isinstance(focus, QAbstractButton):
            focus.click()
        elif key == Qt.Key.Key_0:
            self.repeat_requested.emit()
        elif key in (Qt.Key.Key_Period, Qt.Key.Key_Comma):
            self.help_requested.emit()
        elif key == Qt.Key.Key_Plus:
            self.louder_requested.emit()
        elif key == Qt.Key.Key_Minus:
            self.quieter_requested.emit()
        else:
            return False
        return True
