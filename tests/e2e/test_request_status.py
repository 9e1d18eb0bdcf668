""""Où en est ma demande ?" end to end: a resident sends a démarche, an agent sets its
status with ``kiosk-receiver status set`` on the real receiver subprocess, and the
resident, back at the welcome screen, types the reference of the receipt on the kiosk's
keyboard and sees and hears where the request is. Then what must stay calm: an unknown
reference, a town hall out of reach, a request still waiting on the terminal, a number
mistyped; and the same with keys only."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

from PySide6.QtCore import Qt

from kiosk.domain.reference import new_reference
from kiosk.domain.request_status import RequestStatus, Status
from offline_queue.store import State
from tests.e2e.resident import Resident, Role, answer_street_report, settle
from tests.e2e.test_mediator import record_speech
from tests.e2e.test_without_touch import KEYPAD, KeyUser
from tests.receiver_process import TERMINAL_ID, RunningReceiver, receiver  # noqa: F401
from ui.screens.status import StatusScreen
from wiring.status_desk import StatusDesk

BUTTON = "Où en est ma demande ?"
FIELD = "Numéro de la demande"
IN_PROGRESS = "Votre demande est en cours. Le service Voirie s'en occupe."
NOT_FOUND = "Nous ne trouvons pas cette demande. Vérifiez le numéro sur votre reçu."
UNREACHABLE = (
    "La borne ne peut pas joindre la mairie pour le moment. "
    "Réessayez plus tard ou demandez à l'accueil."
)
WAITING = "Votre demande attend sur la borne. Elle partira dès que possible."
MISTYPED = (
    "Ce numéro n'est pas complet ou pas juste. Il a 3 groupes, comme sur votre reçu. "
    "Vérifiez-le."
)


def send_street_report(resident: Resident) -> str:
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    answer_street_report(resident)
    reference = resident.send()
    resident.finish()
    assert resident.sees(BUTTON)
    return reference


def ask_status(resident: Resident, typed: str, qtbot, expected: str) -> None:
    """The button, the reference typed key by key on the kiosk's keyboard, "Valider"."""
    resident.press(BUTTON)
    assert resident.sees(BUTTON, (Role.Heading,))  # the screen's title
    resident.write_on_screen_keyboard(FIELD, typed)
    resident.press("Valider")
    qtbot.waitUntil(lambda: resident.sees(expected, (Role.StaticText,)), timeout=20_000)


def status_set(rx: RunningReceiver, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "kiosk.receiver.cli", "status", "set", *args,
                    "--db", str(rx.db)], check=True, capture_output=True, timeout=60)


def test_an_agent_sets_the_status_and_the_resident_sees_and_hears_it(
    make_paired_kiosk, receiver, queued, qtbot  # noqa: F811
):
    kiosk = make_paired_kiosk(receiver.url, receiver.secret, timeout_seconds=3.0)
    resident = Resident(kiosk)
    reference = send_street_report(resident)
    qtbot.waitUntil(lambda: queued()[0].state is State.DELIVERED, timeout=30_000)
    status_set(receiver, reference, "in_progress", "--service", "Voirie")

    speech = record_speech(kiosk)
    resident.press("Écouter")
    # As copied from the receipt by hand: small letters, no dashes.
    ask_status(resident, reference.lower().replace("-", ""), qtbot, IN_PROGRESS)
    assert resident.text_in(FIELD) == reference  # shown back as it is written
    assert IN_PROGRESS in speech.texts
    assert not any("Jeanne" in text or "banc" in text for text in resident.texts())

    resident.press("Retour")
    assert resident.sees("Commencer")
    resident.press(BUTTON)
    assert resident.text_in(FIELD) == ""  # the next resident sees nothing of it
    assert not resident.sees(IN_PROGRESS, (Role.StaticText,))


def test_an_unknown_reference_is_a_calm_message(
    make_paired_kiosk, receiver, qtbot  # noqa: F811
):
    kiosk = make_paired_kiosk(receiver.url, receiver.secret, timeout_seconds=3.0)
    resident = Resident(kiosk)
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    ask_status(resident, new_reference("ADM"), qtbot, NOT_FOUND)
    assert NOT_FOUND in speech.texts


def test_a_town_hall_out_of_reach_is_a_calm_message(make_paired_kiosk, qtbot):
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    kiosk = make_paired_kiosk(url, bytes(32), timeout_seconds=3.0)
    resident = Resident(kiosk)
    ask_status(resident, new_reference("ADM"), qtbot, UNREACHABLE)


def test_a_request_still_on_the_terminal_is_answered_here(resident, qtbot):
    kiosk = resident.kiosk
    reference = send_street_report(resident)  # no back office: it stays queued
    speech = record_speech(kiosk)
    kiosk.set_audio_mode(True)
    ask_status(resident, reference, qtbot, WAITING)
    assert WAITING in speech.texts
    kiosk.set_language("en")  # as the language card does: the answer follows
    assert resident.sees(
        "Your request is waiting on the kiosk. It will be sent as soon as possible.",
        (Role.StaticText,),
    )


def test_a_mistyped_number_says_what_to_do_and_stays_to_be_corrected(resident, qtbot):
    resident.press(BUTTON)
    resident.write_on_screen_keyboard(FIELD, "adm-7k3")
    resident.press("Chercher")
    assert resident.sees(f"Attention : {MISTYPED}", (Role.AlertMessage,))
    assert resident.text_in(FIELD) == "adm-7k3"
    resident.write_on_screen_keyboard(FIELD, "-0k3")  # 0 is never in a reference's code
    resident.press("Chercher")
    assert resident.sees(f"Attention : {MISTYPED}", (Role.AlertMessage,))


def test_the_status_with_keys_only(kiosk, queued, qtbot):
    """Keypad to reach the button and press it; a keyboard types the letters (the keypad
    has none), Enter asks; the focus lands on the answer, which a screen reader reads."""
    resident = Resident(kiosk)
    reference = send_street_report(resident)
    user = KeyUser(kiosk)
    user.move_to(BUTTON, Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    assert user.name() == FIELD  # the focus starts in the box
    user.type(reference.replace("-", " "))
    user.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: user.name() == WAITING, timeout=20_000)
    user.move_to("Retour", Qt.Key.Key_6, KEYPAD)
    user.key(Qt.Key.Key_5, KEYPAD)
    assert user.name() == "Commencer"


class HeldBackOffice:
    """A back office whose answer waits until the test lets it go."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()

    def request_status(self, reference: str) -> RequestStatus:
        self.asked.set()
        assert self.release.wait(20)
        return RequestStatus(Status.DONE)


def join_lookups() -> None:
    for thread in threading.enumerate():
        if thread.name == "request-status":
            thread.join(20)
    settle()


def test_the_screen_lives_while_the_town_hall_answers_and_a_late_answer_is_dropped(
    kiosk, qtbot
):
    back_office = HeldBackOffice()
    desk = StatusDesk(kiosk.window, StatusScreen(kiosk.metrics, kiosk.window),
                      kiosk.delivery.store, back_office, kiosk)
    said: list[str] = []
    desk.speak.connect(said.append)
    resident = Resident(kiosk)
    desk.open()
    resident.write(FIELD, "ADM-7K3-Q9P")
    resident.press("Chercher")
    assert back_office.asked.wait(20)
    # The GUI thread is free meanwhile: the resident reads "un instant" and can leave.
    assert resident.sees("Un instant. La borne demande à la mairie.", (Role.StaticText,))
    resident.press("Retour")  # the visit ends before the answer comes (the app's wipe)
    desk.wipe()
    back_office.release.set()
    join_lookups()
    assert "Votre demande est terminée." not in said
    assert not resident.sees("Votre demande est terminée.", (Role.StaticText,))

    desk.open()  # the next resident asks: this answer is shown
    back_office.asked.clear()
    resident.write(FIELD, "ADM-7K3-Q9P")
    resident.press("Chercher")
    join_lookups()
    assert resident.sees("Votre demande est terminée.", (Role.StaticText,))
    assert said[-1] == "Votre demande est terminée."
    desk.stop()
