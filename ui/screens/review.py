"""The review: every answer in plain words, each with "Modifier", then "Envoyer"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.domain.session import ReviewItem
from kiosk.i18n import _
from ui.screen_reader import Alert, Heading
from ui.screens.frame import NavigationBar, answer_scroll_area, chain_focus, screen_layout
from ui.typography import show_text


class _ReviewRow:
    """One answer of the review: a card with the question and the answer, and
    "Modifier" beside it."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget) -> None:
        self.field_id = ""
        self.card = QFrame(parent)
        self.card.setProperty("role", "card")
        self.label = QLabel(self.card)
        self.label.setWordWrap(True)
        self.label.setProperty("role", "muted")
        self.answer = QLabel(self.card)
        self.answer.setWordWrap(True)
        inner = QGridLayout(self.card)
        pad = metrics.px(3)
        inner.setContentsMargins(pad, pad, pad, pad)
        inner.addWidget(self.label, 0, 0)
        inner.addWidget(self.answer, 1, 0)
        self.modify = QPushButton(parent)

    def fill(self, item: ReviewItem) -> None:
        self.field_id = item.field_id
        self.card.setAccessibleName(item.label)  # a panel: named by its question
        show_text(self.label, item.label)
        self.answer.setText(item.answer or _("(pas de réponse)"))
        self.modify.setText(_("Modifier"))
        self.modify.setAccessibleName(_("Modifier : {question}").format(question=item.label))
        self.card.show()
        self.modify.show()

    def blank(self) -> None:
        """Hidden, and nothing of the answer left in it."""
        self.field_id = ""
        self.card.hide()
        self.modify.hide()
        for widget in (self.card, self.label, self.answer, self.modify):
            widget.setAccessibleName("")
        self.label.clear()
        self.answer.clear()


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
        self._content = QWidget()
        self._content.setProperty("role", "screen")
        column = QVBoxLayout(self._content)
        column.setContentsMargins(0, 0, 0, 0)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(metrics.px(6))
        self._grid.setVerticalSpacing(metrics.px(3))
        self._grid.setColumnStretch(0, 1)
        column.addLayout(self._grid)
        column.addStretch(1)
        self._scroll.setWidget(self._content)
        self._rows: list[_ReviewRow] = []
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
        """Fill one row per item, reusing the rows of earlier reviews.

        Rows are made once and refilled: a new widget costs a polish under the
        application's stylesheet, which made the click into the review the slowest of a
        démarche (bench/navigation.py). Rows not needed are hidden and blanked.
        """
        self.items = items
        self.problem.hide()
        while len(self._rows) < len(items):
            self._rows.append(self._new_row(len(self._rows)))
        for row, item in zip(self._rows, items):  # noqa: B905 - more rows than items
            row.fill(item)
        for row in self._rows[len(items):]:
            row.blank()
        self._scroll.verticalScrollBar().setValue(0)
        modify_buttons = [row.modify for row in self._rows[: len(items)]]
        chain_focus((*modify_buttons, *self.navigation.buttons()))  # once in the window
        self.navigation.next.setFocus(Qt.FocusReason.OtherFocusReason)

    def _new_row(self, index: int) -> _ReviewRow:
        row = _ReviewRow(self.metrics, self._content)
        row.modify.clicked.connect(lambda _c=False: self._modify(row))
        self._grid.addWidget(row.card, index, 0)
        self._grid.addWidget(row.modify, index, 1, Qt.AlignmentFlag.AlignVCenter)
        return row

    def _modify(self, row: _ReviewRow) -> None:
        if row.field_id:  # a blanked row answers nothing
            self.modify_requested.emit(row.field_id)

    def show_problem(self, message: str) -> None:
        """Sending failed: say so calmly; every answer stays on screen."""
        self.problem.say(message)

    def clear(self) -> None:
        """Forget the answers: every row hidden and blanked (end of a visit)."""
        self.items = ()
        for row in self._rows:
            row.blank()

    def spoken_text(self, include_personal: bool) -> str:
        """The review read aloud; personal answers only with private listening."""
        parts = [self.title.text()]
        for item in self.items:
            parts.append(f"{item.label} {item.answer}" if include_personal or not item.personal
                         else item.label)
        parts.append(self._scroll.spoken_hint())
        parts.append(_("Pour envoyer, touchez « Envoyer »."))
        return ". ".join(part for part in parts if part)
