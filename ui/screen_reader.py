"""What a screen reader is told about the kiosk, beyond what Qt's widgets say by themselves.

Orca (over AT-SPI) sees each widget through the accessible interface Qt picks for its
class: a label is static text, a plain widget a nameless "filler", a checkable button a
check box, a label showing a picture an image without a name. The kiosk means more than
that, so a factory (``install``, once per process, before the window is built) answers
first for:

- the kiosk window: a frame (a top-level plain widget would be a filler);
- a title (``Heading``): a heading;
- an error message (``Alert``): an alert, said at once when it appears (``announce``);
- a card over the screen (``ui.overlays.Card``): a dialog, named by its title;
- the options of a question (``OptionGroup``): a panel named by the question, its
  options radio buttons for a choice of one, check boxes otherwise;
- a button drawn with a pictogram and labels inside (``PictogramButton``): one element,
  its name and description; the pictogram and labels are for the eyes, not repeated
  as an unnamed image and labels inside it;
- the QR code (``QrCodeWidget``): an image, named by what it holds.

Qt keeps the first interface it makes for a widget, maybe as soon as the widget is built
(with a screen reader listening), so the choice rests on the widget's class and parent,
known from the start. Nothing here touches PySide's ``Qt`` namespace: the welcome
screen is built with it before READY=1 (docs/development.md).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QLabel, QWidget

Role = QAccessible.Role
Text = QAccessible.Text

_installed = False


def install() -> None:
    """Answer before Qt's own factory for the widgets listed above (idempotent)."""
    global _installed  # noqa: PLW0603 - one factory per process, as Qt keeps them
    if not _installed:
        QAccessible.installFactory(_interface)
        _installed = True


class Heading(QLabel):
    """A title: a screen reader lists it among the headings and can jump to it."""


class Alert(QLabel):
    """A message that something went wrong: an alert, said when it appears (``say``)."""

    def say(self, message: str) -> None:
        """Show ``message`` and have a screen reader say it at once."""
        self.setText(message)
        self.setAccessibleName(message)
        self.show()
        announce(self, message)


class OptionGroup(QWidget):
    """The options answering one question, named by it: a panel a screen reader says
    when the focus enters one of its options.

    A checkable button inside is a radio button when the group is ``exclusive`` (a
    choice of one), a check box otherwise. Only what is said changes: the buttons keep
    their keys and Tab stops (Qt's own radio behaviour, ``autoExclusive``, would take
    the other options out of the Tab order and choose an option as the arrows pass).
    """

    def __init__(self, parent: QWidget | None = None, *, exclusive: bool) -> None:
        super().__init__(parent)
        self.exclusive = exclusive


def announce(widget: QWidget, message: str) -> None:
    """Have a screen reader say ``message`` now, interrupting (an error that appeared)."""
    if not message or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def expose_language(window: QWidget, language: str) -> None:
    """The language on screen, for a screen reader to pick its voice (WCAG 3.1.1).

    AT-SPI gives the application's locale (``QLocale()``) to every element.
    """
    locale = QLocale(language)
    QLocale.setDefault(locale)
    window.setLocale(locale)


class _Labelled(QAccessibleWidget):
    """A label with a role of its own (heading, alert): named by its text."""

    def text(self, t: QAccessible.Text) -> str:
        widget = self.object()
        if t == Text.Name and isinstance(widget, QLabel) and not widget.accessibleName():
            return widget.text()
        return super().text(t)


class _Dialog(QAccessibleWidget):
    """A card over the screen, named by its title unless it has a name of its own."""

    def text(self, t: QAccessible.Text) -> str:
        widget = self.object()
        title = getattr(widget, "title", None)
        if t == Text.Name and isinstance(widget, QWidget) and not widget.accessibleName():
            return title.text() if isinstance(title, QLabel) else ""
        return super().text(t)


class _Button(QAccessibleWidget):
    """A button without parts: its state and actions as Qt gives any button, no children.

    Press clicks it (as a touch does); Toggle, for a checkable one, checks or unchecks.
    """

    def _button(self) -> QAbstractButton:
        button = self.object()
        assert isinstance(button, QAbstractButton)
        return button

    def role(self) -> QAccessible.Role:
        button = self._button()
        if not button.isCheckable():
            return Role.Button
        group = button.parentWidget()
        single = isinstance(group, OptionGroup) and group.exclusive
        return Role.RadioButton if single else Role.CheckBox

    def state(self) -> QAccessible.State:
        state = super().state()
        button = self._button()
        state.checkable = button.isCheckable()
        state.checked = button.isChecked()
        state.pressed = button.isDown()
        return state

    def childCount(self) -> int:
        return 0

    def child(self, index: int) -> QAccessibleInterface | None:
        del index
        return None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        del child
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:
        del x, y
        return None

    def actionNames(self) -> list[str]:
        names = []
        if self._button().isEnabled():
            names.append(QAccessibleActionInterface.pressAction())
            if self._button().isCheckable():
                names.append(QAccessibleActionInterface.toggleAction())
        return [*names, *super().actionNames()]

    def doAction(self, name: str) -> None:
        button = self._button()
        if not button.isEnabled():
            return
        if name == QAccessibleActionInterface.pressAction():
            button.animateClick()
        elif name == QAccessibleActionInterface.toggleAction():
            button.toggle()
        else:
            super().doAction(name)


def _interface(key: str, obj: QObject) -> QAccessibleInterface | None:
    """The kiosk's interface for ``obj``, or None for Qt's own.

    Qt asks with each class name of ``obj``, the most derived first; the kiosk answers
    at the first, from what the widget is.
    """
    if not isinstance(obj, QWidget) or key != obj.metaObject().className():
        return None
    from ui.main_window import KioskWindow
    from ui.overlays import Card
    from ui.widgets.pictogram_button import PictogramButton
    from ui.widgets.qr_code import QrCodeWidget

    interface: QAccessibleInterface | None = None
    if isinstance(obj, KioskWindow):
        interface = QAccessibleWidget(obj, Role.Window)
    elif isinstance(obj, Heading):
        interface = _Labelled(obj, Role.Heading)
    elif isinstance(obj, Alert):
        interface = _Labelled(obj, Role.AlertMessage)
    elif isinstance(obj, Card):
        interface = _Dialog(obj, Role.Dialog)
    elif isinstance(obj, PictogramButton) or (
        isinstance(obj, QAbstractButton) and isinstance(obj.parentWidget(), OptionGroup)
    ):
        interface = _Button(obj)
    elif isinstance(obj, QrCodeWidget):
        interface = QAccessibleWidget(obj, Role.Graphic)
    elif isinstance(obj, OptionGroup):
        interface = QAccessibleWidget(obj, Role.Grouping)
    return interface
