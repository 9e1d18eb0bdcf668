"""Whatever an Open311 server (or what poses as one) answers, Open311Connector gives an
outcome, keeps none of its free text, and takes only a well-formed id or token."""

from __future__ import annotations

import re

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.connectors.open311 import Open311Connector
from offline_queue.connector import Delivered, Rejected, RetryLater, Unauthorized
from tests.fakes.open311_process import API_KEY
from tests.kiosk.connectors.connector_support import hostile_bodies, outgoing
from tests.kiosk.connectors.open311_support import DEMARCHE, SERVICE, submission
from tests.kiosk.connectors.scripted_server import Scripted, scripted_server

SECRET_WORD = "jeanne"  # stands for personal data a server could echo (lower case, as codes)
ITEM = outgoing(submission(0))
SECOND = outgoing(submission(1), attempt=2)

bodies = hostile_bodies(
    ["service_request_id", "token", "code", "description", "detail", "service_notice"],
    SECRET_WORD,
    [{"code": SECRET_WORD, "description": f"api_key {SECRET_WORD}"}],
    {"code": 400, "detail": f"Adresse de {SECRET_WORD} inconnue"},
    [{"service_request_id": f"{SECRET_WORD} <script>"}],
    [{"description": f"Référence borne : ADM-001-X {SECRET_WORD}"}],
)


@pytest.fixture(scope="module")
def server():
    with scripted_server() as script:
        yield script


def _connector(server: Scripted) -> Open311Connector:
    return Open311Connector(server.url, API_KEY, {DEMARCHE: SERVICE}, deadline=2.0)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.integers(min_value=200, max_value=599),
    body=bodies,
    item=st.sampled_from([ITEM, SECOND]),
)
def test_any_answer_gives_an_outcome_that_quotes_nothing_of_it(server, status, body, item):
    server.answer(status, body, {"Content-Type": "application/json"})
    outcome = _connector(server).deliver(item)
    assert isinstance(outcome, Delivered | RetryLater | Rejected | Unauthorized)
    if isinstance(outcome, Delivered):
        remote = outcome.remote_reference
        assert remote is None or re.fullmatch(r"(token:)?[A-Za-z0-9_.:-]{1,128}", remote)
        assert outcome.remote_url is None
    else:
        assert SECRET_WORD not in outcome.reason.lower()


def test_a_2xx_without_an_id_or_a_token_is_not_taken_for_a_delivery(server):
    """Perhaps stored, perhaps not: the next attempt looks it up before sending again."""
    server.answer(201, b'[{"service_notice": "ok"}]')
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 201 answer unreadable")
    server.answer(200, b"<html>maintenance</html>")
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 200 answer unreadable")


def test_a_redirect_is_not_followed(server):
    server.answer(302, b"", {"Location": "https://ailleurs.example/"})
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 302")


def test_retry_after_is_honoured(server):
    server.answer(503, b"<html>busy</html>", {"Retry-After": "120"})
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 503", 120.0)


def test_a_huge_search_answer_is_not_read_and_the_item_waits_for_a_person(server):
    server.answer(200, b"[" + b'{"description": "x"},' * 300_000 + b"{}]")
    outcome = _connector(server).deliver(SECOND)
    assert isinstance(outcome, Rejected)
    assert outcome.reason.startswith("look-up: answer unreadable: the server cannot be searched")


class _BrokenSession(requests.Session):
    """A library failing in a way nobody planned for."""

    def request(self, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
        raise RuntimeError("Jeanne")


def test_an_unexpected_failure_is_a_passing_one_that_names_only_its_type(caplog):
    broken = Open311Connector("http://127.0.0.1:9", API_KEY, {DEMARCHE: SERVICE}, deadline=1.0,
                              session=_BrokenSession())
    assert broken.deliver(ITEM) == RetryLater("unexpected: RuntimeError")
    assert "Jeanne" not in caplog.text
    broken.close()


def test_a_token_that_cannot_be_asked_about_resolves_to_nothing(server):
    connector = _connector(server)
    server.answer(500, b"<html>down</html>")
    assert connector.resolve_token("token:abc") is None
    server.answer(200, b'[{"service_request_id": "Jeanne Martin"}]')
    assert connector.resolve_token("token:abc") is None
    server.answer(200, b'[{"token": "abc"}, {"service_request_id": 42}]')
    assert connector.resolve_token("token:abc") == "42"
    connector.close()
