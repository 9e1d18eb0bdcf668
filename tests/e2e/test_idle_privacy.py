"""Nothing of a resident shows behind "Êtes-vous toujours là ?" (issue 13, item 9): whoever
walks up during the countdown sees the question on a plain screen, and a screen reader
finds nothing else either; "Je suis là" gives the visit back as it was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible, QColor

from accessibility.sizes import TextSize
from accessibility.themes import THEMES, ThemeName
from tests.a11y import find_widget, walk
from tests.e2e.journeys import TouchUser
from tests.e2e.resident import Resident, Role, settle
from ui.style import Appearance

TYPED = "3 place du Marché"
FIELD = "Adresse écrite"
QUESTION = "Où est le problème ?"


def texts_reachable(resident: Resident) -> list[str]:
    """Every name and value a screen reader can reach in the window now."""
    return [
        iface.text(kind)
        for iface in walk(resident.window)
        for kind in (QAccessible.Text.Name, QAccessible.Text.Value, QAccessible.Text.Description)
    ]


def pixels_unlike(image_colour: QColor, resident: Resident, card: QRect) -> int:
    """How many pixels outside ``card`` (every third one) are not ``image_colour``."""
    image = resident.window.grab().toImage()
    around = card.adjusted(-2, -2, 2, 2)
    return sum(
        image.pixelColor(x, y).rgb() != image_colour.rgb()
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
        if not around.contains(x, y)
    )


@pytest.mark.parametrize("theme", list(ThemeName))
def test_nothing_typed_shows_behind_the_idle_question(make_kiosk, qtbot, theme):
    kiosk = make_kiosk(idle_seconds=1, idle_countdown_seconds=30)
    kiosk.set_appearance(Appearance(theme=theme))
    resident = Resident(kiosk)
    resident.start()
    resident.open_demarche("Un problème dans la rue")
    resident.choose("Lampe de rue en panne")
    resident.next()
    resident.write(FIELD, TYPED)  # typed with keys: the idle watch is on
    field = resident.field(FIELD)

    with qtbot.waitSignal(kiosk.idle.idle_timed_out, timeout=10_000):
        pass
    settle()

    assert resident.sees("Êtes-vous toujours là ?", (Role.Heading,))
    assert not field.isVisible()
    reachable = texts_reachable(resident)
    assert not [t for t in reachable if TYPED in t], "a screen reader can read the answer"
    assert QUESTION not in reachable
    card = find_widget(resident.window, "Je suis là").parentWidget()
    where = QRect(card.mapTo(resident.window, QPoint(0, 0)), card.size())
    background = QColor(THEMES[theme].background)
    assert pixels_unlike(background, resident, where) == 0, "the visit shows around the card"

    resident.press("Je suis là")
    resident.asked(QUESTION)
    assert field.isVisible()
    assert resident.text_in(FIELD) == TYPED


def test_the_next_resident_gets_the_default_text_size_and_colours(resident: Resident) -> None:
    """WCAG 1.4.4 and EN 301 549 5.1.3.13: what one resident chose in "Aa" ends with
    their visit (here, the list's "Retour", which ends it)."""
    kiosk = resident.kiosk
    finger = TouchUser(kiosk, [], confirm=False)  # taps, as a finger's
    resident.start()
    for name in ("Aa : taille du texte et couleurs", "Très grand", "Sombre", "Fermer"):
        finger.press(name)
    assert kiosk.appearance == Appearance(ThemeName.DARK, TextSize.LARGEST)
    finger.press("Retour")
    assert resident.sees("Commencer")
    assert kiosk.appearance == Appearance()
    resident.press("Aa : taille du texte et couleurs")
    assert resident.element("Grand").state().checked
    assert resident.element("Clair").state().checked
