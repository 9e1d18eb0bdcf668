"""Whatever a w.c.s. (or what poses as one) answers, WcsConnector gives an outcome, keeps
none of its free text, and takes only a well-formed id and URL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.connectors.wcs import WcsConnector
from offline_queue.connector import Delivered, Rejected, RetryLater, Unauthorized
from tests.fakes.wcs_process import KEY, ORIG
from tests.kiosk.connectors.connector_support import hostile_bodies, outgoing
from tests.kiosk.connectors.scripted_server import Scripted, scripted_server
from tests.kiosk.connectors.wcs_support import DEMARCHE, FORM, submission

SECRET_WORD = "Jeanne"  # stands for personal data a server could echo
ITEM = outgoing(submission(0))
SECOND = outgoing(submission(1), attempt=2)

bodies = hostile_bodies(
    ["err", "err_desc", "err_code", "data", "id", "url"], SECRET_WORD,
    {"err": 1, "err_desc": f"Invalid signature. {SECRET_WORD}", "err_code": SECRET_WORD},
)


@pytest.fixture(scope="module")
def server():
    with scripted_server() as script:
        yield script


def _connector(server: Scripted) -> WcsConnector:
    return WcsConnector(server.url, ORIG, KEY, {DEMARCHE: FORM}, deadline=2.0)


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
        assert outcome.remote_reference is None or outcome.remote_reference.isdigit()
        assert outcome.remote_url is None or outcome.remote_url.startswith(("http://", "https://"))
        assert SECRET_WORD not in (outcome.remote_url or "")
    else:
        assert SECRET_WORD not in outcome.reason


def test_a_2xx_without_a_readable_id_is_not_taken_for_a_delivery(server):
    """Perhaps stored, perhaps not: the next attempt looks it up before sending again."""
    server.answer(200, b'{"err": 0, "data": "ok"}')
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 200 answer unreadable")
    server.answer(200, b"<html>maintenance</html>")
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 200 answer unreadable")


def test_a_redirect_is_not_followed(server):
    server.answer(302, b"", {"Location": "https://ailleurs.example/"})
    assert _connector(server).deliver(ITEM) == RetryLater("submit: HTTP 302")
    assert len([r for r in server.requests if r[0] == "POST"]) >= 1
