"""The "Vos données" card: what the commune does with a resident's data and their rights
(RGPD article 13), as short questions and answers in a scrolling area, and "Fermer".

It only shows the (question, answer) pairs ``kiosk.gdpr_notice`` writes; each answer is a
focus stop, so the keypad and a screen reader reach every one (the area scrolls to it) and
audio mode reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.overlays import Card
from ui.screens.frame import answer_scroll_area, chain_focus

TALLEST = 100_000  # as tall as the window lets it be: the overlay caps it


class GdprNoticeCard(Card):
    """The notice, shown over any screen (the welcome screen, the consent question).

    Signals:
        close_requested: "Fermer" was pressed.
    """

    close_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self.setAccessibleName(_("Vos données"))
        self.setMinimumWidth(self.maximumWidth())  # the widest card: fewer lines to scroll
        self._metrics = metrics
        self.area = answer_scroll_area(self)
        self.close_button = QPushButton(self)
        self.close_button.setProperty("role", "primary")
        self.close_button.clicked.connect(self.close_requested)
        self.body.addWidget(self.area, 1)
        self.area.more_below.setWordWrap(True)
        self.body.addWidget(self.area.more_below)  # "La suite est plus bas", while it is
        self.body.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.answers: list[QLabel] = []
        self.retranslate()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, _width: int) -> int:
        return TALLEST

    def retranslate(self) -> None:
        self.title.setText(_("Vos données"))
        self.setAccessibleName(_("Vos données"))
        self.close_button.setText(_("Fermer"))
        self.close_button.setAccessibleName(_("Fermer"))

    def show_sections(self, sections: Sequence[tuple[str, str]]) -> None:
        """Replace the questions and answers shown: (heading, text) pairs."""
        content = QWidget()
        content.setProperty("role", "cardContent")  # the card's colours, in every theme
        content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self._metrics.px(1))
        self.answers = []
        for index, (title, text) in enumerate(sections):
            heading = QLabel(title, content)
            heading.setProperty("role", "heading")
            heading.setWordWrap(True)
            answer = QLabel(text, content)
            answer.setProperty("role", "notice")
            answer.setWordWrap(True)
            answer.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            answer.setAccessibleName(title)
            answer.setAccessibleDescription(text)
            if index:
                layout.addSpacing(self._metrics.px(3))
            layout.addWidget(heading)
            layout.addWidget(answer)
            self.answers.append(answer)
        layout.addStretch(1)
        old = self.area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.area.setWidget(content)
        chain_focus((*self.answers, self.close_button))

    def focus_first(self) -> None:
        target = self.answers[0] if self.answers else self.close_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
