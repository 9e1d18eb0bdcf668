"""Hands that press twice, or hold a key: a press meant for one screen never acts on the
next (issue 13, item 6). Taps come through the window, as a finger's do: each lands on
whatever is at that place when it comes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.a11y import find_widget
from tests.e2e.resident import (
    Resident,
    Role,
    answer_street_report,
    settle,
    wait_until_settled,
)
from wiring.app import KioskApp

NO = Qt.KeyboardModifier.NoModifier


def place_of(window: QWidget, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def tap(kiosk: KioskApp, where: QPoint) -> None:
    QTest.mouseClick(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, NO, where)
    settle()


def double_tap(kiosk: KioskApp, where: QPoint) -> None:
    QTest.mouseDClick(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, NO, where)
    settle()


def at_review_of_a_street_report(resident: Resident) -> None:
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    answer_street_report(resident)


def test_a_double_tap_on_envoyer_leaves_the_receipt_and_its_reference(resident, queued):
    at_review_of_a_street_report(resident)
    kiosk = resident.kiosk
    where = place_of(kiosk.window, find_widget(kiosk.window, "Envoyer"))
    wait_until_settled(kiosk.window)

    double_tap(kiosk, where)

    assert resident.sees("Votre demande est enregistrée.", (Role.Heading,))
    [item] = queued()  # stored once
    assert resident.sees(item.reference, (Role.StaticText,))
    finish = find_widget(kiosk.window, "Terminer")
    # The hazard is real: "Terminer" is under the finger that pressed "Envoyer".
    assert finish.rect().contains(finish.mapFrom(kiosk.window, where))


def test_terminer_waits_a_moment_then_ends_the_visit(resident, queued):
    at_review_of_a_street_report(resident)
    reference = resident.send()
    kiosk = resident.kiosk
    finish = resident.element("Terminer")
    assert finish.state().disabled, "a screen reader must hear 'Terminer' is not available yet"
    assert not finish.actionInterface().actionNames(), "a screen reader could press it"
    wait_until_settled(kiosk.window)

    tap(kiosk, place_of(kiosk.window, find_widget(kiosk.window, "Terminer")))
    assert resident.sees(reference, (Role.StaticText,)), "the receipt went at once"

    resident.wait_until_available("Terminer")
    tap(kiosk, place_of(kiosk.window, find_widget(kiosk.window, "Terminer")))
    assert resident.sees("Commencer")
    assert not resident.sees(reference, (Role.StaticText,))
    assert len(queued()) == 1


def test_the_idle_question_still_ends_a_visit_on_the_receipt(make_kiosk, qtbot):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=1)
    resident = Resident(kiosk)
    # Not watched during the walk: it takes more than the 1 s idle time, and any input
    # event on the way (a key, a pointer event) would arm the watch and ask too early.
    kiosk.idle.stop()
    at_review_of_a_street_report(resident)
    reference = resident.send()
    kiosk.idle.start()  # watched from the receipt on, as after a resident's last touch
    with qtbot.waitSignal(kiosk.session_wiped, timeout=10_000):
        pass
    assert resident.sees("Commencer")
    assert not resident.sees(reference, (Role.StaticText,))


def test_a_double_tap_on_suivant_moves_one_question_only(resident):
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    resident.choose("Lampe de rue en panne")
    kiosk = resident.kiosk
    wait_until_settled(kiosk.window)

    double_tap(kiosk, place_of(kiosk.window, find_widget(kiosk.window, "Suivant")))

    resident.asked("Où est le problème ?")
    assert resident.error() == "", "the second tap pressed 'Suivant' on the next question"


def test_a_keypad_5_held_down_presses_once(resident):
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    resident.choose("Lampe de rue en panne")
    kiosk = resident.kiosk
    wait_until_settled(kiosk.window)
    suivant = find_widget(kiosk.window, "Suivant")
    suivant.setFocus()

    held = QKeyEvent(
        QEvent.Type.KeyPress, Qt.Key.Key_5, Qt.KeyboardModifier.KeypadModifier, "5", True
    )
    QApplication.sendEvent(suivant, held)
    settle()

    resident.asked("Quel est le problème ?")
