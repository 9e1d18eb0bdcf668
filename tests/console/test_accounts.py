"""Staff accounts: Argon2id hashes, lockout, and `kiosk-receiver staff ...`."""

from __future__ import annotations

import pytest

from kiosk.receiver.console import accounts
from kiosk.receiver.console.accounts import AccountError, Role, authenticate, create_account
from kiosk.receiver.console.store import ConsoleStore
from tests.console.console_process import PASSWORD, receiver_cli


@pytest.fixture
def store(tmp_path):
    opened = ConsoleStore(tmp_path / "r.sqlite3")
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
