"""The review: every answer in plain words, each with "Modifier", then "Envoyer"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.domain.session import ReviewItem
from kiosk.i18n import _
from ui.screen_reader import Alert, Heading
from ui.screens.frame import NavigationBar, answer_scroll_area, chain_focus, screen_layout
from ui.typography import show_text


class ReviewScreen(QWidget):
    """Check before sending.

    Signals:
        modify_requested(str): "Modifier" beside a field id.
        send_requested: "Envoyer".
        back_requested: "Retour" (to the last question).
        abandon_requested: "Abandonner".
    """

    modify_requested = Signal(str)
    send_requested = Signal()
    back_requested = Signal()
    abandon_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.metrics = metrics
        self.items: tuple[ReviewItem, ...] = ()
        self.title = Heading(self)
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.problem = Alert(self)
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self._scroll = answer_scroll_area(self)
        self.navigation = NavigationBar(metrics, self)
        self.navigation.next.clicked.connect(self.send_requested)
        self.navigation.back.clicked.connect(self.back_requested)
        self.navigation.abandon.clicked.connect(self.abandon_requested)
        layout = screen_layout(self, metrics)
        for widget in (self.title, self.intro):
            layout.addWidget(widget)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._scroll.more_below)
        layout.addWidget(self.problem)
        layout.addWidget(self.navigation)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Vérifiez vos réponses"))
        self.setAccessibleName(self.title.text())
        self.intro.setText(_("Si une réponse est fausse, touchez « Modifier » à côté."))
        self.navigation.set_next_text(_("Envoyer"))
        self._scroll.retranslate()

    def show_items(self, items: tuple[ReviewItem, ...]) -> None:
        self.items = items
        self.problem.hide()
        content = QWidget()
        content.setProperty("role", "screen")
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(self.metrics.px(6))
        grid.setVerticalSpacing(self.metrics.px(3))
        grid.setColumnStretch(0, 1)
        modify_buttons: list[QPushButton] = []
        for row, item in enumerate(items):
            card = QFrame(content)
            card.setProperty("role", "card")
            card.setAccessibleName(item.label)  # a panel: named by its question
            label = QLabel(card)
            show_text(label, item.label)
            label.setWordWrap(True)
            label.setProperty("role", "muted")
            answer = QLabel(item.answer or _("(pas de réponse)"), card)
            answer.setWordWrap(True)
            inner = QGridLayout(card)
            pad = self.metrics.px(3)
            inner.setContentsMargins(pad, pad, pad, pad)
            inner.addWidget(label, 0, 0)
            inner.addWidget(answer, 1, 0)
            grid.addWidget(card, row, 0)
            modify = QPushButton(_("Modifier"), content)
            modify.setAccessibleName(_("Modifier : {question}").format(question=item.label))
            key = item.field_id
            modify.clicked.connect(lambda _c=False, key=key: self.modify_requested.emit(key))
            grid.addWidget(modify, row, 1, Qt.AlignmentFlag.AlignVCenter)
            modify_buttons.append(modify)
        grid.setRowStretch(len(items), 1)
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(content)
        chain_focus((*modify_buttons, *self.navigation.buttons()))  # once in the window
        self.navigation.next.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_problem(self, message: str) -> None:
        """Sending failed: say so calmly; every answer stays on screen."""
        self.problem.say(message)

    def clear(self) -> None:
        self.items = ()
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()

    def spoken_text(self, include_personal: bool) -> str:
        """The review read aloud; personal answers only with private listening."""
        parts = [self.title.text()]
        for item in self.items:
            parts.append(f"{item.label} {item.answer}" if include_personal or not item.personal
                         else item.label)
        parts.append(self._scroll.spoken_hint())
        parts.append(_("Pour envoyer, touchez « Envoyer »."))
        return ". ".join(part for part in parts if part)
