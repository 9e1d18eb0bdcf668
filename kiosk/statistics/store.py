"""The terminal's statistics file, ``statistics.sqlite3`` in the data folder.

One row per day and counter; each day has a revision, raised by every count, and the
revision the back office last acknowledged. A heartbeat carries the days whose revision is
ahead (the whole day each time, so the receiver replaces rather than adds); when the back
office acknowledges a day at the revision it was sent with, the day is sent. A day counted
again afterwards (today) is sent again at the next heartbeat. Nothing here knows of anyone:
counters only, by day (docs/statistics.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.audit.sqlite_file import SqliteFile, immediate
from kiosk.statistics.keys import DAYS_SENT_PER_HEARTBEAT, DayCounts

STATISTICS_FILE = "statistics.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = (
    "CREATE TABLE counts (day TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,"
    " PRIMARY KEY (day, key)) WITHOUT ROWID",
    "CREATE TABLE days (day TEXT PRIMARY KEY, revision INTEGER NOT NULL,"
    " acknowledged INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID",
)


@dataclass(frozen=True)
class PendingDay:
    """A day to send: its counts and the revision they are at."""

    counts: DayCounts
    revision: int


class StatisticsStore(SqliteFile):
    """Counters per day on disk; ``today`` gives the day a count goes to."""

    def __init__(self, path: Path, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(path, _SCHEMA, SCHEMA_VERSION)
        self._today = today

    def count(self, keys: Iterable[str]) -> None:
        """Add one to each of ``keys`` for today (one transaction)."""
        day = self._today().isoformat()
        keys = list(keys)
        if not keys:
            return
        with self._lock, immediate(self._conn) as conn:
            conn.executemany(
                "INSERT INTO counts (day, key, count) VALUES (?, ?, 1)"
                " ON CONFLICT (day, key) DO UPDATE SET count = count + 1",
                [(day, key) for key in keys],
            )
            conn.execute(
                "INSERT INTO days (day, revision) VALUES (?, 1)"
                " ON CONFLICT (day) DO UPDATE SET revision = revision + 1",
                (day,),
            )

    def day(self, day: dt.date) -> dict[str, int]:
        """The counters of ``day`` (empty when nothing was counted)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, count FROM counts WHERE day = ?", (day.isoformat(),)
            ).fetchall()
        return {str(key): int(count) for key, count in rows}

    def pending(self, limit: int = DAYS_SENT_PER_HEARTBEAT) -> list[PendingDay]:
        """The days not acknowledged at their current revision, oldest first."""
        with self._lock:
            days = self._conn.execute(
                "SELECT day, revision FROM days WHERE revision > acknowledged"
                " ORDER BY day LIMIT ?", (limit,)
            ).fetchall()
            pending = []
            for day, revision in days:
                rows = self._conn.execute(
                    "SELECT key, count FROM counts WHERE day = ?", (day,)
                ).fetchall()
                counts = {str(key): int(count) for key, count in rows}
                pending.append(PendingDay(DayCounts(str(day), counts), int(revision)))
        return pending

    def acknowledge(self, sent: Iterable[PendingDay], stored: Iterable[str]) -> None:
        """The back office stored the days named in ``stored``, as they were ``sent``."""
        stored_days = set(stored)
        with self._lock, immediate(self._conn) as conn:
            for day in sent:
                if day.counts.day in stored_days:
                    conn.execute(
                        "UPDATE days SET acknowledged = MAX(acknowledged, ?) WHERE day = ?",
                        (day.revision, day.counts.day),
                    )

    def purge(self, before: dt.date) -> int:
        """Delete the days before ``before`` (sent or not: the retention period is over);
        returns how many days went."""
        cutoff = before.isoformat()
        with self._lock, immediate(self._conn) as conn:
            gone = conn.execute("DELETE FROM days WHERE day < ?", (cutoff,)).rowcount
            conn.execute("DELETE FROM counts WHERE day < ?", (cutoff,))
        return int(gone)
