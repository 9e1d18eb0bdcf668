"""The technician pad's lockout: kept on disk, so a restart does not reset it; journaled."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.journal import Journal
from kiosk.security.technician_lockout import (
    FIRST_DELAY_SECONDS,
    MAX_DELAY_SECONDS,
    TECHNICIAN_LOCKOUT_FILE,
    TechnicianLockout,
    delay_after,
)
from tests.kiosk.conftest import Clock


def wrong() -> bool:
    return False


def right() -> bool:
    return True


def open_lockout(data_dir: Path, journal: Journal | None, clock: Clock) -> TechnicianLockout:
    return TechnicianLockout(data_dir / TECHNICIAN_LOCKOUT_FILE, journal, clock)


def test_the_lock_survives_a_restart(data_dir: Path, journal: Journal, clock: Clock) -> None:
    with open_lockout(data_dir, journal, clock) as lockout:
        assert lockout.attempt(wrong).wait_seconds == 0  # the first mistake is free
        assert lockout.attempt(wrong).wait_seconds == FIRST_DELAY_SECONDS
    # "Restart": new objects over the same files.
    with open_lockout(data_dir, journal, clock) as restarted:
        assert restarted.remaining() == FIRST_DELAY_SECONDS
        checked: list[str] = []
        verdict = restarted.attempt(lambda: checked.append("checked") or True)
        assert (verdict.ok, verdict.checked, checked) == (False, False, [])
        clock.now += FIRST_DELAY_SECONDS
        # The count survived too: the next mistake locks twice as long.
        assert restarted.attempt(wrong).wait_seconds == 2 * FIRST_DELAY_SECONDS


def test_locks_and_the_unlock_are_journaled(
    data_dir: Path, journal: Journal, clock: Clock
) -> None:
    with open_lockout(data_dir, journal, clock) as lockout:
        lockout.attempt(wrong)
        lockout.attempt(wrong)
        clock.now += FIRST_DELAY_SECONDS
        assert lockout.attempt(right).ok
        assert lockout.remaining() == 0
    entries = [(e.kind, e.actor, dict(e.details)) for e in journal.entries()]
    assert entries == [
        ("technician_locked", "system", {"failures": 2, "seconds": 3}),
        ("technician_unlocked", "technician", {"failures": 2}),
    ]
    assert journal.verify().ok


def test_a_right_pin_resets_the_count(data_dir: Path, clock: Clock) -> None:
    with open_lockout(data_dir, None, clock) as lockout:
        lockout.attempt(wrong)
        assert lockout.attempt(right).ok
        assert lockout.attempt(wrong).wait_seconds == 0


def test_a_clock_set_back_does_not_lengthen_the_lock(data_dir: Path, clock: Clock) -> None:
    with open_lockout(data_dir, None, clock) as lockout:
        lockout.attempt(wrong)
        lockout.attempt(wrong)
        clock.now -= 86_400
        assert lockout.remaining() == FIRST_DELAY_SECONDS


def test_an_attempt_is_counted_before_its_pin_is_checked(data_dir: Path, clock: Clock) -> None:
    """A second attempt while the first one's PIN is checked finds the pad locked."""
    with open_lockout(data_dir, None, clock) as lockout:
        lockout.attempt(wrong)
        meanwhile = []

        def check_with_a_second_attempt() -> bool:
            meanwhile.append(lockout.attempt(right))
            return False

        assert lockout.attempt(check_with_a_second_attempt).wait_seconds == FIRST_DELAY_SECONDS
        assert [(v.ok, v.checked) for v in meanwhile] == [(False, False)]


@given(st.integers(2, 10_000))
def test_delays_grow_from_three_seconds_and_stop_at_fifteen_minutes(failures: int) -> None:
    assert delay_after(1) == 0
    assert delay_after(2) == FIRST_DELAY_SECONDS
    assert delay_after(failures) <= MAX_DELAY_SECONDS
    assert delay_after(failures + 1) in {2 * delay_after(failures), MAX_DELAY_SECONDS}
