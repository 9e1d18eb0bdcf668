"""A yes/no question over the screen, e.g. before "Abandonner" wipes everything."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _
from ui.overlays import Card


class AbandonCard(Card):
    """"Voulez-vous tout arrêter ?" — the safe answer ("Non, je continue") has the focus.

    Signals:
        confirmed: the resident wants to stop; everything will be wiped.
        cancelled: the resident goes on.
    """

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.yes = QPushButton(self)
        self.yes.setProperty("role", "danger")
        self.yes.clicked.connect(self.confirmed)
        self.no = QPushButton(self)
        self.no.setProperty("role", "primary")
        self.no.clicked.connect(self.cancelled)
        row = QHBoxLayout()
        row.setSpacing(metrics.px(8))
        row.addWidget(self.yes)
        row.addWidget(self.no)
        self.body.addWidget(self.explanation)
        self.body.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Voulez-vous tout arrêter ?"))
        self.explanation.setText(_("Tout ce que vous avez écrit sera effacé."))
        for button, text in ((self.yes, _("Oui, tout effacer")), (self.no, _("Non, je continue"))):
            button.setText(text)
            button.setAccessibleName(text)

    def focus_safe_answer(self) -> None:
        self.no.setFocus(Qt.FocusReason.OtherFocusReason)

    def spoken_text(self) -> str:
        return f"{self.title.text()} {self.explanation.text()}"
