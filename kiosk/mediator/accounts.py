"""Mediator accounts held by the terminal, and PIN checks that survive a restart.

    registry = MediatorRegistry(data_dir / MEDIATORS_FILE, journal)
    camille = registry.add("Camille", "482913")       # technician, on the command line
    registry.active()                                  # the names the pad offers
    registry.accounts()                                # all, disabled too (CLI list)
    result = registry.authenticate(camille.id, "482913")
    if result.ok: visit = MediatorVisit(result.mediator, journal)

The pad asks for a name, then a PIN: the mediator touches their own name (a big button;
a terminal has a handful of mediators) and types the PIN. We chose this over "the PIN
alone says who you are" because:

- the lockout is per account, as the issue asks: a wrong PIN alone names no account, so
  only the whole pad could be locked, and one prankster would lock every mediator out;
- refusing a new PIN because another account already has it would tell the technician a
  colleague's PIN;
- a guess is tried against one account, not all of them, and costs one scrypt (~50 ms)
  instead of one per account.

A PIN (6 to 12 digits) is stored only as ``hash_pin`` (salted scrypt). An attempt is
counted, in the transaction that checks the lock, before its PIN is checked (a right PIN
takes it back): attempts made at once, from threads or processes, cannot get more than
``MAX_FAILURES`` PINs checked, and switching the terminal off and on, even in the middle
of a check, resets nothing. The clock is the wall clock
(``time.time``): a lock must outlive a reboot, which a monotonic clock does not.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import secrets
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from kiosk.audit.entries import SYSTEM, TECHNICIAN, EntryKind
from kiosk.audit.journaled_file import JournaledFile
from kiosk.audit.sqlite_file import immediate
from kiosk.i18n import _
from kiosk.mediator.lockout import MAX_FAILURES, lock_seconds
from kiosk.security.pin import (
    MAX_PIN_LENGTH,
    PinFormatError,
    check_pin_format,
    hash_pin,
    verify_pin,
)

MEDIATORS_FILE = "mediators.sqlite3"
MEDIATOR_PIN_MIN_LENGTH = 6
MAX_NAME_LENGTH = 40
SCHEMA_VERSION = 2

_log = logging.getLogger(__name__)

# Letters (any script), digits, spaces, dots, hyphens, apostrophes; starts with a letter or
# digit, so a name can never start a spreadsheet formula in the journal export.
_NAME = re.compile(r"[^\W_][\w .'’-]*")
_STRAIGHT_RUNS = "0123456789012345678909876543210987654321"

_SCHEMA = (
    """
    CREATE TABLE mediators (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('mediator', 'technician')),
        pin_hash TEXT NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,   -- attempts since the last strike or right PIN
        strikes INTEGER NOT NULL DEFAULT 0,    -- locks since the last right PIN
        locked_until REAL NOT NULL DEFAULT 0,  -- wall-clock seconds
        source TEXT NOT NULL DEFAULT 'local',  -- 'console': from the commune's roster
        remote_version INTEGER NOT NULL DEFAULT 0,  -- the roster's version of the row
        remote_reset INTEGER NOT NULL DEFAULT 0,  -- the console's lockout resets seen
        last_used_at REAL NOT NULL DEFAULT 0,  -- the last right PIN (0: never)
        use_reported_at REAL NOT NULL DEFAULT 0  -- the last use told to the console
    )
    """,
)
# Version 1 files (before the commune's console managed mediators) get the new columns.
_UPGRADES = {
    2: tuple(
        f"ALTER TABLE mediators ADD COLUMN {column}"
        for column in (
            "source TEXT NOT NULL DEFAULT 'local'",
            "remote_version INTEGER NOT NULL DEFAULT 0",
            "remote_reset INTEGER NOT NULL DEFAULT 0",
            "last_used_at REAL NOT NULL DEFAULT 0",
            "use_reported_at REAL NOT NULL DEFAULT 0",
        )
    ),
}
_COLUMNS = "id, name, role, active, created_at, failures, strikes, locked_until, source"
CONSOLE = "console"  # the source of an account the commune's console manages


class Role(StrEnum):
    """What an account may do; only mediators are created for now."""

    MEDIATOR = "mediator"
    TECHNICIAN = "technician"


class MediatorError(ValueError):
    """An account cannot be added, found or changed; the message is for the technician."""


class UnknownMediatorError(MediatorError):
    """No account has this id, or no active account has this name."""


@dataclass(frozen=True)
class Mediator:
    """One account as the screens and the CLI see it (never its PIN hash)."""

    id: str
    name: str
    role: Role
    active: bool
    created_at: str
    failures: int
    strikes: int
    locked_until: float
    source: str = "local"

    @property
    def managed(self) -> bool:
        """True for an account of the commune's console (docs/mediators.md)."""
        return self.source == CONSOLE

    def locked_for(self, now: float) -> float:
        """Seconds before a PIN may be tried (0 when it may)."""
        if self.locked_until <= now:
            return 0.0
        # A clock set back must not make the lock longer than the strike's duration.
        return min(self.locked_until - now, lock_seconds(max(self.strikes, 1)))


class AuthOutcome(StrEnum):
    """What a PIN attempt gave."""

    OK = "ok"
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"  # locked before the attempt, or by this very attempt
    UNKNOWN = "unknown"  # no such active account (it was disabled meanwhile)


@dataclass(frozen=True)
class AuthResult:
    """The answer to one PIN attempt; ``message`` is what the pad shows (French, FALC)."""

    outcome: AuthOutcome
    mediator: Mediator | None = None
    attempts_left: int = 0
    locked_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome is AuthOutcome.OK

    @property
    def message(self) -> str:
        """The sentence for the PIN pad; never the PIN, nor a digit of it."""
        if self.outcome is AuthOutcome.WRONG_PIN:
            return _("Ce code n'est pas le bon. Vous pouvez essayer encore {count} fois.").format(
                count=self.attempts_left
            )
        if self.outcome is AuthOutcome.LOCKED:
            minutes = max(1, math.ceil(self.locked_seconds / 60))
            return _("Ce compte est bloqué. Essayez de nouveau dans {minutes} minutes.").format(
                minutes=minutes
            )
        if self.outcome is AuthOutcome.UNKNOWN:
            return _("Ce compte n'est plus actif. Demandez au technicien.")
        return ""


def check_mediator_pin(pin: str) -> None:
    """Refuse a PIN that is not 6 to 12 digits, one digit repeated, or a straight run."""
    try:
        check_pin_format(pin, MEDIATOR_PIN_MIN_LENGTH)
    except PinFormatError:
        raise MediatorError(
            f"a mediator PIN is {MEDIATOR_PIN_MIN_LENGTH} to {MAX_PIN_LENGTH} digits"
        ) from None
    if len(set(pin)) == 1 or pin in _STRAIGHT_RUNS:
        raise MediatorError("this PIN is too easy to guess")


def check_name(name: str) -> str:
    """The display name without outer spaces; MediatorError when it cannot be shown."""
    name = " ".join(name.split())
    if not (0 < len(name) <= MAX_NAME_LENGTH and _NAME.fullmatch(name)):
        raise MediatorError(f"a display name is 1 to {MAX_NAME_LENGTH} letters, digits, "
                            "spaces, dots, hyphens or apostrophes, starting with a letter")
    return name


@dataclass(frozen=True)
class _Attempt:
    """One PIN attempt, counted before its PIN is checked: what it did to the row."""

    pin_hash: str
    failures: int  # this attempt's number since the last strike (1 to MAX_FAILURES)
    strikes: int
    locked_until: float  # 0 unless this attempt is the one that locks
    at: float

    @property
    def locks(self) -> bool:
        return self.locked_until > 0


class MediatorRegistry(JournaledFile):
    """The terminal's mediator accounts in one SQLite file, journaled when a recorder is given."""

    SCHEMA = _SCHEMA
    SCHEMA_VERSION = SCHEMA_VERSION
    UPGRADES = _UPGRADES

    # ------------------------------------------------------------ technician

    def add(self, name: str, pin: str, role: Role = Role.MEDIATOR) -> Mediator:
        """Create an active account; MediatorError for a bad name or PIN, or a name in use."""
        name = check_name(name)
        check_mediator_pin(pin)
        pin_hash = hash_pin(pin, MEDIATOR_PIN_MIN_LENGTH)
        created = dt.datetime.fromtimestamp(self._clock()).astimezone()
        mediator_id = "med-" + secrets.token_hex(4)
        with self._lock, immediate(self._conn):
            if any(m.name.casefold() == name.casefold() for m in self._select("active = 1")):
                raise MediatorError(f"an active account is already called {name!r}")
            self._conn.execute(
                "INSERT INTO mediators (id, name, role, pin_hash, active, created_at) "
                "VALUES (?, ?, ?, ?, 1, ?)",
                (mediator_id, name, role.value, pin_hash, created.isoformat(timespec="seconds")),
            )
            mediator = self._get(mediator_id)
        _log.info("mediator account %s added", mediator_id)
        self._record(EntryKind.MEDIATOR_ADDED, TECHNICIAN,
                     {"mediator": mediator_id, "name": name, "role": role.value})
        return mediator

    def accounts(self) -> list[Mediator]:
        """Every account, disabled ones too, oldest first."""
        with self._lock:
            return self._select("1 = 1")

    def active(self) -> list[Mediator]:
        """The accounts the pad offers, by name."""
        with self._lock:
            return sorted(self._select("active = 1"), key=lambda m: m.name.casefold())

    def find(self, id_or_name: str) -> Mediator:
        """The account with this id, else the active account with this name."""
        with self._lock:
            return self._find(id_or_name)

    def disable(self, id_or_name: str) -> Mediator:
        """Disable an account for good (its id stays, so the journal still names it)."""
        with self._lock, immediate(self._conn):
            found = self._find(id_or_name)
            self._conn.execute("UPDATE mediators SET active = 0 WHERE id = ?", (found.id,))
            mediator = self._get(found.id)
        _log.info("mediator account %s disabled", mediator.id)
        self._record(EntryKind.MEDIATOR_DISABLED, TECHNICIAN,
                     {"mediator": mediator.id, "name": mediator.name})
        return mediator

    def unlock(self, id_or_name: str) -> tuple[Mediator, bool]:
        """Lift a lock and forget failures and strikes (the technician checked who asks).

        Returns the account and whether anything changed: an account with no lock, no
        wrong PIN and no strike is left as it is, and nothing is journaled.
        """
        with self._lock, immediate(self._conn):
            found = self._find(id_or_name)
            if not (found.failures or found.strikes or found.locked_until):
                return found, False
            self._reset(found.id)
            mediator = self._get(found.id)
        self._record(EntryKind.MEDIATOR_UNLOCKED, TECHNICIAN, {"mediator": mediator.id})
        return mediator, True

    # ------------------------------------------------------------ the pad

    def authenticate(self, mediator_id: str, pin: str) -> AuthResult:
        """Check ``pin`` for the account; count and journal a wrong one; lock at the fifth.

        Takes one scrypt (~50 ms): call it off the GUI thread. A locked account's PIN is
        neither checked nor counted. On success the login is journaled.
        """
        attempt = self._reserve(mediator_id)
        if isinstance(attempt, AuthResult):
            return attempt
        if verify_pin(pin, attempt.pin_hash):
            return self._succeeded(mediator_id)
        return self._failed(mediator_id, attempt)

    def _reserve(self, mediator_id: str) -> AuthResult | _Attempt:
        """Refuse a locked account, else count this attempt as a failure: one transaction.

        The attempt is counted, and the fifth one locks, *before* its PIN is checked, in
        the IMMEDIATE transaction that read the lock: however many attempts run at once
        (threads, processes), at most ``MAX_FAILURES`` PINs are checked before the lock,
        and an attempt cut short (a power cut during the check) still counts. A right PIN
        takes its count back.
        """
        now = self._clock()
        with self._lock, immediate(self._conn):
            row = self._conn.execute(
                "SELECT pin_hash FROM mediators WHERE id = ? AND active = 1", (mediator_id,)
            ).fetchone()
            if row is None:
                return AuthResult(AuthOutcome.UNKNOWN)
            before = self._get(mediator_id)
            waiting = before.locked_for(now)
            if waiting > 0:
                return AuthResult(AuthOutcome.LOCKED, locked_seconds=waiting)
            attempt = _Attempt(str(row[0]), before.failures + 1, before.strikes, 0.0, now)
            if attempt.failures >= MAX_FAILURES:
                attempt = _Attempt(attempt.pin_hash, attempt.failures, before.strikes + 1,
                                   now + lock_seconds(before.strikes + 1), now)
            self._conn.execute(
                "UPDATE mediators SET failures = ?, strikes = ?, locked_until = ? WHERE id = ?",
                (0 if attempt.locks else attempt.failures, attempt.strikes,
                 attempt.locked_until, mediator_id),
            )
        return attempt

    def _succeeded(self, mediator_id: str) -> AuthResult:
        with self._lock, immediate(self._conn):
            self._reset(mediator_id)
            self._conn.execute("UPDATE mediators SET last_used_at = ? WHERE id = ?",
                               (self._clock(), mediator_id))
            mediator = self._get(mediator_id)
        _log.info("mediator %s logged in", mediator_id)
        self._record(EntryKind.MEDIATOR_LOGIN, mediator_id, {"name": mediator.name})
        return AuthResult(AuthOutcome.OK, mediator)

    def _failed(self, mediator_id: str, attempt: _Attempt) -> AuthResult:
        """Journal a wrong PIN: already counted by ``_reserve``, so nothing is written here
        (a late failure can never clear a lock set meanwhile)."""
        failures = attempt.failures
        _log.warning("mediator %s: wrong PIN (%d of %d)", mediator_id, failures, MAX_FAILURES)
        self._record(EntryKind.PIN_FAILED, SYSTEM, {"mediator": mediator_id, "failures": failures})
        if not attempt.locks:
            return AuthResult(AuthOutcome.WRONG_PIN, attempts_left=MAX_FAILURES - failures)
        seconds = attempt.locked_until - attempt.at
        _log.warning("mediator %s locked for %d s (strike %d)", mediator_id, seconds,
                     attempt.strikes)
        self._record(EntryKind.ACCOUNT_LOCKED, SYSTEM,
                     {"mediator": mediator_id, "seconds": int(seconds), "strikes": attempt.strikes})
        return AuthResult(AuthOutcome.LOCKED, locked_seconds=seconds)

    # ------------------------------------------------------------ rows

    def _reset(self, mediator_id: str) -> None:
        self._conn.execute(
            "UPDATE mediators SET failures = 0, strikes = 0, locked_until = 0 WHERE id = ?",
            (mediator_id,),
        )

    def _select(self, where: str, params: tuple[str, ...] = ()) -> list[Mediator]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM mediators WHERE {where} ORDER BY rowid",  # noqa: S608 - fixed clauses
            params,
        ).fetchall()
        return [_mediator(row) for row in rows]

    def _get(self, mediator_id: str) -> Mediator:
        found = self._select("id = ?", (mediator_id,))
        if not found:
            raise UnknownMediatorError(f"no mediator account has the id {mediator_id!r}")
        return found[0]

    def _find(self, id_or_name: str) -> Mediator:
        by_id = self._select("id = ?", (id_or_name.strip(),))
        if by_id:
            return by_id[0]
        wanted = " ".join(id_or_name.split()).casefold()
        for mediator in self._select("active = 1"):
            if mediator.name.casefold() == wanted:
                return mediator
        raise UnknownMediatorError(f"no account has the id {id_or_name!r} and no active account "
                              "has this name (see `kiosk mediator list`)")


def _mediator(row: sqlite3.Row | tuple[object, ...]) -> Mediator:
    mediator_id, name, role, active, created_at, failures, strikes, locked_until, source = row
    return Mediator(
        id=str(mediator_id), name=str(name), role=Role(str(role)), active=bool(active),
        created_at=str(created_at), failures=int(str(failures)), strikes=int(str(strikes)),
        locked_until=float(str(locked_until)), source=str(source),
    )
