"""Headphones in the real kiosk (EN 301 549 5.1.3.2, 5.1.3.9): plugging them in starts audio
mode with private listening; pulling them out stops every personal text at once.

The jack is ``FakeHeadphoneJack`` (the ALSA one is tested in
tests/accessibility/test_headphones.py); the synthesizer records what it is asked to say.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from accessibility.headphones import FakeHeadphoneJack
from kiosk.config import BackofficeSection, Config, KioskSection, SpeechSection
from tests.accessibility.conftest import SLOW_PLAYER
from tests.e2e.resident import Resident, settle
from tests.kiosk import test_narration
from tests.kiosk.test_narration import (
    DESCRIPTION,
    TYPED,
    Recorder,
    key,
    street_problem_up_to_the_review,
)
from wiring.app import KioskApp

synth = test_narration.synth  # the fixture that records what the kiosk says


@pytest.fixture
def jack() -> FakeHeadphoneJack:
    return FakeHeadphoneJack()


@pytest.fixture
def kiosk(qapp: QApplication, data_dir: Path, synth: Recorder,
          jack: FakeHeadphoneJack) -> Iterator[KioskApp]:
    config = Config(
        kiosk=KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False),
        backoffice=BackofficeSection(kind="none"),
        speech=SpeechSection(player=SLOW_PLAYER),
    )
    app = KioskApp(config, qapp, headphones=jack)
    app.show()
    app.complete_setup()
    app.window.activateWindow()
    yield app
    app.shutdown()


@pytest.fixture
def resident(kiosk: KioskApp) -> Resident:
    return Resident(kiosk)


def test_plugging_headphones_in_starts_audio_mode_with_private_listening(
    resident: Resident, jack: FakeHeadphoneJack, synth: Recorder
) -> None:
    kiosk = resident.kiosk
    assert not kiosk.narrator.audio_mode
    jack.plug()
    settle()
    assert kiosk.narrator.audio_mode
    assert kiosk.narrator.speaker.private_listening
    assert kiosk.window.top_bar.listen_button.isChecked()
    assert synth.last.text == kiosk.welcome.spoken_text()  # the screen, in the headphones

    street_problem_up_to_the_review(resident)
    personal = [u for u in synth.submitted if TYPED in u.text]
    assert personal, "the typed answer was not read in the headphones"
    assert all(u.personal for u in personal)


def test_unplugging_them_stops_speaking_personal_data(
    resident: Resident, jack: FakeHeadphoneJack, synth: Recorder
) -> None:
    kiosk = resident.kiosk
    jack.plug()
    street_problem_up_to_the_review(resident)
    assert TYPED in synth.last.text

    jack.unplug()
    settle()
    assert not kiosk.narrator.speaker.private_listening
    assert kiosk.narrator.audio_mode  # speech goes on, through the loudspeaker
    assert synth.last.text.startswith("Casque débranché.")
    count = len(synth.submitted)
    key(QApplication.focusWidget(), Qt.Key.Key_0)  # "Répéter" must not bring it back
    resident.modify(DESCRIPTION)  # on the filled box: its name, never its content
    assert len(synth.submitted) > count
    assert not any(TYPED in u.text for u in synth.submitted[count:])


def test_plugging_in_during_audio_mode_says_so(
    resident: Resident, jack: FakeHeadphoneJack, synth: Recorder
) -> None:
    resident.press("Écouter")
    jack.plug()
    settle()
    assert resident.kiosk.narrator.speaker.private_listening
    assert synth.last.text.startswith("Casque branché.")


def test_headphones_still_in_after_a_visit_keep_private_listening(
    resident: Resident, jack: FakeHeadphoneJack
) -> None:
    kiosk = resident.kiosk
    jack.plug()
    settle()
    kiosk.wipe_session()
    settle()
    assert not kiosk.narrator.audio_mode  # the next resident asks for speech again
    assert kiosk.narrator.speaker.private_listening
    jack.unplug()
    settle()
    assert not kiosk.narrator.speaker.private_listening


@pytest.mark.parametrize("jack", [FakeHeadphoneJack(detectable=False, plugged=True)])
def test_a_terminal_that_cannot_detect_headphones_never_assumes_them(
    kiosk: KioskApp, jack: FakeHeadphoneJack
) -> None:
    assert not kiosk.listening.watcher.detecting
    assert not kiosk.narrator.speaker.private_listening
