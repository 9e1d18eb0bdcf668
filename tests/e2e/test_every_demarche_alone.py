"""Every démarche of the bundled catalog, alone and without sight (issue 12, items 1-3
and 9): with the tactile keypad only and the voice on, never touching; and with touch and
confirm, touches only. What was queued is decrypted and checked; every question and the
receipt must have been said. The counts are printed (``-s``) and measured by
``bench/accessible_journeys.py`` for docs/accessibility.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accessibility import qt_speech
from accessibility.speech import Utterance
from kiosk.config import SpeechSection
from tests.accessibility.conftest import QUICK_PLAYER, RecordingSynthesizer
from tests.e2e.journeys import JOURNEYS, Journey, TouchUser, by_keypad, by_touch, status_by_keypad
from tests.e2e.keypad_user import KeypadUser
from tests.e2e.resident import Resident, answer_street_report
from tests.e2e.test_keypad_alone import sent
from wiring.app import KioskApp

IDS = [journey.demarche for journey in JOURNEYS]


@pytest.fixture
def voiced(
    make_kiosk: Callable[..., KioskApp], monkeypatch: pytest.MonkeyPatch
) -> tuple[KioskApp, list[Utterance]]:
    """A kiosk whose voice is recorded: the real Speaker, the synthesis replaced."""
    synth = RecordingSynthesizer()
    monkeypatch.setattr(qt_speech, "Synthesizer", lambda **_kwargs: synth)
    return make_kiosk(speech=SpeechSection(player=QUICK_PLAYER)), synth.submitted


def test_the_journeys_cover_every_demarche_of_the_bundled_catalog(
    voiced: tuple[KioskApp, list[Utterance]],
) -> None:
    kiosk, _said = voiced
    assert sorted(IDS) == sorted(d.id for d in kiosk.catalog().demarches)


def check_sent(data_dir: Path, journey: Journey) -> None:
    submission = sent(data_dir)
    assert submission.demarche_id == journey.demarche
    for key, value in journey.sent.items():
        assert submission.answers[key] == value, (key, submission.answers[key])


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
def test_with_the_keypad_only_and_the_voice(
    journey: Journey, voiced: tuple[KioskApp, list[Utterance]], data_dir: Path
) -> None:
    kiosk, said = voiced
    user = KeypadUser(kiosk, said)
    walked = by_keypad(user, said, journey)
    assert walked.unheard == []  # every question and the receipt were said
    check_sent(data_dir, journey)
    print(f"{journey.demarche} with the keypad: {user.presses} key presses")


@pytest.mark.parametrize("journey", JOURNEYS, ids=IDS)
def test_with_touch_and_confirm_only(
    journey: Journey, voiced: tuple[KioskApp, list[Utterance]], data_dir: Path
) -> None:
    kiosk, said = voiced
    user = TouchUser(kiosk, said, confirm=True)
    by_touch(user, journey)
    check_sent(data_dir, journey)
    print(f"{journey.demarche} with touch and confirm: {user.taps} touches")


def test_where_is_my_request_with_the_keypad_only(
    voiced: tuple[KioskApp, list[Utterance]],
) -> None:
    kiosk, said = voiced
    resident = Resident(kiosk)
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    answer_street_report(resident)
    reference = resident.send()
    resident.finish()  # the next resident, at the welcome screen: keys only from here
    user = KeypadUser(kiosk, said)
    status_by_keypad(user, said, reference)
    print(f"status look-up with the keypad: {user.presses} key presses")
