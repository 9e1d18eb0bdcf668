"""Two receiver processes on one PostgreSQL database (a fleet behind a load balancer):
the same submission delivered to both at once, again and again, is stored once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
import requests

from kiosk.receiver.cli import main as receiver_main
from kiosk.receiver.storage import ReceiverStore
from tests.postgres_server import PostgresServer
from tests.receiver_process import RunningReceiver, running_receiver

KEYS = 25
DELIVERIES_PER_KEY = 6  # three to each receiver, all at the same instant


def deliver(receiver: RunningReceiver, key: str, body: bytes) -> requests.Response:
    headers = {"Content-Type": "application/json", "Idempotency-Key": key,
               **receiver.signed_headers("POST", "/v1/submissions", body)}
    return requests.post(receiver.url + "/v1/submissions", data=body, headers=headers,
                         timeout=30)


@pytest.mark.slow
def test_two_receivers_on_one_database_store_each_submission_once(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    database = postgres.create_database()
    secret = b"s" * 32
    with ExitStack() as stack:
        receivers = [
            stack.enter_context(running_receiver(tmp_path / f"rx{n}", secret=secret,
                                                 database=database))
            for n in range(2)
        ]
        bodies = {f"key-{n:03d}": json.dumps({"reference": f"TST-{n:04d}", "n": n}).encode()
                  for n in range(KEYS)}
        answers: dict[str, list[tuple[int, bytes, str | None]]] = {key: [] for key in bodies}
        start = threading.Barrier(DELIVERIES_PER_KEY)
        lock = threading.Lock()

        def terminal(n: int) -> None:
            receiver = receivers[n % 2]
            for key, body in bodies.items():
                if key == "key-000":
                    start.wait(timeout=30)
                answer = deliver(receiver, key, body)
                with lock:
                    answers[key].append((answer.status_code, answer.content,
                                         answer.headers.get("Idempotent-Replayed")))

        threads = [threading.Thread(target=terminal, args=(n,))
                   for n in range(DELIVERIES_PER_KEY)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        outputs = "\n".join(receiver.output() for receiver in receivers)

    with psycopg.connect(database) as conn:
        counts = dict(conn.execute(
            "SELECT idempotency_key, COUNT(*) FROM submissions GROUP BY idempotency_key"
        ).fetchall())
    assert counts == dict.fromkeys(bodies, 1), outputs
    for key, replies in answers.items():
        assert len(replies) == DELIVERIES_PER_KEY, key
        assert {status for status, _, _ in replies} == {201}, (key, replies, outputs)
        assert len({content for _, content, _ in replies}) == 1, key  # one id for all
        assert sorted(replayed or "" for _, _, replayed in replies) == [
            "", *["true"] * (DELIVERIES_PER_KEY - 1)], key


def test_a_receiver_on_postgres_keeps_what_the_cli_reads(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    database = postgres.create_database()
    with running_receiver(tmp_path, database=database) as receiver:
        body = b'{"reference": "TST-0001"}'
        assert deliver(receiver, "only-key", body).status_code == 201
        (stored,) = receiver.submissions()
    assert (stored.idempotency_key, stored.payload) == ("only-key", body)


@pytest.mark.parametrize(("location", "code", "named"), [
    ("mysql://kiosk@db/kiosk", 2, "the scheme mysql:// is not supported"),
    ("postgresql://db.example/kiosk?sslmod=require", 2, "invalid database URL"),
    ("postgresql://kiosk:hunter2-secret@127.0.0.1:1/kiosk", 3, "Connection refused"),
])
def test_a_database_that_cannot_be_used_is_refused_at_start(
    tmp_path: Path, location: str, code: int, named: str
) -> None:
    terminals = tmp_path / "terminals.txt"
    terminals.write_text("", encoding="utf-8")
    started = subprocess.run(
        [sys.executable, "-m", "kiosk.receiver.cli", "serve", "--port", "0",
         "--terminals", str(terminals), "--database", location],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert started.returncode == code, started.stderr
    assert named in started.stderr
    assert "Traceback" not in started.stderr
    assert "hunter2" not in started.stderr  # the password is never printed
    assert started.stdout == ""


def test_a_wrong_database_name_on_a_running_server_is_named(
    postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert receiver_main(["list", "--database", postgres.url("no_such_base")]) == 3
    assert 'database "no_such_base" does not exist' in capsys.readouterr().err



def open_connections(store: ReceiverStore, count: int) -> None:
    """Make the store's pool hold ``count`` connections: as many transactions at once."""
    inside = threading.Barrier(count)

    def hold() -> None:
        with store._db.transaction():
            inside.wait(timeout=30)

    threads = [threading.Thread(target=hold) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.mark.parametrize("pooled", [1, 4])
def test_a_lost_connection_fails_one_statement_then_the_store_reconnects(
    postgres: PostgresServer, pooled: int
) -> None:
    """A database server restarted under a running receiver whose pool holds one
    connection or several: the request that meets a dead connection fails (the terminal
    retries it), the next ones are served: the pool tested its other idle connections
    instead of handing out another dead one."""
    database = postgres.create_database()
    store = ReceiverStore(database, pool_size=pooled)
    try:
        store.add_submission(key="before", terminal_id="t", body_sha256="d", payload=b"{}")
        open_connections(store, pooled)
        with psycopg.connect(database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        with pytest.raises(psycopg.OperationalError):
            store.add_submission(key="during", terminal_id="t", body_sha256="d", payload=b"{}")
        store.add_submission(key="after", terminal_id="t", body_sha256="d", payload=b"{}")
        assert [s.idempotency_key for s in store.submissions()] == ["before", "after"]
    finally:
        store.close()
