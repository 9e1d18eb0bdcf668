"""``GET /v1/requests/{reference}/status`` on the real receiver, and ``kiosk-receiver
status set``: any enrolled terminal may ask; only a status is ever told."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import requests

from kiosk.connectors.http_api import HttpApiConnector
from kiosk.domain.reference import new_reference
from kiosk.domain.request_status import RequestStatus, Status, UnknownReferenceError
from kiosk.receiver.launcher import terminals_file_of
from tests.receiver_process import TERMINAL_ID, RunningReceiver, running_receiver


def deliver(receiver: RunningReceiver, reference: str) -> None:
    body = json.dumps({"reference": reference, "nom": "Jeanne Martin"}).encode()
    path = "/v1/submissions"
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4()),
               **receiver.signed_headers("POST", path, body)}
    assert requests.post(receiver.url + path, data=body, headers=headers,
                         timeout=10).status_code == 201


def ask(receiver: RunningReceiver, reference: str, **sign: object) -> requests.Response:
    path = f"/v1/requests/{reference}/status"
    return requests.get(receiver.url + path, timeout=10,
                        headers=receiver.signed_headers("GET", path, **sign))  # type: ignore[arg-type]


def status_set(receiver: RunningReceiver, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.receiver.cli", "status", "set", *args,
         "--db", str(receiver.db)],
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_a_request_is_received_until_an_agent_says_more(receiver):
    reference = new_reference("ADM")
    deliver(receiver, reference)
    first = ask(receiver, reference)
    assert first.status_code == 200
    assert first.json()["status"] == "received"
    assert set(first.json()) == {"reference", "status", "updated_at"}

    typed = reference.lower().replace("-", " ")  # the agent copies it as a resident would
    done = status_set(receiver, typed, "in_progress", "--service", "Voirie")
    assert (done.returncode, done.stdout) == (0, f"{reference} in_progress (Voirie)\n")
    answer = ask(receiver, reference).json()
    assert (answer["status"], answer["service"]) == ("in_progress", "Voirie")
    assert "Jeanne" not in json.dumps(answer)  # a status only, never the content


def test_the_connector_reads_each_status(receiver):
    api = HttpApiConnector(receiver.url, TERMINAL_ID, receiver.secret, timeout=5.0)
    reference = new_reference("ADM")
    deliver(receiver, reference)
    assert api.request_status(reference).status is Status.RECEIVED
    for status in Status:
        assert status_set(receiver, reference, status.value).returncode == 0
        assert api.request_status(reference).status is status
    status_set(receiver, reference, "done", "--service", "État civil")
    got = api.request_status(reference)
    assert (got.status, got.service) == (Status.DONE, "État civil")
    assert isinstance(got, RequestStatus)
    assert got.updated_at


def test_an_unknown_reference_is_a_404_and_the_connector_says_unknown(receiver):
    reference = new_reference("ZZZ")
    answer = ask(receiver, reference)
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_reference")
    api = HttpApiConnector(receiver.url, TERMINAL_ID, receiver.secret, timeout=5.0)
    try:
        api.request_status(reference)
    except UnknownReferenceError:
        pass
    else:
        raise AssertionError("an unknown reference was given a status")


def test_a_malformed_reference_or_an_unsigned_request_is_refused(receiver):
    for wrong in ("adm-7k3-q9p", "ADM-0K3-Q9P", "ADM7K3Q9P", "X" * 300):
        answer = ask(receiver, wrong)
        assert (answer.status_code, answer.json()["error"]) == (400, "invalid_reference"), wrong
    unsigned = requests.get(receiver.url + "/v1/requests/ADM-7K3-Q9P/status", timeout=10)
    assert unsigned.status_code == 401


def test_any_enrolled_terminal_may_ask(tmp_path):
    """The resident comes back to another terminal of the commune."""
    with running_receiver(tmp_path / "rx", terminal_id="borne-mairie") as first:
        reference = new_reference("ADM")
        deliver(first, reference)
        subprocess.run(
            [sys.executable, "-m", "kiosk.receiver.cli", "terminal", "add", "borne-cca",
             "--secret-file", "-", "--terminals", str(terminals_file_of(first.db))],
            input=(b"\x07" * 32).hex(), text=True, capture_output=True, check=True, timeout=60,
        )
        other = HttpApiConnector(first.url, "borne-cca", b"\x07" * 32, timeout=5.0)
        assert other.request_status(reference).status is Status.RECEIVED


def test_status_set_refuses_what_it_cannot_use(receiver):
    unknown = status_set(receiver, new_reference("QQQ"), "done")
    assert unknown.returncode == 1
    assert "no request with the reference" in unknown.stderr
    assert status_set(receiver, "pas une référence", "done").returncode == 2
    assert status_set(receiver, "ADM-7K3-Q9P", "lost").returncode == 2  # not a status
    reference = new_reference("ADM")
    deliver(receiver, reference)
    bad_service = status_set(receiver, reference, "done", "--service", "a\nb")
    assert (bad_service.returncode, ask(receiver, reference).json()["status"]) == (2, "received")
