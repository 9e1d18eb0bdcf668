"""The back office named by ``[backoffice]``: its connector, built once per process.

The running kiosk builds it at start and shares it: the sync worker delivers through it,
the back-office link polls catalogs and sends heartbeats with it, and the status desk asks
it where a request is (one HTTP session, one pool of connections, for all three; the
exchange deadline is per thread). ``None`` keeps every request queued, and the log says why.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from kiosk import secrets
from kiosk.config import Config
from offline_queue.connector import Connector

if TYPE_CHECKING:
    from kiosk.connectors.open311_mapping import Open311Service
    from kiosk.connectors.wcs import WcsForm

_log = logging.getLogger(__name__)


class KioskConnector(Connector, Protocol):
    """A connector as the running kiosk holds it: beside delivering, it says how long one
    call may last (stopping waits that long) and closes its pooled connections."""

    @property
    def longest_call(self) -> float: ...

    def close(self) -> None: ...


def connector_from_config(
    config: Config,
    wcs_forms: Mapping[str, WcsForm] = MappingProxyType({}),
    open311_services: Mapping[str, Open311Service] = MappingProxyType({}),
) -> KioskConnector | None:
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
    from kiosk.connectors.http_api import HttpApiConnector  # requests' import: ~10 MiB

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


def _wcs_connector(config: Config, forms: Mapping[str, WcsForm]) -> KioskConnector | None:
    """Publik w.c.s., with the API access key enrolled in the keyring."""
    key = _usable_key(secrets.WCS_API_KEY, "wcs", bool(forms), "a w.c.s. form")
    if key is None:
        return None
    from kiosk.connectors.wcs import WcsConnector  # requests' import, only for w.c.s.

    office = config.backoffice
    return WcsConnector(office.url, office.orig, key, forms, deadline=office.timeout_seconds)


def _open311_connector(
    config: Config, services: Mapping[str, Open311Service]
) -> KioskConnector | None:
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
