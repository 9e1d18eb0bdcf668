"""The commune's mediator accounts in the receiver's database (docs/mediators.md).

The tables belong to their own migration component, ``mediators``, beside ``receiver``
and ``console``: the console's staff tables and the receiver's own evolve on their own,
and a new version of one never has to wait for another's number.

A PIN is never here: only the salted scrypt hash the kiosk verifies
(``kiosk.security.pin.hash_pin``). ``version`` numbers each change of a row (the
highest one is the roster's version); ``lockout_reset`` counts the console's lockout
resets, so that a terminal sees a new one at its next poll and clears its lock.

``mediator_locks`` (version 2) holds, per terminal, the accounts locked there after wrong
PINs, as each terminal last reported them with its use report: since when, and until when
(the receiver's clock). A report replaces its terminal's rows; a lock past its end is no
longer one; lifting the lock in the console removes the account's rows, and the terminals
report again once they have lifted it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.receiver.database import Database, Migration

DEFAULT_EXPIRY_DAYS = 90
DAY_SECONDS = 86_400

MIGRATIONS = (
    Migration("mediators", 1, (
        """CREATE TABLE IF NOT EXISTS mediator_accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            disabled_reason TEXT,
            created_at {real} NOT NULL,
            last_used_at {real},
            version BIGINT NOT NULL,
            lockout_reset BIGINT NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE IF NOT EXISTS mediator_settings (
            name TEXT PRIMARY KEY,
            value BIGINT NOT NULL
        )""",
    )),
    # Which accounts each terminal says are locked (wrong PINs): no PIN, no personal data.
    Migration("mediators", 2, (
        """CREATE TABLE IF NOT EXISTS mediator_locks (
            terminal_id TEXT NOT NULL,
            mediator_id TEXT NOT NULL,
            locked_since {real} NOT NULL,
            locked_until {real} NOT NULL,
            PRIMARY KEY (terminal_id, mediator_id)
        )""",
    )),
)

# Every change takes the next version: (SELECT COALESCE(MAX(version), 0) + 1 ...).
_SELECT = (
    "SELECT id, name, pin_hash, disabled, disabled_reason, created_at, last_used_at, version,"
    " lockout_reset FROM mediator_accounts"
)


@dataclass(frozen=True)
class MediatorAccount:
    """One mediator account of the commune, as the console and the roster see it."""

    id: str
    name: str
    pin_hash: str
    disabled: bool
    disabled_reason: str | None  # "console" or "expired"
    created_at: float
    last_used_at: float | None
    version: int
    lockout_reset: int

    @property
    def idle_since(self) -> float:
        """When it was last used on any terminal, else when it was created."""
        return self.created_at if self.last_used_at is None else self.last_used_at


@dataclass(frozen=True)
class MediatorLock:
    """One account locked on one terminal (receiver's clock, Unix time)."""

    mediator_id: str
    terminal_id: str
    since: float
    until: float


class MediatorTables:
    """The SQL of the mediator tables, mixed into ``ConsoleStore`` (which owns ``_db``)."""

    _db: Database

    def add_mediator(self, mediator_id: str, name: str, pin_hash: str) -> None:
        """A new, active account; an integrity error of the engine when the id is taken."""
        self._db.execute(
            "INSERT INTO mediator_accounts (id, name, pin_hash, created_at, version)"
            " VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(version), 0) + 1 FROM mediator_accounts))",
            (mediator_id, name, pin_hash, time.time()),
        )

    def mediators(self) -> list[MediatorAccount]:
        """Every account, disabled ones too, by name."""
        rows = self._db.all(_SELECT + " ORDER BY name, id")
        return [_account(row) for row in rows]

    def mediator(self, mediator_id: str) -> MediatorAccount | None:
        """The account with this id, if any."""
        row = self._db.one(
            _SELECT + " WHERE id = ?", (mediator_id,),
        )
        return None if row is None else _account(row)

    def disable_mediator(self, mediator_id: str, reason: str) -> bool:
        """Disable an active account for good; False when it was not active."""
        row = self._db.one(
            "UPDATE mediator_accounts SET disabled = 1, disabled_reason = ?,"
            " version = (SELECT COALESCE(MAX(version), 0) + 1 FROM mediator_accounts)"
            " WHERE id = ? AND disabled = 0 RETURNING id",
            (reason, mediator_id),
        )
        return row is not None

    def reset_mediator_lockout(self, mediator_id: str) -> bool:
        """Ask every terminal to lift the account's lock, and forget where it was locked
        (each terminal reports again once lifted); False when it is not active."""
        with self._db.transaction():
            row = self._db.one(
                "UPDATE mediator_accounts SET lockout_reset = lockout_reset + 1,"
                " version = (SELECT COALESCE(MAX(version), 0) + 1 FROM mediator_accounts)"
                " WHERE id = ? AND disabled = 0 RETURNING id",
                (mediator_id,),
            )
            self._db.execute("DELETE FROM mediator_locks WHERE mediator_id = ?", (mediator_id,))
        return row is not None

    def replace_mediator_locks(self, terminal_id: str, locks: Sequence[MediatorLock]) -> None:
        """The terminal's report replaces what it said before; unknown accounts are left out,
        and of an account listed twice the last lock counts."""
        with self._db.transaction():
            self._db.execute("DELETE FROM mediator_locks WHERE terminal_id = ?", (terminal_id,))
            for lock in locks:
                self._db.execute(
                    "INSERT INTO mediator_locks"
                    " (terminal_id, mediator_id, locked_since, locked_until)"
                    " SELECT ?, id, ?, ? FROM mediator_accounts WHERE id = ?"
                    " ON CONFLICT (terminal_id, mediator_id) DO UPDATE SET"
                    " locked_since = excluded.locked_since, locked_until = excluded.locked_until",
                    (terminal_id, lock.since, lock.until, lock.mediator_id),
                )

    def mediator_locks(self, now: float) -> list[MediatorLock]:
        """The locks not ended at ``now``, by account then terminal."""
        rows = self._db.all(
            "SELECT mediator_id, terminal_id, locked_since, locked_until FROM mediator_locks"
            " WHERE locked_until > ? ORDER BY mediator_id, terminal_id",
            (now,),
        )
        return [MediatorLock(str(m), str(t), float(str(s)), float(str(u)))
                for m, t, s, u in rows]

    def record_mediator_use(self, mediator_id: str, at: float) -> None:
        """A terminal says the account logged in at ``at``: keep the latest use."""
        self._db.execute(
            "UPDATE mediator_accounts SET last_used_at = ?"
            " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
            (at, mediator_id, at),
        )

    def mediator_setting(self, name: str, default: int) -> int:
        """A setting of the mediator page (``expiry_days``)."""
        row = self._db.one("SELECT value FROM mediator_settings WHERE name = ?", (name,))
        return default if row is None else int(row[0])

    def set_mediator_setting(self, name: str, value: int) -> None:
        self._db.execute(
            "INSERT INTO mediator_settings (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def _account(row: tuple[object, ...]) -> MediatorAccount:
    (mediator_id, name, pin_hash, disabled, reason, created_at, last_used_at, version,
     lockout_reset) = row
    return MediatorAccount(
        id=str(mediator_id), name=str(name), pin_hash=str(pin_hash), disabled=bool(disabled),
        disabled_reason=None if reason is None else str(reason),
        created_at=float(str(created_at)),
        last_used_at=None if last_used_at is None else float(str(last_used_at)),
        version=int(str(version)), lockout_reset=int(str(lockout_reset)),
    )
