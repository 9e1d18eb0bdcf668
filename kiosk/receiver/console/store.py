"""The console's tables, in the receiver's own database (added beside its tables).

Staff accounts, their sessions and the console journal, plus the read-only queries the
pages need. SQL stays plain and lives here, never in the route handlers, so another
database can stand in for SQLite behind the same methods.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from kiosk.receiver.database import Migration
from kiosk.receiver.storage import MIGRATIONS, ReceiverStore, remote_id

_CONSOLE_MIGRATIONS = (
    Migration("console", 1, (
        """CREATE TABLE IF NOT EXISTS staff (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at {real} NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until {real} NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE IF NOT EXISTS staff_sessions (
            token_sha256 TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created_at {real} NOT NULL,
            last_seen {real} NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS console_journal (
            seq {serial},
            at {real} NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
    )),
)

# A request with its status as an agent set it (none: still "received").
_REQUESTS = (
    "SELECT s.seq, s.reference, s.terminal_id, s.received_at, s.payload, t.status, t.service"
    " FROM submissions s LEFT JOIN statuses t ON t.reference = s.reference"
)


@dataclass(frozen=True)
class StaffAccount:
    """One member of the commune's staff."""

    name: str
    role: str
    password_hash: str
    failures: int
    locked_until: float


@dataclass(frozen=True)
class StaffSession:
    """A logged-in member of staff, as the session cookie finds them."""

    name: str
    role: str
    csrf: str
    created_at: float
    last_seen: float


@dataclass(frozen=True)
class JournalEntry:
    """One line of the console journal: who did what to what, when."""

    seq: int
    at: float
    actor: str
    action: str
    subject: str
    detail: str


@dataclass(frozen=True)
class RequestRow:
    """A received request as the console lists it."""

    remote_id: str
    reference: str
    terminal_id: str
    received_at: float
    demarche: str
    status: str
    service: str | None
    payload: dict[str, Any]


def demarche_of(payload: dict[str, Any]) -> str:
    """The démarche id a submission names (``?`` when it names none)."""
    demarche = payload.get("demarche")
    value = demarche.get("id") if isinstance(demarche, dict) else None
    return value if isinstance(value, str) and value else "?"


def _parsed(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class ConsoleStore(ReceiverStore):
    """The receiver's database with the console's tables."""

    migrations = (*MIGRATIONS, *_CONSOLE_MIGRATIONS)

    # ---------------------------------------------------------------- staff

    def add_staff(self, name: str, role: str, password_hash: str) -> None:
        """A new account; an integrity error of the engine when the name is taken."""
        self._db.execute(
            "INSERT INTO staff (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, role, password_hash, time.time()),
        )

    def staff(self, name: str) -> StaffAccount | None:
        """The account called ``name``, if any."""
        row = self._db.one(
            "SELECT name, role, password_hash, failures, locked_until FROM staff"
            " WHERE name = ?", (name,),
        )
        return None if row is None else StaffAccount(*row)

    def all_staff(self) -> list[StaffAccount]:
        """Every account, by name."""
        rows = self._db.all(
            "SELECT name, role, password_hash, failures, locked_until FROM staff ORDER BY name"
        )
        return [StaffAccount(*row) for row in rows]

    def unlock(self, name: str) -> None:
        """Clear an account's failed logins and lockout."""
        self._db.execute(
            "UPDATE staff SET failures = 0, locked_until = 0 WHERE name = ?", (name,)
        )

    def count_failure(
        self, name: str, now: float, max_failures: int, locked_until: float
    ) -> bool | None:
        """One more failed login, counted in one statement: the ``max_failures``-th locks
        the account until ``locked_until`` and starts the count again.

        Returns True when this failure locked the account, False when it was counted
        only, None when the account was already locked (nothing counted). One ``UPDATE``
        reads and writes the count, so that logins failing at once on several
        connections (threads, receivers sharing a database) are each counted: reading
        it first and writing it after would let them all write the same count.
        """
        row = self._db.one(
            "UPDATE staff SET"
            " failures = CASE WHEN failures + 1 >= ? THEN 0 ELSE failures + 1 END,"
            " locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END"
            " WHERE name = ? AND locked_until <= ? RETURNING locked_until",
            (max_failures, max_failures, locked_until, name, now),
        )
        return None if row is None else float(row[0]) > now

    def clear_failures(self, name: str, now: float) -> bool:
        """After a good password: the count starts again, unless a failure counted
        meanwhile locked the account (False then: the login must be refused)."""
        row = self._db.one(
            "UPDATE staff SET failures = 0 WHERE name = ? AND locked_until <= ?"
            " RETURNING name",
            (name, now),
        )
        return row is not None

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Replace an account's hash (rehashed with stronger parameters)."""
        self._db.execute(
            "UPDATE staff SET password_hash = ? WHERE name = ?", (password_hash, name)
        )

    # ---------------------------------------------------------------- sessions

    def open_session(self, token_sha256: str, name: str, csrf: str) -> None:
        """Remember a session by the digest of its token (the token itself is never stored)."""
        now = time.time()
        self._db.execute(
            "INSERT INTO staff_sessions (token_sha256, name, csrf, created_at, last_seen)"
            " VALUES (?, ?, ?, ?, ?)", (token_sha256, name, csrf, now, now),
        )

    def session(self, token_sha256: str) -> StaffSession | None:
        """The session with this token digest and its account's role, if both exist."""
        row = self._db.one(
            "SELECT s.name, a.role, s.csrf, s.created_at, s.last_seen FROM staff_sessions s"
            " JOIN staff a ON a.name = s.name WHERE s.token_sha256 = ?", (token_sha256,),
        )
        return None if row is None else StaffSession(*row)

    def touch_session(self, token_sha256: str) -> None:
        """The session was used now."""
        self._db.execute(
            "UPDATE staff_sessions SET last_seen = ? WHERE token_sha256 = ?",
            (time.time(), token_sha256),
        )

    def close_sessions_idle_since(self, before: float) -> None:
        """Forget every session unused since ``before`` (they can no longer be used)."""
        self._db.execute("DELETE FROM staff_sessions WHERE last_seen < ?", (before,))

    def close_session(self, token_sha256: str) -> None:
        """Forget a session (logout, or expired)."""
        self._db.execute("DELETE FROM staff_sessions WHERE token_sha256 = ?", (token_sha256,))

    # ---------------------------------------------------------------- journal

    def journal(self, actor: str, action: str, subject: str, detail: str = "") -> None:
        """Write one line in the console journal."""
        self._db.execute(
            "INSERT INTO console_journal (at, actor, action, subject, detail)"
            " VALUES (?, ?, ?, ?, ?)", (time.time(), actor, action, subject, detail),
        )

    def journal_entries(self, limit: int | None = None) -> list[JournalEntry]:
        """The journal, newest first (``limit`` lines at most)."""
        newest_first = (
            "SELECT seq, at, actor, action, subject, detail FROM console_journal"
            " ORDER BY seq DESC"
        )
        rows = (self._db.all(newest_first) if limit is None
                else self._db.all(newest_first + " LIMIT ?", (limit,)))
        return [JournalEntry(*row) for row in rows]

    # ---------------------------------------------------------------- requests

    def requests(self, limit: int = 200) -> list[RequestRow]:
        """The latest requests that carry a reference, newest first, with their status."""
        rows = self._db.all(
            _REQUESTS + " WHERE s.reference IS NOT NULL ORDER BY s.seq DESC LIMIT ?", (limit,),
        )
        return [_request_row(row) for row in rows]

    def request(self, reference: str) -> RequestRow | None:
        """The latest request with this reference, if any."""
        row = self._db.one(
            _REQUESTS + " WHERE s.reference = ? ORDER BY s.seq DESC LIMIT 1", (reference,),
        )
        return None if row is None else _request_row(row)

    def statistics_demarches(self) -> list[str]:
        """Every démarche the kiosks' counters name (``demarche.<d>.…``), sorted."""
        rows = self._db.all(
            "SELECT DISTINCT key FROM statistics WHERE substr(key, 1, 9) = 'demarche.'"
        )
        return sorted({found for (key,) in rows if (found := _demarche_of_key(str(key)))})


def _demarche_of_key(key: str) -> str | None:
    parts = key.split(".")
    return parts[1] if len(parts) >= 3 and parts[0] == "demarche" else None


def _request_row(row: tuple[Any, ...]) -> RequestRow:
    payload = _parsed(bytes(row[4]))
    return RequestRow(
        remote_id(row[0]), row[1], row[2], float(row[3]), demarche_of(payload),
        row[5] or "received", row[6], payload,
    )
