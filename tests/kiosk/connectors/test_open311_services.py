"""The catalog's Open311 mapping, built into the connector's, and a resident's street
report delivered with it to the fake GeoReport v2 server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.catalog import load_catalog
from kiosk.catalog.model import Catalog
from kiosk.catalog.store import bundled_catalog_path
from kiosk.connectors.open311 import Open311Connector
from kiosk.connectors.open311_services import open311_services
from tests.fakes.open311_process import API_KEY, RunningOpen311, running_open311
from tests.kiosk.connectors.connector_support import catalog_street_report, outgoing

VOIRIE = {"voirie": {"service_name": "Voirie", "attributes": [
    {"code": "nature", "datatype": "singlevaluelist", "required": True, "order": 1},
    {"code": "danger", "datatype": "string", "required": False, "order": 2},
    {"code": "rappel", "datatype": "string", "required": False, "order": 3},
]}}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(bundled_catalog_path())


@pytest.fixture(scope="module", params=["spec", "deviant"])
def server(request: pytest.FixtureRequest) -> Iterator[RunningOpen311]:
    with running_open311(VOIRIE, mode=request.param) as started:
        yield started


def test_only_the_mapped_demarche_gets_a_service(catalog: Catalog) -> None:
    services = open311_services(catalog)
    assert list(services) == ["signalement-rue"]
    service = services["signalement-rue"]
    assert service.service_code == "voirie"
    assert service.place_answer == "lieu"
    assert service.contact_consent == "accord"
    mairie = service.places["place-mairie"]
    assert (mairie.lat, mairie.long) == ("47.93412", "0.14258")


def test_a_street_report_reaches_the_server_with_the_places_coordinates(
    catalog: Catalog, server: RunningOpen311
) -> None:
    submission = catalog_street_report(catalog, "place-mairie")
    connector = Open311Connector(server.url, API_KEY, open311_services(catalog), deadline=5.0)
    try:
        connector.deliver(outgoing(submission))
    finally:
        connector.close()
    [stored] = server.with_reference(submission.reference)
    form = stored["form"]
    assert form["service_code"] == ["voirie"]
    assert (form["lat"], form["long"]) == (["47.93412"], ["0.14258"])
    assert form["attribute[nature]"] == ["eclairage"]
    assert "Le lampadaire clignote." in form["description"][0]
    assert form["phone"] == ["0612345678"]  # the resident agreed (question "accord")
