""""Vos données": reached from the welcome screen and from the consent question, by touch,
keypad or screen reader; every answer is a named focus stop; "Fermer" goes back to where
the resident was; the texts come from [gdpr] and [queue]."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kiosk.config import Config, GdprSection
from kiosk.gdpr_notice import CNIL_COMPLAINT, gdpr_notice, spoken
from tests.a11y import find_widget, press
from tests.e2e.resident import Resident, Role
from tests.e2e.test_mediator import cheap_scrypt, log_in  # noqa: F401  (an autouse fixture)
from tests.ui.test_mediator_ui import kiosk  # noqa: F401  (a fixture: a mediator enrolled)

DPO = "dpo@admiville.fr, 01 23 45 67 89"


def test_the_notice_opens_from_the_welcome_screen_and_closes_back_to_it(
    kiosk, qtbot  # noqa: F811
) -> None:
    window = kiosk.window
    button = find_widget(window, "Vos données")
    button.setFocus()
    press(window, "Vos données")
    qtbot.waitUntil(kiosk.gdpr.overlay.isVisible, timeout=5_000)
    answers = kiosk.gdpr.card.answers
    assert [a.accessibleName() for a in answers][:2] == ["Qui est responsable ?", "Pourquoi ?"]
    assert QApplication.focusWidget() is answers[0]  # the keypad starts at the first answer
    texts = " ".join(a.accessibleDescription() for a in answers)
    assert CNIL_COMPLAINT in texts
    assert "395 jours" in texts  # [gdpr] statistics_days
    assert "Commencer" not in [b.accessibleName() for b in window.findChildren(
        type(button)) if b.isEnabled() and b.isVisible() and b.window() is window
        and not kiosk.gdpr.card.isAncestorOf(b)]  # modal: the welcome screen is behind
    press(window, "Fermer")
    qtbot.waitUntil(lambda: not kiosk.gdpr.overlay.isVisible(), timeout=5_000)
    assert QApplication.focusWidget() is button


def test_mes_droits_on_the_consent_question_and_back(kiosk, qtbot) -> None:  # noqa: F811
    resident = Resident(kiosk)
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    log_in(resident, qtbot)
    assert resident.sees("Êtes-vous d'accord ?", (Role.Heading, Role.StaticText))
    resident.press("Mes droits")
    qtbot.waitUntil(kiosk.gdpr.overlay.isVisible, timeout=5_000)
    resident.press("Fermer")
    qtbot.waitUntil(lambda: not kiosk.gdpr.overlay.isVisible(), timeout=5_000)
    assert kiosk.mediation.consent_overlay.isVisible()  # the question is still asked
    card, focus = kiosk.mediation.consent, QApplication.focusWidget()
    assert focus is card or card.isAncestorOf(focus)  # back where it was, on the question
    resident.press("Oui, je suis d'accord")


def test_the_notice_says_what_the_configuration_says_and_reads_it_all() -> None:
    config = Config(gdpr=GdprSection(controller="Mairie d'Admiville, 1 place de la Mairie"))
    sections = gdpr_notice(config.gdpr, config.queue, "Admiville")
    assert sections[0].text == "Mairie d'Admiville, 1 place de la Mairie"
    with_dpo = gdpr_notice(config.gdpr._replace(dpo_contact=DPO), config.queue, "Admiville")
    assert DPO in with_dpo[6].text
    assert "30 jours" in sections[4].text
    assert "90 jours" in sections[4].text
    assert "l'accueil de la mairie" in sections[6].text  # no DPO configured: where to ask
    said = spoken(sections)
    assert said.startswith("Vos données")
    assert all(s.heading in said for s in sections)
