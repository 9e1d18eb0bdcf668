"""The receiver keeps each terminal's highest journal head: the anchor against a rollback."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.audit.head import JournalHead
from kiosk.connectors.http_api import HttpApiConnector
from kiosk.connectors.signing import sign_request
from kiosk.receiver.cli import main as receiver_main
from kiosk.receiver.storage import ReceiverStore
from tests.receiver_process import RunningReceiver, running_receiver


def head(seq: int) -> JournalHead:
    return JournalHead(seq, f"{seq:064x}")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[RunningReceiver]:
    """A receiver of the test's own, for a terminal of its own: heads only go up."""
    with running_receiver(tmp_path, terminal_id="terminal-" + uuid.uuid4().hex[:8]) as started:
        yield started


def heads_of(receiver: RunningReceiver) -> dict[str, JournalHead]:
    store = ReceiverStore(receiver.db)
    try:
        return {seen.terminal_id: seen.head for seen in store.journal_heads()}
    finally:
        store.close()


def submit(receiver: RunningReceiver, terminal: str, document: dict[str, object]) -> int:
    body = json.dumps({"reference": "ADM-7K3-Q9P", **document}).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4()),
               **sign_request(receiver.secret, terminal, "POST", "/v1/submissions", body)}
    return requests.post(receiver.url + "/v1/submissions", data=body, headers=headers,
                         timeout=5).status_code


def beat(receiver: RunningReceiver, terminal: str, body: bytes) -> requests.Response:
    headers = {"Content-Type": "application/json",
               **sign_request(receiver.secret, terminal, "POST", "/v1/heartbeat", body)}
    return requests.post(receiver.url + "/v1/heartbeat", data=body, headers=headers, timeout=5)


def test_the_highest_head_of_heartbeats_and_submissions_is_kept(
    receiver: RunningReceiver, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = receiver.terminal_id
    api = HttpApiConnector(receiver.url, terminal, receiver.secret, timeout=5.0)
    assert api.heartbeat({"pending": 0}, journal_head=head(10))
    assert heads_of(receiver)[terminal] == head(10)
    # A submission queued long ago carries an older head: the highest stays.
    assert submit(receiver, terminal, {"journal_head": head(5).to_dict()}) == 201
    assert heads_of(receiver)[terminal] == head(10)
    # A journal put back to an older copy sends a lower head: the highest stays.
    assert api.heartbeat({"pending": 0}, journal_head=head(7))
    assert heads_of(receiver)[terminal] == head(10)
    assert submit(receiver, terminal, {"journal_head": head(12).to_dict()}) == 201
    assert heads_of(receiver)[terminal] == head(12)
    assert receiver_main(["heads", "--db", str(receiver.db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if terminal in line]
    assert [line.split()[:2] for line in lines] == [[terminal, str(head(12))]]


@pytest.mark.parametrize("journal_head", [
    "12:abc", {"seq": "12", "hash": "0" * 64}, {"seq": 12}, {"seq": 0, "hash": "0" * 64},
    {"seq": 12, "hash": "Z" * 64}, None, [12, "0" * 64],
])
def test_a_malformed_head_is_refused_and_the_last_good_one_kept(
    receiver: RunningReceiver, journal_head: object
) -> None:
    terminal = receiver.terminal_id
    api = HttpApiConnector(receiver.url, terminal, receiver.secret, timeout=5.0)
    assert api.heartbeat({"pending": 0}, journal_head=head(3))
    body = json.dumps({"version": "1", "queue": {}, "journal_head": journal_head}).encode()
    answer = beat(receiver, terminal, body)
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_heartbeat")
    assert "journal head" in answer.json()["message"]
    # A submission with a malformed head is refused as the spec says (the kiosk never
    # sends one); the anchor kept is unchanged.
    assert submit(receiver, terminal, {"journal_head": journal_head}) == 400
    assert heads_of(receiver)[terminal] == head(3)


def test_heads_without_a_database_is_a_usage_error(tmp_path, capsys) -> None:
    assert receiver_main(["heads", "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert "no such database" in capsys.readouterr().err
