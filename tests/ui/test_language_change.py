"""A change of language redraws everything: on every screen, entered in French and then
switched to Arabic, no text the resident sees or a screen reader reads is still French
when it has an Arabic translation (the kiosk's own texts and the catalog's)."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.catalog.review import texts_of
from kiosk.i18n import DOMAIN
from kiosk.paths import asset
from tests.e2e.module_kiosk import shared_kiosk
from tests.e2e.resident import settle
from tests.ui.test_every_screen import seen_widgets
from wiring.app import KioskApp
from wiring.screenshots import all_scenes

ARABIC = gettext.translation(DOMAIN, localedir=asset("locale"), languages=["ar"])


@pytest.fixture(scope="module")
def kiosk(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskApp]:
    yield from shared_kiosk(qapp, tmp_path_factory.mktemp("language-change-data"))


def still_french(kiosk: KioskApp) -> list[str]:
    """Texts on screen (shown or named) that are French and have an Arabic translation."""
    catalog_french = {
        found.texts.fr for found in texts_of(kiosk.catalog()) if found.texts.ar
    }
    left = []
    for shown in seen_widgets(kiosk.window):
        widget = shown.widget
        texts = {widget.accessibleName(), widget.accessibleDescription()}
        if isinstance(widget, QLabel | QAbstractButton):
            texts.add(widget.text())
        for text in texts - {""}:
            if ARABIC.gettext(text) != text or text in catalog_french:
                left.append(f"{shown.name}: {text[:60]!r}")
    return left


@pytest.mark.timeout(600)
def test_every_screen_is_redrawn_in_arabic_after_a_change_of_language(kiosk):
    failures = []
    for scene in all_scenes(kiosk):
        scene.enter(kiosk)
        assert kiosk.language == "fr", scene.name
        kiosk.set_language("ar")
        settle()
        failures += [f"{scene.name}: {problem}" for problem in still_french(kiosk)]
        if scene.name in ("signalement-rue-03", "status"):
            # A text box has the focus: the keyboard is up, its keys renamed too.
            keys = [s.widget for s in seen_widgets(kiosk.window)
                    if s.widget.objectName() == "keyboardKey"]
            names = {key.accessibleName() for key in keys}
            assert "مسح" in names, scene.name
    assert not failures, f"{len(failures)} texts still French:\n" + "\n".join(failures)
