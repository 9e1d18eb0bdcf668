"""Staff accounts: Argon2id hashes, lockout, and `kiosk-receiver staff ...`."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.receiver.console import accounts
from kiosk.receiver.console.accounts import AccountError, Role, authenticate, create_account
from kiosk.receiver.console.store import ConsoleStore
from tests.console.console_process import PASSWORD, receiver_cli


@pytest.fixture
def store(database_location):
    opened = ConsoleStore(database_location)
    yield opened
    opened.close()


def test_a_password_is_stored_as_an_argon2id_hash_only(store):
    create_account(store, "alice", Role.ADMIN, PASSWORD)
    account = store.staff("alice")
    assert account.password_hash.startswith("$argon2id$")
    assert "m=65536" in account.password_hash  # memory-hard: 64 MiB per guess
    assert PASSWORD not in account.password_hash


@pytest.mark.parametrize(("name", "password"), [
    ("Alice", PASSWORD), ("", PASSWORD), ("a b", PASSWORD), ("alice", "court"),
])
def test_a_bad_name_or_short_password_is_refused(store, name, password):
    with pytest.raises(AccountError):
        create_account(store, name, Role.AGENT, password)
    assert store.all_staff() == []


def test_the_lockout_ends_after_its_time_and_a_success_resets_the_count(store):
    create_account(store, "bob", Role.AGENT, PASSWORD)
    now = 1_000_000.0
    for _ in range(accounts.MAX_FAILURES - 1):
        assert authenticate(store, "bob", "wrong", now).problem == "refused"
    assert authenticate(store, "bob", PASSWORD, now).account == "bob"
    for _ in range(accounts.MAX_FAILURES):
        authenticate(store, "bob", "wrong", now)
    assert authenticate(store, "bob", PASSWORD, now + 60).problem == "locked"
    later = now + accounts.LOCKOUT_SECONDS + 1
    assert authenticate(store, "bob", PASSWORD, later).account == "bob"


def test_failed_logins_at_once_cannot_pass_the_threshold_without_locking(
    store, database_location
):
    """Twice the threshold of wrong passwords at the same moment, each on its own
    connection (as several receivers on one database): each failure is counted, the
    threshold-th locks the account, and the good password is refused after them."""
    create_account(store, "carol", Role.AGENT, PASSWORD)
    attempts = 2 * accounts.MAX_FAILURES
    start = threading.Barrier(attempts)

    def wrong_password(_: int) -> str | None:
        own = ConsoleStore(database_location)
        try:
            start.wait(timeout=30)
            return authenticate(own, "carol", "wrong password", 1_000_000.0).problem
        finally:
            own.close()

    with ThreadPoolExecutor(attempts) as pool:
        problems = list(pool.map(wrong_password, range(attempts)))
    assert problems.count("refused") == accounts.MAX_FAILURES - 1
    assert problems.count("locked") == attempts - (accounts.MAX_FAILURES - 1)
    assert store.staff("carol").locked_until == 1_000_000.0 + accounts.LOCKOUT_SECONDS
    assert authenticate(store, "carol", PASSWORD, 1_000_060.0).problem == "locked"
    actions = [entry.action for entry in store.journal_entries()]
    assert actions.count("staff_locked") == 1


def test_a_good_password_checked_while_the_account_got_locked_is_refused(store, monkeypatch):
    create_account(store, "dan", Role.AGENT, PASSWORD)
    now = 1_000_000.0
    real_staff = store.staff

    def locked_meanwhile(name: str):
        found = real_staff(name)  # read before the lock, as a login still checking
        for _ in range(accounts.MAX_FAILURES):
            store.count_failure(name, now, accounts.MAX_FAILURES, now + 60)
        return found

    monkeypatch.setattr(store, "staff", locked_meanwhile)
    assert authenticate(store, "dan", PASSWORD, now).problem == "locked"
    monkeypatch.undo()
    assert store.staff("dan").locked_until == now + 60


def test_staff_add_reads_the_password_from_stdin_and_never_twice_the_same_name(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    made = receiver_cli("staff", "add", "--role", "admin", "alice", "--db", db,
                        stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    again = receiver_cli("staff", "add", "--role", "agent", "alice", "--db", db,
                         stdin=PASSWORD + "\n")
    assert again.returncode == 2
    assert "existe déjà" in again.stderr
    short = receiver_cli("staff", "add", "--role", "agent", "bob", "--db", db, stdin="court\n")
    assert short.returncode == 2
    assert "12" in short.stderr
    assert receiver_cli("staff", "list", "--db", db).stdout == "alice  admin\n"
    unknown = receiver_cli("staff", "unlock", "nobody", "--db", db)
    assert unknown.returncode == 2
