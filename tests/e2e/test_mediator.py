"""Mediator mode from the screen (issue 6): a volunteer logs in on the PIN pad, the resident
gives or refuses consent, the démarche reaches the reference receiver (a real subprocess)
with or without the consent record, the journal holds the matching entries, and every
way out of the visit logs the mediator out.

Everything is pressed by its accessible name, as Orca would; only the scrypt cost is
lowered (the cost is stored in each hash, so the same code path runs) and speech is a
recording stand-in at the ``Speaker.say`` level (nothing is synthesized or played).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.audit.head import JournalHead
from kiosk.audit.journal import JournalEntry
from kiosk.audit.terminal import open_terminal_journal
from kiosk.domain.submission import Submission
from kiosk.mediator.accounts import AuthOutcome
from tests.a11y import find_widget
from tests.e2e.resident import Resident, Role, answer_street_report, wait_until_settled
from tests.receiver_process import TERMINAL_ID, RunningReceiver, receiver  # noqa: F401
from wiring.app import KioskApp

NAME = "Camille"
PIN = "482913"
WRONG_PIN = "735146"
STREET = "Un problème dans la rue"
ARRIVED = "C'est fait : la mairie a bien reçu votre demande."
CONSENT_TITLE = "Êtes-vous d'accord ?"
ACCEPT = "Oui, je suis d'accord"
REFUSE = "Non, je remplis moi-même"
HELPED = f"Accompagné par {NAME}"
GUIDE_ONLY = f"{NAME} vous guide. Vous remplissez vous-même."
LOCKED = "Ce compte est bloqué. Essayez de nouveau dans 5 minutes."


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # hash_pin stores n in the hash and verify_pin reads it back: same code path, less CPU.
    monkeypatch.setattr("kiosk.security.pin._N", 2**4)


class SpeechRecorder:
    """Stands in for ``Speaker.say``: keeps every text offered to the speech service."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str, **_how: object) -> bool:  # language, personal...
        self.texts.append(text)
        return True


def record_speech(kiosk: KioskApp) -> SpeechRecorder:
    recorder = SpeechRecorder()
    kiosk.narrator.speaker.say = recorder  # type: ignore[method-assign]
    return recorder


@pytest.fixture
def helped_kiosk(
    make_paired_kiosk: Callable[..., KioskApp],
    receiver: RunningReceiver,  # noqa: F811
) -> KioskApp:
    """A kiosk delivering to the reference receiver, with Camille's account."""
    kiosk = make_paired_kiosk(receiver.url, receiver.secret)
    kiosk.mediation.registry.add(NAME, PIN)
    return kiosk


def journal_entries(data_dir: Path) -> list[JournalEntry]:
    """The journal on disk, read through its own connection with the keyring's audit key;
    its chain and signatures must be intact."""
    with open_terminal_journal(data_dir) as journal:
        verified = journal.verify()
        assert verified.ok, verified
        return list(journal.entries())


def kinds(entries: list[JournalEntry]) -> list[str]:
    return [entry.kind for entry in entries]


def type_pin(resident: Resident, pin: str) -> None:
    """Each digit on the pad, then "Valider" (by their accessible names)."""
    for digit in pin:
        resident.press(digit)
    resident.press("Valider")


def touch_pin(kiosk: KioskApp, pin: str) -> None:
    """Each digit, then "Valider", touched with a finger (a click moves the focus, which
    audio mode follows: the other path by which a digit could be spoken)."""
    wait_until_settled(kiosk.window)  # the pad may have just opened
    for key in (*pin, "Valider"):
        QTest.mouseClick(find_widget(kiosk.window, key), Qt.MouseButton.LeftButton)
        QApplication.processEvents()


def log_in(resident: Resident, qtbot, pin: str = PIN) -> None:
    """"Médiateur", the mediator's name, the PIN; wait for the banner (scrypt runs in a
    thread)."""
    resident.press("Médiateur")
    resident.press(NAME)
    assert resident.sees(f"Code de {NAME}", (Role.Heading,))
    type_pin(resident, pin)
    banner = resident.kiosk.window.banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)


def fill_street_report(resident: Resident) -> str:
    """Answer the street report and send it; the receipt's reference."""
    answer_street_report(resident)
    return resident.send()


def received(receiver: RunningReceiver, reference: str, qtbot) -> tuple[bytes, Submission]:  # noqa: F811
    """The payload the receiver stored for ``reference`` (waits for the delivery)."""
    found: list[bytes] = []

    def arrived() -> bool:
        found[:] = [s.payload for s in receiver.submissions() if s.reference == reference]
        return bool(found)

    qtbot.waitUntil(arrived, timeout=30_000)
    [payload] = found
    return payload, Submission.from_json(payload)


def logged_out(kiosk: KioskApp) -> bool:
    return kiosk.mediation.visit is None and not kiosk.window.banner.isVisible()


# ---------------------------------------------------------------- the whole visit


def test_an_assisted_visit_carries_the_consent_to_the_town_hall_and_ends_with_a_wipe(
    helped_kiosk, receiver, data_dir, qtbot  # noqa: F811
):
    kiosk = helped_kiosk
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    resident = Resident(kiosk)

    log_in(resident, qtbot)
    assert resident.sees(HELPED, (Role.StaticText,))
    assert resident.sees("Espace médiateur")  # the top bar now opens the panel

    resident.start()
    assert resident.sees(HELPED, (Role.StaticText,)), "the banner is on every screen"
    speech.texts.clear()
    resident.open_demarche(STREET)
    assert resident.sees(CONSENT_TITLE, (Role.Heading,))
    assert resident.sees(ACCEPT)
    assert resident.sees(REFUSE)
    spoken = " ".join(speech.texts)
    assert CONSENT_TITLE in spoken
    assert ACCEPT in spoken
    assert REFUSE in spoken
    assert f"{NAME} peut remplir la démarche avec vous : {STREET}." in spoken

    resident.press(ACCEPT)
    assert not resident.sees(CONSENT_TITLE, (Role.Heading,))
    assert resident.sees(HELPED, (Role.StaticText,))
    reference = fill_street_report(resident)
    qtbot.waitUntil(lambda: resident.sees(ARRIVED, (Role.StaticText,)), timeout=30_000)

    payload, sent = received(receiver, reference, qtbot)
    mediator = kiosk.mediation.registry.find(NAME)
    assert sent.assisted is True
    consent = dict(sent.consent)
    assert consent.pop("at")  # when: an ISO time, checked by the visit's own tests
    assert consent == {
        "format": "1",
        "given": "true",
        "mediator_id": mediator.id,
        "mediator_name": NAME,
        "demarche": "signalement-rue",
        "method": "touch",
        "channel": "counter",
        "scope": "this-visit",
    }
    assert PIN.encode() not in payload
    # The journal's head when it was stored travels with it (the back office's anchor).
    [created] = [entry for entry in kiosk.mediation.journal.entries()
                 if entry.kind == "submission_created" and entry.details["reference"] == reference]
    assert sent.journal_head == JournalHead(created.seq - 1, created.prev_hash)

    assert resident.sees(HELPED, (Role.StaticText,)), "the banner stays on the receipt"
    resident.finish()
    assert logged_out(kiosk)
    assert resident.sees("Médiateur")
    assert not resident.sees("Espace médiateur")
    assert resident.sees("Commencer")

    entries = journal_entries(data_dir)
    assert kinds(entries) == [
        "mediator_added",
        "mediator_login",
        "consent_given",
        "submission_created",
        "mediator_logout",
    ]
    _added, login, given, created, logout = entries
    assert (login.actor, dict(login.details)) == (mediator.id, {"name": NAME})
    assert (given.actor, dict(given.details)) == (
        mediator.id, {"demarche": "signalement-rue", "method": "touch"},
    )
    assert dict(created.details) == {
        "reference": reference, "demarche": "signalement-rue", "assisted": True,
    }
    assert (logout.actor, dict(logout.details)) == (mediator.id, {"reason": "visit_over"})


def test_a_refused_consent_leaves_the_mediator_guiding_and_the_demarche_the_residents_own(
    helped_kiosk, receiver, data_dir, qtbot  # noqa: F811
):
    kiosk = helped_kiosk
    resident = Resident(kiosk)
    log_in(resident, qtbot)
    resident.start()
    resident.open_demarche(STREET)
    resident.press(REFUSE)

    assert resident.sees(GUIDE_ONLY, (Role.StaticText,))
    assert not resident.sees(HELPED, (Role.StaticText,))
    mediation = kiosk.mediation
    assert mediation.visit is not None
    assert mediation.visit.is_guide_only("signalement-rue")
    reference = fill_street_report(resident)

    _payload, sent = received(receiver, reference, qtbot)
    assert sent.assisted is False
    assert dict(sent.consent) == {}
    entries = journal_entries(data_dir)
    assert kinds(entries)[1:4] == ["mediator_login", "consent_refused", "submission_created"]
    assert dict(entries[2].details) == {"demarche": "signalement-rue", "method": "touch"}
    assert entries[3].details["assisted"] is False


# ---------------------------------------------------------------- the PIN


def pad_is_locked(kiosk: KioskApp) -> bool:
    """The pad refuses every key but "Annuler" (checked on the buttons themselves)."""
    keys = [find_widget(kiosk.window, key) for key in (*"0123456789", "Effacer", "Valider")]
    return all(not key.isEnabled() for key in keys) and kiosk.mediation.pad.locked


def test_five_wrong_pins_lock_the_account_and_the_right_one_is_then_refused(
    make_kiosk, data_dir, qtbot
):
    kiosk = make_kiosk()
    kiosk.mediation.registry.add(NAME, PIN)
    kiosk.mediation.registry.add("Dominique", "531864")
    resident = Resident(kiosk)
    resident.press("Médiateur")
    resident.press(NAME)
    for left in (4, 3, 2, 1):
        type_pin(resident, WRONG_PIN)
        refusal = f"Ce code n'est pas le bon. Vous pouvez essayer encore {left} fois."
        qtbot.waitUntil(lambda refusal=refusal: resident.sees(refusal, (Role.AlertMessage,)))
        assert not pad_is_locked(kiosk)
    type_pin(resident, WRONG_PIN)
    qtbot.waitUntil(lambda: resident.sees(LOCKED, (Role.AlertMessage,)))
    assert pad_is_locked(kiosk)

    # Closed and opened again, the pad still says why it is locked...
    resident.press("Annuler")
    resident.press("Médiateur")
    resident.press(NAME)
    assert resident.sees(LOCKED, (Role.AlertMessage,))
    assert pad_is_locked(kiosk)
    # ... but the lock is Camille's alone: a colleague types at once.
    resident.press("Annuler")
    resident.press("Médiateur")
    resident.press("Dominique")
    assert not pad_is_locked(kiosk)
    assert not resident.sees(LOCKED, (Role.AlertMessage,))
    resident.press("Annuler")

    # The pad's lock is only a courtesy: the right PIN, even from a pad that lets it
    # through (a restarted kiosk), is not checked while the account is locked.
    resident.press("Médiateur")
    resident.press(NAME)
    with qtbot.waitSignal(kiosk.mediation._authenticated, timeout=10_000) as answered:
        kiosk.mediation.pad.pin_entered.emit(PIN)
    assert answered.args[0][1].outcome is AuthOutcome.LOCKED
    assert resident.sees(LOCKED, (Role.AlertMessage,))
    assert kiosk.mediation.visit is None
    assert not kiosk.window.banner.isVisible()

    mediator = kiosk.mediation.registry.find(NAME)
    assert mediator.locked_until > 0
    entries = journal_entries(data_dir)
    assert kinds(entries) == ["mediator_added"] * 2 + ["pin_failed"] * 5 + ["account_locked"]
    failed = entries[2:7]
    assert [dict(e.details) for e in failed] == [
        {"mediator": mediator.id, "failures": n} for n in (1, 2, 3, 4, 5)
    ]
    assert dict(entries[7].details) == {"mediator": mediator.id, "seconds": 300, "strikes": 1}


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def leaks(pin: str, text: str) -> bool:
    """Whether ``text`` shows the PIN, even spelled digit by digit ("4 8 2 ...")."""
    return pin in text or pin in digits_of(text)


def data_files(data_dir: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def assert_never_heard_or_logged(
    pin: str, speech: SpeechRecorder, caplog: pytest.LogCaptureFixture, data_dir: Path
) -> None:
    spoken = [text for text in speech.texts if leaks(pin, text)]
    assert not spoken, f"the PIN reached speech: {spoken}"
    assert pin not in digits_of("".join(speech.texts)), "the PIN was spoken digit by digit"
    logged = [r.getMessage() for r in caplog.records if leaks(pin, r.getMessage())]
    assert not logged, f"the PIN reached a log: {logged}"
    assert caplog.records, "nothing was logged at all: the log capture is not working"
    for path, content in data_files(data_dir):
        for encoded in (pin.encode("ascii"), pin.encode("utf-16-le")):
            assert encoded not in content, f"the PIN is in {path.name}"


def test_no_digit_of_a_pin_reaches_speech_a_log_or_the_disk(
    make_kiosk, data_dir, caplog, qtbot
):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger of the kiosk
    kiosk = make_kiosk()
    kiosk.mediation.registry.add(NAME, PIN)
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    assert kiosk.narrator.audio_mode
    resident = Resident(kiosk)
    resident.press("Médiateur")
    resident.press(NAME)
    speech.texts.clear()

    type_pin(resident, WRONG_PIN)
    qtbot.waitUntil(kiosk.mediation.pad._message.isVisible)
    while_typing = list(speech.texts)
    touch_pin(kiosk, PIN)
    qtbot.waitUntil(kiosk.window.banner.isVisible, timeout=10_000)
    assert speech.texts, "audio mode said nothing at all: the stand-in is not reached"
    assert while_typing == [
        "Ce code n'est pas le bon. Vous pouvez essayer encore 4 fois."
    ], "the pad said something while digits were typed"
    for pin in (PIN, WRONG_PIN):
        assert_never_heard_or_logged(pin, speech, caplog, data_dir)

    # The technician's pad (a corner gesture opens it) keeps its digits as quiet.
    speech.texts.clear()
    kiosk.window.technician_overlay.open()
    QTest.qWait(0)
    touch_pin(kiosk, WRONG_PIN)
    assert resident.sees("Ce code n'est pas le bon.", (Role.AlertMessage,))
    assert kiosk.window.isVisible(), "a wrong technician PIN closed the kiosk"
    assert not any(re.search(r"\d", text) for text in speech.texts), speech.texts
    assert_never_heard_or_logged(WRONG_PIN, speech, caplog, data_dir)


# ---------------------------------------------------------------- the end of the session


def test_the_idle_timeout_logs_the_mediator_out(make_kiosk, data_dir, qtbot):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=1)
    kiosk.mediation.registry.add(NAME, PIN)
    resident = Resident(kiosk)
    kiosk.idle.stop()  # the mediator's touches would keep it going while she types
    log_in(resident, qtbot)
    kiosk.idle.start()

    qtbot.waitUntil(lambda: logged_out(kiosk), timeout=10_000)
    assert resident.sees("Médiateur")
    assert resident.sees("Commencer")
    entries = journal_entries(data_dir)
    assert kinds(entries)[-2:] == ["mediator_login", "mediator_logout"]
    assert dict(entries[-1].details) == {"reason": "idle"}


def test_a_pin_still_being_checked_when_the_pad_is_closed_opens_no_visit(
    make_kiosk, data_dir, qtbot
):
    kiosk = make_kiosk()
    registry = kiosk.mediation.registry
    registry.add(NAME, PIN)
    checking, answer = threading.Event(), threading.Event()
    authenticate = registry.authenticate

    def slow_authenticate(mediator_id: str, pin: str) -> object:
        checking.set()
        answer.wait(10)
        return authenticate(mediator_id, pin)

    registry.authenticate = slow_authenticate  # type: ignore[method-assign]
    resident = Resident(kiosk)
    resident.press("Médiateur")
    resident.press(NAME)
    type_pin(resident, PIN)
    assert checking.wait(10)
    resident.press("Annuler")  # she walks away; the next resident comes
    with qtbot.waitSignal(kiosk.mediation._authenticated, timeout=10_000):
        answer.set()

    assert logged_out(kiosk)
    assert resident.sees("Médiateur")
    entries = journal_entries(data_dir)
    assert kinds(entries)[-2:] == ["mediator_login", "mediator_logout"]
    assert dict(entries[-1].details) == {"reason": "visit_over"}
