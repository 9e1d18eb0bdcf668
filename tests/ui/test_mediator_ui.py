"""The mediator's screens in the real kiosk: the panel's tools act on the queue and are
journaled, and every button of the names card, the consent card and the panel is named
for a screen reader and large enough to touch (15 mm)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from accessibility.sizes import TextSize
from kiosk.config import BackofficeSection, Config, KioskSection
from offline_queue.connector import ClockRefused, Misconfigured, Outcome
from offline_queue.store import State
from offline_queue.sync import SyncEvent
from tests.e2e.resident import Resident, Role
from tests.e2e.test_mediator import (  # noqa: F401  (cheap_scrypt: an autouse fixture)
    NAME,
    PIN,
    cheap_scrypt,
    journal_entries,
    kinds,
    log_in,
    logged_out,
    type_pin,
)
from wiring.app import KioskApp

REFERENCE = "VOI-7K3-Q9P"
REASON = "champ manquant : lieu"
RETRY = f"Réessayer {REFERENCE}"
PRIVATE = "Écoute privée (casque)"
TOUCH_MM = 15


@pytest.fixture
def kiosk(qapp: QApplication, data_dir) -> Iterator[KioskApp]:
    """A shown kiosk without back office (nothing leaves the queue by itself)."""
    section = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
    app = KioskApp(Config(kiosk=section, backoffice=BackofficeSection(kind="none")), qapp)
    app.show()
    app.complete_setup()
    app.window.activateWindow()
    app.mediation.registry.add(NAME, PIN)
    yield app
    app.shutdown()


@pytest.fixture
def resident(kiosk: KioskApp) -> Resident:
    return Resident(kiosk)


@pytest.fixture
def refused_item(kiosk: KioskApp) -> str:
    """A request the back office refused for good, as the sender leaves it: ``dead``."""
    store = kiosk.delivery.store
    item_id = str(uuid.uuid4())
    store.enqueue(item_id, REFERENCE, "signalement-rue", b'{"reference": "VOI-7K3-Q9P"}')
    claimed = store.claim_next()
    assert claimed is not None
    assert claimed.item_id == item_id
    assert store.mark_dead(item_id, REASON)
    return item_id


def press_deleted_button(resident: Resident, name: str, qtbot) -> None:
    """Press a button that its own click removes from the screen (the panel is redrawn):
    its accessible action, then wait until it is gone."""
    actions = resident.element(name).actionInterface()
    assert actions is not None, f"{name!r} offers no action"
    actions.doAction(actions.pressAction())
    qtbot.waitUntil(lambda: not resident.sees(name))


def test_the_panel_retries_a_refused_request_sends_now_and_ends_the_visit(
    kiosk, resident, refused_item, data_dir, qtbot
):
    log_in(resident, qtbot)
    resident.press("Espace médiateur")
    assert resident.sees(f"Espace médiateur : {NAME}", (Role.Heading,))
    assert resident.sees(f"{REFERENCE} : {REASON}", (Role.StaticText,))

    press_deleted_button(resident, RETRY, qtbot)
    assert kiosk.delivery.store.get(refused_item).state is State.PENDING
    assert not resident.sees(RETRY), "the panel still offers a request that is on its way"
    entries = journal_entries(data_dir)
    mediator = kiosk.mediation.registry.find(NAME)
    assert (entries[-1].kind, entries[-1].actor, dict(entries[-1].details)) == (
        "queue_retry", mediator.id, {"item": refused_item, "reference": REFERENCE},
    )

    resident.press("Envoyer maintenant")
    entries = journal_entries(data_dir)
    assert (entries[-1].kind, entries[-1].actor) == ("queue_sync_forced", mediator.id)

    speaker = kiosk.narrator.speaker
    resident.press(PRIVATE)
    assert speaker.private_listening
    assert resident.is_chosen(PRIVATE)
    resident.press(PRIVATE)
    assert not speaker.private_listening
    assert not resident.is_chosen(PRIVATE)

    resident.press("Terminer la visite")
    assert logged_out(kiosk)
    assert resident.sees("Commencer")
    assert resident.sees("Médiateur")
    assert not resident.sees("Terminer la visite")
    entries = journal_entries(data_dir)
    assert kinds(entries)[-1] == "mediator_logout"
    assert dict(entries[-1].details) == {"reason": "finished"}


CLOCK = ("L'horloge de la borne n'est pas à l'heure. Les demandes attendent. "
         "Prévenez le technicien.")
WRONG_URL = "Envoi en pause : l'adresse de la mairie est mal réglée. Prévenez le technicien."


def _answered(kiosk: KioskApp, outcome: Outcome) -> None:
    """A request the sender tried, answered with ``outcome``, as the worker records it."""
    store = kiosk.delivery.store
    store.enqueue(str(uuid.uuid4()), REFERENCE, "signalement-rue", b'{"reference": "x"}')
    claimed = store.claim_next()
    assert claimed is not None
    store.record_outcome(claimed.item_id, outcome, delay=60.0)
    kind = "clock" if isinstance(outcome, ClockRefused) else "paused"
    kiosk.delivery.sync_event.emit(SyncEvent(kind))


@pytest.mark.parametrize(
    ("outcome", "text"),
    [(ClockRefused("HTTP 401 stale_timestamp", 3600.0), CLOCK),
     (Misconfigured("the back-office URL answers HTTP 404: check [backoffice] url"), WRONG_URL)],
    ids=["clock", "wrong-url"],
)
def test_the_panel_and_the_top_bar_say_what_holds_the_requests(
    kiosk, resident, qtbot, outcome, text
):
    _answered(kiosk, outcome)
    assert not resident.sees(text, (Role.StaticText,)), "no mediator sign for a resident"
    log_in(resident, qtbot)
    resident.press("Espace médiateur")
    lines = [line for shown in resident.texts() for line in shown.splitlines()]
    assert lines.count(text) == 2, lines  # the panel's first line, and the top bar's sign


def test_a_mediator_who_logs_in_during_a_demarche_is_asked_consent_and_counted_once(
    kiosk, resident, qtbot
):
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    log_in(resident, qtbot)
    assert resident.sees("Êtes-vous d'accord ?", (Role.Heading,))
    resident.press("Oui, je suis d'accord")
    resident.press("Espace médiateur")
    started = "Aujourd'hui : 1 démarches commencées, 0 envoyées, 0 abandonnées."
    figures = [t for t in resident.texts() if t.startswith("Aujourd'hui")]
    assert [text.splitlines()[0] for text in figures] == [started]


# ---------------------------------------------------------------- named and large


def buttons_of(card: QWidget) -> list[QAbstractButton]:
    return [b for b in card.findChildren(QAbstractButton) if b.isVisible()]


def assert_named_and_large(kiosk: KioskApp, card: QWidget, expected: set[str]) -> None:
    QApplication.processEvents()
    buttons = buttons_of(card)
    names = {button.accessibleName() for button in buttons}
    assert expected <= names, f"missing {expected - names} among {names}"
    minimum = kiosk.metrics.px(TOUCH_MM)
    for button in buttons:
        assert button.accessibleName().strip(), f"a button without a name: {button.text()!r}"
        size = button.size()
        assert min(size.width(), size.height()) >= minimum, (
            f"{button.accessibleName()!r} is {size.width()}x{size.height()} px, "
            f"under {TOUCH_MM} mm ({minimum} px)"
        )


@pytest.mark.parametrize("text_size", list(TextSize), ids=lambda size: size.name.lower())
def test_every_mediator_button_has_a_name_and_is_at_least_15_mm(
    kiosk, resident, refused_item, qtbot, text_size
):
    kiosk.set_appearance(kiosk.appearance.with_text_size(text_size))
    kiosk.mediation.registry.add("Dominique", "531864")
    mediation = kiosk.mediation

    resident.press("Médiateur")
    assert_named_and_large(kiosk, mediation.names, {NAME, "Dominique", "Annuler"})
    resident.press(NAME)
    assert_named_and_large(kiosk, mediation.pad, {*"0123456789", "Effacer", "Valider", "Annuler"})
    type_pin(resident, PIN)
    qtbot.waitUntil(kiosk.window.banner.isVisible, timeout=10_000)

    resident.start()
    resident.open_demarche("Un problème dans la rue")
    assert_named_and_large(
        kiosk, mediation.consent, {"Oui, je suis d'accord", "Non, je remplis moi-même"}
    )
    resident.press("Oui, je suis d'accord")

    resident.press("Espace médiateur")
    panel_buttons = {RETRY, "Envoyer maintenant", PRIVATE, "Terminer la visite", "Fermer"}
    assert_named_and_large(kiosk, mediation.panel, panel_buttons)
    resident.press("Fermer")
    assert not resident.sees("Terminer la visite")



def test_a_resident_who_first_refused_can_agree_later_from_the_panel(qtbot, tmp_path):
    """The consent is the resident's: asked again from the panel, it can change."""
    from tests.a11y import press

    kiosk = KioskApp(
        Config(
            kiosk=KioskSection(fullscreen=False, data_dir=str(tmp_path), watchdog=False),
            backoffice=BackofficeSection(kind="none"),
        ),
        QApplication.instance(),
    )
    kiosk.show()
    kiosk.complete_setup()
    try:
        mediation = kiosk.mediation
        mediator = mediation.registry.add("Camille", "258013")
        mediation.accept_answer(mediation.registry.authenticate(mediator.id, "258013"))
        kiosk.start_visit()
        kiosk.guide.start_demarche("signalement-rue")
        press(kiosk.window, "Non, je remplis moi-même")
        assert mediation.visit.is_guide_only("signalement-rue")
        press(kiosk.window, "Espace médiateur")
        press(kiosk.window, "Demander l'accord")
        press(kiosk.window, "Oui, je suis d'accord")
        assert mediation.visit.may_fill("signalement-rue")
        assert kiosk.window.banner.text() == "Accompagné par Camille"
    finally:
        kiosk.shutdown()
