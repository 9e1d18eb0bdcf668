"""Headphones and private listening (EN 301 549 5.1.3.2, 5.1.3.9). Part of the composition
root.

Plugging headphones in turns private listening on (what the resident typed may be read
back) and starts audio mode; pulling them out turns private listening off, which stops
personal text at once, and says so through the loudspeaker. A new visit keeps private
listening as the jack says: the wipe at the end of a visit turns it off, this puts it back
while headphones are still in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject

from accessibility.headphones import AlsaHeadphoneJack, HeadphoneJack
from accessibility.qt_headphones import HeadphoneWatcher
from kiosk.config import Config
from kiosk.i18n import _
from wiring.narration import Narrator

_log = logging.getLogger(__name__)


def configured_jack(config: Config) -> HeadphoneJack | None:
    """The jack ``[speech] headphones`` names: ALSA's, or none."""
    return AlsaHeadphoneJack() if config.speech.headphones == "alsa" else None


class PrivateListening(QObject):
    """Follows the headphone jack for the narrator."""

    def __init__(
        self,
        jack: HeadphoneJack,
        narrator: Narrator,
        start_audio_mode: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._narrator = narrator
        self._start_audio_mode = start_audio_mode
        self.watcher = HeadphoneWatcher(jack, self)
        self.watcher.changed.connect(self._changed)
        if self.watcher.start() and self.watcher.plugged:
            narrator.speaker.private_listening = True
        _log.info("headphone detection %s", "on" if self.watcher.detecting else "unavailable")

    def _changed(self, plugged: bool) -> None:
        narrator = self._narrator
        narrator.speaker.private_listening = plugged
        if plugged and not narrator.audio_mode:
            self._start_audio_mode()  # reads the screen, in the headphones
        elif plugged:
            narrator.say(_("Casque branché. Vos réponses sont lues dans le casque."))
        elif narrator.audio_mode:
            narrator.say(_("Casque débranché. Vos réponses ne sont plus lues à voix haute."))

    def wipe(self) -> None:
        """After the narrator's wipe: private listening as the jack says."""
        self._narrator.speaker.private_listening = self.watcher.plugged

    def stop(self) -> None:
        self.watcher.stop()
