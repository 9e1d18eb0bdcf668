"""The "Vos données" notice, wired: filled from the configuration in the visit's language
when it opens, spoken, and closed back to where the resident was (the welcome screen, the
consent question)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config import Config
from kiosk.gdpr_notice import NoticeSection, gdpr_notice, spoken
from ui.gdpr_notice import GdprNoticeCard
from ui.main_window import KioskWindow


class GdprNotice(QObject):
    """Opens and closes the notice card; ``say`` reads it aloud."""

    def __init__(
        self,
        window: KioskWindow,
        config: Config,
        say: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config = config
        self._say = say
        self.card = GdprNoticeCard(window.metrics)
        self.overlay = window.add_overlay(self.card)
        self.card.close_requested.connect(self.overlay.close_overlay)
        self.overlay.closed.connect(self._give_focus_back)
        self._return_to: QWidget | None = None

    def open(self) -> None:
        sections = self._fill()
        if not self.overlay.isVisible():
            self._return_to = QApplication.focusWidget()
        self.overlay.open()
        self.card.focus_first()
        self._say(spoken(sections))

    def retranslate(self) -> None:
        """The visit's language changed: an open notice is written again in it."""
        if self.overlay.isVisible():
            self._fill()
            self.card.focus_first()
        else:
            self.card.retranslate()

    def _fill(self) -> tuple[NoticeSection, ...]:
        config = self._config
        sections = gdpr_notice(config.gdpr, config.queue, config.kiosk.commune_name)
        self.card.retranslate()
        self.card.show_sections(sections)
        return sections

    def _give_focus_back(self) -> None:
        target, self._return_to = self._return_to, None
        if target is not None and target.isVisible() and target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
