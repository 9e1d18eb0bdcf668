"""The terminal's regular call to its back office: a new catalog, and a heartbeat.

Every ``[backoffice] poll_minutes`` the kiosk asks ``GET /v1/catalog`` (conditional on the
ETag it has) and says ``POST /v1/heartbeat`` (terminal id, version, queue counts, the
version of the catalog in use, whether the queue is paused and the pause's cause code, the
journal's head, the days of anonymous statistics not yet acknowledged; nothing about
anyone). What it says is read on the GUI thread when the round starts: a catalog that
round brings is told by the next heartbeat. The days the back office says it stored are
marked sent; the others go again with the next heartbeat (docs/statistics.md). The head is
the anchor the back office keeps, so that an older copy of the journal put back on the
terminal is seen (``kiosk.audit.head``). The network work and the check of a downloaded
catalog (about a second for an 8 MiB one) run on a short-lived thread; the checked
catalog, or its named problem, comes back to the GUI thread as a signal, and only there is
it put in use or refused. A refused catalog is logged and the last good catalog stays in
use; its ETag is remembered and sent as ``If-None-Match``, so the same broken catalog is
neither downloaded nor checked again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.audit.head import JournalHead
from kiosk.catalog.model import Catalog
from kiosk.catalog.parser import CatalogError
from kiosk.catalog.store import CatalogStore
from kiosk.connectors.http_api import ConnectorError, HttpApiConnector, TerminalState
from kiosk.statistics.store import PendingDay, StatisticsStore
from offline_queue.store import QueueStatus

_log = logging.getLogger(__name__)
MINUTE_MS = 60_000


class BackofficeLink(QObject):
    """Polls the back office for a catalog and sends heartbeats.

    Signals:
        catalog_changed: a new catalog passed every check and is now in use.
        round_finished: one poll is over (its catalog, if any, is being checked).
    """

    catalog_changed = Signal()
    round_finished = Signal()  # one poll is over, whatever it brought
    # (Catalog or CatalogError, catalog bytes, etag) from the poll thread
    _answered = Signal(object, object, object)

    def __init__(
        self,
        connector: HttpApiConnector,
        catalogs: CatalogStore,
        queue_status: Callable[[], QueueStatus],
        poll_minutes: int,
        parent: QObject | None = None,
        *,
        journal_head: Callable[[], JournalHead | None],
        statistics: StatisticsStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._statistics = statistics
        self._connector = connector
        self._catalogs = catalogs
        self._queue_status = queue_status
        self._journal_head = journal_head
        # The ETag of the last catalog checked, good or refused: sent as If-None-Match.
        self._etag: str | None = None
        self._busy = threading.Lock()
        self._stopped = False
        self._answered.connect(self._use_answer)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_minutes * MINUTE_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._stopped = True  # a round still running says nothing more
        self._timer.stop()

    def poll(self) -> None:
        """One round, in the background; a round still running is not doubled."""
        if not self._busy.acquire(blocking=False):
            return
        try:
            queue = self._queue_status()
            counts = {state.value: count for state, count in queue.counts.items()}
            state = TerminalState.of(queue, self._catalogs.version)
            head = self._journal_head()
            days = self._statistics.pending() if self._statistics is not None else []
            threading.Thread(
                target=self._round, args=(counts, state, head, days, self._etag),
                name="backoffice-poll",
                daemon=True,
            ).start()
        except Exception as error:
            self._busy.release()
            _log.warning("back-office round not started: %s", type(error).__name__)

    def _round(
        self,
        counts: Mapping[str, int],
        state: TerminalState,
        head: JournalHead | None,
        days: list[PendingDay],
        etag: str | None,
    ) -> None:
        try:
            self._beat(counts, state, head, days)
            self._ask(etag)
        except Exception as error:
            _log.warning("back-office round failed: %s", type(error).__name__)
        finally:
            self._busy.release()
            if not self._stopped:
                self.round_finished.emit()

    def _beat(
        self,
        counts: Mapping[str, int],
        state: TerminalState,
        head: JournalHead | None,
        days: list[PendingDay],
    ) -> None:
        answer = self._connector.heartbeat(
            counts, journal_head=head, statistics=[day.counts for day in days], state=state
        )
        if self._statistics is not None and answer.statistics_stored:
            self._statistics.acknowledge(days, answer.statistics_stored)

    def _ask(self, etag: str | None) -> None:
        try:
            answer = self._connector.fetch_catalog(etag)
        except ConnectorError as error:
            _log.info("no catalog from the back office this time: %s", error)
            return
        if answer.status != 200 or answer.body is None or self._stopped:
            return
        if etag is not None and answer.etag == etag:
            # A back office that ignores If-None-Match: same ETag, same bytes, same verdict.
            _log.info("catalog unchanged (ETag %s): not checked again", etag)
            return
        checked: Catalog | CatalogError
        try:
            checked = self._catalogs.check(answer.body)
        except CatalogError as error:
            checked = error
        self._answered.emit(checked, answer.body, answer.etag)

    def _use_answer(self, checked: Catalog | CatalogError, body: bytes, etag: str | None) -> None:
        """On the GUI thread: put a checked catalog in use, or keep the last good one."""
        if self._stopped:
            return
        self._etag = etag
        if isinstance(checked, CatalogError):
            self._catalogs.refuse(checked, "back office")
            return
        try:
            self._catalogs.use(checked, body)
        except OSError as failure:  # the cache could not be written: the catalog is in use
            _log.warning("catalog cache not written: %s", failure.strerror)
        _log.info("new catalog from the back office in use")
        self.catalog_changed.emit()
