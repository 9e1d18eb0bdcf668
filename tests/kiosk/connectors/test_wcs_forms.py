"""The w.c.s. forms built from the catalog: Admiville's street problem, answered through the
domain as a resident would, reaches the fake w.c.s. with the catalog's varnames, values
and the place's coordinates."""

from __future__ import annotations

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.model import Catalog
from kiosk.catalog.store import bundled_catalog_path
from kiosk.config import parse_config
from kiosk.connectors.wcs import WcsConnector, WcsField
from kiosk.connectors.wcs_forms import wcs_forms
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from tests.kiosk.connectors.connector_support import catalog_street_report, outgoing

SLUG = "signalement-voirie"
VARNAMES = ("kiosk_uuid", "probleme", "lieu", "description", "danger", "rappel", "telephone")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(bundled_catalog_path())


@pytest.fixture(scope="module")
def wcs() -> RunningWcs:
    with running_wcs({SLUG: VARNAMES}) as started:
        yield started


def test_only_mapped_demarches_get_a_form(catalog: Catalog) -> None:
    forms = wcs_forms(catalog)
    assert list(forms) == ["signalement-rue"]
    form = forms["signalement-rue"]
    assert form.slug == SLUG
    assert form.uuid_varname == "kiosk_uuid"
    assert form.ignored == frozenset({"accord"})
    assert form.fields["lieu"].choices["place-mairie"] == "47.93412;0.14258"
    assert form.fields["description"] == WcsField("description")


@pytest.mark.parametrize(
    ("place", "sent"),
    [("place-mairie", "47.93412;0.14258"), ("12 rue des Peupliers", "12 rue des Peupliers")],
)
def test_a_street_problem_is_delivered_with_the_catalog_mapping(
    catalog: Catalog, wcs: RunningWcs, place: str, sent: str
) -> None:
    submission = catalog_street_report(catalog, place)
    connector = WcsConnector(wcs.url, ORIG, KEY, wcs_forms(catalog), deadline=5.0)
    try:
        connector.deliver(outgoing(submission))
    finally:
        connector.close()
    [form] = [f for f in wcs.stored()[SLUG] if f["data"]["kiosk_uuid"] == submission.id]
    assert form["data"] == {
        "kiosk_uuid": submission.id,
        "probleme": "Éclairage public en panne",
        "lieu": sent,
        "description": "Le lampadaire clignote.",
        "danger": False,
        "rappel": True,
        "telephone": "0612345678",
    }


def test_the_configured_wcs_connector_takes_the_catalog_forms(catalog: Catalog) -> None:
    from kiosk import secrets
    from kiosk.connectors.configured import connector_from_config
    from wiring.app import wcs_forms_of

    secrets.set_secret(secrets.WCS_API_KEY, "cle")
    config = parse_config({"backoffice": {"kind": "wcs", "url": "https://demarches.example",
                                          "orig": "borne-01"}}, "kiosk.toml")
    connector = connector_from_config(config, wcs_forms_of(config, catalog))
    assert isinstance(connector, WcsConnector)
    assert list(connector.forms) == ["signalement-rue"]
    assert wcs_forms_of(parse_config({}, "kiosk.toml"), catalog) == {}
