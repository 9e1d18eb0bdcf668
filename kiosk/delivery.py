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
    from kiosk.connectors.open311_mapping import Open311Service
    from kiosk.connectors.wcs import WcsForm

_log = logging.getLogger(__name__)
QUEUE_FILE = "queue.sqlite3"
DAY = 86_400


def connector_from_config(
    config: Config,
    wcs_forms: Mapping[str, WcsForm] = MappingProxyType({}),
    open311_services: Mapping[str, Open311Service] = MappingProxyType({}),
) -> Connector | None:
    """The back office named by ``[backoffice]``; None keeps everything queued.

    ``wcs_forms`` (démarche id -> its w.c.s. form, built from the catalog by
    ``kiosk.connectors.wcs_forms``) is for ``kind = "wcs"``, ``open311_services``
    (démarche id -> its Open311 service, built by ``kiosk.connectors.open311_services``)
    for ``kind = "open311"``; without any, such a terminal keeps its requests queued.
    """
    office = config.backoffice
    if office.kind == "none":
        return None
    if office.kind == "wcs":
        return _wcs_connector(config, wcs_forms)
    if office.kind == "open311":
        return _open311_connector(config, open311_services)
    if awaits_terminal_secret(config):
        _log.warning("no terminal secret is enrolled (kiosk enroll terminal-secret): requests "
                     "stay queued and none is sent until the terminal is paired")
        return None
    return HttpApiConnector(
        office.url,
        office.terminal_id,
        secrets.get_key(secrets.TERMINAL_SECRET),
        timeout=office.timeout_seconds,
    )


def awaits_terminal_secret(config: Config) -> bool:
    """True while the kiosk's own back office has no terminal secret enrolled for this
    terminal: it queues, and sends nothing (a secret it made itself, nobody would have)."""
    if config.backoffice.kind != "http":
        return False
    try:
        secrets.get_key(secrets.TERMINAL_SECRET)
    except secrets.MissingSecretError:
        return True
    return False


def _wcs_connector(config: Config, forms: Mapping[str, WcsForm]) -> Connector | None:
    """Publik w.c.s., with the API access key enrolled in the keyring."""
    key = _usable_key(secrets.WCS_API_KEY, "wcs", bool(forms), "a w.c.s. form")
    if key is None:
        return None
    from kiosk.connectors.wcs import WcsConnector  # requests' import, only for w.c.s.

    office = config.backoffice
    return WcsConnector(office.url, office.orig, key, forms, deadline=office.timeout_seconds)


def _open311_connector(
    config: Config, services: Mapping[str, Open311Service]
) -> Connector | None:
    """An Open311 GeoReport v2 server, with its api_key enrolled in the keyring."""
    key = _usable_key(secrets.OPEN311_API_KEY, "open311", bool(services), "an Open311 service")
    if key is None:
        return None
    from kiosk.connectors.open311 import Open311Connector  # requests' import, only here

    office = config.backoffice
    return Open311Connector(office.url, key, services, deadline=office.timeout_seconds,
                            jurisdiction_id=office.jurisdiction_id)


def _usable_key(secret: str, kind: str, mapped: bool, target: str) -> str | None:
    """The back office's key (keyring entry ``secret``, enrolled as ``<kind>-key``) when
    it is enrolled and some démarche is ``mapped``; else None (requests stay queued) and
    the log says why."""
    key = secrets.get_secret(secret)
    if not key:
        _log.error("[backoffice] kind = %s but no key is enrolled (kiosk enroll %s-key): "
                   "requests stay queued", kind, kind)
        return None
    if not mapped:
        _log.warning("no démarche is mapped to %s yet: requests stay queued", target)
        return None
    return key


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

    Signals:
        sync_event(object): a SyncEvent from the worker (delivered, retry, dead, paused...).
    """

    sync_event = Signal(object)

    def __init__(
        self,
        config: Config,
        parent: QObject | None = None,
        wcs_forms: Mapping[str, WcsForm] = MappingProxyType({}),
        open311_services: Mapping[str, Open311Service] = MappingProxyType({}),
    ) -> None:
        super().__init__(parent)
        path = config.data_path() / QUEUE_FILE
        key = secrets.get_key(secrets.QUEUE_DATA_KEY)
        retention = config.queue.retention_days * DAY
        self.store = QueueStore(path, key, retention_seconds=retention)
        connector = connector_from_config(config, wcs_forms, open311_services)
        self.unpaired = awaits_terminal_secret(config)
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
                on_event=self.sync_event.emit,
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


__all__ = ["Delivery", "SyncEvent", "awaits_terminal_secret", "connector_from_config"]
