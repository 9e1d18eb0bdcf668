"""The offline queue and its sender, as the GUI thread sees them.

Submissions are stored (encrypted, fsync'd) before the receipt is shown; a background
worker delivers them. Worker events arrive here on its thread and are re-emitted as a Qt
signal, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.http_api import HttpApiConnector
from kiosk.domain.submission import Submission
from kiosk.i18n import _, ngettext
from offline_queue.connector import Connector
from offline_queue.store import PAUSE_CONFIGURATION, ItemInfo, QueueStatus, QueueStore, State
from offline_queue.sync import SyncEvent, SyncWorker

if TYPE_CHECKING:
    from kiosk.connectors.wcs import WcsForm

_log = logging.getLogger(__name__)
QUEUE_FILE = "queue.sqlite3"
DAY = 86_400


def connector_from_config(
    config: Config, wcs_forms: Mapping[str, WcsForm] = MappingProxyType({})
) -> Connector | None:
    """The back office named by ``[backoffice]``; None keeps everything queued.

    ``wcs_forms`` (démarche id -> its w.c.s. form) is for ``kind = "wcs"``; nothing
    provides it yet (the catalog will), so a w.c.s. terminal keeps its requests queued.
    """
    office = config.backoffice
    if office.kind == "none":
        return None
    if office.kind == "wcs":
        return _wcs_connector(config, wcs_forms)
    return HttpApiConnector(
        office.url,
        office.terminal_id,
        secrets.get_key(secrets.TERMINAL_SECRET),
        timeout=office.timeout_seconds,
    )


def _wcs_connector(config: Config, forms: Mapping[str, WcsForm]) -> Connector | None:
    """Publik w.c.s., with the API access key enrolled in the keyring; None (requests stay
    queued, and the log says why) without a key or without any mapped démarche."""
    key = secrets.get_secret(secrets.WCS_API_KEY)
    if not key:
        _log.error("[backoffice] kind = wcs but no w.c.s. key is enrolled "
                   "(kiosk enroll wcs-key): requests stay queued")
        return None
    if not forms:
        _log.warning("no démarche is mapped to a w.c.s. form yet: requests stay queued")
        return None
    from kiosk.connectors.wcs import WcsConnector  # requests' import, only for w.c.s.

    office = config.backoffice
    return WcsConnector(office.url, office.orig, key, forms, deadline=office.timeout_seconds)


def describe_status(status: QueueStatus) -> tuple[str, bool, int]:
    """A short line for mediators about the queue, whether it needs their attention, and
    how many requests it is about.

    A pause comes first (nothing leaves), then a clock the town hall refused (requests
    wait, and only a technician can set it right), then refused requests.
    """
    dead = status.counts[State.DEAD]
    if status.paused and status.pause_cause == PAUSE_CONFIGURATION:
        return _(
            "Envoi en pause : l'adresse de la mairie est mal réglée. Prévenez le technicien."
        ), True, status.waiting
    if status.paused:
        return _("Envoi en pause : la mairie refuse l'accès de la borne."), True, status.waiting
    if status.clock_error:
        return _(
            "L'horloge de la borne n'est pas à l'heure. Les demandes attendent. "
            "Prévenez le technicien."
        ), True, status.waiting
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

    Signals:
        event(object): a SyncEvent from the worker (delivered, retry, dead, paused...).
    """

    event = Signal(object)

    def __init__(self, config: Config, parent: QObject | None = None) -> None:
        super().__init__(parent)
        path = config.data_path() / QUEUE_FILE
        key = secrets.get_key(secrets.QUEUE_DATA_KEY)
        retention = config.queue.retention_days * DAY
        self.store = QueueStore(path, key, retention_seconds=retention)
        connector = connector_from_config(config)
        # Stopping waits for the call under way, which ends by its deadline.
        self._stop_wait = 1.0 + (connector.longest_call if connector else 0.0)
        self.worker = (
            None
            if connector is None
            else SyncWorker(
                path,
                key,
                connector,
                interval=float(config.queue.sync_interval_seconds),
                on_event=self.event.emit,
                retention_seconds=retention,
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


__all__ = ["Delivery", "SyncEvent", "connector_from_config"]
