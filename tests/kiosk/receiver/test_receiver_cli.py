"""``kiosk-receiver heartbeats`` and ``list``: read the receiver's database as it is, and
behave in a pipe that closes early."""

from __future__ import annotations

import json
import subprocess
import sys

from kiosk.exit_codes import BROKEN_PIPE, USAGE
from kiosk.receiver.cli import main as receiver_main
from kiosk.receiver.storage import HeartbeatDetails, ReceiverStore


def _database(location: str) -> str:
    """Heartbeats of two terminals, in the receiver's database on either engine."""
    store = ReceiverStore(location)
    try:
        store.record_heartbeat("mairie-02", "1.4.0", {"pending": 2, "dead": 1})
        store.record_heartbeat("mairie-01", "1.3.9", {"pending": 0})
        store.record_heartbeat("mairie-01", "1.4.0", {"pending": 5},
                               details=HeartbeatDetails(catalog_version="3f1c", paused=True,
                                                        pause_cause="credentials"))
    finally:
        store.close()
    return location


def test_heartbeats_lists_each_terminal_with_its_version_and_queue(
    database_location, capsys
) -> None:
    db = _database(database_location)
    assert receiver_main(["heartbeats", "--db", db]) == 0
    captured = capsys.readouterr()
    first, second = captured.out.splitlines()
    assert first.startswith("mairie-01  ")
    assert first.endswith("1.4.0  2 beat(s)  pending=5  PAUSED (credentials)")
    assert second.startswith("mairie-02  ")
    assert second.endswith("dead=1 pending=2")
    assert "2 terminal(s)" in captured.err


def test_heartbeats_as_json_for_fleet_tools(database_location, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KIOSK_RECEIVER_DATABASE", _database(database_location))
    assert receiver_main(["heartbeats", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["terminal_id"], r["version"], r["beats"], r["queue"]) for r in rows] == [
        ("mairie-01", "1.4.0", 2, {"pending": 5}),
        ("mairie-02", "1.4.0", 1, {"dead": 1, "pending": 2}),
    ]
    assert all(isinstance(r["last_seen"], float) for r in rows)
    assert [(r["catalog_version"], r["paused"], r["pause_cause"]) for r in rows] == [
        ("3f1c", True, "credentials"), (None, None, None)]


def test_heartbeats_without_a_database_names_it_and_makes_none(tmp_path, capsys) -> None:
    missing = tmp_path / "none.sqlite3"
    assert receiver_main(["heartbeats", "--db", str(missing)]) == USAGE
    assert f"no such database: {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_list_into_a_pipe_closed_early_ends_without_a_traceback(tmp_path) -> None:
    """``kiosk-receiver list --json | head -c 10``: one line longer than a pipe holds."""
    db = tmp_path / "received.sqlite3"
    store = ReceiverStore(db)
    try:
        payload = json.dumps({"reference": "ADM-1", "notes": "x" * 1_000_000}).encode()
        store.add_submission(key="k-1", terminal_id="mairie-01", body_sha256="0", payload=payload)
    finally:
        store.close()
    command = [sys.executable, "-m", "kiosk.receiver.cli", "list", "--json", "--db", str(db)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(10) == b'{"id": "BO'
        process.stdout.close()  # as `head` does once it has enough
        errors = process.stderr.read().decode()
    assert "Traceback" not in errors, errors
    assert process.returncode == BROKEN_PIPE


def test_an_unreadable_secret_file_is_named_in_words(tmp_path, capsys) -> None:
    missing = tmp_path / "none.key"
    argv = ["terminal", "add", "mairie-01", "--terminals", str(tmp_path / "terminals"),
            "--secret-file", str(missing)]
    assert receiver_main(argv) == USAGE
    err = capsys.readouterr().err
    assert f"cannot read the secret from {missing}: No such file or directory" in err
    assert "Errno" not in err
