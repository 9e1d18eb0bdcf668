"""HttpApiConnector against a scripted server: every answer, even hostile, is classified."""

from __future__ import annotations

import json
import socket
import time
from email.utils import formatdate

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.connectors.http_api import (
    MAX_ANSWER_BYTES,
    MAX_RETRY_AFTER,
    ConnectorError,
    HttpApiConnector,
    TerminalState,
    back_office_clock_skew,
    clock_skew,
    parse_retry_after,
)
from kiosk.connectors.signing import verify_request
from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Misconfigured,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from offline_queue.store import PAUSE_CONFIGURATION, PAUSE_CREDENTIALS, QueueStatus
from tests.kiosk.connectors.scripted_server import Scripted, scripted_server

SECRET = bytes(range(32))
PAYLOAD = json.dumps({"reference": "ADM-7K3-Q9P", "nom": "Jeanne Martin"}).encode()
ITEM = Outgoing(item_id="5b0c7a4e-3f7e-4a53-9a55-0e8d1f1c2b3a", reference="ADM-7K3-Q9P",
                payload=PAYLOAD, attempt=1)


@pytest.fixture(scope="module")
def shared_server():
    with scripted_server() as script:
        yield script


@pytest.fixture
def server(shared_server):
    shared_server.requests.clear()
    shared_server.answer(200)
    return shared_server


def connector(server: Scripted, **options) -> HttpApiConnector:
    options.setdefault("timeout", 2.0)
    return HttpApiConnector(server.url, "borne-01", SECRET, **options)


def test_a_delivery_is_a_signed_idempotent_post_of_the_payload_as_is(server):
    server.answer(201, b'{"id": "BO-000042"}', {"Content-Type": "application/json"})
    assert connector(server).deliver(ITEM) == Delivered("BO-000042")
    [(method, path, headers, body)] = server.requests
    assert (method, path, body) == ("POST", "/v1/submissions", PAYLOAD)
    assert headers["Idempotency-Key"] == ITEM.item_id
    assert headers["Content-Type"] == "application/json"
    verified = verify_request(lambda t: SECRET, headers, method, path, body)
    assert verified.terminal_id == "borne-01"


def test_a_path_prefix_of_the_base_url_is_part_of_what_is_signed(server):
    server.answer(201, b'{"id": "1"}')
    api = HttpApiConnector(server.url + "/kiosk-api/", "borne-01", SECRET, timeout=2.0)
    assert api.deliver(ITEM) == Delivered("1")
    [(method, path, headers, body)] = server.requests
    assert path == "/kiosk-api/v1/submissions"
    verify_request(lambda t: SECRET, headers, method, path, body)


def test_every_attempt_is_signed_afresh(server):
    server.answer(503)
    now = [1_900_000_000.0]
    api = connector(server, clock=lambda: now[0])
    api.deliver(ITEM)
    now[0] = 2_000_000_000.0
    api.deliver(ITEM)
    stamps = [headers["X-Kiosk-Timestamp"] for _, _, headers, _ in server.requests]
    assert stamps[1] == "2000000000" != stamps[0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"id": 42}', "42"),
        (b'{"id": "BO-1", "extra": [1, 2]}', "BO-1"),
        (b"", None),
        (b"not json at all", None),
        (b'["id", "BO-1"]', None),
        (b'{"id": ["BO-1"]}', None),
        (b'{"id": true}', None),
        (b'{"id": "with space"}', None),
        (b'{"id": "' + b"x" * 200 + b'"}', None),
        (b"[" * 100_000, None),
    ],
)
def test_a_2xx_is_delivered_even_with_a_useless_body(server, body, expected):
    server.answer(200, body)
    assert connector(server).deliver(ITEM) == Delivered(expected)


def test_a_huge_2xx_answer_is_not_read_and_still_delivered(server):
    server.answer(201, b'{"id": "' + b"9" * (MAX_ANSWER_BYTES * 4) + b'"}')
    assert connector(server).deliver(ITEM) == Delivered(None)


def test_a_huge_answer_with_a_lying_length_is_cut(server):
    body = b'{"error": "x", "pad": "' + b"p" * (MAX_ANSWER_BYTES * 2) + b'"}'
    server.answer(422, body, {"Transfer-Encoding": "chunked", "Content-Length": "10"})
    outcome = connector(server).deliver(ITEM)
    assert isinstance(outcome, RetryLater | Rejected)


@pytest.mark.parametrize("status", [408, 409, 425, 429, 500, 502, 503, 504, 599])
def test_passing_failures_are_retried(server, status):
    server.answer(status, b'{"error": "busy"}')
    assert connector(server).deliver(ITEM) == RetryLater(f"HTTP {status} busy", None)


def test_retry_after_in_seconds_is_passed_on(server):
    server.answer(429, b"", {"Retry-After": "120"})
    assert connector(server).deliver(ITEM) == RetryLater("HTTP 429", 120.0)


def test_retry_after_as_an_http_date_is_passed_on(server):
    server.answer(503, b"", {"Retry-After": formatdate(time.time() + 3600, usegmt=True)})
    outcome = connector(server).deliver(ITEM)
    assert isinstance(outcome, RetryLater)
    assert outcome.retry_after is not None
    assert 3500 < outcome.retry_after <= 3600


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_pause_the_queue(server, status):
    server.answer(status, b'{"error": "bad_signature", "message": "signature does not match"}')
    assert connector(server).deliver(ITEM) == Unauthorized(f"HTTP {status} bad_signature")


def test_a_refused_timestamp_is_a_clock_problem_with_the_skew_of_the_date_header(server):
    """A terminal that booted before NTP set its clock: its requests are an hour old."""
    server.answer(401, b'{"error": "stale_timestamp", "message": "timestamp -3600 s away"}')
    behind = connector(server, clock=lambda: time.time() - 3600)
    outcome = behind.deliver(ITEM)
    assert isinstance(outcome, ClockRefused)
    assert outcome.reason == "HTTP 401 stale_timestamp"
    assert outcome.skew is not None
    assert 3590 < outcome.skew < 3610  # the server's Date is whole seconds
    [(_, _, headers, _)] = server.requests
    assert abs(int(headers["X-Kiosk-Timestamp"]) - (time.time() - 3600)) < 60


def test_a_clock_refusal_without_a_date_header_has_no_skew(server):
    server.answer(401, b'{"error": "stale_timestamp"}', {"Date": "not a date"})
    assert connector(server).deliver(ITEM) == ClockRefused("HTTP 401 stale_timestamp", None)


def test_the_clock_skew_is_read_from_the_date_of_the_health_answer(server):
    server.answer(200, b'{"status": "ok"}')
    skew = back_office_clock_skew(server.url, clock=lambda: time.time() + 600)
    assert skew is not None
    assert -610 < skew < -590
    [(method, path, _headers, _)] = server.requests
    assert (method, path) == ("GET", "/v1/health")


def test_no_clock_skew_from_a_back_office_that_does_not_answer():
    with socket.socket() as sock:  # bound, never listened
        sock.bind(("127.0.0.1", 0))
        assert back_office_clock_skew(f"http://127.0.0.1:{sock.getsockname()[1]}") is None


@pytest.mark.parametrize("status", [404, 405, 501])
def test_a_wrong_url_pauses_instead_of_refusing_the_item(server, status):
    server.answer(status, b'{"error": "not_found", "message": "Not Found"}')
    assert connector(server).deliver(ITEM) == Misconfigured(
        f"the back-office URL answers HTTP {status}: check [backoffice] url"
    )


PAGE = b"<!DOCTYPE html><html><body><h1>Bienvenue sur le site de la mairie</h1></body></html>"


@pytest.mark.parametrize("status", [200, 201, 400, 401, 403, 410, 422])
@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/octet-stream"])
def test_a_web_page_where_the_api_should_answer_pauses(server, status, content_type):
    """A captive portal or the town hall's web site: not a delivery, not a refusal."""
    server.answer(status, PAGE, {"Content-Type": content_type})
    assert connector(server).deliver(ITEM) == Misconfigured(
        f"the back-office URL answers a web page (HTML, HTTP {status}): check [backoffice] url"
    )


@pytest.mark.parametrize(("status", "expected"), [
    (413, Rejected("HTTP 413")),  # a proxy refuses this big item only
    (429, RetryLater("HTTP 429")),
    (502, RetryLater("HTTP 502")),
])
def test_a_web_page_of_a_proxy_about_one_item_or_a_passing_failure_does_not_pause(
    server, status, expected
):
    server.answer(status, PAGE, {"Content-Type": "text/html"})
    assert connector(server).deliver(ITEM) == expected


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_any_date_header_gives_a_finite_skew_or_none(date):
    skew = clock_skew(date, 1_750_000_000.0)
    assert skew is None or (isinstance(skew, float) and abs(skew) < 1e12)


def test_an_http_date_gives_its_distance_from_our_clock():
    assert clock_skew("Sun, 15 Jun 2025 15:06:40 GMT", 1_750_000_000.0) == 0.0
    assert clock_skew("Sun, 15 Jun 2025 16:06:40 GMT", 1_750_000_000.0) == 3600.0
    assert clock_skew(None, 1_750_000_000.0) is None
    assert clock_skew("Sun, 15 Jun 2025 16:06:40", 1_750_000_000.0) is None  # no zone


@pytest.mark.parametrize("status", [400, 410, 413, 422])
def test_other_4xx_reject_the_item_with_status_and_code_only(server, status):
    server.answer(
        status,
        json.dumps({"error": "invalid_field", "message": "nom: Jeanne Martin est trop long"})
        .encode(),
    )
    assert connector(server).deliver(ITEM) == Rejected(f"HTTP {status} invalid_field")


@pytest.mark.parametrize(
    "body",
    [
        b"Jeanne Martin, 12 rue des Lilas: refused",
        b'{"error": "Jeanne Martin, 12 rue des Lilas"}',
        b'{"error": 12}',
        b'{"error": "' + b"a" * 65 + b'"}',
    ],
)
def test_a_reason_never_quotes_free_text_from_the_server(server, body):
    server.answer(422, body)
    assert connector(server).deliver(ITEM) == Rejected("HTTP 422")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed(server, status):
    server.answer(status, b"", {"Location": "http://elsewhere.invalid/v1/submissions"})
    assert connector(server).deliver(ITEM) == RetryLater(f"HTTP {status}")
    assert len(server.requests) == 1


def test_a_timeout_is_a_passing_failure(server):
    server.answer(201, b'{"id": "late"}', delay=1.0)
    outcome = connector(server, timeout=0.2).deliver(ITEM)
    assert outcome == RetryLater("network: read timeout")


def test_a_refused_connection_is_a_passing_failure():
    with socket.socket() as sock:  # a port that is surely closed: bound, never listened
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        api = HttpApiConnector(url, "borne-01", SECRET, timeout=1.0)
        assert api.deliver(ITEM) == RetryLater("network: connection failed or reset")
        assert api.reachable() is False


def test_an_unexpected_library_failure_never_escapes(server, monkeypatch):
    api = connector(server)

    def explode(*args, **kwargs):
        raise UnicodeError("a bug deep down")

    monkeypatch.setattr(api._session, "request", explode)
    assert api.deliver(ITEM) == RetryLater("unexpected: UnicodeError")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.integers(min_value=200, max_value=599),
    body=st.binary(max_size=2000) | st.just(b'{"error": "Jeanne Martin"}'),
    retry_after=st.none() | st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
)
def test_any_answer_gives_an_outcome_that_quotes_nothing_of_it(server, status, body, retry_after):
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = retry_after.encode("latin-1", "replace").decode("latin-1")
    server.answer(status, body, headers)
    outcome = connector(server).deliver(ITEM)
    assert isinstance(outcome, Outcome)
    if not isinstance(outcome, Delivered):
        assert "Jeanne" not in outcome.reason
        assert f"HTTP {status}" in outcome.reason


def test_verify_stays_on_whatever_the_session_says(server):
    seen = []

    class Spy(requests.Session):
        def request(self, *args, **kwargs):
            seen.append(kwargs.get("verify"))
            return super().request(*args, **kwargs)

    session = Spy()
    session.verify = False
    server.answer(200, b'{"status": "ok"}')
    api = connector(server, session=session)
    api.deliver(ITEM)
    api.reachable()
    api.heartbeat({"pending": 1})
    assert seen == [True, True, True]


def test_reachable_asks_the_unsigned_health_endpoint(server):
    server.answer(200, b'{"status": "ok"}')
    assert connector(server).reachable() is True
    [(method, path, _headers, _)] = server.requests
    assert (method, path) == ("GET", "/v1/health")
    server.answer(503)
    assert connector(server).reachable() is False


def test_the_catalog_is_fetched_conditionally(server):
    server.answer(200, b'{"demarches": []}', {"ETag": '"abc"'})
    api = connector(server)
    assert api.fetch_catalog() == (200, b'{"demarches": []}', '"abc"')
    server.answer(304, b"", {"ETag": '"abc"'})
    assert api.fetch_catalog('"abc"') == (304, None, '"abc"')
    assert server.requests[1][2]["If-None-Match"] == '"abc"'
    assert "If-None-Match" not in server.requests[0][2]
    server.answer(500, b'{"error": "boom"}')
    with pytest.raises(ConnectorError, match="HTTP 500 boom"):
        api.fetch_catalog('"abc"')


def test_the_heartbeat_carries_counts_and_version_and_nothing_personal(server):
    server.answer(200, b'{"status": "ok"}')
    assert connector(server).heartbeat({"pending": 2, "dead": 1}, "9.9.9").accepted is True
    [(method, path, headers, body)] = server.requests
    assert (method, path) == ("POST", "/v1/heartbeat")
    verify_request(lambda t: SECRET, headers, method, path, body)
    sent = json.loads(body)
    assert set(sent) == {"terminal_id", "version", "queue", "sent_at"}
    assert sent["queue"] == {"pending": 2, "dead": 1}
    server.answer(401, b'{"error": "bad_signature"}')
    assert connector(server).heartbeat({}).accepted is False


def test_the_heartbeat_says_the_catalog_and_the_pause_by_its_code_only(server):
    server.answer(200, b'{"status": "ok"}')
    paused = _queue_status(paused=True, cause=PAUSE_CREDENTIALS,
                           reason="HTTP 401 unknown_terminal")
    state = TerminalState.of(paused, "3f1c9a0be2d84c7f95a61e0d4b27c8e1")
    assert connector(server).heartbeat({"pending": 2}, state=state).accepted is True
    [(_method, _path, _headers, body)] = server.requests
    sent = json.loads(body)
    assert (sent["catalog_version"], sent["paused"], sent["pause_cause"]) == (
        "3f1c9a0be2d84c7f95a61e0d4b27c8e1", True, "credentials")
    assert "unknown_terminal" not in body.decode()  # the pause's text stays on the terminal


@pytest.mark.parametrize(("paused", "cause", "said"), [
    (False, None, {"paused": False}),
    (True, None, {"paused": True}),  # a pause whose cause the queue does not know
    (True, PAUSE_CONFIGURATION, {"paused": True, "pause_cause": "configuration"}),
    (True, "a cause from a damaged file", {"paused": True}),  # not a code of the API
    (False, PAUSE_CREDENTIALS, {"paused": False}),  # left over: not paused any more
])
def test_a_queue_says_only_a_known_cause_of_its_pause(paused, cause, said):
    assert TerminalState.of(_queue_status(paused=paused, cause=cause)).fields() == said


def _queue_status(*, paused: bool, cause: str | None, reason: str | None = None) -> QueueStatus:
    return QueueStatus({}, None, None, None, None, paused=paused, paused_reason=reason,
                       expiring_soon=0, next_expiry_at=None, pause_cause=cause)


def test_a_lost_heartbeat_does_not_raise():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        api = HttpApiConnector(f"http://127.0.0.1:{sock.getsockname()[1]}", "b", SECRET, timeout=1)
        assert api.heartbeat({"pending": 0}).accepted is False
        with pytest.raises(ConnectorError):
            api.fetch_catalog()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://mairie.example", "mairie.example", "http://", "http://h/?q=1", "http://h/#f",
        "http://mairie.example", "http://localhost:x@mairie.example", "https://u:p@mairie.example",
    ],
)
def test_a_bad_base_url_is_refused_at_construction(url):
    with pytest.raises(ValueError, match="URL"):
        HttpApiConnector(url, "borne-01", SECRET, timeout=1.0)


def test_a_short_secret_is_refused_at_construction():
    with pytest.raises(ValueError, match="secret"):
        HttpApiConnector("http://127.0.0.1:1", "borne-01", b"short", timeout=1.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("0", 0.0),
        ("30", 30.0),
        (" 7 ", 7.0),
        ("99999999999", MAX_RETRY_AFTER),
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: at once
        ("Wed, 21 Oct 2015 07:28:00", None),  # no zone: not an HTTP-date
    ],
)
def test_retry_after_values(value, expected):
    assert parse_retry_after(value) == expected


def test_retry_after_http_date_in_the_future():
    now = 1_750_000_000.0
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now=now) == 90.0


@given(st.text(max_size=60))
def test_retry_after_never_raises_and_stays_in_bounds(value):
    delay = parse_retry_after(value)
    assert delay is None or 0.0 <= delay <= MAX_RETRY_AFTER
