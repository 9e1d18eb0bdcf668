"""The connectors of back offices without idempotency read the environment once (proxies
per site, the CA bundle at start) instead of for every request, and still honour it: a
town hall's network may only reach its back office through a proxy."""

from __future__ import annotations

import socket

import pytest

from kiosk.connectors.wcs import WcsConnector
from offline_queue.connector import Delivered, RetryLater
from tests.fakes.wcs_process import KEY, ORIG, RunningWcs, running_wcs
from tests.kiosk.connectors.connector_support import outgoing
from tests.kiosk.connectors.wcs_support import DEMARCHE, FORM, SLUG, VARNAMES, submission


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Nothing listens there: only a proxy can answer for it.
AWAY = f"http://localhost:{_free_port()}"


@pytest.fixture(scope="module")
def proxy() -> RunningWcs:
    """The fake w.c.s., used as an HTTP proxy: it answers absolute-URI requests as if it
    were the site they name."""
    with running_wcs({SLUG: VARNAMES}) as started:
        yield started


def connector_via_environment() -> WcsConnector:
    return WcsConnector(AWAY, ORIG, KEY, {DEMARCHE: FORM}, deadline=2.0)


@pytest.fixture
def via_proxy(proxy: RunningWcs, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The environment names the fake as the HTTP proxy, and no site to bypass it."""
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_environment_proxy_is_used(proxy: RunningWcs, via_proxy) -> None:
    connector = connector_via_environment()
    assert connector.reachable()
    sub = submission(1)
    assert isinstance(connector.deliver(outgoing(sub)), Delivered)
    assert [f["data"]["kiosk_uuid"] for f in proxy.stored()[SLUG]] == [sub.id]


def test_no_proxy_is_honoured(via_proxy) -> None:
    via_proxy.setenv("NO_PROXY", "localhost")
    connector = connector_via_environment()
    assert not connector.reachable()
    assert isinstance(connector.deliver(outgoing(submission(2))), RetryLater)


def test_the_proxies_are_read_once_per_site(via_proxy) -> None:
    connector = connector_via_environment()
    assert connector.reachable()
    via_proxy.delenv("HTTP_PROXY")  # a running kiosk's environment does not change
    assert connector.reachable()
    assert not connector_via_environment().reachable()
