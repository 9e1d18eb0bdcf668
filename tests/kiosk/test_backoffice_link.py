"""Communes publish démarches to their terminals: the kiosk fetches the back office's
catalog, keeps the last good one when a new one is broken, and sends heartbeats."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.backoffice_link import BackofficeLink
from kiosk.catalog.store import CatalogStore, bundled_catalog_path
from kiosk.connectors.http_api import HttpApiConnector
from tests.receiver_process import running_receiver


def _catalog_with_title(path: Path, title: str) -> None:
    data = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    data["demarches"][0]["title"]["fr"] = title
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _link(receiver, store: CatalogStore) -> BackofficeLink:
    connector = HttpApiConnector(receiver.url, "test-terminal", receiver.secret, timeout=5)
    return BackofficeLink(connector, store, lambda: {"pending": 2}, poll_minutes=60)


def test_a_published_catalog_reaches_the_kiosk_then_a_broken_one_is_refused(
    tmp_path: Path, qtbot
):
    served = tmp_path / "published.json"
    _catalog_with_title(served, "Acte d'état civil (nouveau)")
    store = CatalogStore()
    store.load()
    with running_receiver(
        tmp_path / "rx", "--catalog", str(served), terminal_id="test-terminal"
    ) as receiver:
        link = _link(receiver, store)
        with qtbot.waitSignals([link.catalog_changed, link.round_finished], timeout=15_000):
            link.start()
        assert store.current.demarches[0].title.fr == "Acte d'état civil (nouveau)"

        served.write_text('{"schema_version": 1, "demarches": "nope"}', encoding="utf-8")
        with qtbot.waitSignal(link.round_finished, timeout=15_000):
            link.poll()
        qtbot.waitUntil(lambda: store.last_error is not None, timeout=5_000)
        assert "missing key 'commune'" in str(store.last_error)  # the problem is named
        # The broken catalog is named and refused; the last good one stays in use.
        assert store.current.demarches[0].title.fr == "Acte d'état civil (nouveau)"
        link.stop()
        with sqlite3.connect(receiver.db) as db:
            terminal, queue, beats = db.execute(
                "SELECT terminal_id, queue, beats FROM heartbeats"
            ).fetchone()
        assert (terminal, json.loads(queue)) == ("test-terminal", {"pending": 2})
        assert beats >= 2
