"""Touch and confirm (explore by touch), as EZ Access kiosks do.

A mode the resident turns on ("Toucher pour entendre" on the welcome screen, or the
keypad's 3): then the first touch on a control never acts. It says what is under the
finger (the ``explored`` signal; the application speaks it) and outlines it; a second
tap on the same control, or the keypad's select key (5 or Enter), acts. A touch on
another control or a text explores that one instead. The explored control is forgotten
when it acts, when the focus moves (a new screen, a panel, the keypad's arrows) and at
any other key: a confirmation always follows a touch of the resident, on what is shown.

One application-wide filter (through the ``InputHub``) covers every screen, panel, the
on-screen keyboard and the PIN pads, present and future, without each widget knowing.
Presses on what is neither a control nor a text (the background, a scroll bar) pass, so
that a scroll area can still be dragged. The mode ends with the visit (``wipe``).
"""

from __future__ import annotations

from typing import TypeGuard

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWindow
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ui.keypad import typing_into

# The dynamic property that outlines the explored control (ui.style draws it).
EXPLORED_PROPERTY = "explored"
# The keypad key that turns the mode on and off (the others: ui.keypad).
TOGGLE_KEY = Qt.Key.Key_3
_CONFIRM_KEYS = frozenset({Qt.Key.Key_5, Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Select})
_PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick})
_FOLLOWING = frozenset({QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease})
_CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractSpinBox)


def explorable(widget: QWidget) -> QWidget | None:
    """What a touch on ``widget`` explores: the control it belongs to (a button, a tile, a
    keyboard key, a text box), else a text (a label), else nothing (a scroll bar, the
    background)."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, _CONTROLS):
            return current
        if isinstance(current, QAbstractSlider):
            return None
        current = None if current.isWindow() else current.parentWidget()
    if isinstance(widget, QLabel) and (widget.accessibleName() or widget.text()):
        return widget
    return None


def _widget_at(window: QWindow, event: QMouseEvent) -> QWidget | None:
    """The widget of ``window`` under the pointer (the one Qt will give the press to)."""
    for top in QApplication.topLevelWidgets():
        if top.windowHandle() is window:
            point = event.position().toPoint()
            return top.childAt(point) or (top if top.rect().contains(point) else None)
    return None


def _set_outline(widget: QWidget, on: bool) -> None:
    widget.setProperty(EXPLORED_PROPERTY, on)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _can_confirm(widget: QWidget | None) -> TypeGuard[QWidget]:
    """Whether a confirmation acts on ``widget``: a shown, enabled control (not a text)."""
    return isinstance(widget, _CONTROLS) and widget.isVisible() and widget.isEnabled()


def confirm(widget: QWidget) -> None:
    """Act on an explored control, as a tap on it would: press a button, enter a box."""
    if isinstance(widget, QAbstractButton):
        widget.click()
    elif isinstance(widget, _CONTROLS):
        widget.setFocus(Qt.FocusReason.MouseFocusReason)


class TouchExplorer(QObject):
    """Application event filter of touch-and-confirm; inactive until ``set_active``.

    Installed after the idle watch and the technician gesture (which count every touch)
    and before the keypad navigation (so that 5 confirms what was touched).

    Signals:
        explored(QWidget): the first touch on this control or text: say what it is.
        active_changed(bool): the mode was turned on or off.
    """

    EVENT_TYPES = _PRESSES | _FOLLOWING | {QEvent.Type.KeyPress}
    explored = Signal(QWidget)
    active_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False
        self._explored: QWidget | None = None
        self._swallowing = False  # a press was kept from its widget: so are its moves
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self.forget()
        self._swallowing = False
        self.active_changed.emit(on)

    def toggle(self) -> None:
        self.set_active(not self._active)

    def wipe(self) -> None:
        """The end of a visit: the next resident starts without the mode."""
        self.set_active(False)

    def explored_widget(self) -> QWidget | None:
        """The control or text touched once and not yet confirmed, if any."""
        widget = self._explored
        if widget is not None and not shiboken6.isValid(widget):
            self._explored = None
        return self._explored

    def forget(self) -> None:
        widget = self.explored_widget()
        self._explored = None
        if widget is not None:
            _set_outline(widget, False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent):
            return self._key(watched, event)
        if not self._active or not isinstance(watched, QWindow):
            # A press is judged where it enters, at the window: before Qt gives the focus
            # to what is under the finger (which would open the keyboard of a text box).
            return False
        if event.type() in _FOLLOWING:
            swallowed = self._swallowing
            if event.type() == QEvent.Type.MouseButtonRelease:
                self._swallowing = False
            return swallowed
        if not isinstance(event, QMouseEvent):
            return False
        under = _widget_at(watched, event)
        self._swallowing = under is not None and self._press(under)
        return self._swallowing

    def _press(self, widget: QWidget) -> bool:
        """Whether this press is kept from the widget (True: it explores)."""
        target = explorable(widget)
        if target is None:
            return False
        if target is self.explored_widget() and not isinstance(target, QLabel):
            self.forget()  # the second tap: it acts, as any tap does
            return False
        self.explore(target)
        return True

    def explore(self, target: QWidget) -> None:
        """Make ``target`` the explored control: outlined, and said (a touch on it)."""
        self.forget()
        self._explored = target
        _set_outline(target, True)
        self.explored.emit(target)

    def _key(self, watched: QObject, event: QKeyEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or event.isAutoRepeat():
            return False
        if watched is not (QApplication.focusWidget() or QApplication.activeWindow()):
            return False  # the same key on its way to the window, or to a parent
        key = event.key()
        keypad = bool(event.modifiers() & Qt.KeyboardModifier.KeypadModifier)
        if key == TOGGLE_KEY and keypad and not typing_into(QApplication.focusWidget()):
            self.toggle()
            return True
        target = self.explored_widget()
        self.forget()  # any key: what was touched is no longer what the resident means
        confirming = key in _CONFIRM_KEYS and (keypad or key == Qt.Key.Key_Select)
        if not (self._active and confirming and _can_confirm(target)):
            return False
        confirm(target)
        return True

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not self._explored:
            self.forget()
