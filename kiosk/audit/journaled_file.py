"""A small SQLite file of the kiosk whose events go to the journal (mediator accounts, the
technician pad's lockout), with the wall clock its locks are counted on."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kiosk.audit.entries import EntryKind
from kiosk.audit.journal import Recorder
from kiosk.audit.sqlite_file import SqliteFile


class JournaledFile(SqliteFile):
    """``SqliteFile`` plus an optional journal and a clock (wall-clock seconds).

    A subclass names its ``SCHEMA`` and ``SCHEMA_VERSION``, and the ``UPGRADES`` that bring
    an older file to it. The clock is the wall clock
    because a lock must outlive a reboot, which a monotonic clock does not.
    """

    SCHEMA: Sequence[str]
    SCHEMA_VERSION: int
    UPGRADES: Mapping[int, Sequence[str]] = {}

    def __init__(
        self,
        path: Path,
        journal: Recorder | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(path, self.SCHEMA, self.SCHEMA_VERSION, self.UPGRADES)
        self._journal = journal
        self._clock = clock

    def _record(self, kind: EntryKind, actor: str, details: dict[str, str | int]) -> None:
        """Journal an event, when this file was given a journal."""
        if self._journal is not None:
            self._journal.append(kind, actor, details)
