"""The "Aa" panel (text size and colours) and the language panel, offered on every screen.

Choices apply at once to every screen and last until the visit ends (EN 301 549 5.1.4,
WCAG 1.4.4 and 1.4.6). The kiosk has no animation at all, so no "reduce motion" switch
is offered: there would be nothing for it to do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from accessibility.sizes import ScreenMetrics, TextSize
from accessibility.themes import ThemeName
from kiosk.i18n import LANGUAGE_NAMES, _
from ui.keypad import BACK_PROPERTY
from ui.overlays import Card, ChoiceRow


def _close_button(card: Card) -> QPushButton:
    button = QPushButton(card)
    button.setProperty("role", "primary")
    button.setProperty("sizing", "wide")
    button.setProperty(BACK_PROPERTY, True)  # keypad 1 closes the panel
    card.body.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    return button


class SettingsCard(Card):
    """Three text sizes and three colour themes.

    Signals:
        text_size_chosen(object): a TextSize.
        theme_chosen(object): a ThemeName.
        close_requested: "Fermer".
    """

    text_size_chosen = Signal(object)
    theme_chosen = Signal(object)
    close_requested = Signal()

    def __init__(self, metrics: ScreenMetrics, parent: QWidget | None = None) -> None:
        super().__init__(metrics, parent)
        self._size_label = QLabel(self)
        self.sizes = ChoiceRow(metrics, self)
        for size in TextSize:
            self.sizes.add_choice(size.name, "")
        self.sizes.chosen.connect(lambda key: self.text_size_chosen.emit(TextSize[key]))
        self._theme_label = QLabel(self)
        self.themes = ChoiceRow(metrics, self)
        for theme in ThemeName:
            self.themes.add_choice(theme.value, "")
        self.themes.chosen.connect(lambda key: self.theme_chosen.emit(ThemeName(key)))
        for widget in (self._size_label, self.sizes, self._theme_label, self.themes):
            self.body.addWidget(widget)
        self._close = _close_button(self)
        self._close.clicked.connect(self.close_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Affichage"))
        self._size_label.setText(_("Taille du texte :"))
        self.sizes.set_text(TextSize.NORMAL.name, _("Grand"))
        self.sizes.set_text(TextSize.LARGE.name, _("Plus grand"))
        self.sizes.set_text(TextSize.LARGEST.name, _("Très grand"))
        self._theme_label.setText(_("Couleurs :"))
        self.themes.set_text(ThemeName.DEFAULT.value, _("Clair"))
        self.themes.set_text(ThemeName.HIGH_CONTRAST.value, _("Contraste fort"))
        self.themes.set_text(ThemeName.DARK.value, _("Sombre"))
        self._close.setText(_("Fermer"))
        self._close.setAccessibleName(_("Fermer"))

    def show_current(self, size: TextSize, theme: ThemeName) -> None:
        self.sizes.mark(size.name)
        self.themes.mark(theme.value)


class LanguageCard(Card):
    """Each offered language, named in its own words.

    Signals:
        language_chosen(str): a language code.
        close_requested: "Fermer".
    """

    language_chosen = Signal(str)
    close_requested = Signal()

    def __init__(
        self, languages: tuple[str, ...], metrics: ScreenMetrics, parent: QWidget | None = None
    ) -> None:
        super().__init__(metrics, parent)
        self.choices = ChoiceRow(metrics, self)
        for code in languages:
            self.choices.add_choice(code, LANGUAGE_NAMES[code])
        self.choices.chosen.connect(self.language_chosen)
        self.body.addWidget(self.choices)
        self._close = _close_button(self)
        self._close.clicked.connect(self.close_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Choisir la langue"))
        self.choices.retranslate()
        self._close.setText(_("Fermer"))
        self._close.setAccessibleName(_("Fermer"))
