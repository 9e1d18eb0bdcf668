"""The commune's roster merged into a terminal's registry (Qt-free, a real SQLite file)."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kiosk.audit.journal import Journal
from kiosk.mediator.accounts import MEDIATORS_FILE, AuthOutcome
from kiosk.mediator.console_sync import RosterSync, SyncedRegistry
from kiosk.mediator.lockout import MAX_FAILURES
from kiosk.security.pin import hash_pin
from tests.kiosk.conftest import Clock
from tests.kiosk.mediator.conftest import PIN

CONSOLE_PIN = "735190"
WRONG = "190837"
CAMILLE = "med-0a1b2c3d"


class FakeBackOffice:
    """The receiver's two endpoints, as the connector presents them."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, object]] = {}
        self.body: bytes | None = None  # sent instead of the roster when set
        self.uses: list[list[tuple[str, int]]] = []  # the uses of each report that had some
        self.locks: list[list[tuple[str, int, int]]] = []  # the locks of every report
        self.takes_uses = True

    def put(self, mediator_id: str, **changes: object) -> None:
        old = self.entries.get(mediator_id, {
            "id": mediator_id, "name": "Camille", "pin_hash": hash_pin(CONSOLE_PIN),
            "disabled": False, "version": 0, "lockout_reset": 0})
        version = max((int(str(e["version"])) for e in self.entries.values()), default=0) + 1
        self.entries[mediator_id] = old | changes | {"version": version}

    def fetch_mediators(self) -> bytes | None:
        if self.body is not None:
            return self.body
        version = max((int(str(e["version"])) for e in self.entries.values()), default=0)
        return json.dumps({"version": version, "mediators": list(self.entries.values())}).encode()

    def report_mediator_usage(
        self, uses: Sequence[tuple[str, int]], locks: Sequence[tuple[str, int, int]]
    ) -> bool:
        if uses:
            self.uses.append(list(uses))
        self.locks.append(list(locks))
        return self.takes_uses


@pytest.fixture
def synced(data_dir: Path, journal: Journal, clock: Clock) -> Iterator[SyncedRegistry]:
    with SyncedRegistry(data_dir / MEDIATORS_FILE, journal, clock) as opened:
        yield opened


@pytest.fixture
def office() -> FakeBackOffice:
    return FakeBackOffice()


@pytest.fixture
def sync(office: FakeBackOffice, synced: SyncedRegistry) -> RosterSync:
    return RosterSync(office, synced)


def test_a_console_account_arrives_marked_and_its_pin_opens_the_pad(sync, office, synced,
                                                                    journal):
    office.put(CAMILLE)
    report = sync.run()
    assert report is not None
    assert report.added == [CAMILLE]
    camille = synced.find(CAMILLE)
    assert camille.managed
    assert camille.active
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).ok
    assert [e.actor for e in journal.entries() if e.kind == "mediator_added"] == ["system"]


def test_a_disabled_or_removed_console_account_can_no_longer_log_in(sync, office, synced):
    office.put(CAMILLE)
    office.put("med-11111111", name="Léa")
    sync.run()
    office.put(CAMILLE, disabled=True)
    del office.entries["med-11111111"]
    report = sync.run()
    assert sorted(report.disabled) == [CAMILLE, "med-11111111"]
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).outcome is AuthOutcome.UNKNOWN
    assert synced.authenticate("med-11111111", CONSOLE_PIN).outcome is AuthOutcome.UNKNOWN
    assert synced.active() == []


def test_local_accounts_keep_working_and_a_clashing_id_is_ignored(sync, office, synced, caplog):
    local = synced.add("Bob", PIN)
    office.put(local.id, name="Intrus")  # an id the terminal already has, made here
    office.put(CAMILLE)
    with caplog.at_level(logging.WARNING):
        report = sync.run()
    assert report.ignored == [local.id]
    assert synced.find(local.id).name == "Bob"
    assert not synced.find(local.id).managed
    assert synced.authenticate(local.id, PIN).ok
    assert "with the id of a local account ignored" in caplog.text
    del office.entries[local.id]
    sync.run()  # a local account absent from the roster is not the roster's to disable
    assert synced.find(local.id).active


def test_a_changed_pin_or_name_replaces_the_old_one(sync, office, synced):
    office.put(CAMILLE)
    sync.run()
    office.put(CAMILLE, name="Camille D.", pin_hash=hash_pin("864209"))
    report = sync.run()
    assert report.updated == [CAMILLE]
    assert synced.find(CAMILLE).name == "Camille D."
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).outcome is AuthOutcome.WRONG_PIN
    assert synced.authenticate(CAMILLE, "864209").ok


def test_an_unchanged_roster_changes_nothing(sync, office, synced, journal):
    office.put(CAMILLE)
    sync.run()
    before = len(list(journal.entries()))
    report = sync.run()
    assert (report.added, report.updated, report.disabled, report.unlocked) == ([], [], [], [])
    assert len(list(journal.entries())) == before


def test_a_lockout_reset_from_the_console_lifts_the_lock_at_the_next_poll(
    sync, office, synced, journal
):
    office.put(CAMILLE)
    sync.run()
    for _ in range(MAX_FAILURES):
        synced.authenticate(CAMILLE, WRONG)
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).outcome is AuthOutcome.LOCKED
    sync.run()  # no reset asked: still locked
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).outcome is AuthOutcome.LOCKED
    office.put(CAMILLE, lockout_reset=1)
    assert sync.run().unlocked == [CAMILLE]
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).ok
    assert "mediator_unlocked" in [e.kind for e in journal.entries()]


def test_a_disabled_account_is_never_enabled_again_by_a_roster(sync, office, synced):
    office.put(CAMILLE)
    sync.run()
    synced.disable(CAMILLE)  # the technician, on this terminal
    office.put(CAMILLE, name="Camille D.")
    sync.run()
    assert not synced.find(CAMILLE).active


@pytest.mark.parametrize("hostile", [
    b"<html>maintenance</html>",
    b'{"version": 9, "mediators": [{"id": "med-0a1b2c3d"}]}',
    b'{"version": 9, "mediators": []}' + b" " * (300 * 1024),
])
def test_a_hostile_roster_is_refused_by_name_and_the_last_good_one_stays(
    sync, office, synced, caplog, hostile
):
    office.put(CAMILLE)
    sync.run()
    office.body = hostile
    with caplog.at_level(logging.WARNING):
        assert sync.run() is None
    assert "mediator roster refused, the last good one stays" in caplog.text
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).ok


def test_no_roster_this_time_changes_nothing(sync, office, synced):
    office.put(CAMILLE)
    sync.run()
    office.fetch_mediators = lambda: None  # type: ignore[method-assign]
    assert sync.run() is None
    assert synced.find(CAMILLE).active


def test_logins_of_console_accounts_go_back_once(sync, office, synced, clock):
    office.put(CAMILLE)
    local = synced.add("Bob", PIN)
    sync.run()
    assert office.uses == []  # nobody logged in yet: no use sent
    clock.now += 60
    assert synced.authenticate(CAMILLE, CONSOLE_PIN).ok
    assert synced.authenticate(local.id, PIN).ok  # a local account's use stays here
    office.takes_uses = False
    sync.run()
    sync.run()  # refused: sent again
    office.takes_uses = True
    sync.run()
    sync.run()  # taken: not sent again
    assert office.uses == [[(CAMILLE, int(clock.now))]] * 3


def test_the_locks_of_console_accounts_go_back_when_they_change_and_once_at_start(
    sync, office, synced, clock
):
    office.put(CAMILLE)
    office.put("med-11111111", name="Léa")
    local = synced.add("Bob", PIN)
    sync.run()
    assert office.locks == [[]]  # once after the start: nothing locked here
    sync.run()
    assert office.locks == [[]]  # unchanged: not sent again
    for _ in range(MAX_FAILURES):
        synced.authenticate(CAMILLE, WRONG)
        synced.authenticate(local.id, WRONG)  # a local account's lock stays here
    locked_at = int(clock.now)
    clock.now += 60
    sync.run()
    assert office.locks[-1] == [(CAMILLE, locked_at, 5 * 60 - 60)]
    clock.now += 60
    sync.run()  # the same lock, a minute shorter: the receiver counts it down itself
    assert len(office.locks) == 2
    synced.authenticate(CAMILLE, WRONG)  # refused while locked: changes nothing
    clock.now += 5 * 60
    for _ in range(MAX_FAILURES):  # the lock ended: a second strike, ten minutes
        synced.authenticate(CAMILLE, WRONG)
    second = int(clock.now)
    office.takes_uses = False
    sync.run()
    sync.run()  # refused: sent again
    office.takes_uses = True
    sync.run()
    assert office.locks[-3:] == [[(CAMILLE, second, 10 * 60)]] * 3
    sync.run()
    assert len(office.locks) == 5  # taken and unchanged: not sent again
    office.put(CAMILLE, lockout_reset=1)  # the console lifts it
    sync.run()
    assert office.locks[-1] == []
    assert office.uses == []  # never a login to tell: no use in any report


def test_a_lock_that_ends_by_itself_is_reported_gone(sync, office, synced, clock):
    office.put(CAMILLE)
    sync.run()
    for _ in range(MAX_FAILURES):
        synced.authenticate(CAMILLE, WRONG)
    sync.run()
    assert [lock[0] for lock in office.locks[-1]] == [CAMILLE]
    clock.now += 5 * 60 + 1
    sync.run()
    assert office.locks[-1] == []


def test_a_locked_account_that_the_console_disables_is_no_longer_reported(
    sync, office, synced
):
    office.put(CAMILLE)
    sync.run()
    for _ in range(MAX_FAILURES):
        synced.authenticate(CAMILLE, WRONG)
    sync.run()
    office.put(CAMILLE, disabled=True)
    sync.run()
    assert office.locks[-1] == []


def test_a_terminal_with_no_console_account_reports_nothing(sync, office, synced):
    synced.add("Bob", PIN)
    sync.run()
    assert office.locks == []


def test_a_version_1_file_is_upgraded_and_its_accounts_stay_local(data_dir, journal):
    path = data_dir / MEDIATORS_FILE
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE mediators (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,"
        " pin_hash TEXT NOT NULL, active INTEGER NOT NULL, created_at TEXT NOT NULL,"
        " failures INTEGER NOT NULL DEFAULT 0, strikes INTEGER NOT NULL DEFAULT 0,"
        " locked_until REAL NOT NULL DEFAULT 0)")
    conn.execute("INSERT INTO mediators (id, name, role, pin_hash, active, created_at) VALUES"
                 " ('med-00000001', 'Bob', 'mediator', ?, 1, '2025-01-01T10:00:00+01:00')",
                 (hash_pin(PIN),))
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with SyncedRegistry(path, journal) as upgraded:
        bob = upgraded.find("med-00000001")
        assert not bob.managed
        assert upgraded.authenticate(bob.id, PIN).ok
    fresh = sqlite3.connect(data_dir / "fresh.sqlite3")
    with SyncedRegistry(data_dir / "fresh.sqlite3"):
        pass
    columns = [row[1] for row in fresh.execute("PRAGMA table_info(mediators)")]
    old = sqlite3.connect(path)
    assert [row[1] for row in old.execute("PRAGMA table_info(mediators)")] == columns
    fresh.close()
    old.close()


def test_a_file_too_old_for_the_known_upgrades_is_refused_by_name(data_dir):
    from kiosk.audit.sqlite_file import connect

    path = data_dir / "old.sqlite3"
    connect(path, ("CREATE TABLE t (a INTEGER)",), 1).close()
    with pytest.raises(sqlite3.DatabaseError, match="has schema 1, which this kiosk cannot"):
        connect(path, ("CREATE TABLE t (a INTEGER, b INTEGER)",), 3,
                {3: ("ALTER TABLE t ADD COLUMN b INTEGER",)})
