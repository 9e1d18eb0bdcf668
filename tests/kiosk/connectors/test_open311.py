"""Open311Connector against the fake GeoReport v2 server, in both its modes (as the
specification says, and as a real server was seen doing): what it sends, how every answer
is classified, and the look-up that keeps a re-send from making a second request."""

from __future__ import annotations

import socket
from types import MappingProxyType

import pytest
import requests

from kiosk.connectors.open311 import Open311Connector
from kiosk.connectors.open311_mapping import (
    MAX_DESCRIPTION,
    Open311Attribute,
    Open311Place,
    Open311Service,
    as_text,
)
from offline_queue.connector import Delivered, Rejected, RetryLater, Unauthorized
from tests.fakes.open311_process import API_KEY, RunningOpen311, running_open311
from tests.kiosk.connectors.connector_support import outgoing
from tests.kiosk.connectors.open311_support import (
    CODE,
    DEMARCHE,
    SERVICE,
    SERVICES,
    connector,
    submission,
)

MODES = ["spec", "deviant"]


@pytest.fixture(scope="module")
def server() -> RunningOpen311:
    with running_open311(SERVICES) as started:
        yield started


@pytest.fixture(params=MODES)
def fake(server: RunningOpen311, request: pytest.FixtureRequest):
    """The fake in each mode, faults forgotten after each test."""
    server.control(clear=True, mode=request.param, searchable=True)
    yield server
    server.control(clear=True, mode="spec", searchable=True)


@pytest.fixture
def spec(server: RunningOpen311):
    server.control(clear=True, mode="spec", searchable=True)
    yield server
    server.control(clear=True, searchable=True)


def test_a_submission_becomes_one_request_with_the_reference_and_mapped_values(fake):
    """Either mode: 200 and a numeric id, or 201, the whole record and a random string id."""
    sub = submission(1)
    outcome = connector(fake).deliver(outgoing(sub))
    [stored] = fake.with_reference(sub.reference)
    assert outcome == Delivered(stored["service_request_id"])
    assert stored["form"] == {
        "api_key": [API_KEY],
        "service_code": [CODE],
        "lat": ["48.8566"],
        "long": ["2.3522"],
        "description": [f"Référence borne : {sub.reference}\nDevant l'école, n°1\n"
                        "Personnes gênées : 4"],
        "attribute[nature]": ["pothole"],
        "attribute[jours][]": ["lundi", "jeudi"],
        "attribute[danger]": ["true"],
    }


def test_an_address_only_place_goes_as_address_string_and_address(fake):
    listed = submission(3, lieu=MappingProxyType({"id": "rue-lilas", "label": "Rue des Lilas"}))
    typed = submission(4, lieu=MappingProxyType({"text": "12 chemin du Moulin"}))
    unmapped = submission(5, lieu=MappingProxyType({"id": "gare", "label": "Gare"}))
    for sub, address in [(listed, "Rue des Lilas, Admiville"), (typed, "12 chemin du Moulin"),
                         (unmapped, "Gare")]:
        assert isinstance(connector(fake).deliver(outgoing(sub)), Delivered)
        [stored] = fake.with_reference(sub.reference)
        assert stored["form"]["address_string"] == stored["form"]["address"] == [address]
        assert "lat" not in stored["form"]


def test_contact_fields_go_only_with_the_residents_consent(spec):
    without = submission(6)
    consented = submission(7, rappel=True)
    for sub in (without, consented):
        assert isinstance(connector(spec).deliver(outgoing(sub)), Delivered)
    assert "email" not in spec.with_reference(without.reference)[0]["form"]
    form = spec.with_reference(consented.reference)[0]["form"]
    assert form["email"] == ["jeanne@example.org"]
    assert form["last_name"] == ["Martin"]


def test_the_jurisdiction_is_sent_when_configured(spec):
    sub = submission(8)
    assert isinstance(connector(spec, jurisdiction_id="admiville.fr").deliver(outgoing(sub)),
                      Delivered)
    assert spec.with_reference(sub.reference)[0]["form"]["jurisdiction_id"] == ["admiville.fr"]


def test_a_long_description_is_cut_to_4000_characters_keeping_the_reference(spec):
    sub = submission(9, details="mot " * 1500)
    assert isinstance(connector(spec).deliver(outgoing(sub)), Delivered)
    [stored] = spec.with_reference(sub.reference)
    assert len(stored["description"]) == MAX_DESCRIPTION
    assert stored["description"].startswith(f"Référence borne : {sub.reference}\n")
    assert stored["description"].endswith(" […]")


def test_what_cannot_be_mapped_is_refused_before_sending(spec):
    before = spec.posts()
    cases = [
        (submission(10, inconnue="x"),
         f"answer 'inconnue' has no place in Open311 service {CODE}"),
        (submission(11, nature="autre"),
         "answer 'nature': a choice has no Open311 attribute value"),
        (submission(12, lieu=None), "answer 'lieu' gives no place: an Open311 request needs a "
                                    "location"),
        (submission(13, lieu=MappingProxyType({"lat": "91", "lon": "2"})),
         "answer 'lieu': unreadable coordinates"),
    ]
    for sub, reason in cases:
        assert connector(spec).deliver(outgoing(sub)) == Rejected(reason)
    other = Open311Connector(spec.url, API_KEY, {"autre": SERVICE}, deadline=2.0)
    assert other.deliver(outgoing(submission(14))) == Rejected(
        f"no Open311 service for démarche {DEMARCHE!r}"
    )
    item = outgoing(submission(15))
    broken = type(item)(item.item_id, item.reference, b"{not json", 1)
    assert connector(spec).deliver(broken) == Rejected("payload is not a kiosk submission")
    assert spec.posts() == before


def test_coordinates_in_the_answer_go_as_lat_and_long(spec):
    sub = submission(16, lieu=MappingProxyType({"lat": "48.85", "lon": "2.35"}))
    assert isinstance(connector(spec).deliver(outgoing(sub)), Delivered)
    form = spec.with_reference(sub.reference)[0]["form"]
    assert (form["lat"], form["long"]) == (["48.85"], ["2.35"])


def test_a_wrong_api_key_pauses_the_queue(fake):
    sub = submission(17)
    outcome = connector(fake, api_key="mauvaise").deliver(outgoing(sub))
    assert outcome == Unauthorized("submit: HTTP 403 codes 403: the server refused the API key")
    assert fake.with_reference(sub.reference) == []


def test_a_service_refused_for_this_key_goes_aside_alone(fake):
    fake.control(post=["bad-service"])
    assert connector(fake).deliver(outgoing(submission(18))) == Rejected(
        "submit: HTTP 403 codes 403: the server refuses this service code"
    )


def test_an_unknown_service_goes_aside_with_the_reason(fake):
    gone = Open311Service(service_code="supprime", place_answer="lieu",
                          places=SERVICE.places, description_answer="details",
                          ignored=frozenset({"nature", "jours", "danger", "personnes", "rappel",
                                             "courriel", "nom"}))
    outcome = connector(fake, service=gone).deliver(outgoing(submission(19)))
    assert isinstance(outcome, Rejected)
    assert outcome.reason.startswith("submit: HTTP 404 codes ")
    assert outcome.reason.endswith("the server refuses this service code")


def test_a_refused_field_goes_aside_with_codes_and_a_fixed_meaning(spec):
    bare = Open311Service(service_code=CODE, place_answer="lieu", places=SERVICE.places,
                          description_answer="details",
                          ignored=frozenset({"nature", "jours", "danger", "personnes", "rappel",
                                             "courriel", "nom"}))
    assert connector(spec, service=bare).deliver(outgoing(submission(20))) == Rejected(
        "submit: HTTP 400 codes 400: the server refused an attribute"
    )


def test_the_deviant_server_crashes_on_a_missing_location_and_that_is_retried(server):
    """6aika reads ``address``: a request with ``address_string`` alone is an HTML 500."""
    server.control(clear=True, mode="deviant")
    try:
        answer = requests.post(f"{server.url}/requests.json", timeout=5, data={
            "api_key": API_KEY, "service_code": CODE, "address_string": "Rue des Lilas",
            "description": "x", "attribute[nature]": "pothole"})
        assert answer.status_code == 500
        assert answer.headers["Content-Type"] == "text/html"
        sub = submission(21, lieu=MappingProxyType({"lat": "0", "lon": "0"}))
        assert connector(server).deliver(outgoing(sub)) == RetryLater("submit: HTTP 500")
    finally:
        server.control(mode="spec")


@pytest.mark.parametrize("fault", ["store-error", "store-drop", "store-hang", "trickle"])
def test_an_unknown_outcome_is_looked_up_and_never_sent_twice(fake, fault):
    sub = submission(22)
    fake.control(post=[fault])
    one = connector(fake, deadline=1.0)  # the same connector: what it remembers is no excuse
    first = one.deliver(outgoing(sub))
    assert isinstance(first, RetryLater)
    [stored] = fake.with_reference(sub.reference)
    before = fake.posts()
    second = one.deliver(outgoing(sub, attempt=2))
    assert second == Delivered(stored["service_request_id"])
    assert fake.posts() == before
    assert len(fake.with_reference(sub.reference)) == 1


@pytest.mark.parametrize("fault", ["error", "hang"])
def test_a_failure_before_storing_is_sent_again_after_the_look_up(fake, fault):
    sub = submission(23)
    fake.control(post=[fault])
    assert isinstance(connector(fake, deadline=1.0).deliver(outgoing(sub)), RetryLater)
    assert fake.with_reference(sub.reference) == []
    assert isinstance(connector(fake).deliver(outgoing(sub, attempt=2)), Delivered)
    assert len(fake.with_reference(sub.reference)) == 1


@pytest.mark.parametrize("fault", ["error", "drop", "hang"])
def test_when_the_look_up_fails_in_passing_nothing_is_sent(fake, fault):
    sub = submission(24)
    fake.control(lookup=[fault])
    before = fake.posts()
    outcome = connector(fake, deadline=1.0).deliver(outgoing(sub, attempt=2))
    assert isinstance(outcome, RetryLater)
    assert outcome.reason.startswith(("look-up: HTTP 500", "network: "))
    assert fake.posts() == before


def test_a_server_that_cannot_be_searched_puts_the_item_aside_until_a_person_sends_it(fake):
    sub = submission(25)
    fake.control(post=["store-error"], searchable=False)
    one = connector(fake)
    assert isinstance(one.deliver(outgoing(sub)), RetryLater)
    before = fake.posts()
    aside = one.deliver(outgoing(sub, attempt=2))
    assert isinstance(aside, Rejected)
    assert aside.reason.startswith("look-up: HTTP 404: the server cannot be searched")
    assert fake.posts() == before
    # A mediator looked in the back office and sends it again: it goes, unchecked.
    assert isinstance(one.deliver(outgoing(sub, attempt=3)), Delivered)
    assert len(fake.with_reference(sub.reference)) == 2  # the risk the reason named


def test_an_attempt_that_never_connected_is_sent_again_without_a_look_up(fake):
    """A terminal offline: its attempts prove nothing reached the server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sub = submission(26)
    offline = Open311Connector(f"http://127.0.0.1:{port}", API_KEY, {DEMARCHE: SERVICE},
                               deadline=1.0)
    assert offline.deliver(outgoing(sub)) == RetryLater("network: connection failed or reset")
    offline.endpoint = fake.url  # the network is back
    fake.control(searchable=False)
    assert isinstance(offline.deliver(outgoing(sub, attempt=2)), Delivered)
    assert len(fake.with_reference(sub.reference)) == 1


def test_a_refused_key_is_sent_again_without_a_look_up_once_fixed(fake):
    sub = submission(27)
    fake.control(post=["refuse"], searchable=False)
    one = connector(fake)
    assert isinstance(one.deliver(outgoing(sub)), Unauthorized)
    assert isinstance(one.deliver(outgoing(sub, attempt=2)), Delivered)


def test_a_token_answer_is_delivered_and_resolved_to_its_id_later(spec):
    sub = submission(28)
    spec.control(post=["token"])
    outcome = connector(spec).deliver(outgoing(sub))
    assert isinstance(outcome, Delivered)
    assert (outcome.remote_reference or "").startswith("token:")
    [stored] = spec.with_reference(sub.reference)
    assert connector(spec).resolve_token(outcome.remote_reference or "") == stored[
        "service_request_id"
    ]
    assert connector(spec).resolve_token("token:inconnu") is None
    assert connector(spec).resolve_token("token:../x") is None


def test_a_batch_service_of_the_deviant_server_answers_an_id(server):
    server.control(clear=True, mode="deviant", post=["token"])
    try:
        outcome = connector(server).deliver(outgoing(submission(29)))
        assert isinstance(outcome, Delivered)
        assert not (outcome.remote_reference or "token:").startswith("token:")
    finally:
        server.control(mode="spec")


def test_the_fake_lets_an_agent_close_a_request(spec):
    sub = submission(30)
    outcome = connector(spec).deliver(outgoing(sub))
    assert isinstance(outcome, Delivered)
    spec.control(status={"id": outcome.remote_reference, "status": "closed",
                         "status_notes": "Rebouché le 3 décembre."})
    [record] = requests.get(f"{spec.url}/requests/{outcome.remote_reference}.json",
                            timeout=5).json()
    assert (record["status"], record["status_notes"]) == ("closed", "Rebouché le 3 décembre.")
    assert requests.get(f"{spec.url}/services/{CODE}.json", timeout=5).json()["attributes"]


def test_reachable_says_whether_the_server_answers(spec):
    assert connector(spec).reachable()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert not Open311Connector(f"http://127.0.0.1:{port}", API_KEY, {}, deadline=1.0).reachable()


def test_mappings_that_cannot_work_are_refused_when_built():
    with pytest.raises(ValueError, match="service code"):
        Open311Service(service_code="a b", place_answer="lieu")
    with pytest.raises(ValueError, match="contact field"):
        Open311Service(service_code=CODE, place_answer="lieu", contact={"adresse": "x"},
                       contact_consent="ok")
    with pytest.raises(ValueError, match="consent"):
        Open311Service(service_code=CODE, place_answer="lieu", contact={"email": "x"})
    with pytest.raises(ValueError, match="one attribute"):
        Open311Service(service_code=CODE, place_answer="lieu", attributes={
            "a": Open311Attribute("x"), "b": Open311Attribute("x")})
    with pytest.raises(ValueError, match="sent twice"):
        Open311Service(service_code=CODE, place_answer="lieu", description_answer="lieu")
    with pytest.raises(ValueError, match="attribute code"):
        Open311Attribute("a]b")
    with pytest.raises(ValueError, match="both lat and long"):
        Open311Place(lat="48.8")
    with pytest.raises(ValueError, match="coordinates or an address"):
        Open311Place()
    with pytest.raises(ValueError, match="out of range"):
        Open311Place(lat="95", long="2")
    with pytest.raises(ValueError, match="http"):
        Open311Connector("ftp://mairie", API_KEY, {}, deadline=1.0)
    with pytest.raises(ValueError, match="api_key"):
        Open311Connector("https://mairie.example/open311/v2", "", {}, deadline=1.0)


def test_answers_are_written_as_text_the_server_can_read():
    assert as_text(True) == "true"
    assert as_text(("lundi", "jeudi")) == "lundi, jeudi"
    assert as_text(MappingProxyType({"street": "1 rue Hugo", "postcode": "75001",
                                     "commune": "Paris"})) == "1 rue Hugo, 75001, Paris"
    assert as_text(MappingProxyType({"id": "gare", "label": "Gare"})) == "Gare"
    assert as_text(12.5) == "12.5"


def test_places_that_cannot_be_located_are_refused_when_built():
    with pytest.raises(ValueError, match="one line"):
        Open311Place(address="Rue\nde la Paix")
    with pytest.raises(ValueError, match="decimal degrees"):
        Open311Place(lat="48,85", long="2.35")
    with pytest.raises(ValueError, match="positive"):
        Open311Connector("https://mairie.example/v2", API_KEY, {}, deadline=0)


def test_one_delivery_lasts_at_most_two_bounded_requests(spec):
    assert connector(spec, deadline=2.0).longest_call == 2 * (2.0 + 2.0)
