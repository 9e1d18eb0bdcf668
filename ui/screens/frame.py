"""What the guide's screens share: margins, and the navigation bar at the bottom.

"Abandonner" is always at the start of the bar, "Retour" and "Suivant" always at its end,
so a resident finds them in the same place on every screen (mirrored in Arabic).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _


def screen_layout(screen: QWidget, metrics: ScreenMetrics) -> QVBoxLayout:
    layout = QVBoxLayout(screen)
    side, top = metrics.px(12), metrics.px(5)
    layout.setContentsMargins(side, top, side, top)
    layout.setSpacing(metrics.px(3))
    return layout


class NavigationBar(QWidget):
    """"Abandonner" … "Retour" "Suivant"."""

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.abandon = QPushButton(self)
        self.abandon.setProperty("role", "danger")
        self.back = QPushButton(self)
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
