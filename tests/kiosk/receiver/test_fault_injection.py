"""The receiver's fault plan: each injected fault reaches the connector as it should."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest

from kiosk.connectors.http_api import HttpApiConnector
from kiosk.receiver.cli import parse_secret
from kiosk.receiver.faults import FaultPlan, parse_action
from offline_queue.connector import (
    Delivered,
    Misconfigured,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from tests.receiver_process import TERMINAL_ID, running_receiver


def test_a_plan_is_played_in_turns_then_behaves():
    plan = FaultPlan.parse("500, 429,reset")
    assert [plan.next_action() for _ in range(5)] == ["500", "429", "reset", "ok", "ok"]


def test_a_looping_plan_starts_again():
    plan = FaultPlan.parse("hang,ok", loop=True)
    assert [plan.next_action() for _ in range(5)] == ["hang", "ok", "hang", "ok", "hang"]
    assert FaultPlan.parse("", loop=True).next_action() == "ok"


@pytest.mark.parametrize("text", ["200", "302", "600", "explode", "4O4", "²²²"])
def test_an_unknown_action_is_refused(text):
    with pytest.raises(ValueError, match="unknown fault"):
        parse_action(text)


def test_secrets_are_read_in_hex_or_base64():
    assert parse_secret("ab" * 32) == b"\xab" * 32
    assert parse_secret(" " + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n") == bytes(32)


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--db", "x.db", "--terminals", "missing.txt"],
        ["serve", "--db", "x.db", "--terminals", "bad.txt"],
        ["serve", "--db", "x.db", "--terminals", "good.txt", "--fault-plan", "boom"],
        ["list", "--db", "missing.db"],
        ["terminal", "add", "bad id!", "--terminals", "good.txt"],
        ["terminal", "add", "t-01", "--terminals", "good.txt"],
        ["terminal", "add", "t-02", "--terminals", "good.txt", "--secret-file", "bad.txt"],
        ["terminal", "remove", "nobody", "--terminals", "good.txt"],
        ["terminal", "list", "--terminals", "bad.txt"],
    ],
)
def test_the_command_line_refuses_bad_values_with_exit_code_2(tmp_path, args):
    (tmp_path / "good.txt").write_text("t-01 " + "ab" * 32 + "\n", encoding="ascii")
    (tmp_path / "bad.txt").write_text("t-01 not-a-secret!\n", encoding="ascii")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.receiver.cli", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert result.stderr.startswith("kiosk-receiver: ")
    assert (tmp_path / "good.txt").read_text(encoding="ascii") == "t-01 " + "ab" * 32 + "\n"


@pytest.mark.slow
def test_each_fault_reaches_the_connector_as_its_outcome(tmp_path):
    plan = "500,429,503,401,403,422,404,hang,reset,lost"
    with running_receiver(tmp_path, "--fault-plan", plan, "--hang-seconds", "2.5") as rx:
        api = HttpApiConnector(rx.url, TERMINAL_ID, rx.secret, timeout=1.5)
        items = [Outgoing(str(uuid.uuid4()), f"R-{n}", json.dumps({"n": n}).encode(), 1)
                 for n in range(11)]
        outcomes = [api.deliver(item) for item in items[:10]]
        assert outcomes == [
            RetryLater("HTTP 500 fault_injected", None),
            RetryLater("HTTP 429 fault_injected", 1.0),
            RetryLater("HTTP 503 fault_injected", 1.0),
            Unauthorized("HTTP 401 fault_injected"),
            Unauthorized("HTTP 403 fault_injected"),
            Rejected("HTTP 422 fault_injected"),
            Misconfigured("the back-office URL answers HTTP 404: check [backoffice] url"),
            RetryLater("network: read timeout"),
            RetryLater("network: connection failed or reset"),
            RetryLater("network: connection failed or reset"),
        ]
        # "lost" stored the last one although its answer never came: the retry is a replay.
        [stored] = rx.submissions()
        assert stored.idempotency_key == items[9].item_id
        assert api.deliver(items[9]) == Delivered(stored.remote_id)
        after = api.deliver(items[10])  # the plan is used up: the receiver behaves again
        assert isinstance(after, Delivered)
        assert after.remote_reference is not None
        assert [event.action for event in rx.faults()] == plan.split(",")
        assert [event.idempotency_key for event in rx.faults()] == [i.item_id for i in items[:10]]
        assert api.reachable()
