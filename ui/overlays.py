"""Overlays: a card on a darkened window, drawn inside the kiosk window.

An overlay made with ``cover=True`` hides the window entirely instead (the idle
question: whoever walks up must not read the last resident's answers).

A kiosk must not open dialogs (they could escape the window or hide behind it), so every
question asked over a screen is one of these: the idle question, the PIN pads, the
settings, the language choice, the confirmation before "Abandonner".
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _


class Overlay(QWidget):
    """Covers its parent window and centres ``content`` on a darkened backdrop, or with
    ``cover``, on an opaque one in the theme's background colour, the widgets behind it
    hidden (from the eyes and from screen readers) until it closes.

    Signals:
        opened: the overlay is shown (audio mode reads it then).
        closed: the overlay was hidden.
    """

    opened = Signal()
    closed = Signal()

    MARGIN = 24

    def __init__(self, content: QWidget, parent: QWidget, *, cover: bool = False) -> None:
        super().__init__(parent)
        self._cover = cover
        self.setProperty("role", "cover" if cover else "backdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.content = content
        content.setParent(self)
        # Placed by hand, not by a layout: a card of wrapped sentences needs the height
        # for its actual width (heightForWidth), which an aligned layout item ignores.
        content.installEventFilter(self)
        parent.installEventFilter(self)
        self._aside: list[QWidget] = []  # what was disabled or hidden behind the card
        self._opener: QWidget | None = None  # had the focus when the card opened
        self.hide()

    def open(self) -> None:
        focused = QApplication.focusWidget()
        if focused is not None and not self.isAncestorOf(focused):
            self._opener = focused
        self.setGeometry(self.parentWidget().rect())
        self._put_behind_aside()
        self.show()
        self.raise_()
        self.place_content()
        self.content.setFocus(Qt.FocusReason.OtherFocusReason)
        self.opened.emit()

    def place_content(self) -> None:
        """Centre the card at the width it prefers, as tall as its text needs."""
        area = self.rect().adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        card = self.content
        preferred = max(card.minimumWidth(), card.sizeHint().width())
        width = min(area.width(), card.maximumWidth(), preferred)
        height = card.heightForWidth(width) if card.hasHeightForWidth() else -1
        height = min(area.height(), max(height, card.minimumSizeHint().height()))
        x = area.x() + (area.width() - width) // 2
        y = area.y() + (area.height() - height) // 2
        card.setGeometry(x, y, width, height)

    def close_overlay(self) -> None:
        if self.isVisible():
            self.hide()
            for widget in self._aside:
                if self._cover:
                    widget.show()
                else:
                    widget.setEnabled(True)
            self._aside = []
            self._give_focus_back()
            self.closed.emit()

    def _give_focus_back(self) -> None:
        """Back to the control that opened the card (then said in audio mode, like any
        focus move), when it can still take it; never left on a hidden button."""
        opener, self._opener = self._opener, None
        if opener is not None and shiboken6.isValid(opener) and opener.isVisibleTo(self.window()):
            opener.setFocus(Qt.FocusReason.OtherFocusReason)

    def _put_behind_aside(self) -> None:
        """Modal: what is under the backdrop can be neither reached with Tab nor acted on
        while the card is open (EN 301 549 5.1.3.3: speech follows the screen): disabled,
        or with ``cover`` hidden, so that a screen reader cannot read it either. It comes
        back as it was when the card closes."""
        if self._aside:
            return
        for widget in self.parentWidget().findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if widget is self or not widget.isVisible():
                continue
            if self._cover:
                widget.hide()
            elif widget.isEnabled():
                widget.setEnabled(False)
            else:
                continue
            self._aside.append(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.parentWidget() and kind == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self.place_content()
        elif watched is self.content and kind == QEvent.Type.LayoutRequest and self.isVisible():
            self.place_content()  # the card grew or shrank (a message appeared)
        return False


class Card(QFrame):
    """A framed panel with a title, a body and room for buttons."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Wide enough for a sentence on one line; never wider than most screens.
        self.setMinimumWidth(metrics.px(170))
        self.setMaximumWidth(metrics.px(300))
        self.title = QLabel(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout(self)
        margin = metrics.px(8)
        self.body.setContentsMargins(margin, margin, margin, margin)
        self.body.setSpacing(metrics.px(5))
        self.body.addWidget(self.title)


class ChoiceRow(QWidget):
    """Exclusive, checkable choices laid out in a row (text size, theme, language).

    No QButtonGroup: it would take every choice but the chosen one out of the Tab order,
    out of reach of the keypad (4 / 6) and of Tab.

    The chosen one says so in a check mark and a word, not by its colour alone (WCAG
    1.4.1): "✓ Grand" over "choisi"; its accessible name stays "Grand", checked.

    Signals:
        chosen(str): the key of the choice pressed.
    """

    chosen = Signal(str)

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons: dict[str, QPushButton] = {}
        self._texts: dict[str, str] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(metrics.touch_spacing_px * 2)

    def add_choice(self, key: str, text: str) -> QPushButton:
        button = QPushButton(self)
        button.setCheckable(True)
        button.clicked.connect(lambda _checked=False, k=key: self._pressed(k))
        button.toggled.connect(lambda _checked, k=key: self._show(k))
        self._grid.addWidget(button, 0, len(self._buttons))
        self._buttons[key] = button
        self.set_text(key, text)
        return button

    def set_text(self, key: str, text: str) -> None:
        self._texts[key] = text
        self._buttons[key].setAccessibleName(text)
        self._show(key)

    def retranslate(self) -> None:
        """The word "choisi" in the language now shown."""
        for key in self._buttons:
            self._show(key)

    def _show(self, key: str) -> None:
        button, text = self._buttons[key], self._texts[key]
        button.setText(f"✓ {text}\n" + _("choisi") if button.isChecked() else text)

    def mark(self, key: str) -> None:
        """Show ``key`` as the one chosen (and no other)."""
        for other, button in self._buttons.items():
            button.setChecked(other == key)

    def _pressed(self, key: str) -> None:
        self.mark(key)  # pressing the chosen one again leaves it chosen
        self.chosen.emit(key)
