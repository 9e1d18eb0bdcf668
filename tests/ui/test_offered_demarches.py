"""With a back office that needs a target per démarche (w.c.s., Open311), residents are
offered only the démarches mapped to it: the others could only wait in the queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from kiosk.config import BackofficeSection, Config, KioskSection
from tests.a11y import Role, walk
from wiring.app import KioskApp

STREET = "Un problème dans la rue"
HOUSING = "Demande de logement"


def tiles(app: KioskApp) -> list[str]:
    app.guide.show_demarches()
    return [i.text(QAccessible.Text.Name) for i in walk(app.guide.demarches)
            if i.role() == Role.Button]


@pytest.fixture
def wcs_kiosk(qapp: QApplication, data_dir: Path) -> Iterator[KioskApp]:
    section = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
    # No w.c.s. key is enrolled: the connector is not built, nothing tries the network.
    office = BackofficeSection(kind="wcs", url="https://demarches.mairie.example",
                               orig="borne-mairie-01")
    app = KioskApp(Config(kiosk=section, backoffice=office), qapp)
    app.show()
    app.complete_setup()
    yield app
    app.shutdown()


def test_a_wcs_kiosk_offers_only_the_demarches_mapped_to_wcs(wcs_kiosk: KioskApp) -> None:
    offered = tiles(wcs_kiosk)
    assert STREET in offered
    assert HOUSING not in offered
    assert [d.id for d in wcs_kiosk.offered_catalog().demarches] == ["signalement-rue"]
    assert len(wcs_kiosk.catalog().demarches) == 6  # the catalog itself is whole


def test_without_such_a_back_office_every_demarche_is_offered(make_kiosk) -> None:
    offered = tiles(make_kiosk())
    assert STREET in offered
    assert HOUSING in offered
