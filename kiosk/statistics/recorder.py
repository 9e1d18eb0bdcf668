"""What a visit counts, anonymously: the ``Visit`` calls it at each event of its own
(démarche started, abandoned, sent, a feature used, the visit over) and it turns them
into counter names for today (``kiosk.statistics.keys``; docs/statistics.md).

Each feature is counted once per visit (how many visits used audio, not how many times the
button was pressed); a status look-up is counted each time. A visit is counted, with its
hour (never finer), at its first event. A counter that cannot be written is logged by type
and lost: statistics never stop a resident.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Protocol

from kiosk.statistics.keys import duration_bucket, segment

_log = logging.getLogger(__name__)


class Usage(StrEnum):
    """A feature a visit may use; some carry a value (``text_size``, ``theme``, ``language``)."""

    AUDIO = "audio"
    HEADPHONES = "headphones"
    KEYPAD = "keypad"
    TOUCH_CONFIRM = "touch_confirm"
    TEXT_SIZE = "text_size"
    THEME = "theme"
    LANGUAGE = "language"
    GDPR_NOTICE = "gdpr_notice"


class CounterSink(Protocol):
    """Where counts go (``StatisticsStore``)."""

    def count(self, keys: Iterable[str]) -> None:
        """Add one to each key, for today."""
        ...


class VisitStatistics:
    """The counts of the visits, one after the other; ``sink`` None counts nothing."""

    def __init__(
        self,
        sink: CounterSink | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self._sink = sink
        self._clock = clock
        self._now = now
        self._visit_counted = False
        self._used: set[str] = set()
        self._started_at: float | None = None

    def demarche_started(self, demarche_id: str) -> None:
        self._started_at = self._clock()
        self._count(f"demarche.{segment(demarche_id)}.started")

    def demarche_abandoned(self, demarche_id: str, where: str) -> None:
        """Given up at ``where`` (a question's id, or ``review``)."""
        self._started_at = None
        name = segment(demarche_id)
        self._count(f"demarche.{name}.abandoned", f"demarche.{name}.abandoned_at.{segment(where)}")

    def demarche_sent(self, demarche_id: str, *, assisted: bool) -> None:
        name = segment(demarche_id)
        keys = [f"demarche.{name}.sent"]
        if assisted:
            keys.append(f"demarche.{name}.assisted")
        if self._started_at is not None:
            bucket = duration_bucket(self._clock() - self._started_at)
            keys.append(f"demarche.{name}.duration.{bucket}")
        self._started_at = None
        self._count(*keys)

    def status_lookup(self) -> None:
        """"Où en est ma demande ?" asked about one reference."""
        self._count("status_lookup")

    def used(self, usage: Usage, value: str | None = None) -> None:
        """A feature (with its value) used during this visit: counted the first time."""
        key = usage.value if value is None else f"{usage.value}.{segment(value)}"
        if key not in self._used:
            self._used.add(key)
            self._count(key)

    def visit_over(self) -> None:
        """The resident left: the next event begins another visit."""
        self._visit_counted = False
        self._used.clear()
        self._started_at = None

    def _count(self, *keys: str) -> None:
        if self._sink is None:
            return
        if not self._visit_counted:
            self._visit_counted = True
            keys = ("visits", f"visits.hour.{self._now().hour:02d}", *keys)
        try:
            self._sink.count(keys)
        except (sqlite3.Error, OSError) as error:
            _log.error("statistics not counted: %s", type(error).__name__)
