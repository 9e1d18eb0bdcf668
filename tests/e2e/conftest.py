"""The real kiosk for end-to-end visits: a temporary data dir with its SQLite queue, keys
in the (in-memory) keyring, and a back office that is either absent (everything stays
queued) or the reference receiver running as a subprocess."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk import secrets
from kiosk.config import (
    BackofficeSection,
    CatalogSection,
    Config,
    KioskSection,
    QueueSection,
    SpeechSection,
)
from kiosk.queue_file import QUEUE_FILE
from offline_queue.store import ItemInfo, QueueStore
from tests.e2e.resident import Resident
from tests.memory_keyring import MemoryKeyring
from tests.receiver_process import TERMINAL_ID
from wiring.app import KioskApp


@pytest.fixture
def make_kiosk(qapp: QApplication, data_dir: Path) -> Iterator[Callable[..., KioskApp]]:
    """Build a windowed kiosk; ``backoffice=``, ``queue=``, ``speech=`` and ``catalog=``
    replace those sections, other keyword arguments override [kiosk] keys. Without a back
    office by default."""
    built: list[KioskApp] = []

    def build(
        backoffice: BackofficeSection | None = None,
        queue: QueueSection | None = None,
        speech: SpeechSection | None = None,
        catalog: CatalogSection | None = None,
        **kiosk_keys: object,
    ) -> KioskApp:
        section = KioskSection(fullscreen=False, data_dir=str(data_dir), watchdog=False)
        section = section._replace(**kiosk_keys)
        config = Config(
            kiosk=section,
            backoffice=backoffice or BackofficeSection(kind="none"),
            queue=queue or QueueSection(),
            speech=speech or SpeechSection(),
            catalog=catalog or CatalogSection(),
        )
        app = KioskApp(config, qapp)
        app.show()
        app.complete_setup()  # normally run by the event loop right after show()
        app.window.activateWindow()
        built.append(app)
        return app

    yield build
    for app in built:
        app.shutdown()


@pytest.fixture
def make_paired_kiosk(
    make_kiosk: Callable[..., KioskApp], memory_keyring: MemoryKeyring
) -> Callable[..., KioskApp]:
    """Build a kiosk delivering to the kiosk API at ``url``, its terminal secret
    ``secret`` enrolled in the keyring (the reference receiver's, for one)."""

    def build(url: str, secret: bytes, timeout_seconds: float = 5.0) -> KioskApp:
        encoded = base64.b64encode(secret).decode()
        memory_keyring.set_password(secrets.SERVICE, secrets.TERMINAL_SECRET, encoded)
        return make_kiosk(backoffice=BackofficeSection(
            kind="http", url=url, terminal_id=TERMINAL_ID, timeout_seconds=timeout_seconds
        ))

    return build


@pytest.fixture
def kiosk(make_kiosk: Callable[..., KioskApp]) -> KioskApp:
    return make_kiosk()


@pytest.fixture
def resident(kiosk: KioskApp, qtbot) -> Resident:
    """A resident standing in front of the kiosk's welcome screen."""
    return Resident(kiosk)


@pytest.fixture
def queued(data_dir: Path) -> Callable[[], list[ItemInfo]]:
    """What the offline queue on disk holds, read with the key from the keyring."""

    def items() -> list[ItemInfo]:
        key = secrets.get_key(secrets.QUEUE_DATA_KEY)
        with QueueStore(data_dir / QUEUE_FILE, key) as store:
            return store.items()

    return items
