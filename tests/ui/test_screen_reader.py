"""What a screen reader is told, through Qt's accessibility interfaces (``ui.screen_reader``):
the window is a frame in the language on screen, titles are headings, single choices are
radio buttons in a group named by the question, errors are alerts said as they appear,
tiles are one element each, the QR code a named image, and the mediators' delivery sign
is neither seen nor heard by a resident. Over AT-SPI, as Orca gets it: test_atspi.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from tests.a11y import children, find, group_of, name_of, role_of, walk
from tests.e2e.module_kiosk import shared_kiosk
from tests.e2e.resident import settle
from ui import screen_reader
from wiring.app import KioskApp
from wiring.screenshots import all_scenes

Role = QAccessible.Role


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    yield from shared_kiosk(qapp, tmp_path_factory.mktemp("screen-reader-data"))


@pytest.fixture(autouse=True)
def french_at_the_end(kiosk: KioskApp) -> Iterator[None]:
    yield
    kiosk.wipe_session()
    settle()


def enter(kiosk: KioskApp, scene_name: str) -> None:
    [scene] = [scene for scene in all_scenes(kiosk) if scene.name == scene_name]
    scene.enter(kiosk)
    settle()


def visible(kiosk: KioskApp, role: QAccessible.Role) -> list[str]:
    return [name_of(i) for i in walk(kiosk.window) if i.role() == role]


def test_the_window_is_a_frame_named_by_the_kiosk(kiosk):
    kiosk.wipe_session()
    assert role_of(kiosk.window) == Role.Window
    assert name_of(QAccessible.queryAccessibleInterface(kiosk.window)) == "Borne citoyenne"


@pytest.mark.parametrize(("language", "bcp47"), [("fr", "fr"), ("ar", "ar"), ("en", "en")])
def test_the_language_on_screen_is_the_locale_a_screen_reader_gets(kiosk, language, bcp47):
    kiosk.set_language(language)
    assert QLocale().bcp47Name() == bcp47  # AT-SPI gives it to every element
    assert kiosk.window.locale().bcp47Name() == bcp47


@pytest.mark.parametrize(
    ("scene", "heading"),
    [
        ("welcome", "Bonjour !"),
        ("demarches", "Que voulez-vous faire ?"),
        ("signalement-rue-01", "Quel est le problème ?"),
        ("status", "Où en est ma demande ?"),
        ("settings", "Affichage"),
    ],
)
def test_titles_are_headings(kiosk, scene, heading):
    enter(kiosk, scene)
    assert heading in visible(kiosk, Role.Heading)


def test_the_groups_of_demarches_are_headings_too(kiosk):
    enter(kiosk, "demarches")
    headings = visible(kiosk, Role.Heading)
    assert {"Mes papiers", "Ma ville"} <= set(headings), headings


def test_a_single_choice_is_radio_buttons_in_a_group_named_by_the_question(kiosk):
    enter(kiosk, "signalement-rue-01")
    option = find(kiosk.window, "Lampe de rue en panne", Role.RadioButton)
    group = group_of(option)
    assert group is not None
    assert group.role() == Role.Grouping
    assert name_of(group) == "Quel est le problème ?"
    assert [c.role() for c in children(group)] == [Role.RadioButton] * 5


def test_a_choice_of_several_is_check_boxes(kiosk):
    enter(kiosk, "demande-logement-05")
    boxes = visible(kiosk, Role.CheckBox)
    assert len(boxes) >= 2, boxes
    assert not visible(kiosk, Role.RadioButton)


def test_a_chosen_option_says_so_and_can_be_chosen_by_its_action(kiosk):
    enter(kiosk, "signalement-rue-01")
    option = find(kiosk.window, "Lampe de rue en panne", Role.RadioButton)
    assert not option.state().checked
    actions = option.actionInterface()
    assert actions is not None
    actions.doAction(actions.toggleAction())
    assert option.state().checked
    assert option.state().checkable
    assert kiosk.guide.question.answer() == "eclairage"


@pytest.mark.parametrize("scene", ["language", "settings", "welcome"])
def test_the_panels_choices_are_radio_buttons_in_named_groups(kiosk, scene):
    enter(kiosk, scene)
    radios = [i for i in walk(kiosk.window) if i.role() == Role.RadioButton]
    assert radios
    for radio in radios:
        group = group_of(radio)
        assert group is not None, name_of(radio)
        assert name_of(group), name_of(radio)


def test_a_tile_is_one_element_with_its_name_and_description(kiosk):
    enter(kiosk, "demarches")
    tile = find(kiosk.window, "Un problème dans la rue")
    assert tile.text(QAccessible.Text.Description).startswith("Un trottoir abîmé")
    assert children(tile) == []
    assert "" not in visible(kiosk, Role.Graphic)  # no unnamed pictogram anywhere


def test_the_qr_code_is_an_image_named_with_what_it_holds(kiosk):
    enter(kiosk, "signalement-rue-09")
    # A QR code is shown only with a tracking page (the back office's, or the configured one).
    kiosk.guide.receipt.show_tracking("https://mairie.example/suivi/ADM-7K3")
    [qr] = [i for i in walk(kiosk.window) if i.role() == Role.Graphic and "QR" in name_of(i)]
    assert name_of(qr) == "Code QR du suivi"
    assert qr.text(QAccessible.Text.Description).startswith("Page de suivi de la demande ")


def test_screens_and_panels_have_names(kiosk):
    enter(kiosk, "signalement-rue-01")
    assert name_of(QAccessible.queryAccessibleInterface(kiosk.guide.question)) == (
        "Un problème dans la rue"
    )
    enter(kiosk, "settings")
    assert "Affichage" in visible(kiosk, Role.Dialog)
    assert "Barre du haut" in visible(kiosk, Role.Border)


def test_a_refused_answer_is_an_alert_said_as_it_appears(kiosk, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(screen_reader, "announce", lambda _widget, text: said.append(text))
    enter(kiosk, "signalement-rue-01")
    assert not visible(kiosk, Role.AlertMessage)
    kiosk.guide.next_question()  # no answer chosen
    settle()
    [alert] = visible(kiosk, Role.AlertMessage)
    assert alert.startswith("Attention : ")
    assert said == [alert]


def test_announce_does_nothing_without_a_screen_reader(kiosk, qtbot):
    """Offscreen, no screen reader listens: nothing is sent (and nothing fails)."""
    assert not QAccessible.isActive()
    screen_reader.announce(kiosk.window, "Attention")


def test_a_resident_neither_sees_nor_hears_the_delivery_sign(kiosk):
    kiosk.wipe_session()
    sign = kiosk.window.top_bar.delivery_status
    sentence = kiosk.delivery.describe()[0]
    for scene in ("welcome", "demarches", "signalement-rue-01", "signalement-rue-09"):
        enter(kiosk, scene)
        assert not sign.isVisible(), scene
        assert sentence not in [name_of(i) for i in walk(kiosk.window)], scene


def test_a_logged_in_mediator_sees_the_delivery_sign(kiosk):
    enter(kiosk, "mediator-banner")
    sign = QAccessible.queryAccessibleInterface(kiosk.window.top_bar.delivery_status)
    assert kiosk.window.top_bar.delivery_status.isVisible()
    assert name_of(sign) == kiosk.delivery.describe()[0]
    kiosk.wipe_session()
    settle()
    assert not kiosk.window.top_bar.delivery_status.isVisible()
