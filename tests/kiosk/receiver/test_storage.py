"""The receiver's storage, the same on both engines: a SQLite file and a real PostgreSQL
server (tests/postgres_server.py starts it; no mock)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest

from kiosk.audit.head import JournalHead
from kiosk.receiver.console.store import ConsoleStore
from kiosk.receiver.database import open_database
from kiosk.receiver.storage import MIGRATIONS, HeartbeatDetails, ReceiverStore, StoredAnswer


@pytest.fixture
def store(database_location: str) -> Iterator[ConsoleStore]:
    opened = ConsoleStore(database_location)
    yield opened
    opened.close()


def add(store: ReceiverStore, key: str, payload: bytes = b'{"reference": "ADM-7K3-Q9P"}'
        ) -> tuple[StoredAnswer, bool]:
    return store.add_submission(key=key, terminal_id="mairie-01", body_sha256="d" * 64,
                                payload=payload)


def test_a_submission_is_stored_once_and_its_first_answer_kept(store: ConsoleStore) -> None:
    first, stored = add(store, "key-1")
    again, stored_again = add(store, "key-1", b'{"other": 1}')
    assert stored
    assert not stored_again
    assert again == first
    assert first.answer.startswith(b'{"id":"BO-000001","status":"received"')
    (only,) = store.submissions()
    assert (only.idempotency_key, only.reference, only.payload) == (
        "key-1", "ADM-7K3-Q9P", b'{"reference": "ADM-7K3-Q9P"}')
    assert store.answer_for("key-1") == first
    assert store.answer_for("key-2") is None


def test_heartbeats_are_counted_and_the_last_details_kept(store: ConsoleStore) -> None:
    store.record_heartbeat("mairie-01", "1.3.9", {"pending": 1},
                           details=HeartbeatDetails(sent_at=1_700_000_000, paused=True))
    store.record_heartbeat("mairie-01", "1.4.0", {"pending": 0},
                           details=HeartbeatDetails(catalog_version="v7", paused=False))
    (beat,) = store.heartbeats()
    assert (beat.version, beat.queue, beat.beats) == ("1.4.0", {"pending": 0}, 2)
    assert (beat.sent_at, beat.catalog_version, beat.paused) == (None, "v7", False)
    store.record_heartbeat("mairie-01", "1.4.0", {"pending": 3}, details=HeartbeatDetails(
        catalog_version="v8", paused=True, pause_cause="configuration"))
    (beat,) = store.heartbeats()
    assert (beat.catalog_version, beat.paused, beat.pause_cause) == ("v8", True, "configuration")
    # kiosk queue resume's heartbeat does not know the catalog: the last one said is kept
    store.record_heartbeat("mairie-01", "1.4.0", {}, details=HeartbeatDetails(paused=False))
    (beat,) = store.heartbeats()
    assert (beat.catalog_version, beat.paused, beat.pause_cause) == ("v8", False, None)


def test_only_a_higher_journal_head_replaces_the_kept_one(store: ConsoleStore) -> None:
    store.record_heartbeat("mairie-01", "1", {}, JournalHead(10, "a" * 64))
    store.record_heartbeat("mairie-01", "1", {}, JournalHead(4, "b" * 64))
    add(store, "key-1", b'{"journal_head": {"seq": 12, "hash": "' + b"c" * 64 + b'"}}')
    (seen,) = store.journal_heads()
    assert seen.head == JournalHead(12, "c" * 64)


def test_a_status_is_set_only_on_a_request_that_arrived(store: ConsoleStore) -> None:
    with pytest.raises(LookupError):
        store.set_status("ADM-7K3-Q9P", "done", None)
    add(store, "key-1")
    assert store.status_of("ADM-7K3-Q9P").status == "received"  # type: ignore[union-attr]
    store.set_status("ADM-7K3-Q9P", "in_progress", "Voirie")
    store.set_status("ADM-7K3-Q9P", "done", None)
    record = store.status_of("ADM-7K3-Q9P")
    assert record is not None
    assert (record.status, record.service) == ("done", None)
    (row,) = store.requests()
    assert (row.reference, row.status) == ("ADM-7K3-Q9P", "done")


def test_faults_and_the_console_journal_keep_their_order(store: ConsoleStore) -> None:
    store.record_fault("500", "key-1")
    store.record_fault("reset", None)
    assert [(f.action, f.idempotency_key) for f in store.faults()] == [
        ("500", "key-1"), ("reset", None)]
    for n in range(3):
        store.journal("alice", "status_set", f"ADM-{n}")
    assert [e.subject for e in store.journal_entries()] == ["ADM-2", "ADM-1", "ADM-0"]
    assert [e.subject for e in store.journal_entries(2)] == ["ADM-2", "ADM-1"]


def test_a_name_is_taken_once(store: ConsoleStore) -> None:
    store.add_staff("alice", "admin", "$argon2id$x")
    with pytest.raises(store._db.integrity_errors):
        store.add_staff("alice", "agent", "$argon2id$y")


def test_reopening_keeps_everything_and_records_each_schema_version(
    database_location: str,
) -> None:
    for _ in range(2):
        store = ConsoleStore(database_location)
        add(store, "key-1")
        store.close()
    store = ConsoleStore(database_location)
    try:
        assert len(store.submissions()) == 1
    finally:
        store.close()
    db = open_database(database_location)
    try:
        assert db.all("SELECT component, version FROM schema_versions ORDER BY component") == [
            ("console", 1), ("mediators", 2), ("receiver", 4)]
    finally:
        db.close()


class _VersionThreeStore(ReceiverStore):
    """The receiver's database as it was before heartbeats said why a queue is paused."""

    migrations = MIGRATIONS[:3]


def test_a_version_3_database_keeps_its_heartbeats_and_learns_the_pause_cause(
    database_location: str,
) -> None:
    old = _VersionThreeStore(database_location)
    old._db.execute("INSERT INTO heartbeats (terminal_id, version, queue, received_at, beats)"
                    " VALUES ('mairie-01', '1.3.9', '{}', 1.0, 3)")
    old._db.execute("INSERT INTO heartbeat_details (terminal_id, catalog_version, paused)"
                    " VALUES ('mairie-01', 'v6', 1)")
    old.close()
    store = ReceiverStore(database_location)
    try:
        (beat,) = store.heartbeats()
        assert (beat.beats, beat.catalog_version, beat.paused, beat.pause_cause) == (
            3, "v6", True, None)
        store.record_heartbeat("mairie-01", "1.4.0", {}, details=HeartbeatDetails(
            paused=True, pause_cause="credentials"))
        (beat,) = store.heartbeats()
        assert (beat.beats, beat.catalog_version, beat.pause_cause) == (4, "v6", "credentials")
    finally:
        store.close()


def test_concurrent_stores_of_one_key_store_it_once(database_location: str) -> None:
    """Eight connections (as eight receiver processes would have) store the same keys at
    the same instant: each key is stored once, and every caller gets its one answer. A
    check-then-insert fails here: on PostgreSQL all of them find no row, then all but one
    hit the UNIQUE constraint."""
    ConsoleStore(database_location).close()  # the schema, before the race
    stores = [ReceiverStore(database_location) for _ in range(8)]
    keys = [f"key-{n}" for n in range(20)]
    start = threading.Barrier(len(stores))
    outcomes: list[tuple[str, StoredAnswer, bool]] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def deliver(store: ReceiverStore) -> None:
        try:
            for key in keys:
                if key == keys[0]:
                    start.wait(timeout=30)
                answer, stored = add(store, key)
                with lock:
                    outcomes.append((key, answer, stored))
        except BaseException as problem:  # reported below, in the test's thread
            failures.append(problem)

    threads = [threading.Thread(target=deliver, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert failures == []
        rows = stores[0].submissions()
        assert sorted(row.idempotency_key for row in rows) == sorted(keys)
        for key in keys:
            answers = {answer for k, answer, _ in outcomes if k == key}
            firsts = [stored for k, _, stored in outcomes if k == key and stored]
            assert len(answers) == 1, key
            assert firsts == [True], key
    finally:
        for store in stores:
            store.close()


def test_a_file_from_before_schema_versions_keeps_its_answers(tmp_path) -> None:
    """A receiver file made before the schema had versions (its 201 answers stored in a
    column) opens, is brought to the last version, and replays the very same answer."""
    path = tmp_path / "received.sqlite3"
    old = sqlite3.connect(path)
    with old:
        for statement in MIGRATIONS[0].statements:
            old.execute(statement.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT",
                                         bytes="BLOB", real="REAL"))
        old.execute("INSERT INTO submissions VALUES (1, 'k', 't', 'd', x'7b7d', NULL,"
                    " 1796000000.25, 201, ?)", (b'{"id":"BO-000001","status":"received",'
                                                b'"received_at":"2026-11-30T00:53:20Z"}',))
    old.close()
    store = ReceiverStore(path)
    try:
        assert store.answer_for("k") == StoredAnswer(
            "d", 201, b'{"id":"BO-000001","status":"received",'
                      b'"received_at":"2026-11-30T00:53:20Z"}')
        answer, stored = add(store, "k2")
        assert stored
        assert answer.answer.startswith(b'{"id":"BO-000002"')
    finally:
        store.close()
