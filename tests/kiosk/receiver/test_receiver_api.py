"""The reference receiver as a real subprocess: storage once per key, replays, refusals."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from kiosk.connectors.http_api import HttpApiConnector
from kiosk.connectors.signing import sign_request
from kiosk.receiver.app import MAX_HEARTBEAT_BYTES
from offline_queue.connector import Delivered, Outgoing, Rejected, Unauthorized
from tests.receiver_process import TERMINAL_ID, RunningReceiver, running_receiver


def post(receiver: RunningReceiver, body: bytes, key: str | None, *,
         path: str = "/v1/submissions", content_type: str = "application/json",
         **sign) -> requests.Response:
    headers = {"Content-Type": content_type, **receiver.signed_headers("POST", path, body, **sign)}
    if key is not None:
        headers["Idempotency-Key"] = key
    return requests.post(receiver.url + path, data=body, headers=headers, timeout=10)


def beat(receiver: RunningReceiver, body: bytes, **options) -> requests.Response:
    return post(receiver, body, None, path="/v1/heartbeat", **options)


def rows_with(receiver: RunningReceiver, key: str) -> list:
    return [row for row in receiver.submissions() if row.idempotency_key == key]


def payload(**fields: object) -> bytes:
    return json.dumps({"reference": "ADM-7K3-Q9P", **fields}).encode()


def test_a_submission_is_stored_and_answered_with_its_id(receiver):
    key, body = str(uuid.uuid4()), payload(n=1)
    answer = post(receiver, body, key)
    assert answer.status_code == 201
    assert answer.headers.get("Idempotent-Replayed") is None
    [row] = rows_with(receiver, key)
    assert answer.json()["id"] == row.remote_id
    assert (row.payload, row.terminal_id, row.reference) == (body, TERMINAL_ID, "ADM-7K3-Q9P")


def test_a_repeat_is_replayed_not_stored_twice(receiver):
    key, body = str(uuid.uuid4()), payload(n=2)
    first = post(receiver, body, key)
    again = post(receiver, body, key)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(rows_with(receiver, key)) == 1


def test_a_reused_key_with_another_payload_is_refused_with_422(receiver):
    key = str(uuid.uuid4())
    post(receiver, payload(n=3), key)
    other = post(receiver, payload(n=4), key)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    [row] = rows_with(receiver, key)
    assert row.payload == payload(n=3)


def test_the_connector_gets_delivered_then_the_same_answer_again(receiver):
    api = HttpApiConnector(receiver.url, TERMINAL_ID, receiver.secret, timeout=5.0)
    item = Outgoing(str(uuid.uuid4()), "ADM-7K3-Q9P", payload(n=5), 1)
    first = api.deliver(item)
    assert isinstance(first, Delivered)
    assert first.remote_reference is not None
    assert api.deliver(item) == first
    assert api.deliver(Outgoing(item.item_id, item.reference, payload(n=6), 2)) == Rejected(
        "HTTP 422 idempotency_key_reused"
    )
    assert api.reachable()


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("body", "bad_signature"),
        ("path", "bad_signature"),
        ("old", "stale_timestamp"),
        ("future", "stale_timestamp"),
        ("secret", "bad_signature"),
        ("unsigned", "missing_signature"),
    ],
)
def test_a_tampered_request_is_refused_with_401_and_not_stored(receiver, tamper, code):
    key, body = str(uuid.uuid4()), payload(n=7)
    headers = receiver.signed_headers("POST", "/v1/submissions", body)
    if tamper == "body":
        body = payload(n=8)
    elif tamper == "path":
        headers = receiver.signed_headers("POST", "/v1/heartbeat", body)
    elif tamper in ("old", "future"):
        shift = -301 if tamper == "old" else 301
        headers = receiver.signed_headers("POST", "/v1/submissions", body, now=time.time() + shift)
    elif tamper == "secret":
        api = HttpApiConnector(receiver.url, TERMINAL_ID, bytes(32), timeout=5.0)
        assert api.deliver(Outgoing(key, "R", body, 1)) == Unauthorized("HTTP 401 bad_signature")
        headers = sign_request(bytes(32), TERMINAL_ID, "POST", "/v1/submissions", body)
    elif tamper == "unsigned":
        headers = {}
    headers["Idempotency-Key"] = key
    answer = requests.post(receiver.url + "/v1/submissions", data=body, headers=headers, timeout=10)
    assert answer.status_code == 401
    assert answer.json()["error"] == code
    assert rows_with(receiver, key) == []


@pytest.mark.parametrize(
    ("body", "key", "code"),
    [
        (b'{"a": 1}', None, "missing_idempotency_key"),
        (b'{"a": 1}', "with space", "missing_idempotency_key"),
        (b'{"a": 1}', "k" * 129, "missing_idempotency_key"),
        (b"not json", "k-json", "invalid_json"),
        (b"[1, 2]", "k-list", "invalid_json"),
        (b'{"a": NaN}', "k-nan", "invalid_json"),
        (b'{"a": -Infinity}', "k-inf", "invalid_json"),
        (b'{"a": 1e400}', "k-huge", "invalid_json"),
        (b'{"a": "\xff"}', "k-latin1", "invalid_json"),
        (b'{"reference": 7}', "k-ref", "invalid_submission"),
        (b'{"reference": null}', "k-ref-null", "invalid_submission"),
    ],
)
def test_a_malformed_submission_is_a_400(receiver, body, key, code):
    answer = post(receiver, body, key)
    assert answer.status_code == 400
    assert answer.json()["error"] == code


def test_the_catalog_is_served_with_an_etag_and_not_again_when_unchanged(receiver):
    api = HttpApiConnector(receiver.url, TERMINAL_ID, receiver.secret, timeout=5.0)
    status, body, etag = api.fetch_catalog()
    assert (status, json.loads(body or b"")) == (200, {"demarches": []})
    assert etag
    assert api.fetch_catalog(etag) == (304, None, etag)
    assert api.fetch_catalog('W/"other", ' + etag).status == 304
    assert api.fetch_catalog('"other"').status == 200


def test_the_catalog_and_heartbeat_need_a_signature(receiver):
    assert requests.get(receiver.url + "/v1/catalog", timeout=5).status_code == 401
    assert requests.post(receiver.url + "/v1/heartbeat", json={}, timeout=5).status_code == 401


def test_a_heartbeat_is_recorded(receiver):
    from kiosk.receiver.storage import ReceiverStore

    api = HttpApiConnector(receiver.url, TERMINAL_ID, receiver.secret, timeout=5.0)
    assert api.heartbeat({"pending": 3, "dead": 0}, "1.2.3")
    assert api.heartbeat({"pending": 0, "dead": 0}, "1.2.3")
    store = ReceiverStore(receiver.db)
    [beat] = store.heartbeats()
    store.close()
    assert (beat.terminal_id, beat.version, beat.queue, beat.beats) == (
        TERMINAL_ID, "1.2.3", {"pending": 0, "dead": 0}, 2)


@pytest.mark.parametrize("body", [
    b"[]", b"nope", b'{"version": 1, "queue": {}}', b'{"version": "1", "queue": {"p": "3"}}',
    b'{"version": "1", "queue": {"p": true}}', b'{"version": "1", "queue": {"p": -1}}',
    b'{"version": "1", "queue": {"p": 1.5}}', b'{"version": "1", "queue": {"p": NaN}}',
    b'{"version": "' + b"9" * 65 + b'", "queue": {}}',
    b'{"version": "1", "queue": {"' + b"s" * 33 + b'": 1}}',
    b'{"version": "1", "queue": {}, "sent_at": "1750000000"}',
    b'{"version": "1", "queue": {}, "sent_at": 1.5}',
    b'{"version": "1", "queue": {}, "terminal_id": 12}',
    b'{"version": "1", "queue": {}, "sent_at": -1}',
    b'{"version": "1", "queue": {}, "sent_at": 1e300}',
    b'{"version": "1", "queue": {}, "catalog_version": 3}',
    b'{"version": "1", "queue": {}, "catalog_version": "' + b"9" * 65 + b'"}',
    b'{"version": "1", "queue": {}, "paused": "yes"}',
    b'{"version": "1", "queue": {}, "paused": 1}',
    b'{"version": "1", "queue": {}, "paused": null}',
    b'{"version": "1", "queue": {}, "catalog_version": null}',
    b'{"version": "1", "queue": {}, "sent_at": null}',
])
def test_a_heartbeat_outside_the_spec_is_a_400(receiver, body):
    answer = beat(receiver, body)
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_heartbeat")


@pytest.mark.parametrize(("fields", "problem"), [
    ({"catalog_version": ["v7"]}, "catalog_version: a string of at most 64"),
    ({"catalog_version": "v" * 65}, "catalog_version: a string of at most 64"),
    ({"paused": "true"}, "paused must be true or false"),
    ({"paused": True, "pause_cause": "Jeanne Martin, 12 rue des Lilas"},
     "pause_cause: one of credentials, configuration"),
    ({"paused": True, "pause_cause": "credentials" * 1000},
     "pause_cause: one of credentials, configuration"),
    ({"paused": True, "pause_cause": 401}, "pause_cause: one of credentials, configuration"),
    ({"paused": False, "pause_cause": "credentials"}, "pause_cause goes with paused: true"),
    ({"pause_cause": "configuration"}, "pause_cause goes with paused: true"),
])
def test_a_hostile_catalog_or_pause_is_refused_by_name_and_stored_nowhere(
    receiver, fields, problem
):
    good = {"version": "1.4.0", "queue": {"pending": 1}, "catalog_version": "v7", "paused": False}
    assert beat(receiver, json.dumps(good).encode()).status_code == 200
    before = stored_heartbeats(receiver)
    answer = beat(receiver, json.dumps({**good, "version": "6.6.6", **fields}).encode())
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_heartbeat")
    assert problem in answer.json()["message"]
    assert stored_heartbeats(receiver) == before  # the last good heartbeat stays
    assert any("v7" in row for row in before)
    assert "Jeanne" not in receiver.output()


def stored_heartbeats(receiver: RunningReceiver) -> list[tuple[object, ...]]:
    """Every row the receiver keeps of heartbeats, as the database holds them."""
    with sqlite3.connect(receiver.db) as db:
        return [
            *db.execute("SELECT terminal_id, version, queue, received_at FROM heartbeats"),
            *db.execute("SELECT * FROM heartbeat_details"),
        ]


def test_a_heartbeat_at_the_spec_limits_is_recorded(receiver):
    body = json.dumps({"version": "9" * 64, "queue": {"s" * 32: 2.0, "other": 0},
                       "sent_at": 1.75e9, "terminal_id": "anything", "later": [1]}).encode()
    assert beat(receiver, body).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "", "application/json; charset=latin-1",
                                          "application/jsonx"])
def test_a_body_not_declared_json_is_a_415(receiver, content_type):
    heartbeat = b'{"version": "1", "queue": {}}'
    for answer in (beat(receiver, heartbeat, content_type=content_type),
                   post(receiver, payload(), str(uuid.uuid4()), content_type=content_type)):
        assert (answer.status_code, answer.json()["error"]) == (415, "unsupported_media_type")
    assert beat(receiver, heartbeat, content_type="Application/JSON; Charset=UTF-8").ok


def test_the_documented_size_limits_give_413(receiver):
    big = json.dumps({"version": "1", "queue": {}, "pad": "x" * MAX_HEARTBEAT_BYTES}).encode()
    assert (beat(receiver, big).status_code, beat(receiver, big).json()["error"]) == (
        413, "payload_too_large")
    headers = receiver.signed_headers("GET", "/v1/catalog", b"{}")
    with_body = requests.get(receiver.url + "/v1/catalog", data=b"{}", headers=headers, timeout=5)
    assert (with_body.status_code, with_body.json()["error"]) == (413, "payload_too_large")


def test_a_terminal_that_is_not_enrolled_is_an_unknown_terminal(receiver):
    body = payload(n=12)
    headers = sign_request(receiver.secret, "stranger-01", "POST", "/v1/submissions", body)
    headers.update({"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
    answer = requests.post(receiver.url + "/v1/submissions", data=body, headers=headers, timeout=5)
    assert (answer.status_code, answer.json()["error"]) == (401, "unknown_terminal")
    api = HttpApiConnector(receiver.url, "stranger-01", receiver.secret, timeout=5.0)
    assert api.deliver(Outgoing(str(uuid.uuid4()), "R", body, 1)) == Unauthorized(
        "HTTP 401 unknown_terminal")


def test_health_is_public_and_unknown_paths_are_json_404(receiver):
    health = requests.get(receiver.url + "/v1/health", timeout=5)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert requests.head(receiver.url + "/v1/health", timeout=5).status_code == 200
    missing = requests.get(receiver.url + "/v2/anything", timeout=5)
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    wrong = requests.get(receiver.url + "/v1/submissions", timeout=5)
    assert wrong.status_code == 405


def test_list_shows_what_arrived(receiver):
    key = str(uuid.uuid4())
    post(receiver, payload(n=9), key)
    listed = subprocess.run(
        [sys.executable, "-m", "kiosk.receiver.cli", "list", "--db", str(receiver.db), "--json"],
        capture_output=True, text=True, check=True, timeout=30,
    )
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    [row] = [row for row in rows if row["idempotency_key"] == key]
    assert row["payload"] == json.loads(payload(n=9))
    assert row["reference"] == "ADM-7K3-Q9P"


def test_the_secret_is_not_on_the_command_line(receiver):
    cmdline = Path(f"/proc/{receiver.process.pid}/cmdline").read_bytes()
    assert receiver.secret.hex().encode() not in cmdline
    assert b"serve" in cmdline


def concurrently(*calls):
    """Run the calls at once on threads; their results in the same order."""
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.slow
def test_a_request_while_the_first_with_its_key_is_in_progress_gets_409_or_422(tmp_path):
    # Each first submission stays "in progress" 2.5 s: requests sent together overlap.
    with running_receiver(tmp_path, "--processing-delay", "2.5", "--no-catalog") as slow:
        key, body = str(uuid.uuid4()), payload(n=10)
        same = concurrently(lambda: post(slow, body, key), lambda: post(slow, body, key))
        assert sorted(answer.status_code for answer in same) == [201, 409]
        busy = next(answer for answer in same if answer.status_code == 409)
        assert busy.json()["error"] == "in_progress"
        assert post(slow, body, key).headers["Idempotent-Replayed"] == "true"

        key = str(uuid.uuid4())
        other = concurrently(lambda: post(slow, body, key), lambda: post(slow, payload(n=11), key))
        assert sorted(answer.status_code for answer in other) == [201, 422]
        assert len(rows_with(slow, key)) == 1
        catalog = requests.get(
            slow.url + "/v1/catalog", headers=slow.signed_headers("GET", "/v1/catalog"), timeout=5
        )
        assert catalog.status_code == 404
