"""One receiver's store used from several threads at once, as the receiver's thread pool
uses it: on PostgreSQL each thread's statement or transaction has a connection of its
own from the pool (``serve --pool-size``); on SQLite the threads take the one connection
in turn."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from kiosk.exit_codes import USAGE
from kiosk.receiver.cli import main as receiver_main
from kiosk.receiver.database import DatabaseError, open_database
from kiosk.receiver.storage import ReceiverStore
from tests.postgres_server import PostgresServer
from tests.receiver_process import running_receiver

THREADS = 6


def at_once(count: int, work: Callable[[int], None]) -> None:
    """``work(i)`` in ``count`` threads; the first failure is raised here."""
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as problem:  # handed to the test's thread
            failures.append(problem)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if failures:
        raise failures[0]


def test_threads_storing_at_once_each_get_their_own_transaction(database_location: str) -> None:
    """Submissions carrying a journal head are one transaction each (the submission and
    the head): six threads storing at once on one store store everything, every head
    kept at its highest, and each key once."""
    store = ReceiverStore(database_location)
    start = threading.Barrier(THREADS)

    def terminal(i: int) -> None:
        start.wait(timeout=30)
        for n in range(15):
            payload = json.dumps({"journal_head": {"seq": n + 1, "hash": "ab" * 32}}).encode()
            for _ in range(2):  # the second is a repeat: replayed, nothing written
                store.add_submission(key=f"t{i}-{n}", terminal_id=f"t{i}",
                                     body_sha256="d" * 64, payload=payload)

    try:
        at_once(THREADS, terminal)
        assert len(store.submissions()) == THREADS * 15
        assert {(seen.terminal_id, seen.head.seq) for seen in store.journal_heads()} == {
            (f"t{i}", 15) for i in range(THREADS)}
    finally:
        store.close()


def test_transactions_of_several_threads_run_on_connections_of_their_own(
    postgres: PostgresServer,
) -> None:
    """Three transactions open at the same instant, from three threads: three server
    processes, none waiting for another (one shared connection would serialise them)."""
    db = open_database(postgres.create_database(), pool_size=3)
    inside = threading.Barrier(3)
    backends: list[int] = []

    def transaction(_: int) -> None:
        with db.transaction():
            row = db.one("SELECT pg_backend_pid()")
            assert row is not None
            backends.append(int(row[0]))
            inside.wait(timeout=30)  # all three are in their transaction now

    try:
        at_once(3, transaction)
    finally:
        db.close()
    assert len(set(backends)) == 3


def test_a_pool_of_no_connection_is_refused(postgres: PostgresServer) -> None:
    with pytest.raises(DatabaseError, match="at least 1"):
        open_database(postgres.create_database(), pool_size=0)


def test_a_receiver_with_a_pool_smaller_than_its_requests_serves_them_all(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    """``serve --pool-size 2`` under eight deliveries at once, each twice: the requests
    wait their turn for a connection, each is stored once, every repeat replayed."""
    database = postgres.create_database()
    with running_receiver(tmp_path, "--pool-size", "2", "--no-catalog",
                          database=database) as receiver:
        start = threading.Barrier(8)
        statuses: list[tuple[int, str | None]] = []

        def terminal(i: int) -> None:
            body = json.dumps({"reference": f"TST-{i:04d}"}).encode()
            start.wait(timeout=30)
            for _ in range(2):
                headers = {"Content-Type": "application/json", "Idempotency-Key": f"k-{i}",
                           **receiver.signed_headers("POST", "/v1/submissions", body)}
                answer = requests.post(receiver.url + "/v1/submissions", data=body,
                                       headers=headers, timeout=30)
                statuses.append((answer.status_code, answer.headers.get("Idempotent-Replayed")))

        at_once(8, terminal)
        stored = receiver.submissions()
    assert Counter(statuses) == {(201, None): 8, (201, "true"): 8}, receiver.output()
    assert sorted(s.idempotency_key for s in stored) == sorted(f"k-{i}" for i in range(8))


def test_a_pool_size_below_one_is_refused_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        receiver_main(["serve", "--terminals", str(tmp_path / "terminals"),
                       "--db", str(tmp_path / "received.sqlite3"), "--pool-size", "0"])
    assert stopped.value.code == USAGE
    assert "--pool-size: a whole number of connections, 1 or more: '0'" in capsys.readouterr().err
    assert not (tmp_path / "received.sqlite3").exists()
