"""The technician PIN pad's lockout, on disk: a restart does not reset it (no Qt).

    lockout = TechnicianLockout(data_dir / TECHNICIAN_LOCKOUT_FILE, journal)
    verdict = lockout.attempt(lambda: verify_pin(pin, stored_hash))
    if verdict.ok: leave the kiosk
    else: the pad waits verdict.wait_seconds

The first wrong PIN is free; each further one locks the pad for 3 s, doubled each time,
up to 15 minutes. A right PIN resets the count. The state is one row of a small SQLite
file in the data folder (``technician.sqlite3``: WAL, synchronous=FULL), so switching the
terminal off and on keeps the lock, as for mediator accounts (``kiosk.mediator.accounts``).

As there, an attempt is counted, and the lock it causes set, in the transaction that reads
the lock, before the PIN is checked: attempts made at once cannot get more PINs checked,
and one cut short by a power cut still counts. Locks, and the right PIN that ends a locked
series, are journaled (``technician_locked``, ``technician_unlocked``). The clock is the
wall clock (a lock must outlive a reboot); a clock set back cannot lengthen a lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.audit.entries import SYSTEM, TECHNICIAN, EntryKind
from kiosk.audit.journaled_file import JournaledFile
from kiosk.audit.sqlite_file import immediate

TECHNICIAN_LOCKOUT_FILE = "technician.sqlite3"
FREE_ATTEMPTS = 1
FIRST_DELAY_SECONDS = 3.0
MAX_DELAY_SECONDS = 900.0
SCHEMA_VERSION = 1

_SCHEMA = (
    """
    CREATE TABLE technician_lockout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL,      -- attempts since the last right PIN
        locked_until REAL NOT NULL      -- wall-clock seconds
    )
    """,
    "INSERT INTO technician_lockout (id, failures, locked_until) VALUES (1, 0, 0)",
)
_log = logging.getLogger(__name__)


def delay_after(failures: int) -> float:
    """How long the pad locks after the ``failures``-th wrong PIN in a row (0: not at all)."""
    extra = failures - FREE_ATTEMPTS
    if extra <= 0:
        return 0.0
    # min() before the power would still overflow for huge counts: cap the exponent.
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0 ** min(extra - 1, 32))


@dataclass(frozen=True)
class TechnicianVerdict:
    """The answer to one attempt: ``wait_seconds`` before the pad takes another PIN."""

    ok: bool
    wait_seconds: float
    checked: bool  # False: the pad was locked and the PIN was not even looked at


class TechnicianLockout(JournaledFile):
    """The technician pad's wrong-PIN count and lock, in one SQLite file."""

    SCHEMA = _SCHEMA
    SCHEMA_VERSION = SCHEMA_VERSION

    def remaining(self) -> float:
        """Seconds before the pad takes a PIN again (0 when it does)."""
        with self._lock:
            failures, locked_until = self._state()
        return _waiting(failures, locked_until, self._clock())

    def attempt(self, pin_matches: Callable[[], bool]) -> TechnicianVerdict:
        """Count an attempt, then ask ``pin_matches`` (one scrypt); a locked pad asks nothing."""
        now = self._clock()
        with self._lock, immediate(self._conn):
            failures, locked_until = self._state()
            waiting = _waiting(failures, locked_until, now)
            if waiting > 0:
                return TechnicianVerdict(ok=False, wait_seconds=waiting, checked=False)
            failures += 1
            delay = delay_after(failures)
            self._write(failures, now + delay if delay else 0.0)
        if pin_matches():
            self._succeeded(failures - 1)
            return TechnicianVerdict(ok=True, wait_seconds=0.0, checked=True)
        _log.warning("wrong technician PIN (%d in a row)", failures)
        if delay:
            self._record(EntryKind.TECHNICIAN_LOCKED, SYSTEM,
                         {"failures": failures, "seconds": int(delay)})
        return TechnicianVerdict(ok=False, wait_seconds=delay, checked=True)

    def _succeeded(self, failures_before: int) -> None:
        with self._lock, immediate(self._conn):
            self._write(0, 0.0)
        if delay_after(failures_before):  # this right PIN ends a series that locked the pad
            self._record(EntryKind.TECHNICIAN_UNLOCKED, TECHNICIAN, {"failures": failures_before})

    def _state(self) -> tuple[int, float]:
        row = self._conn.execute(
            "SELECT failures, locked_until FROM technician_lockout WHERE id = 1"
        ).fetchone()
        return int(row[0]), float(row[1])

    def _write(self, failures: int, locked_until: float) -> None:
        self._conn.execute(
            "UPDATE technician_lockout SET failures = ?, locked_until = ? WHERE id = 1",
            (failures, locked_until),
        )


def _waiting(failures: int, locked_until: float, now: float) -> float:
    if locked_until <= now:
        return 0.0
    # A clock set back must not make the lock longer than the delay that set it.
    return min(locked_until - now, delay_after(failures))
