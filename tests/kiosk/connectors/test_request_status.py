"""``HttpApiConnector.request_status`` against hostile or absent back offices: every
answer that is not the documented one is "not available", never a crash nor a made-up
status, and a trickling back office is given up at the exchange's deadline."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.connectors.http_api import HttpApiConnector, parse_request_status
from kiosk.domain.request_status import (
    MAX_SERVICE_NAME,
    RequestStatus,
    Status,
    StatusUnavailableError,
    UnknownReferenceError,
)
from tests.kiosk.connectors.scripted_server import Scripted, scripted_server
from tests.kiosk.connectors.trickle_server import trickling

SECRET = bytes(range(32))
REFERENCE = "ADM-7K3-Q9P"


@pytest.fixture(scope="module")
def server() -> Iterator[Scripted]:
    with scripted_server() as script:
        yield script


def api(url: str, timeout: float = 2.0) -> HttpApiConnector:
    return HttpApiConnector(url, "borne-01", SECRET, timeout=timeout)


def test_the_status_is_asked_signed_on_the_documented_path(server: Scripted) -> None:
    body = {"reference": REFERENCE, "status": "in_progress", "service": " Voirie ",
            "updated_at": "2026-12-02T09:00:00Z"}
    server.answer(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert api(server.url).request_status(REFERENCE) == RequestStatus(
        Status.IN_PROGRESS, "Voirie", "2026-12-02T09:00:00Z"
    )
    method, path, headers, sent = server.requests[-1]
    assert (method, path, sent) == ("GET", f"/v1/requests/{REFERENCE}/status", b"")
    assert headers["X-Kiosk-Terminal"] == "borne-01"


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (404, b'{"error": "not_found"}', {}),  # a wrong URL is not an unknown request
        (500, b'{"error": "boom"}', {}),
        (401, b'{"error": "bad_signature"}', {}),
        (200, b"<!doctype html><html>Mairie</html>", {"Content-Type": "text/html"}),
        (200, b"not json", {}),
        (200, b'{"status": "lost"}', {}),
        (200, b'{"status": ["done"]}', {}),
        (200, json.dumps({"status": "done", "service": "x" * (MAX_SERVICE_NAME + 1)}).encode(),
         {}),
        (200, b'{"status": "done", "service": "a\\u0000b"}', {}),
        (302, b"", {"Location": "http://127.0.0.1:9/"}),
    ],
)
def test_an_unusable_answer_is_not_available(
    server: Scripted, status: int, body: bytes, headers: dict[str, str]
) -> None:
    server.answer(status, body, headers)
    with pytest.raises(StatusUnavailableError):
        api(server.url).request_status(REFERENCE)


def test_unknown_reference_is_told_apart(server: Scripted) -> None:
    server.answer(404, b'{"error": "unknown_reference", "message": "no"}')
    with pytest.raises(UnknownReferenceError):
        api(server.url).request_status(REFERENCE)


def test_a_back_office_that_is_down_is_not_available() -> None:
    with socket.socket() as sock:  # a port nobody listens on any more
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StatusUnavailableError, match="connection"):
        api(f"http://127.0.0.1:{port}").request_status(REFERENCE)


@pytest.mark.timeout(60)
def test_a_trickling_back_office_is_given_up_at_the_deadline() -> None:
    with trickling("body") as url, pytest.raises(StatusUnavailableError, match="timeout"):
        api(url, timeout=1.0).request_status(REFERENCE)


def test_only_a_written_reference_goes_into_the_path(server: Scripted) -> None:
    with pytest.raises(ValueError, match="written form"):
        api(server.url).request_status("../../v1/submissions")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200)
@given(st.dictionaries(st.sampled_from(["status", "service", "updated_at", "x"]), JSON)
       | JSON)
def test_any_json_answer_is_a_status_or_refused(document: object) -> None:
    parsed = parse_request_status(json.dumps(document).encode())
    assert parsed is None or (
        isinstance(parsed.status, Status)
        and (parsed.service is None or 0 < len(parsed.service) <= MAX_SERVICE_NAME)
    )
