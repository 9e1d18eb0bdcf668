""""Abandonner", confirmed, leaves nothing of the visit behind: not on screen, not in a
hidden widget, not in an accessible name, not in memory, not in the queue."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget

from tests.e2e.resident import Resident, Role

NAME = "Zéphyrine Quaglia"
PHONE = "06 99 88 77 66"
MESSAGE = "Le lampadaire du 17 bis clignote"
STATIC = (Role.StaticText,)
SECRETS = (NAME, "Zéphyrine", "Quaglia", PHONE, "0699887766", MESSAGE, "17 bis")


def every_text_of(window: QWidget) -> list[str]:
    """Each text any widget of the window holds, shown or hidden, and every accessible text."""
    texts = []
    for widget in [window, *window.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        texts.extend((widget.accessibleName(), widget.accessibleDescription()))
    return texts


def traces(window: QWidget) -> list[str]:
    return [t for t in every_text_of(window) if any(s in t for s in SECRETS)]


def fill_until_review(resident: Resident) -> None:
    resident.start()
    resident.open_demarche("Je ne sais pas à quel service m'adresser")
    resident.choose("Rue, propreté, bruit")
    resident.next()
    resident.choose("Oui")
    resident.next()
    resident.write("Écrivez votre question.", MESSAGE)
    resident.next()
    resident.choose("Par téléphone")
    resident.next()
    resident.write("Quel est votre nom et votre prénom ?", NAME)
    resident.next()
    resident.write("Quel est votre numéro de téléphone ?", PHONE)
    resident.next()
    resident.choose("J'accepte")
    resident.next()
    assert resident.at_review()


def test_abandon_asks_first_and_no_keeps_every_answer(resident, queued):
    fill_until_review(resident)
    resident.press("Abandonner")
    assert resident.sees("Voulez-vous tout arrêter ?", (Role.Heading,))
    assert resident.sees("Tout ce que vous avez écrit sera effacé.", STATIC)
    resident.press("Non, je continue")
    assert not resident.sees("Voulez-vous tout arrêter ?", (Role.Heading,))
    assert resident.review()["Quel est votre nom et votre prénom ?"] == NAME
    assert resident.kiosk.guide.session is not None


def test_abandon_from_the_review_leaves_no_trace_of_the_answers(resident, queued):
    fill_until_review(resident)
    assert traces(resident.window)  # the check below can see answers when there are some

    resident.press("Abandonner")
    resident.press("Oui, tout effacer")

    assert resident.sees("Commencer")  # back to the welcome screen
    assert traces(resident.window) == []
    assert resident.kiosk.guide.session is None
    assert queued() == []


def test_abandon_in_the_middle_of_typing_leaves_no_trace(resident, queued):
    fill_until_review(resident)
    resident.modify("Écrivez votre question.")
    resident.write("Écrivez votre question.", " 17 bis encore")  # typed, never validated
    resident.press("Abandonner")
    resident.press("Oui, tout effacer")

    assert resident.sees("Commencer")
    assert traces(resident.window) == []
    assert resident.kiosk.guide.session is None
    assert queued() == []
    # The next resident starts from an empty démarche.
    resident.start()
    resident.open_demarche("Je ne sais pas à quel service m'adresser")
    assert not any(resident.is_chosen(o) for o in ("Rue, propreté, bruit", "Autre chose"))
