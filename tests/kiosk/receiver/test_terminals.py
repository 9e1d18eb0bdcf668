"""Per-terminal secrets: the terminals file, `kiosk-receiver terminal ...`, and a live receiver."""

from __future__ import annotations

import base64
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from kiosk.connectors.signing import fingerprint, sign_request
from kiosk.receiver.terminals import (
    TerminalRegistry,
    TerminalsFileError,
    format_terminals,
    parse_terminals,
    save_terminals,
)
from tests.receiver_process import running_receiver

terminal_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", fullmatch=True)
secrets = st.binary(min_size=16, max_size=64)


@given(st.dictionaries(terminal_ids, secrets, max_size=5))
def test_a_terminals_file_reads_back_what_was_written(terminals):
    assert parse_terminals(format_terminals(terminals)) == terminals


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_reason(text):
    try:
        parse_terminals(text)
    except TerminalsFileError as problem:
        reason = str(problem)
    else:
        reason = "line (read)"
    assert reason.startswith("line ")


@pytest.mark.parametrize(("text", "reason"), [
    ("t-01\n", "expected 'TERMINAL-ID SECRET'"),
    ("t-01 AAAA extra\n", "expected 'TERMINAL-ID SECRET'"),
    ("-t AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "invalid terminal id"),
    ("t-01 AAAA\n", "at least 16 bytes"),
    ("# fleet\n\nt-01 " + "00" * 16 + "\nt-01 " + "11" * 16, "line 4: terminal t-01 appears"),
])
def test_a_malformed_line_is_named(text, reason):
    with pytest.raises(TerminalsFileError, match=reason):
        parse_terminals(text)


def test_the_registry_follows_the_file_and_keeps_the_last_good_one(tmp_path, caplog):
    path = tmp_path / "terminals.txt"
    save_terminals(path, {"t-01": bytes(16)})
    assert path.stat().st_mode & 0o777 == 0o600
    registry = TerminalRegistry(path)
    assert (registry.secret_for("t-01"), registry.secret_for("t-02")) == (bytes(16), None)
    save_terminals(path, {"t-02": b"\x01" * 16})
    assert (registry.secret_for("t-01"), registry.secret_for("t-02")) == (None, b"\x01" * 16)
    path.write_text("t-03 broken!\n", encoding="ascii")
    assert registry.secret_for("t-02") == b"\x01" * 16
    assert "keeping the last good one: line 1" in caplog.text


def receiver_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.receiver.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=30, check=False)


def test_terminal_add_makes_a_secret_shows_it_once_and_lists_its_fingerprint(tmp_path):
    path = str(tmp_path / "terminals.txt")
    made = receiver_cli("terminal", "add", "mairie-01", "--terminals", path)
    assert made.returncode == 0, made.stderr
    secret = base64.b64decode(made.stdout.strip(), validate=True)
    assert len(secret) == 32
    assert f"mairie-01 {fingerprint(secret)}" in made.stderr
    given_print = fingerprint(bytes.fromhex("ab" * 32))
    taken = receiver_cli("terminal", "add", "mairie-02", "--terminals", path,
                         "--secret-file", "-", stdin="ab" * 32)
    assert (taken.returncode, taken.stdout) == (0, f"mairie-02 {given_print}\n")
    listed = receiver_cli("terminal", "list", "--terminals", path)
    assert listed.stdout.splitlines() == [f"mairie-01 {fingerprint(secret)}",
                                          f"mairie-02 {given_print}"]
    assert secret.hex() not in listed.stdout
    assert receiver_cli("terminal", "remove", "mairie-01", "--terminals", path).returncode == 0
    assert receiver_cli("terminal", "list", "--terminals", path).stdout.startswith("mairie-02 ")


def heartbeat_status(url: str, terminal_id: str, secret: bytes) -> tuple[int, str]:
    body = b'{"version": "1", "queue": {}}'
    headers = sign_request(secret, terminal_id, "POST", "/v1/heartbeat", body)
    headers["Content-Type"] = "application/json"
    answer = requests.post(url + "/v1/heartbeat", data=body, headers=headers, timeout=5)
    return answer.status_code, answer.json().get("error", "")


def test_a_running_receiver_accepts_a_terminal_once_added_and_refuses_it_once_removed(tmp_path):
    with running_receiver(tmp_path) as rx:
        terminals = Path(rx.db).with_name(rx.db.stem + "-terminals.txt")
        secret = uuid.uuid4().bytes * 2
        assert heartbeat_status(rx.url, "mairie-07", secret) == (401, "unknown_terminal")
        receiver_cli("terminal", "add", "mairie-07", "--terminals", str(terminals),
                     "--secret-file", "-", stdin=secret.hex())
        assert heartbeat_status(rx.url, "mairie-07", secret) == (200, "")
        assert heartbeat_status(rx.url, "mairie-07", rx.secret) == (401, "bad_signature")
        receiver_cli("terminal", "remove", "mairie-07", "--terminals", str(terminals))
        assert heartbeat_status(rx.url, "mairie-07", secret) == (401, "unknown_terminal")
