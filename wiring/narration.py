"""Audio mode: what the kiosk says, when, and what it must never say.

Part of the composition root. Screens announce text; this module decides whether it is
spoken (audio mode on), how (the screen's language), and guards privacy: personal text
only with private listening, PIN pads never (EN 301 549 5.1.3.8, 5.1.3.9).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from accessibility.qt_speech import InterruptOnInput, Speaker
from accessibility.speech.privacy import focus_announcements
from kiosk.catalog.model import SOURCE_LANGUAGE, fallback_language
from kiosk.config import Config
from kiosk.i18n import _
from ui.input_hub import InputHub
from ui.keypad import WALKED_INTO_PROPERTY
from ui.widget_tree import enclosing
from ui.widgets.keyboard import PERSONAL_DATA_PROPERTY, KeyboardKey, OnScreenKeyboard
from ui.widgets.pin_pad import PinPad

_log = logging.getLogger(__name__)
SPEECH_CACHE = "speech-cache"


def _inside_pin_pad(widget: QWidget) -> bool:
    return enclosing(widget, PinPad, include_self=True) is not None


def describe_focus(widget: QWidget) -> tuple[str, bool]:
    """What to say when ``widget`` gets the focus, and whether that text is personal."""
    name = widget.accessibleName()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        content = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
        label = f"{name}. " + _("Zone de texte.")
        if widget.property(WALKED_INTO_PROPERTY):
            # Reached with the keypad's arrows: its keys go on moving until 5 enters it.
            label += " " + _("Pour écrire, appuyez sur 5.")
        if not content:
            return label, False
        return f"{label} {content}", bool(widget.property(PERSONAL_DATA_PROPERTY))
    if isinstance(widget, QAbstractButton):
        text = name or widget.text()
        if widget.isCheckable():
            text += ". " + (_("Choisi.") if widget.isChecked() else _("Pas choisi."))
        description = widget.accessibleDescription()
        return (f"{text}. {description}" if description else text), False
    return name, False


def describe_explored(widget: QWidget) -> tuple[str, str]:
    """What to say when touch-and-confirm explores ``widget``: the full text, and the
    public text said instead without private listening (empty when they are the same).

    A PIN pad's digit, or a key of the keyboard typing into a personal field, tells
    what is about to be typed: only private listening hears it (EN 301 549 5.1.3.9).
    """
    if isinstance(widget, QLabel):
        return widget.accessibleName() or widget.text(), ""
    text, personal = describe_focus(widget)
    if not widget.isEnabled():
        text = f"{text}. " + _("Pas disponible pour le moment.")
    if isinstance(widget, QAbstractButton) and widget.text().isdigit() and _inside_pin_pad(widget):
        return text, _("Un chiffre.")
    keyboard = enclosing(widget, OnScreenKeyboard)
    character = isinstance(widget, KeyboardKey) and len(widget.spec.text) == 1
    if character and keyboard is not None and keyboard.target_is_private():
        return text, _("Une touche du clavier.")
    if personal:
        return text, widget.accessibleName()
    return text, ""


class Narrator(QObject):
    """Speaks screens, focus moves and messages in audio mode."""

    def __init__(
        self,
        config: Config,
        qt_app: QApplication,
        input_hub: InputHub,
        language: Callable[[], str],
    ) -> None:
        super().__init__(qt_app)
        speech = config.speech
        self.speaker = Speaker(
            cache_dir=config.data_path() / SPEECH_CACHE,
            player=speech.player,
            default_rate_wpm=speech.rate_wpm,
            default_volume=speech.volume,
            enabled=False,  # audio mode starts when a resident asks ("Écouter")
            parent=self,
        )
        self.available = speech.enabled
        self._language = language
        self._interrupt = InterruptOnInput(self.speaker, parent=self)
        self._input_hub = input_hub
        input_hub.add(self._interrupt, InterruptOnInput.EVENT_TYPES, first=True)
        self._qt_app = qt_app
        qt_app.focusChanged.connect(self._focus_changed)

    @property
    def audio_mode(self) -> bool:
        return self.speaker.enabled

    def set_audio_mode(self, on: bool) -> None:
        self.speaker.enabled = on and self.available
        _log.info("audio mode %s", "on" if self.speaker.enabled else "off")

    def say(self, text: str, personal: bool = False) -> None:
        """Say ``text`` in the resident's language; a French text shown in its place (a
        street name, a missing translation) with the French voice, alone or inside."""
        if text.strip():
            self.speaker.say(
                text,
                language=fallback_language(text) or self._language(),
                personal=personal,
                embedded_language=SOURCE_LANGUAGE,
            )

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not self.audio_mode:
            return
        text, personal = describe_focus(new)
        # A PIN pad says nothing; a personal value is heard only with private listening,
        # its label always (accessibility.speech.privacy).
        for said, is_personal in focus_announcements(
            new.accessibleName(), text, personal, in_pin_pad=_inside_pin_pad(new)
        ):
            self.say(said, is_personal)

    def say_typed(self, text: str, personal: bool, withheld: str) -> None:
        """Say back what was typed or is written: personal text only with private
        listening; on the loudspeaker ``withheld`` instead, which tells nothing of it."""
        if personal and not self.speaker.private_listening:
            self.say(withheld)
        else:
            self.say(text, personal)

    def announce_choice(self) -> None:
        """An option was chosen or unchosen: say its new state ("Choisi." / "Pas choisi.")."""
        focused = QApplication.focusWidget()
        if (
            self.audio_mode
            and isinstance(focused, QAbstractButton)
            and focused.isCheckable()
            and not _inside_pin_pad(focused)
        ):
            text, personal = describe_focus(focused)
            self.say(text, personal)

    def announce_explored(self, widget: QWidget) -> None:
        """Touch-and-confirm: say what the finger is on (``describe_explored``)."""
        text, public = describe_explored(widget)
        if not public:
            self.say(text)
        elif not self.speaker.private_listening:
            self.say(public)
        else:
            self.say(text, personal=True)

    def announce_settings(self) -> None:
        """Say the new volume or rate, so that a change made without sight is heard."""
        speaker = self.speaker
        self.say(
            _("Volume {volume} sur 5. Vitesse {rate} mots par minute.").format(
                volume=speaker.volume_step, rate=speaker.rate_wpm
            )
        )

    def prerender(self, texts: list[str]) -> None:
        """Render static texts ahead of time, so the first words come at once."""
        self.speaker.prerender(texts, self._language())

    def wipe(self) -> None:
        self.speaker.enabled = False  # first: resetting the volume must not be announced
        self.speaker.wipe()

    def shutdown(self) -> None:
        self._input_hub.remove(self._interrupt)
        # The narrator belongs to the QApplication, which outlives this kiosk: a closed
        # narrator must not go on describing every focus change of the application.
        self._qt_app.focusChanged.disconnect(self._focus_changed)
        self.speaker.close()
