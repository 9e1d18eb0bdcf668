"""What the guide's screens share: margins, and the navigation bar at the bottom.

"Abandonner" is always at the start of the bar, "Retour" and "Suivant" always at its end,
so a resident finds them in the same place on every screen (mirrored in Arabic).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.keypad import BACK_PROPERTY


def screen_layout(screen: QWidget, metrics: ScreenMetrics) -> QVBoxLayout:
    layout = QVBoxLayout(screen)
    side, top = metrics.px(12), metrics.px(5)
    layout.setContentsMargins(side, top, side, top)
    layout.setSpacing(metrics.px(3))
    return layout


class AnswerScrollArea(QScrollArea):
    """A frameless, resizable scroll area that keeps the focused control in view.

    Qt only scrolls to a control when the focus moves from inside the area; coming from
    outside (Shift+Tab from "Retour", the keypad, ``setFocus``) it would stay hidden below
    the fold. The area itself is no focus stop: it would be an unnamed, invisible stop
    for keyboard and screen reader.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new, 0, 0)


def answer_scroll_area(parent: QWidget) -> QScrollArea:
    """The scroll area of a screen's content (see ``AnswerScrollArea``)."""
    return AnswerScrollArea(parent)


def tab_stops(container: QWidget) -> list[QWidget]:
    """The widgets under ``container`` that can take the focus, in creation order.

    Options of a choice are all listed, even those Qt reaches by arrows rather than Tab
    (which ones changes with what is checked).
    """
    return [
        child
        for child in container.findChildren(QWidget)
        if child.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]


def chain_focus(widgets: Iterable[QWidget]) -> None:
    """Put ``widgets`` one after the other in the tab order, in reading order.

    Content built after the navigation bar (an answer editor, the review's "Modifier"
    buttons, the tiles) would otherwise come after "Suivant" in the tab order.
    """
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


class NavigationBar(QWidget):
    """"Abandonner" … "Retour" "Suivant"."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.abandon = QPushButton(self)
        self.abandon.setProperty("role", "danger")
        self.back = QPushButton(self)
        self.back.setProperty(BACK_PROPERTY, True)  # keypad 1
        self.next = QPushButton(self)
        self.next.setProperty("role", "primary")
        self.next.setProperty("sizing", "wide")
        self._next_text = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, metrics.px(2), 0, 0)
        layout.setSpacing(metrics.px(8))
        layout.addWidget(self.abandon)
        layout.addStretch(1)
        layout.addWidget(self.back)
        layout.addWidget(self.next)
        self.retranslate()

    def buttons(self) -> tuple[QPushButton, ...]:
        """In reading (and tab) order."""
        return (self.abandon, self.back, self.next)

    def set_next_text(self, text: str) -> None:
        """A different word for the main action ("Envoyer" on the review); empty: "Suivant"."""
        self._next_text = text
        self.retranslate()

    def retranslate(self) -> None:
        for button, text in (
            (self.abandon, _("Abandonner")),
            (self.back, _("Retour")),
            (self.next, self._next_text or _("Suivant")),
        ):
            button.setText(text)
            button.setAccessibleName(text)
