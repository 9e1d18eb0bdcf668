"""The receiver's database: submissions once per idempotency key, heartbeats, fault log,
and the highest journal head each terminal sent (the anchor against a rolled-back journal).

This is a demonstration back office: it keeps payloads in clear, as a town hall's own
system would once a submission has arrived. The database is a SQLite file (the embedded
default) or PostgreSQL (a fleet, several receivers on one database): the SQL below runs
on both, through kiosk/receiver/database.py. A submission is committed before the
receiver answers 201.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.audit.head import JournalHead
from kiosk.receiver.database import Database, Migration, open_database
from kiosk.statistics.keys import DayCounts

# Each table in its own statement; {serial}, {bytes} and {real} are the engine's types
# (kiosk/receiver/database.py). A new version appends a Migration, never edits one.
MIGRATIONS = (
    Migration("receiver", 1, (
        """CREATE TABLE IF NOT EXISTS submissions (
            seq {serial},
            idempotency_key TEXT NOT NULL UNIQUE,
            terminal_id TEXT NOT NULL,
            body_sha256 TEXT NOT NULL,
            payload {bytes} NOT NULL,
            reference TEXT,
            received_at {real} NOT NULL,
            status INTEGER NOT NULL,
            answer {bytes} NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS heartbeats (
            terminal_id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            queue TEXT NOT NULL,
            received_at {real} NOT NULL,
            beats INTEGER NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS heartbeat_details (
            terminal_id TEXT PRIMARY KEY,
            sent_at BIGINT,
            catalog_version TEXT,
            paused INTEGER
        )""",
        """CREATE TABLE IF NOT EXISTS journal_heads (
            terminal_id TEXT PRIMARY KEY,
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL,
            seen_at {real} NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS statuses (
            reference TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            service TEXT,
            updated_at {real} NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS submissions_by_reference ON submissions (reference)",
        """CREATE TABLE IF NOT EXISTS faults (
            seq {serial},
            action TEXT NOT NULL,
            idempotency_key TEXT,
            at {real} NOT NULL
        )""",
    )),
    # The 201 answer is made from the row (its seq and arrival time), as it always was:
    # storing it cost a second statement per submission, which a database server pays
    # in round trips (docs/performance.md).
    Migration("receiver", 2, (
        "ALTER TABLE submissions DROP COLUMN answer",
        "ALTER TABLE submissions DROP COLUMN status",
    )),
    # Each terminal's anonymous counters per day (docs/statistics.md): a day sent again
    # replaces what was stored for it.
    Migration("receiver", 3, (
        """CREATE TABLE IF NOT EXISTS statistics (
            terminal_id TEXT NOT NULL,
            day TEXT NOT NULL,
            key TEXT NOT NULL,
            count BIGINT NOT NULL,
            received_at {real} NOT NULL,
            PRIMARY KEY (terminal_id, day, key)
        )""",
    )),
    # Why a terminal's queue is paused, as a code (credentials, configuration).
    Migration("receiver", 4, (
        "ALTER TABLE heartbeat_details ADD COLUMN pause_cause TEXT",
    )),
)


@dataclass(frozen=True)
class StatisticsRow:
    """One counter of one terminal for one day (docs/statistics.md)."""

    day: str
    terminal_id: str
    key: str
    count: int


@dataclass(frozen=True)
class StoredAnswer:
    """The first answer given for an idempotency key, replayed for every repeat."""

    body_sha256: str
    status: int
    answer: bytes


@dataclass(frozen=True)
class Submission:
    """One submission as it arrived."""

    remote_id: str
    idempotency_key: str
    terminal_id: str
    reference: str | None
    received_at: float
    payload: bytes


@dataclass(frozen=True)
class Heartbeat:
    """The last heartbeat of one terminal."""

    terminal_id: str
    version: str
    queue: dict[str, int]
    received_at: float
    beats: int
    sent_at: int | None = None  # the terminal's clock when it sent it (Unix time)
    catalog_version: str | None = None
    paused: bool | None = None  # None: the terminal did not say
    pause_cause: str | None = None  # credentials, configuration; None: not said

    @property
    def clock_offset(self) -> float | None:
        """Seconds the terminal's clock was ahead of the receiver's (None: unknown)."""
        return None if self.sent_at is None else self.sent_at - self.received_at


@dataclass(frozen=True)
class HeartbeatDetails:
    """What a heartbeat may say beyond its version and queue (all optional)."""

    sent_at: int | None = None
    catalog_version: str | None = None
    paused: bool | None = None
    pause_cause: str | None = None


@dataclass(frozen=True)
class HeadSeen:
    """The highest journal head a terminal sent (heartbeat or submission), and when."""

    terminal_id: str
    head: JournalHead
    seen_at: float


@dataclass(frozen=True)
class StatusRecord:
    """Where a request is, as an agent set it (``kiosk-receiver status set``)."""

    reference: str
    status: str  # one of STATUSES
    service: str | None
    updated_at: float


STATUSES = ("received", "in_progress", "done", "rejected")


@dataclass(frozen=True)
class FaultEvent:
    """One fault the receiver injected, and the submission it hit."""

    action: str
    idempotency_key: str | None


def remote_id(seq: int) -> str:
    """The back-office reference of the ``seq``-th submission (``BO-000042``)."""
    return f"BO-{seq:06d}"


class ReceiverStore:
    """The receiver's database; one connection, used from the event loop's thread only.

    ``location``: a SQLite file path, or a ``postgresql://`` URL (``DatabaseError`` when
    it cannot be used). Several receivers may share one PostgreSQL database.
    """

    migrations: tuple[Migration, ...] = MIGRATIONS

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self._db: Database = open_database(location)
        try:
            self._db.migrate(self.migrations)
        except BaseException:
            self._db.close()
            raise

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._db.engine

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def answer_for(self, key: str) -> StoredAnswer | None:
        """The first answer given for ``key``, if it is stored."""
        row = self._db.one(
            "SELECT body_sha256, seq, received_at FROM submissions WHERE idempotency_key = ?",
            (key,),
        )
        return None if row is None else _answer(row[0], int(row[1]), float(row[2]))

    def add_submission(
        self, *, key: str, terminal_id: str, body_sha256: str, payload: bytes
    ) -> tuple[StoredAnswer, bool]:
        """Store a submission (with the journal head it carries, in one transaction),
        unless its key is already stored: then nothing is written and the first answer
        comes back.

        Returns the answer and True when this call stored it. The UNIQUE key decides, in
        one ``INSERT ... ON CONFLICT DO NOTHING``: two receivers (or threads) storing the
        same key at once store it once, where checking first and inserting after would
        let both see no row.
        """
        now = time.time()
        head = _head_of(payload)
        with self._db.transaction() if head else nullcontext():
            row = self._db.one(
                "INSERT INTO submissions (idempotency_key, terminal_id, body_sha256, payload,"
                " reference, received_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq",
                (key, terminal_id, body_sha256, payload, _reference_of(payload), now),
            )
            if row is None:
                stored = self.answer_for(key)
                assert stored is not None  # committed by whoever took the key
                return stored, False
            if head is not None:
                self._keep_head(terminal_id, head, now)
        return _answer(body_sha256, int(row[0]), now), True

    def record_heartbeat(
        self,
        terminal_id: str,
        version: str,
        queue: dict[str, int],
        journal_head: JournalHead | None = None,
        details: HeartbeatDetails | None = None,
    ) -> None:
        """Keep the last heartbeat of a terminal and count them, and its journal head if higher.

        A heartbeat that does not say its catalog version (``kiosk queue resume`` sends
        one) keeps the last one said: the terminal still runs that catalog.
        """
        if journal_head is not None:
            self._keep_head(terminal_id, journal_head, time.time())
        details = details or HeartbeatDetails()
        paused = None if details.paused is None else int(details.paused)
        self._db.execute(
            "INSERT INTO heartbeat_details"
            " (terminal_id, sent_at, catalog_version, paused, pause_cause)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET"
            " sent_at = excluded.sent_at, catalog_version ="
            " COALESCE(excluded.catalog_version, heartbeat_details.catalog_version),"
            " paused = excluded.paused, pause_cause = excluded.pause_cause",
            (terminal_id, details.sent_at, details.catalog_version, paused,
             details.pause_cause),
        )
        self._db.execute(
            "INSERT INTO heartbeats (terminal_id, version, queue, received_at, beats)"
            " VALUES (?, ?, ?, ?, 1) ON CONFLICT (terminal_id) DO UPDATE SET"
            " version = excluded.version, queue = excluded.queue,"
            " received_at = excluded.received_at, beats = heartbeats.beats + 1",
            (terminal_id, version, json.dumps(queue, sort_keys=True), time.time()),
        )

    def _keep_head(self, terminal_id: str, head: JournalHead, now: float) -> None:
        """Keep ``head`` if it is the terminal's highest yet: a submission queued long ago
        carries an older head, and a journal put back to an older copy must not lower it."""
        self._db.execute(
            "INSERT INTO journal_heads (terminal_id, seq, hash, seen_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (terminal_id) DO UPDATE SET seq = excluded.seq,"
            " hash = excluded.hash, seen_at = excluded.seen_at"
            " WHERE excluded.seq > journal_heads.seq",
            (terminal_id, head.seq, head.hash, now),
        )

    def journal_heads(self) -> list[HeadSeen]:
        """The highest journal head of each terminal, by terminal id."""
        rows = self._db.all(
            "SELECT terminal_id, seq, hash, seen_at FROM journal_heads ORDER BY terminal_id"
        )
        return [HeadSeen(r[0], JournalHead(int(r[1]), str(r[2])), float(r[3])) for r in rows]

    def store_statistics(self, terminal_id: str, days: Sequence[DayCounts]) -> None:
        """Keep each day's counters of a terminal, replacing what an earlier heartbeat sent
        for that day (a terminal sends the whole day again until it is acknowledged)."""
        if not days:
            return
        now = time.time()
        with self._db.transaction():
            for day in days:
                self._db.execute(
                    "DELETE FROM statistics WHERE terminal_id = ? AND day = ?",
                    (terminal_id, day.day),
                )
                for key, n in day.counts.items():
                    self._db.execute(
                        "INSERT INTO statistics (terminal_id, day, key, count, received_at)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (terminal_id, day.day, key, n, now),
                    )

    def statistics_rows(
        self,
        *,
        terminal_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        prefix: str | None = None,
    ) -> list[StatisticsRow]:
        """The stored counters, by day, terminal and key; ``since`` and ``until`` are ISO
        days (both included), ``prefix`` keeps the keys that start with it
        (``demarche.signalement-rue.``)."""
        clauses, values = [], []
        for clause, value in (
            ("terminal_id = ?", terminal_id),
            ("day >= ?", since),
            ("day <= ?", until),
            ("substr(key, 1, length(?)) = ?", prefix),
        ):
            if value is not None:
                clauses.append(clause)
                values.extend([value] * clause.count("?"))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.all(
            f"SELECT day, terminal_id, key, count FROM statistics{where}"  # noqa: S608
            " ORDER BY day, terminal_id, key",
            tuple(values),
        )
        return [StatisticsRow(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    def record_fault(self, action: str, key: str | None) -> None:
        """Log an injected fault (tests check which submission got which)."""
        self._db.execute(
            "INSERT INTO faults (action, idempotency_key, at) VALUES (?, ?, ?)",
            (action, key, time.time()),
        )

    def status_of(self, reference: str) -> StatusRecord | None:
        """The status of the request with this reference: as an agent set it, else
        ``received`` since it arrived; None when no submission carries the reference."""
        row = self._db.one(
            "SELECT MAX(received_at) FROM submissions WHERE reference = ?", (reference,)
        )
        if row is None or row[0] is None:
            return None
        set_row = self._db.one(
            "SELECT status, service, updated_at FROM statuses WHERE reference = ?", (reference,)
        )
        if set_row is None:
            return StatusRecord(reference, "received", None, float(row[0]))
        return StatusRecord(reference, set_row[0], set_row[1], float(set_row[2]))

    def set_status(self, reference: str, status: str, service: str | None) -> StatusRecord:
        """An agent says where a request is. ``LookupError`` when no submission carries
        the reference, ``ValueError`` for a status that is not one of ``STATUSES``."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        if self.status_of(reference) is None:
            raise LookupError(reference)
        now = time.time()
        self._db.execute(
            "INSERT INTO statuses (reference, status, service, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (reference) DO UPDATE SET status = excluded.status,"
            " service = excluded.service, updated_at = excluded.updated_at",
            (reference, status, service, now),
        )
        return StatusRecord(reference, status, service, now)

    def submissions(self) -> list[Submission]:
        """Every submission, in arrival order."""
        rows = self._db.all(
            "SELECT seq, idempotency_key, terminal_id, reference, received_at, payload"
            " FROM submissions ORDER BY seq"
        )
        return [Submission(remote_id(r[0]), r[1], r[2], r[3], r[4], bytes(r[5])) for r in rows]

    def heartbeats(self) -> list[Heartbeat]:
        """The last heartbeat of each terminal."""
        rows = self._db.all(
            "SELECT h.terminal_id, h.version, h.queue, h.received_at, h.beats,"
            " d.sent_at, d.catalog_version, d.paused, d.pause_cause FROM heartbeats h"
            " LEFT JOIN heartbeat_details d ON d.terminal_id = h.terminal_id"
            " ORDER BY h.terminal_id"
        )
        return [
            Heartbeat(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5], r[6],
                      None if r[7] is None else bool(r[7]), r[8])
            for r in rows
        ]

    def faults(self) -> list[FaultEvent]:
        """Every injected fault, in order."""
        rows = self._db.all("SELECT action, idempotency_key FROM faults ORDER BY seq")
        return [FaultEvent(r[0], r[1]) for r in rows]


def _answer(body_sha256: str, seq: int, received_at: float) -> StoredAnswer:
    """The 201 answer to the ``seq``-th submission, the same bytes at every replay."""
    answer = json.dumps(
        {
            "id": remote_id(seq),
            "status": "received",
            "received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(received_at)),
        },
        separators=(",", ":"),
    ).encode("utf-8")
    return StoredAnswer(body_sha256, 201, answer)


def journal_head_in(document: Any) -> JournalHead | None:
    """The ``journal_head`` of a parsed heartbeat or submission; None when it has none.

    ValueError, naming the problem, when it has one that is not a head.
    """
    if not isinstance(document, dict) or "journal_head" not in document:
        return None
    return JournalHead.from_dict(document["journal_head"])


def _head_of(payload: bytes) -> JournalHead | None:
    """A submission's head, if it carries one (the body check refused malformed ones)."""
    try:
        return journal_head_in(json.loads(payload))
    except ValueError:
        return None


def _reference_of(payload: bytes) -> str | None:
    """The resident's reference, if the payload carries one at its top level."""
    try:
        data: Any = json.loads(payload)
    except ValueError:
        return None
    value = data.get("reference") if isinstance(data, dict) else None
    return value[:64] if isinstance(value, str) else None
