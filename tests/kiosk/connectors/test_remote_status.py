"""A request's status asked of w.c.s. and Open311 (``linked_status``, ``complete_link``):
the documented answers read into the kiosk's four statuses, and every other answer (HTML,
wrong JSON, an unknown status, a server down or trickling) "not available", never a crash
nor a made-up status. The parsers take any JSON (hypothesis)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.connectors.open311 import Open311Connector
from kiosk.connectors.remote_status import open311_request_status, wcs_request_status
from kiosk.connectors.wcs import WcsConnector
from kiosk.domain.request_status import (
    MAX_NOTE,
    ByLink,
    Link,
    RequestStatus,
    Status,
    StatusUnavailableError,
    UnknownReferenceError,
)
from tests.fakes.open311_process import API_KEY, RunningOpen311, running_open311
from tests.kiosk.connectors.open311_support import SERVICES
from tests.kiosk.connectors.scripted_server import Scripted, scripted_server
from tests.kiosk.connectors.test_request_status import JSON
from tests.kiosk.connectors.trickle_server import trickling
from tests.kiosk.connectors.wcs_support import DEMARCHE, FORM, SLUG

JSON_TYPE = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server() -> Iterator[Scripted]:
    with scripted_server() as script:
        yield script


def wcs(url: str, deadline: float = 2.0) -> WcsConnector:
    return WcsConnector(url, "borne", "cle", {DEMARCHE: FORM}, deadline=deadline)


def open311(url: str, deadline: float = 2.0) -> Open311Connector:
    return Open311Connector(url, "cle", {}, deadline=deadline)


def wcs_form(status: object) -> bytes:
    return json.dumps({"id": 7, "workflow": {"status": status},
                       "last_update_time": "2026-12-02T09:00:00"}).encode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"id": "new", "name": "Nouveau"}, Status.RECEIVED),
        ({"id": "just_submitted"}, Status.RECEIVED),
        ({"id": "accepted", "name": "En cours"}, Status.IN_PROGRESS),
        ({"id": "rejected"}, Status.REJECTED),
        ({"id": "finished"}, Status.DONE),
        ({"id": "st3", "name": "Chez Voirie"}, Status.IN_PROGRESS),  # a commune's own
        ({"id": "st9", "name": "Clos", "endpoint": True}, Status.DONE),
    ],
)
def test_a_wcs_form_status_is_asked_signed(server: Scripted, status, expected) -> None:
    server.answer(200, wcs_form(status), JSON_TYPE)
    answer = wcs(server.url).linked_status(Link(DEMARCHE, "7"))
    assert answer == RequestStatus(expected, updated_at="2026-12-02T09:00:00")
    method, path, _headers, _sent = server.requests[-1]
    assert method == "GET"
    assert path.startswith(f"/api/forms/{SLUG}/7/?orig=borne&algo=sha256&timestamp=")
    assert "&signature=" in path


def test_a_wcs_form_without_a_visible_status_is_received(server: Scripted) -> None:
    """w.c.s. gives a draft (a FranceConnect démarche not finished yet) no status at all,
    and a form in a status hidden from its submitter only its ``real_status``."""
    for workflow in ({}, {"real_status": {"id": "st2", "name": "Contrôle interne"}}):
        server.answer(200, json.dumps({"id": 7, "workflow": workflow}).encode(), JSON_TYPE)
        assert wcs(server.url).linked_status(Link(DEMARCHE, "7")) == RequestStatus(
            Status.RECEIVED)


def test_a_form_wcs_does_not_have_is_unknown(server: Scripted) -> None:
    server.answer(404, b'{"err": 1, "err_class": "Page not found", "err_code": "not-found", '
                       b'"err_desc": null}', JSON_TYPE)
    with pytest.raises(UnknownReferenceError):
        wcs(server.url).linked_status(Link(DEMARCHE, "7"))


UNUSABLE = [
    (200, b"<!doctype html><html>Publik</html>", {"Content-Type": "text/html"}),
    (200, b"not json", {}),
    (200, b'[{"status": "new"}]', JSON_TYPE),
    (200, b'{"workflow": {"status": {"id": 3}}}', JSON_TYPE),
    (200, b'{"workflow": {"status": "new"}}', JSON_TYPE),
    (200, b'{"id": 7}', JSON_TYPE),  # no workflow at all
    (500, b"<html>Server Error</html>", {"Content-Type": "text/html"}),
    (403, b'{"err": 1, "err_desc": "Invalid signature."}', JSON_TYPE),
    (302, b"", {"Location": "http://127.0.0.1:9/"}),
]


@pytest.mark.parametrize(("status", "body", "headers"), UNUSABLE)
def test_an_unusable_wcs_answer_is_not_available(server: Scripted, status, body, headers):
    server.answer(status, body, headers)
    with pytest.raises(StatusUnavailableError):
        wcs(server.url).linked_status(Link(DEMARCHE, "7"))


def test_a_link_the_connector_cannot_ask_about_is_not_available(server: Scripted) -> None:
    with pytest.raises(StatusUnavailableError, match=r"no w\.c\.s\. form"):
        wcs(server.url).linked_status(Link("another", "7"))
    with pytest.raises(StatusUnavailableError):
        wcs(server.url).linked_status(Link(DEMARCHE, "../7"))
    with pytest.raises(StatusUnavailableError):
        open311(server.url).linked_status(Link(DEMARCHE, "a/../b"))


def open311_record(**record: object) -> bytes:
    return json.dumps([{"service_request_id": "42", **record}]).encode()


def test_an_open311_status_with_its_service_and_public_note(server: Scripted) -> None:
    server.answer(200, open311_record(
        status="closed", status_notes="  Réparé\nle 3 décembre. ", agency_responsible="Voirie",
        updated_datetime="2026-12-03T10:00:00+01:00"), JSON_TYPE)
    assert open311(server.url).linked_status(Link(DEMARCHE, "42")) == RequestStatus(
        Status.DONE, "Voirie", "2026-12-03T10:00:00+01:00", "Réparé le 3 décembre."
    )
    assert server.requests[-1][1] == "/requests/42.json"
    server.answer(200, open311_record(status="Open", status_notes="x" * (MAX_NOTE + 1)),
                  JSON_TYPE)
    assert open311(server.url).linked_status(Link(DEMARCHE, "42")) == RequestStatus(
        Status.IN_PROGRESS
    )


@pytest.mark.parametrize(("status", "body", "headers"), [
    *UNUSABLE,
    (200, open311_record(status="archived"), JSON_TYPE),  # not GeoReport's
    (200, json.dumps([{"service_request_id": "41", "status": "open"}]).encode(), JSON_TYPE),
])
def test_an_unusable_open311_answer_is_not_available(server: Scripted, status, body, headers):
    server.answer(status, body, headers)
    with pytest.raises(StatusUnavailableError):
        open311(server.url).linked_status(Link(DEMARCHE, "42"))


def test_servers_that_are_down_or_trickle_are_not_available() -> None:
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for source in (wcs(url), open311(url)):
        with pytest.raises(StatusUnavailableError, match="connection"):
            source.linked_status(Link(DEMARCHE, "7"))


@pytest.mark.timeout(60)
def test_a_trickling_status_is_given_up_at_the_deadline() -> None:
    with trickling("body") as url, pytest.raises(StatusUnavailableError, match=r"timeout"):
        wcs(url, deadline=1.0).linked_status(Link(DEMARCHE, "7"))


@pytest.fixture(scope="module")
def fake311() -> Iterator[RunningOpen311]:
    with running_open311(SERVICES) as running:
        yield running


def test_a_token_is_received_until_the_server_gives_the_id(fake311: RunningOpen311) -> None:
    connector = Open311Connector(fake311.url, API_KEY, {}, deadline=2.0)
    unknown = Link(DEMARCHE, "token:0123abcd")
    assert connector.complete_link(unknown) == unknown  # the server knows no such token
    asked = ByLink(connector, unknown, "item-1")
    assert asked.request_status("ADM-7K3-Q9P") == RequestStatus(Status.RECEIVED)
    assert asked.link == asked.kept


def test_a_reference_this_terminal_did_not_deliver_is_unknown(server: Scripted) -> None:
    with pytest.raises(UnknownReferenceError):
        ByLink(wcs(server.url), None).request_status("ADM-7K3-Q9P")


@settings(max_examples=200)
@given(JSON | st.dictionaries(st.sampled_from(["workflow", "status", "id"]), JSON))
def test_any_wcs_json_is_a_status_or_none(document: object) -> None:
    parsed = wcs_request_status(document)
    assert parsed is None or isinstance(parsed.status, Status)


RECORD = st.fixed_dictionaries({
    "service_request_id": st.sampled_from(["42", 42, "x"]),
    "status": st.sampled_from(["open", "closed", "CLOSED", "lost"]) | JSON,
}, optional={"status_notes": JSON, "agency_responsible": JSON, "updated_datetime": JSON})


@settings(max_examples=200)
@given(JSON | RECORD | st.lists(RECORD | JSON, max_size=3))
def test_any_open311_json_is_a_status_or_none(document: object) -> None:
    parsed = open311_request_status(document, "42")
    assert parsed is None or (
        isinstance(parsed.status, Status)
        and (parsed.note is None or (0 < len(parsed.note) <= MAX_NOTE
                                     and parsed.note.isprintable()))
    )
