"""A back office that trickles its answer cannot hold the queue: every exchange has a deadline.

The servers send a byte every 0.05 s, so a read timeout of 1 s never trips; without a
deadline on the whole exchange each test would wait for about an hour (pytest-timeout
stops it first, and says so).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.connectors.http_api import ConnectorError, HttpApiConnector
from offline_queue.connector import Outgoing, RetryLater
from offline_queue.store import QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncEvent, SyncWorker
from tests.kiosk.connectors.trickle_server import trickling

pytestmark = pytest.mark.timeout(60)  # an exchange lasts 1 s here; hanging is the failure

SECRET = bytes(range(32))
ITEM = Outgoing(item_id="5b0c7a4e-3f7e-4a53-9a55-0e8d1f1c2b3a", reference="ADM-7K3-Q9P",
                payload=json.dumps({"reference": "ADM-7K3-Q9P"}).encode(), attempt=1)


@pytest.fixture(scope="module")
def slow_headers() -> Iterator[str]:
    with trickling("headers") as url:
        yield url


@pytest.fixture(scope="module")
def slow_body() -> Iterator[str]:
    with trickling("body") as url:
        yield url


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) files in PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return str(folder / "cert.pem"), str(folder / "key.pem")


@pytest.mark.parametrize("mode", ["headers", "body"])
def test_over_tls_too(mode, certificate, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])  # TLS is verified: trust ours
    with trickling(mode, certificate) as url:
        assert url.startswith("https://")
        assert api(url).deliver(ITEM) == RetryLater("network: read timeout")


def api(url: str) -> HttpApiConnector:
    return HttpApiConnector(url, "borne-01", SECRET, timeout=1.0, probe_timeout=1.0)


@pytest.mark.parametrize("server", ["slow_headers", "slow_body"])
def test_a_trickled_answer_ends_the_attempt_as_a_retry(server, request):
    url = request.getfixturevalue(server)
    assert api(url).deliver(ITEM) == RetryLater("network: read timeout")


@pytest.mark.parametrize("server", ["slow_headers", "slow_body"])
def test_a_trickled_catalog_is_given_up(server, request):
    with pytest.raises(ConnectorError, match="catalog: read timeout"):
        api(request.getfixturevalue(server)).fetch_catalog()


def test_a_trickled_heartbeat_is_given_up(slow_body):
    assert api(slow_body).heartbeat({"pending": 1}).accepted is False


def test_a_health_check_answered_byte_by_byte_is_unreachable(slow_headers):
    assert api(slow_headers).reachable() is False


def test_the_sync_worker_stops_although_the_back_office_trickles(slow_headers, tmp_path: Path):
    path, key = tmp_path / "queue.sqlite3", os.urandom(32)
    with QueueStore(path, key) as store:
        store.enqueue(ITEM.item_id, ITEM.reference, "demarche", ITEM.payload)
    retried = threading.Event()

    def on_event(event: SyncEvent) -> None:
        if event.kind == "retry":
            retried.set()

    worker = SyncWorker(path, key, api(slow_headers), policy=BackoffPolicy(60.0, 60.0),
                        on_event=on_event)
    worker.start()
    try:
        assert retried.wait(30)
    finally:
        stopped = worker.stop(30)
    assert stopped is True
    assert not worker.running
    with QueueStore(path, key) as store:
        assert store.get(ITEM.item_id).state is State.RETRY_WAIT


@pytest.mark.parametrize("part", ["headers", "body"])
def test_the_wcs_and_open311_requests_are_cut_at_their_deadline_too(
    part: str, slow_headers: str, slow_body: str
) -> None:
    """The connectors of back offices without idempotency share ``BoundedHttp``: a server
    trickling its status line and headers is cut as surely as one trickling its body."""
    import requests

    from kiosk.connectors.bounded_http import BoundedHttp

    url = slow_headers if part == "headers" else slow_body
    http = BoundedHttp(deadline=1.0)
    try:
        with pytest.raises(requests.RequestException):
            http.request("GET", url + "/anything", limit=1 << 20)
    finally:
        http.close()
