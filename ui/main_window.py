"""The kiosk window: frameless, full screen, impossible to close for a resident.

It holds a top bar (the commune, and the buttons every screen offers: "Écouter", "Aa",
language), a stack of screens, and overlays drawn inside the window (idle question,
PIN pad, settings): nothing opens a separate window that could escape the kiosk.

This module builds the welcome screen's frame, before READY=1: it does not touch the
``Qt`` namespace (see ``ui.screens.welcome``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import _, current_language, with_commune
from kiosk.security.pin import TECHNICIAN_PIN_MIN_LENGTH
from ui import screen_reader

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QResizeEvent

    from ui.idle import IdleQuestion
    from ui.overlays import Overlay
    from ui.settings_panel import LanguageCard, SettingsCard
    from ui.tap_guard import TapGuard
    from ui.widgets.pin_pad import PinPad


class WholeOrNothingLabel(QLabel):
    """A line that takes the room its row leaves and shows its text only when it fits
    whole, never cut: the commune's name in the top bar, which in French at the largest
    text "Arrêter la voix" leaves too little room on a 1280-pixel bar (the logo still says
    whose kiosk it is)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._whole = ""

    def set_whole_text(self, text: str) -> None:
        self._whole = text
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        fits = self.fontMetrics().horizontalAdvance(self._whole) <= self.width()
        shown = self._whole if fits else ""
        if self.text() != shown:
            self.setText(shown)
            self.setAccessibleName(shown)


class TopBar(QFrame):
    """The commune's logo and name, and the buttons offered on every screen.

    A frame with no frame line, not a plain widget: the stylesheet paints a frame's
    background and border, and a plain widget would need the WA_StyledBackground
    attribute, a ``Qt.`` constant, or a Python paintEvent that costs 6 ms before READY
    (QStyle's enums).

    Signals:
        listen_toggled(bool): audio mode switched on or off.
        settings_requested: "Aa" pressed.
        language_requested: "Langue" pressed.
    """

    listen_toggled = Signal(bool)
    settings_requested = Signal()
    language_requested = Signal()
    mediator_requested = Signal()

    def __init__(
        self, commune_name: str, logo: Path, metrics: ScreenMetrics, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "bar")
        self._commune_name = commune_name
        # A label showing the logo drawn at its size by Qt's image plugins: SVG or PNG alike
        # (a QSvgWidget shows no PNG, and its Python module costs 1.7 ms at every start).
        # On a light plate (ui.style, role "logo"): a logo drawn for paper, as a commune's
        # is, stays visible on the dark and high-contrast themes.
        self.logo = QLabel(self)
        self.logo.setProperty("role", "logo")
        self.logo.setProperty("align", "center")
        side, inner = metrics.px(14), metrics.px(12)
        self.logo.setFixedSize(QSize(side, side))
        self.logo.setPixmap(
            QIcon(str(logo)).pixmap(QSize(inner, inner), self.devicePixelRatioF())
        )
        self._name = WholeOrNothingLabel(self)
        # Who is helping (mediator mode), in place of the logo and the commune's name: a
        # row of its own under the bar cost 79 px of height, which a 1280x800 panel at the
        # largest text does not have. Secondary size, so that it fits on one line there.
        self.banner = QLabel(self)
        self.banner.setProperty("role", "banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.delivery_status = QLabel(self)
        self.delivery_status.setProperty("role", "muted")
        self.delivery_status.hide()  # for mediators only: shown while one is logged in
        self.listen_button = QPushButton(self)
        self.listen_button.setCheckable(True)
        # clicked, not toggled: the application sets the checked state itself.
        self.listen_button.clicked.connect(self.listen_toggled)
        self.settings_button = QPushButton("Aa", self)
        self.settings_button.clicked.connect(self.settings_requested)
        self.language_button = QPushButton(self)
        self.language_button.clicked.connect(self.language_requested)
        self.mediator_button = QPushButton(self)
        self.mediator_button.clicked.connect(self.mediator_requested)
        self._mediator_logged_in = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(metrics.px(4), metrics.px(2), metrics.px(4), metrics.px(2))
        layout.setSpacing(metrics.px(5))
        layout.addWidget(self.logo)
        layout.addWidget(self._name, 1)
        layout.addWidget(self.banner, 1)
        layout.addWidget(self.delivery_status)
        for button in (
            self.listen_button,
            self.settings_button,
            self.language_button,
            self.mediator_button,
        ):
            layout.addWidget(button)
        self.retranslate()

    def show_delivery_status(self, text: str, attention: bool, waiting: int) -> None:
        """The discreet sign for mediators of what waits to reach the town hall.

        A sign, not a sentence, so that it never takes room from the screen: ✓ all sent,
        ↑ and a number waiting, ⚠ and a number to check. The sentence is its accessible
        name and the mediator panel's first line (docs/mediators.md). Only while a
        mediator is logged in: a resident alone neither sees nor hears it.
        """
        if attention:
            sign = f"⚠ {waiting}" if waiting else "⚠"
        else:
            sign = f"↑ {waiting}" if waiting else "✓"
        # Signs and digits read left to right, in Arabic too.
        self.delivery_status.setLayoutDirection(QtCore.Qt.LayoutDirection.LeftToRight)
        self.delivery_status.setText(sign)
        self.delivery_status.setAccessibleName(text)

    def show_banner(self, text: str | None) -> None:
        """Who is helping, in place of the logo and the commune's name; None: nobody."""
        self.banner.setText(text or "")
        self.banner.setAccessibleName(text or "")
        self.banner.setVisible(bool(text))
        self.logo.setVisible(not text)
        self._name.setVisible(not text)

    def set_welcome_mode(self, welcome: bool) -> None:
        """The welcome screen has its own big "Écouter" and language buttons."""
        self.listen_button.setVisible(not welcome)
        self.language_button.setVisible(not welcome)

    def retranslate(self) -> None:
        self._name.set_whole_text(with_commune(_("Mairie de {commune}"), self._commune_name))
        self.logo.setAccessibleName(_("Logo de la mairie"))
        self.setAccessibleName(_("Barre du haut"))
        listening = self.listen_button.isChecked()
        listen = _("Arrêter la voix") if listening else _("Écouter")
        self.listen_button.setText(listen)
        self.listen_button.setAccessibleName(listen)
        self.settings_button.setAccessibleName(_("Aa : taille du texte et couleurs"))
        self.language_button.setText(_("Langue"))
        # Named in three languages: whoever cannot read the current one finds it.
        self.language_button.setAccessibleName(_("Langue") + " - Language - اللغة")
        # "Médiateur" on the button in both states (the banner says who is there; the
        # longer word left no room for it on a 1280-pixel bar); its name says which.
        mediator = _("Espace médiateur") if self._mediator_logged_in else _("Médiateur")
        self.mediator_button.setText(_("Médiateur"))
        self.mediator_button.setAccessibleName(mediator)

    def set_mediator_logged_in(self, logged_in: bool) -> None:
        self._mediator_logged_in = logged_in
        self.delivery_status.setVisible(logged_in)
        self.retranslate()


class KioskWindow(QWidget):
    """The one window of the kiosk (its stylesheet background is the window's own): a
    frame to a screen reader, in the language on screen (``ui.screen_reader``).

    ``KioskApp.show`` makes it full screen; a window configured not to be full screen is
    made frameless there (a full-screen window has no frame).

    Attributes:
        top_bar, screens: the bar and the stack of screens.
        idle_question, technician_pad, settings, languages: the cards of the overlays,
            from ``build_overlays()`` on.
        tap_guard: drops the presses that come just after a change of screen or overlay
            (``ui.tap_guard``), from ``build_overlays()`` on; the application installs it.

    Signals:
        close_refused: someone tried to close the window (logged, nothing else happens).
    """

    close_refused = Signal()
    idle_question: IdleQuestion
    idle_overlay: Overlay
    technician_pad: PinPad
    technician_overlay: Overlay
    settings: SettingsCard
    settings_overlay: Overlay
    languages: LanguageCard
    language_overlay: Overlay
    tap_guard: TapGuard

    def __init__(
        self,
        commune_name: str,
        logo: Path,
        metrics: ScreenMetrics,
        *,
        idle_countdown_seconds: int,
        languages: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        screen_reader.install()  # before any of the window's widgets is asked about
        super().__init__(parent)
        self.setObjectName("kioskRoot")
        self.setWindowTitle(_("Borne citoyenne"))
        screen_reader.expose_language(self, current_language())
        self.metrics = metrics
        self._may_close = False

        self.top_bar = TopBar(commune_name, logo, metrics, self)
        # Who is helping, on every screen, so the resident always knows (mediator mode).
        self.banner = self.top_bar.banner
        self.screens = QStackedWidget(self)
        self._own_policies: dict[QWidget, QSizePolicy] = {}  # see _measure_only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.screens, 1)

        self._idle_countdown_seconds = idle_countdown_seconds
        self._language_codes = languages
        self._overlays: tuple[Overlay, ...] = ()
        self._extra_overlays: list[Overlay] = []

    def build_overlays(self) -> None:
        """Build the idle question, technician PIN pad, settings and language choice.

        Not in ``__init__``: the welcome screen is shown without them, and they are built
        right after it, from the event loop (start-up time, see bench/startup.py).
        """
        if self.overlays_built():
            return
        from ui.idle import IdleQuestion
        from ui.overlays import Overlay
        from ui.settings_panel import LanguageCard, SettingsCard
        from ui.tap_guard import TapGuard
        from ui.widgets.pin_pad import PinPad

        metrics = self.metrics
        self.tap_guard = TapGuard(self)
        self.idle_question = IdleQuestion(self._idle_countdown_seconds, metrics)
        # Opaque: nothing of the visit can be read by whoever walks up during the countdown.
        self.idle_overlay = Overlay(self.idle_question, self, cover=True)
        self.technician_pad = PinPad(
            _("Code du technicien"), metrics, min_length=TECHNICIAN_PIN_MIN_LENGTH
        )
        self.technician_overlay = Overlay(self.technician_pad, self)
        self.settings = SettingsCard(metrics)
        self.settings_overlay = Overlay(self.settings, self)
        self.languages = LanguageCard(self._language_codes, metrics)
        self.language_overlay = Overlay(self.languages, self)
        self._overlays = (
            self.idle_overlay,
            self.technician_overlay,
            self.settings_overlay,
            self.language_overlay,
        )
        for overlay in self._overlays:
            self._guard_taps(overlay)
        self.settings.close_requested.connect(self.settings_overlay.close_overlay)
        self.languages.close_requested.connect(self.language_overlay.close_overlay)
        self.top_bar.settings_requested.connect(self.settings_overlay.open)
        self.top_bar.language_requested.connect(self.language_overlay.open)

    def overlays_built(self) -> bool:
        return bool(self._overlays)

    def add_overlay(self, card: QWidget) -> Overlay:
        """An overlay for ``card`` that ``close_overlays`` (the end of a visit) also closes."""
        from ui.overlays import Overlay

        overlay = Overlay(card, self)
        self._extra_overlays.append(overlay)
        self._guard_taps(overlay)
        return overlay

    def _guard_taps(self, overlay: Overlay) -> None:
        """A card that appears or goes is a new screen too: no press lands on it at once."""
        overlay.opened.connect(self.tap_guard.arm)
        overlay.closed.connect(self.tap_guard.arm)

    def show_banner(self, text: str | None) -> None:
        self.top_bar.show_banner(text)

    def overlays(self) -> tuple[Overlay, ...]:
        return (*self._overlays, *self._extra_overlays)

    def close_overlays(self) -> None:
        if self.overlays_built():
            self.idle_question.stop()
            self.technician_pad.clear()
        for overlay in self.overlays():
            overlay.close_overlay()

    def add_screens(self, *screens: QWidget) -> None:
        """Put screens in the stack (hidden until shown)."""
        for screen in screens:
            self.screens.addWidget(screen)

    def show_screen(self, screen: QWidget, *, welcome: bool = False) -> None:
        """Show ``screen`` (or its new content: the next question); for a moment, taps and
        pressing keys are dropped (``ui.tap_guard``: the second tap of a double tap is not
        for what is now shown)."""
        if self.screens.indexOf(screen) < 0:
            self.screens.addWidget(screen)
        self.top_bar.set_welcome_mode(welcome)
        if self.overlays_built():
            self.tap_guard.arm()
        self._measure_only(screen)
        self.screens.setCurrentWidget(screen)

    def _measure_only(self, screen: QWidget) -> None:
        """Make the stack as big as ``screen`` needs, not as the biggest of its screens.

        A stack is as tall as the tallest of its pages, hidden ones included: a question
        left with its keyboard up would keep the window too tall for a 1280x800 panel on
        the next screen. A page whose size policy is Ignored does not count; each page
        gets its own policy back when it is shown."""
        ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for index in range(self.screens.count()):
            page = self.screens.widget(index)
            if page is None:
                continue
            own = self._own_policies.setdefault(page, page.sizePolicy())
            page.setSizePolicy(own if page is screen else ignored)

    def allow_close(self) -> None:
        """Only the technician exit calls this, after a right PIN."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            event.accept()
            return
        event.ignore()
        self.close_refused.emit()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Borne citoyenne"))
        screen_reader.expose_language(self, current_language())
        self.top_bar.retranslate()
        if self.overlays_built():
            self.idle_question.retranslate()
            self.technician_pad.retranslate(_("Code du technicien"))
            self.settings.retranslate()
            self.languages.retranslate()
