"""Tactile numeric keypad: the whole kiosk without touch or sight (ADA 707 practice).

4 / 6: previous / next control; 8 / 2: up / down (arrow keys); 5: press the control;
0: repeat what was said; . (or ,): help; + / -: louder / quieter; 7 / 9: slower /
faster speech; Enter: press.
Inside a text box every keypad key types as usual (a phone number, a date), and Enter
goes on to the next question, where navigation resumes; in a box of several lines,
where Enter would only start a new line, the keypad's Enter moves to the next control.
Enter or Return of the main keyboard presses the focused button too (Qt only does that
in dialogs, and a resident expects it).
* and / move to the next and previous control from anywhere, a text box included.
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


def typing_into(widget: QWidget | None) -> bool:
    """Whether keys pressed on ``widget`` type text (a digit, a space) rather than act."""
    return isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox)


def _move_focus(focus: QWidget | None, *, forward: bool) -> None:
    """Like Tab / Shift+Tab: through the focused widget, so that a scroll area on the way
    brings the next control into view."""
    if focus is None:
        window = QApplication.activeWindow()
        if window is not None:
            window.focusNextPrevChild(forward)
        return
    key, modifier = (
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
        if forward
        else (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    )
    QApplication.sendEvent(focus, QKeyEvent(QEvent.Type.KeyPress, key, modifier))


def _press_focused_button(key: Qt.Key, focus: QWidget | None, event: QKeyEvent) -> bool:
    """Enter / Return on a focused button presses it (no modifier, no auto-repeat)."""
    if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or not isinstance(focus, QAbstractButton):
        return False
    if event.modifiers() != Qt.KeyboardModifier.NoModifier or event.isAutoRepeat():
        return False
    focus.click()
    return True


# Out of any box, even one the keypad cannot fill (a name, an e-mail): never trapped
# (EN 301 549 5.1.6.2). * is Tab, / is Shift+Tab; True means forward.
_LEAVE_KEYS = {Qt.Key.Key_Asterisk: True, Qt.Key.Key_Slash: False}


class KeypadNavigation(QObject):
    """Application-wide filter that turns numeric-keypad keys into navigation.

    Signals:
        repeat_requested, help_requested, louder_requested, quieter_requested,
        slower_requested, faster_requested.
    """

    EVENT_TYPES = frozenset({QEvent.Type.KeyPress})
    repeat_requested = Signal()
    help_requested = Signal()
    louder_requested = Signal()
    slower_requested = Signal()
    faster_requested = Signal()
    quieter_requested = Signal()
    used = Signal()  # a key of the keypad reached the focused widget (anonymous statistics)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        if watched is not focus:
            # The same key also passes here on its way to the window, and again for each
            # parent when the focused widget ignores it (a box ignores Enter after using
            # it to go on): only the focused widget's own event is acted on, once.
            return False
        key = Qt.Key(event.key())
        if not event.modifiers() & Qt.KeyboardModifier.KeypadModifier:
            return _press_focused_button(key, focus, event)
        self.used.emit()
        leaving = _LEAVE_KEYS.get(key)
        if leaving is None and isinstance(focus, QPlainTextEdit) and key == Qt.Key.Key_Enter:
            leaving = True  # in a box of lines, Enter would only start a new line
        if leaving is not None:
            _move_focus(focus, forward=leaving)
            return True
        if typing_into(focus):
            return False
        return self._act(key, focus)

    def _act(self, key: Qt.Key, focus: QWidget | None) -> bool:
        if key in (Qt.Key.Key_4, Qt.Key.Key_6):
            _move_focus(focus, forward=key == Qt.Key.Key_6)
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
        elif key == Qt.Key.Key_7:
            self.slower_requested.emit()
        elif key == Qt.Key.Key_9:
            self.faster_requested.emit()
        else:
            return False
        return True
