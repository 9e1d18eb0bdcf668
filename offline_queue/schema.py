"""The queue's SQLite file: connection pragmas, schema and its migrations.

The schema version is ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a file from
version ``n`` to ``n + 1``. Each migration runs in its own IMMEDIATE transaction together
with the version bump, so a crash leaves the file at one version or the next.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from offline_queue.errors import SchemaTooNew

BUSY_TIMEOUT_MS = 10_000


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE items (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('pending', 'sending', 'delivered', 'retry_wait', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            next_attempt_at REAL,
            not_before REAL,          -- earliest retry the server allowed (Retry-After)
            last_error TEXT,
            remote_reference TEXT,
            sealed BLOB,              -- encrypted payload; NULL once delivered or expired
            CHECK (state <> 'delivered' OR sealed IS NULL),
            CHECK (state = 'dead' OR state = 'delivered' OR sealed IS NOT NULL),
            CHECK (state <> 'dead' OR last_error IS NOT NULL)
        ) WITHOUT ROWID
        """
    )
    conn.execute("CREATE INDEX items_by_state ON items (state, next_attempt_at, created_at)")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID")


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Indexes that let the worker claim the oldest due item without sorting the queue.

    ``items_by_age`` (state, created_at, id) gives the head of one state in the claim's
    order, and carries ``next_attempt_at`` so that the due ``retry_wait`` items are found
    on the index alone. ``items_retry_due`` answers "when is the next retry?" at once.
    The v1 index (state, next_attempt_at, created_at) could do neither and is dropped.
    """
    conn.execute("DROP INDEX items_by_state")
    conn.execute(
        "CREATE INDEX items_by_age ON items (state, created_at, id, next_attempt_at)"
    )
    conn.execute(
        "CREATE INDEX items_retry_due ON items (next_attempt_at) WHERE state = 'retry_wait'"
    )


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """An index by reference: "Où en est ma demande ?" finds a request by the reference on
    its receipt (the payload is never read for it)."""
    conn.execute("CREATE INDEX items_by_reference ON items (reference, created_at)")


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (_v0_to_v1, _v1_to_v2, _v2_to_v3)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path, *, synchronous: str = "FULL") -> sqlite3.Connection:
    """Open (creating it 0600 if needed) the queue file with the queue's pragmas.

    The connection is in autocommit mode (``isolation_level=None``): every write opens
    its own short ``BEGIN IMMEDIATE`` transaction (see ``offline_queue.store``).
    ``synchronous``: FULL (every commit survives a power cut) or NORMAL (see
    ``QueueStore``'s ``durable_outcomes``).
    """
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # SQLite gives the -wal and -shm files the permissions of the main file.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        conn.close()
        raise sqlite3.OperationalError(f"cannot switch {path.name} to WAL (got {mode})")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA secure_delete = ON")  # erased payloads are zeroed, not left in pages
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to ``SCHEMA_VERSION``; returns the version it was at."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"queue schema version {found} is newer than this library's {SCHEMA_VERSION}"
        )
    for version in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another connection may have migrated meanwhile.
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current == version:
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
