"""The offline queue and its sender, as the GUI thread sees them.

Submissions are stored (encrypted, fsync'd) before the receipt is shown; a background
worker delivers them. Worker events arrive here on its thread and are re-emitted as a Qt
signal, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.configured import awaits_terminal_secret
from kiosk.domain.submission import Submission
from kiosk.i18n import _, ngettext
from kiosk.queue_file import open_queue, queue_path, retention_seconds
from offline_queue.connector import Connector
from offline_queue.store import DAY, PAUSE_CONFIGURATION, ItemInfo, QueueStatus, State
from offline_queue.sync import SyncEvent, SyncWorker

_log = logging.getLogger(__name__)


def _held_back(status: QueueStatus, unpaired: bool) -> str | None:
    """Why no request leaves, or None: a terminal not paired yet with the town hall
    (``unpaired``: no terminal secret, nothing is sent), a pause, then a clock the town
    hall refused (requests wait, and only a technician can set it right)."""
    if unpaired:
        return _("Envoi en attente : la borne n'est pas encore reliée à la mairie. "
                 "Prévenez le technicien.")
    if status.paused and status.pause_cause == PAUSE_CONFIGURATION:
        return _("Envoi en pause : l'adresse de la mairie est mal réglée. Prévenez le technicien.")
    if status.paused:
        return _("Envoi en pause : la mairie refuse l'accès de la borne.")
    if status.clock_error:
        return _("L'horloge de la borne n'est pas à l'heure. Les demandes attendent. "
                 "Prévenez le technicien.")
    return None


def describe_status(status: QueueStatus, *, unpaired: bool = False) -> tuple[str, bool, int]:
    """A short line for mediators about the queue, whether it needs their attention, and
    how many requests it is about.

    What holds every request back comes first (``_held_back``), then refused requests.
    """
    held = _held_back(status, unpaired)
    if held is not None:
        return held, True, status.waiting
    dead = status.counts[State.DEAD]
    if dead:
        return ngettext(
            "{n} demande à vérifier", "{n} demandes à vérifier", dead
        ).format(n=dead), True, dead
    if status.waiting:
        return ngettext(
            "{n} demande en attente d'envoi", "{n} demandes en attente d'envoi", status.waiting
        ).format(n=status.waiting), False, status.waiting
    return _("Tout est envoyé."), False, 0


class Delivery(QObject):
    """Stores submissions and has them delivered.

    Attributes:
        store: the queue, as the GUI thread reads and writes it.
        connector: the back office's connector (``kiosk.connectors.configured``), or None.

    Signals:
        sync_event(object): a SyncEvent from the worker (delivered, retry, dead, paused...).
    """

    sync_event = Signal(object)

    def __init__(
        self, config: Config, connector: Connector | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        key = secrets.get_key(secrets.QUEUE_DATA_KEY)
        self.store = open_queue(config, key)
        self.connector = connector
        self.unpaired = awaits_terminal_secret(config)
        # Stopping waits for the call under way, which ends by its deadline.
        self._stop_wait = 1.0 + (connector.longest_call if connector else 0.0)
        self.worker = (
            None
            if connector is None
            else SyncWorker(
                queue_path(config),
                key,
                connector,
                interval=float(config.queue.sync_interval_seconds),
                on_event=self.sync_event.emit,
                retention_seconds=retention_seconds(config),
                link_seconds=config.queue.status_link_days * DAY,
            )
        )

    def start(self) -> None:
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> bool:
        """Stop sending; False when a call to the back office still runs (see SyncWorker.stop)."""
        stopped = self.worker is None or self.worker.stop(self._stop_wait)
        self.store.close()
        close = getattr(self.connector, "close", None)
        if stopped and callable(close):
            close()  # its pooled connections (shared with the link and the status desk)
        return stopped

    def enqueue(self, submission: Submission) -> None:
        """Store ``submission`` durably (raises on failure), then wake the sender."""
        self.store.enqueue(
            submission.id, submission.reference, submission.demarche_id, submission.to_json()
        )
        _log.info("submission %s queued for %s", submission.reference, submission.demarche_id)
        self._wake()

    def status(self) -> QueueStatus:
        return self.store.status()

    def describe(self) -> tuple[str, bool, int]:
        """``describe_status`` of the queue now, for the top bar and the mediator panel."""
        return describe_status(self.status(), unpaired=self.unpaired)

    def set_aside(self) -> list[ItemInfo]:
        """Requests the back office refused for good (``dead``), oldest first."""
        return self.store.items(State.DEAD)

    def retry(self, item_id: str) -> None:
        """A mediator asks to send a refused or waiting request again, now."""
        self.store.retry(item_id)
        self._wake()

    def send_now(self) -> None:
        """A mediator asks to try every waiting request now (a server's Retry-After stays)."""
        self.store.release_waiting()
        self._wake()

    def _wake(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def is_delivered(self, item_id: str) -> bool:
        return self.store.get(item_id).state.value == "delivered"


__all__ = ["Delivery", "SyncEvent"]
