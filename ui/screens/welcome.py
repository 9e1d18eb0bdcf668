"""The welcome (attract) screen: the commune, a big "Commencer", languages, "Écouter".

It is built before READY=1, and so it does not touch PySide's ``Qt`` namespace: the first
use of any ``Qt.`` constant builds all its 93 enums, 15 ms of a 150 ms start on the
development machine (docs/performance.md). Labels are centred by the stylesheet
(``align`` property) and buttons by stretches. tests/kiosk/test_startup.py fails, naming
this rule, when the namespace is built before the welcome screen is shown; the screens
that come after it use ``Qt`` freely.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from accessibility.sizes import ScreenMetrics
from kiosk.i18n import LANGUAGE_NAMES, _, with_commune
from ui.screen_reader import Heading, OptionGroup


class WelcomeScreen(QWidget):
    """First screen of every visit.

    Signals:
        start_requested: "Commencer" was pressed.
        language_chosen(str): a language code.
        listen_requested: "Écouter" was pressed (audio mode on, the screen is read).
        status_requested: "Où en est ma demande ?" was pressed.
        gdpr_requested: "Vos données" was pressed (what the commune does with them).
        touch_mode_requested: "Toucher pour entendre" was pressed (touch and confirm on
            or off, ``ui.touch_explore``).
    """

    start_requested = Signal()
    language_chosen = Signal(str)
    listen_requested = Signal()
    status_requested = Signal()
    gdpr_requested = Signal()
    touch_mode_requested = Signal()

    def __init__(
        self,
        commune_name: str,
        languages: tuple[str, ...],
        metrics: ScreenMetrics,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "screen")
        self.setAccessibleName(_("Accueil"))
        self._commune = commune_name
        self._out_of_service = False

        self._greeting = Heading(self)
        self._greeting.setProperty("role", "title")
        self._greeting.setProperty("align", "center")
        self._greeting.setWordWrap(True)
        self._intro = QLabel(self)
        self._intro.setProperty("align", "center")
        self._intro.setWordWrap(True)

        self.start_button = QPushButton(self)
        self.start_button.setProperty("role", "primary")
        self.start_button.setProperty("sizing", "hero")
        self.start_button.clicked.connect(self.start_requested)

        self.listen_button = QPushButton(self)
        self.listen_button.setProperty("sizing", "wide")
        self.listen_button.clicked.connect(self.listen_requested)

        self.status_button = QPushButton(self)
        self.status_button.setProperty("sizing", "wide")
        self.status_button.clicked.connect(self.status_requested)

        self.gdpr_button = QPushButton(self)
        self.gdpr_button.clicked.connect(self.gdpr_requested)
        # Clicked, not toggled: the application sets the checked state (show_touch_mode).
        self.touch_button = QPushButton(self)
        self.touch_button.setCheckable(True)
        self.touch_button.setProperty("sizing", "wide")
        self.touch_button.clicked.connect(self.touch_mode_requested)

        self._language_label = QLabel(self)
        self._language_label.setProperty("align", "center")
        languages_row = self._language_row(languages, metrics)
        self._language_label.setBuddy(self._languages)  # "labelled by" for a screen reader

        layout = QVBoxLayout(self)
        # Thin margins above and below, the stretches centre the rest: at the largest text
        # on a 1280x800 panel, the sentence needs its two lines (it lacked 18 px with
        # margins of 8 and 10 mm and a gap of 6 mm more above "Commencer").
        layout.setContentsMargins(metrics.px(15), metrics.px(4), metrics.px(15), metrics.px(4))
        layout.setSpacing(metrics.px(6))
        layout.addStretch(1)
        layout.addWidget(self._greeting)
        layout.addWidget(self._intro)
        layout.addLayout(centred(self.start_button))
        # Side by side: one row less, so that the largest text still fits a 1280x800 screen.
        layout.addLayout(self._side_by_side(self.listen_button, self.status_button, metrics))
        layout.addLayout(self._side_by_side(self.touch_button, self.gdpr_button, metrics))
        layout.addStretch(1)
        # The label beside the languages: one row less, for the row of touch and confirm.
        languages_row.insertWidget(1, self._language_label)
        layout.addLayout(languages_row)
        self.retranslate()

    @staticmethod
    def _side_by_side(first: QWidget, second: QWidget, metrics: ScreenMetrics) -> QHBoxLayout:
        """Two buttons in one centred row ("Vos données" beside touch and confirm: no row
        more on a 1280x800 screen at the largest text)."""
        row = centred(first)
        row.insertWidget(2, second)
        row.setSpacing(metrics.px(6))
        return row

    def _language_row(self, languages: tuple[str, ...], metrics: ScreenMetrics) -> QHBoxLayout:
        """One button per language, named in its own words, centred: radio buttons of a
        group named by the caption above them."""
        self._languages = OptionGroup(self, exclusive=True)
        row = QHBoxLayout(self._languages)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(metrics.px(6))
        self.language_buttons: dict[str, QPushButton] = {}
        for code in languages:
            button = QPushButton(LANGUAGE_NAMES[code], self._languages)
            button.setAccessibleName(LANGUAGE_NAMES[code])
            button.setCheckable(True)
            button.setMinimumWidth(metrics.px(45))
            # toggled, not clicked: a screen reader's "Toggle" action must choose it too.
            button.toggled.connect(partial(self._language_toggled, code))
            self.language_buttons[code] = button
            row.addWidget(button)
        return centred(self._languages)

    def _language_toggled(self, code: str, checked: bool) -> None:
        if checked:
            self.language_chosen.emit(code)

    def retranslate(self) -> None:
        self.setAccessibleName(_("Accueil"))
        self._greeting.setText(_("Bonjour !"))
        self._intro.setText(
            _("Cette borne ne marche pas pour le moment. Adressez-vous à l'accueil. Merci.")
            if self._out_of_service
            else with_commune(
                _("Cette borne de la mairie de {commune} vous aide à faire une demande."),
                self._commune,
            )
        )
        self.start_button.setText(_("Commencer"))
        self.start_button.setAccessibleName(_("Commencer"))
        self.listen_button.setText(_("Écouter"))
        self.listen_button.setAccessibleName(_("Écouter"))
        self.listen_button.setAccessibleDescription(_("La borne lit l'écran à voix haute."))
        self.status_button.setText(_("Où en est ma demande ?"))
        self.status_button.setAccessibleName(_("Où en est ma demande ?"))
        self.status_button.setAccessibleDescription(
            _("Avec le numéro de votre reçu, la borne vous dit où en est votre demande.")
        )
        self._language_label.setText(_("Choisir la langue :"))
        self._languages.setAccessibleName(self._language_label.text())
        self.gdpr_button.setText(_("Vos données"))
        self.gdpr_button.setAccessibleName(_("Vos données"))
        self.gdpr_button.setAccessibleDescription(
            _("Ce que la mairie fait de vos réponses, et vos droits.")
        )
        touch = (
            _("Toucher pour entendre : activé")
            if self.touch_button.isChecked()
            else _("Toucher pour entendre")
        )
        self.touch_button.setText(touch)
        self.touch_button.setAccessibleName(touch)
        self.touch_button.setAccessibleDescription(
            _("Le premier toucher dit ce qu'il y a sous le doigt. Touchez encore pour choisir.")
        )

    def show_touch_mode(self, on: bool) -> None:
        """Touch and confirm is on or off: in words, not by colour alone."""
        self.touch_button.setChecked(on)
        self.retranslate()

    def show_out_of_service(self) -> None:
        """The kiosk cannot take requests (no catalog, no queue): say where to go instead."""
        self._out_of_service = True
        for button in (self.start_button, self.status_button, self.touch_button):
            button.setEnabled(False)
            button.hide()
        self.retranslate()

    def mark_language(self, code: str) -> None:
        for language, button in self.language_buttons.items():
            button.blockSignals(True)  # showing the choice is not choosing again
            button.setChecked(language == code)
            button.blockSignals(False)

    def spoken_text(self) -> str:
        """What audio mode reads when this screen appears."""
        return " ".join(
            (
                self._greeting.text(),
                self._intro.text(),
                _("Pour commencer, appuyez sur Commencer."),
                _(
                    "Pour entendre ce que vous touchez avant de choisir, appuyez sur "
                    "Toucher pour entendre, ou sur la touche 3 du clavier à chiffres."
                ),
            )
        )


def centred(widget: QWidget) -> QHBoxLayout:
    """A row holding ``widget`` at its own width, in the middle."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row
