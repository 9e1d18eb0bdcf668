"""Opening the kiosk's small SQLite files (journal, mediator accounts) the same careful way.

0600 from the first byte, WAL, synchronous=FULL (a write is on disk when the call returns),
schema created once under the write lock and numbered by ``PRAGMA user_version``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Self

BUSY_TIMEOUT_SECONDS = 10.0


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (autocommit connections)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def connect(
    path: Path,
    schema: Sequence[str],
    version: int,
    upgrades: Mapping[int, Sequence[str]] | None = None,
) -> sqlite3.Connection:
    """Open ``path`` (creating it 0600), switch to WAL, and create ``schema`` if it is new.

    ``schema`` makes the latest version at once; ``upgrades[v]`` brings a file from
    version ``v - 1`` to ``v`` (a file older than the first upgrade cannot be opened).

    The connection is in autocommit mode and may be used from several threads: the caller
    serialises its use with a lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # The -wal and -shm files take the main file's permissions.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS,
                           check_same_thread=False)
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch {path.name} to WAL (got {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        with immediate(conn):
            # Read under the write lock: another process may be creating the schema.
            found = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if found > version:
                raise sqlite3.DatabaseError(
                    f"{path.name} has schema {found}, newer than this kiosk's {version}"
                )
            if found == 0:
                for statement in schema:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version}")
            elif found < version:
                _upgrade(conn, path, found, version, upgrades or {})
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _upgrade(
    conn: sqlite3.Connection, path: Path, found: int, version: int,
    upgrades: Mapping[int, Sequence[str]],
) -> None:
    """Bring the file from ``found`` to ``version`` (inside the caller's transaction)."""
    for step in range(found + 1, version + 1):
        if step not in upgrades:
            raise sqlite3.DatabaseError(f"{path.name} has schema {found}, which this kiosk "
                                        f"cannot bring to {version}")
        for statement in upgrades[step]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")


class SqliteFile:
    """Base of a class that owns one such file: its connection, a lock, ``with`` support."""

    def __init__(
        self, path: Path, schema: Sequence[str], version: int,
        upgrades: Mapping[int, Sequence[str]] | None = None,
    ) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = connect(path, schema, version, upgrades)

    def close(self) -> None:
        """Close the file; using the object afterwards raises ``sqlite3.ProgrammingError``."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
