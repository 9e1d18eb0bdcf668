"""Mediator accounts: add/list/disable, PIN checks, a lockout that a restart cannot reset."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.mediator.accounts import (
    MEDIATORS_FILE,
    AuthOutcome,
    MediatorError,
    MediatorRegistry,
    Role,
    UnknownMediatorError,
    check_mediator_pin,
    check_name,
)
from kiosk.mediator.lockout import (
    FIRST_LOCK_SECONDS,
    MAX_FAILURES,
    MAX_LOCK_SECONDS,
    lock_seconds,
)
from kiosk.security.pin import verify_pin
from tests.kiosk.mediator.conftest import PIN

WRONG = "190837"


def kinds(journal: Journal) -> list[str]:
    return [entry.kind for entry in journal.entries()]


def fail(registry: MediatorRegistry, mediator_id: str, times: int) -> None:
    for _ in range(times):
        assert registry.authenticate(mediator_id, WRONG).outcome is not AuthOutcome.OK


# ---------------------------------------------------------------- accounts


def test_added_accounts_are_listed_active_and_journaled(registry, journal) -> None:
    camille = registry.add("  Camille  ", PIN)
    bob = registry.add("Jean-Marc d'Arc", "739164")
    assert camille.name == "Camille"
    assert (camille.role, camille.active, camille.failures) == (Role.MEDIATOR, True, 0)
    assert camille.id.startswith("med-")
    assert camille.id != bob.id
    assert registry.accounts() == [camille, bob]
    assert [m.name for m in registry.active()] == ["Camille", "Jean-Marc d'Arc"]
    first = journal.entry(1)
    assert first is not None
    assert first.actor == "technician"
    assert dict(first.details) == {"mediator": camille.id, "name": "Camille", "role": "mediator"}


def test_the_pin_is_stored_as_a_salted_hash(registry, data_dir: Path) -> None:
    registry.add("Camille", PIN)
    registry.add("Bob", PIN)
    with sqlite3.connect(data_dir / MEDIATORS_FILE) as conn:
        hashes = [row[0] for row in conn.execute("SELECT pin_hash FROM mediators")]
    assert all(verify_pin(PIN, stored) for stored in hashes)
    assert hashes[0] != hashes[1]  # salted


def test_a_disabled_account_cannot_log_in_and_its_name_is_free_again(registry, journal) -> None:
    camille = registry.add("Camille", PIN)
    disabled = registry.disable("camille")
    assert (disabled.id, disabled.active) == (camille.id, False)
    assert registry.active() == []
    assert registry.authenticate(camille.id, PIN).outcome is AuthOutcome.UNKNOWN
    again = registry.add("Camille", "739164")
    assert registry.find("Camille") == again  # by name: the active one
    assert registry.find(camille.id).active is False  # by id: any
    assert kinds(journal) == ["mediator_added", "mediator_disabled", "mediator_added"]


def test_two_active_accounts_cannot_share_a_name(registry) -> None:
    registry.add("Camille", PIN)
    with pytest.raises(MediatorError, match="already"):
        registry.add("CAMILLE", "739164")
    assert len(registry.accounts()) == 1


@pytest.mark.parametrize("who", ["Nobody", "med-00000000", ""])
def test_an_unknown_account_is_reported(registry, who: str) -> None:
    registry.add("Camille", PIN)
    with pytest.raises(UnknownMediatorError):
        registry.disable(who)


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "48291a", "４８２９１３", "000000",
                                 "123456", "987654", "345678", ""])
def test_weak_or_malformed_pins_are_refused(registry, pin: str) -> None:
    with pytest.raises(MediatorError):
        registry.add("Camille", pin)
    assert registry.accounts() == []


@given(st.text(max_size=14))
def test_a_pin_check_accepts_only_6_to_12_ascii_digits(pin: str) -> None:
    good = pin.isascii() and pin.isdigit() and 6 <= len(pin) <= 12
    try:
        check_mediator_pin(pin)
    except MediatorError:
        return
    assert good


@pytest.mark.parametrize("name", ["", "   ", "=cmd()", "+33", "@x", "a" * 41, "Cam\x00ille", "<b>",
                                  "_x"])
def test_names_that_cannot_be_shown_safely_are_refused(name: str) -> None:
    with pytest.raises(MediatorError):
        check_name(name)


@pytest.mark.parametrize("name", ["Camille", "Zoé", "Jean-Marc", "M. N'Diaye", "Ana 2"])
def test_ordinary_names_are_accepted(name: str) -> None:
    assert check_name(name) == name


# ---------------------------------------------------------------- the pad


def test_the_right_pin_logs_in_and_is_journaled(registry, journal) -> None:
    camille = registry.add("Camille", PIN)
    result = registry.authenticate(camille.id, PIN)
    assert result.ok
    assert result.mediator is not None
    assert result.mediator.id == camille.id
    assert result.message == ""
    last = list(journal.entries())[-1]
    assert (last.kind, last.actor, dict(last.details)) == (
        "mediator_login", camille.id, {"name": "Camille"})


def test_a_pin_of_another_account_does_not_log_in(registry) -> None:
    camille = registry.add("Camille", PIN)
    registry.add("Bob", "739164")
    assert registry.authenticate(camille.id, "739164").outcome is AuthOutcome.WRONG_PIN


def test_wrong_pins_count_down_then_lock_for_five_minutes(registry, journal, clock) -> None:
    camille = registry.add("Camille", PIN)
    left = [registry.authenticate(camille.id, WRONG).attempts_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    locked = registry.authenticate(camille.id, WRONG)
    assert (locked.outcome, locked.locked_seconds) == (AuthOutcome.LOCKED, FIRST_LOCK_SECONDS)
    assert "5 minutes" in locked.message
    # While locked, even the right PIN is neither checked nor counted.
    clock.now += FIRST_LOCK_SECONDS - 1
    assert registry.authenticate(camille.id, PIN).outcome is AuthOutcome.LOCKED
    assert kinds(journal).count("pin_failed") == MAX_FAILURES
    assert kinds(journal)[-1] == "account_locked"
    locked_entry = list(journal.entries())[-1]
    assert dict(locked_entry.details) == {"mediator": camille.id, "seconds": 300, "strikes": 1}
    clock.now += 1
    assert registry.authenticate(camille.id, PIN).ok


def test_the_lock_survives_a_restart(registry, data_dir: Path, clock) -> None:
    camille = registry.add("Camille", PIN)
    fail(registry, camille.id, MAX_FAILURES - 1)
    registry.close()
    with MediatorRegistry(data_dir / MEDIATORS_FILE, clock=clock) as restarted:
        assert restarted.authenticate(camille.id, WRONG).outcome is AuthOutcome.LOCKED
    with MediatorRegistry(data_dir / MEDIATORS_FILE, clock=clock) as restarted:
        result = restarted.authenticate(camille.id, PIN)
        assert result.outcome is AuthOutcome.LOCKED
        assert result.locked_seconds == FIRST_LOCK_SECONDS
        assert restarted.find(camille.id).strikes == 1


def test_each_strike_locks_twice_as_long(registry, clock) -> None:
    camille = registry.add("Camille", PIN)
    seen = []
    for _ in range(3):
        fail(registry, camille.id, MAX_FAILURES - 1)
        locked = registry.authenticate(camille.id, WRONG)
        seen.append(locked.locked_seconds)
        clock.now += locked.locked_seconds
    assert seen == [300, 600, 1200]
    assert registry.authenticate(camille.id, PIN).ok  # a right PIN forgets the strikes
    fail(registry, camille.id, MAX_FAILURES - 1)
    assert registry.authenticate(camille.id, WRONG).locked_seconds == 300


def test_a_right_pin_resets_the_count(registry) -> None:
    camille = registry.add("Camille", PIN)
    fail(registry, camille.id, MAX_FAILURES - 1)
    assert registry.authenticate(camille.id, PIN).ok
    assert registry.authenticate(camille.id, WRONG).attempts_left == MAX_FAILURES - 1


def test_a_technician_can_unlock_an_account(registry, journal) -> None:
    camille = registry.add("Camille", PIN)
    fail(registry, camille.id, MAX_FAILURES)
    unlocked, changed = registry.unlock("Camille")
    assert changed
    assert (unlocked.failures, unlocked.strikes, unlocked.locked_until) == (0, 0, 0.0)
    assert registry.authenticate(camille.id, PIN).ok
    assert "mediator_unlocked" in kinds(journal)


def test_unlocking_an_account_that_is_not_locked_changes_and_journals_nothing(
    registry, journal
) -> None:
    camille = registry.add("Camille", PIN)
    before = kinds(journal)
    assert registry.unlock("Camille") == (registry.find(camille.id), False)
    assert kinds(journal) == before


def test_a_clock_set_back_does_not_lengthen_the_lock(registry, clock) -> None:
    camille = registry.add("Camille", PIN)
    fail(registry, camille.id, MAX_FAILURES)
    clock.now -= 86_400
    assert registry.find(camille.id).locked_for(clock.now) == FIRST_LOCK_SECONDS


@given(st.integers(1, 10_000))
def test_locks_grow_from_five_minutes_and_stop_at_four_hours(strikes: int) -> None:
    assert lock_seconds(1) == FIRST_LOCK_SECONDS
    assert lock_seconds(strikes) <= MAX_LOCK_SECONDS
    assert lock_seconds(strikes + 1) in {2 * lock_seconds(strikes), MAX_LOCK_SECONDS}


# ---------------------------------------------------------------- no PIN anywhere


def test_no_pin_reaches_a_log_or_a_file(registry, journal, data_dir: Path, clock,
                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    camille = registry.add("Camille", PIN)
    tried = ["564738", "5647", "56473829", WRONG]
    for pin in tried:
        registry.authenticate(camille.id, pin)
    registry.authenticate(camille.id, WRONG)  # the fifth: locks
    clock.now += FIRST_LOCK_SECONDS
    assert registry.authenticate(camille.id, PIN).ok
    journal.close()
    registry.close()
    texts = [caplog.text, *(r.getMessage() for r in caplog.records)]
    files = [p.read_bytes() for p in data_dir.iterdir() if p.is_file()]
    for pin in [PIN, *tried]:
        assert not any(pin in text for text in texts)
        assert not any(pin.encode() in blob for blob in files)
    assert "wrong PIN" in caplog.text  # the events themselves are logged
    assert {p.name for p in data_dir.iterdir()} >= {AUDIT_FILE, MEDIATORS_FILE}
