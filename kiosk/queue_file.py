"""The kiosk's offline queue file: where it lives and how it is opened.

The one place that opens it, for every part that does: the running kiosk (``Delivery``),
``kiosk queue`` and ``kiosk doctor``. Opening never makes a key: a missing one is
``MissingSecretError``, naming the key ``kiosk enroll`` must make.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.config import Config
from kiosk.secrets import QUEUE_DATA_KEY, get_key
from offline_queue.store import DAY, QueueStore

QUEUE_FILE = "queue.sqlite3"


def queue_path(config: Config) -> Path:
    """Where the kiosk keeps its queue."""
    return config.data_path() / QUEUE_FILE


def retention_seconds(config: Config) -> float:
    """How long an undelivered request is kept (``[queue] retention_days``)."""
    return config.queue.retention_days * DAY


def open_queue(config: Config, key: bytes | None = None) -> QueueStore:
    """The kiosk's queue with ``key`` (default: the data key from the keyring) and the
    configured retention; the file is made when it does not exist yet."""
    return QueueStore(
        queue_path(config),
        get_key(QUEUE_DATA_KEY) if key is None else key,
        retention_seconds=retention_seconds(config),
    )
