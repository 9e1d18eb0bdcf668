"""The retention periods of docs/gdpr.md, applied: what the terminal keeps past its time is
erased, and the erasure is journaled (how much, never what).

    Retention(config, statistics, queue, journal).purge()   # at start, then every day

- anonymous statistics: days older than ``[gdpr] statistics_days``;
- links of delivered requests (reference -> back-office number): ``[queue] status_link_days``;
- the journal: whole days older than ``[gdpr] journal_days``, behind a signed checkpoint
  (``Journal.purge_before``), so that ``kiosk audit verify`` still proves what remains.

Undelivered requests past ``[queue] retention_days`` are erased by the sender's own
housekeeping, which raises the mediator's alert (``offline_queue.sync``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.journal import Journal
from kiosk.config import Config
from kiosk.statistics.store import StatisticsStore

_log = logging.getLogger(__name__)
DAY_SECONDS = 86_400


class DeliveredLinks(Protocol):
    """The queue as the retention needs it."""

    def purge_delivered(self, older_than: float | None = None) -> int:
        """Forget the links of requests delivered at least ``older_than`` seconds ago."""
        ...


@dataclass(frozen=True)
class PurgeReport:
    """What one purge erased (counts only)."""

    statistics_days: int
    status_links: int
    journal_entries: int
    journal_through: int  # the last journal entry erased (0: none)


class Retention:
    """The terminal's retention periods and the purge that applies them."""

    def __init__(
        self,
        config: Config,
        statistics: StatisticsStore,
        queue: DeliveredLinks,
        journal: Journal,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._config = config
        self._statistics = statistics
        self._queue = queue
        self._journal = journal
        self._today = today

    def purge(self) -> PurgeReport:
        """Erase what is past its period; journaled when anything went."""
        today = self._today()
        gdpr = self._config.gdpr
        days = self._statistics.purge(today - dt.timedelta(days=gdpr.statistics_days))
        links = self._queue.purge_delivered(
            older_than=self._config.queue.status_link_days * DAY_SECONDS
        )
        cut = self._journal.purge_before(today - dt.timedelta(days=gdpr.journal_days))
        report = PurgeReport(days, links, cut.entries, cut.through_seq)
        if days or links or cut.entries:
            self._journal.append(EntryKind.RETENTION_PURGE, SYSTEM, {
                "statistics_days": days,
                "status_links": links,
                "journal_entries": cut.entries,
                "journal_through": cut.through_seq,
            })
            _log.info("retention purge: %s", report)
        return report
