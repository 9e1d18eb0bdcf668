"""Communes publish démarches to their terminals: the kiosk fetches the back office's
catalog, keeps the last good one when a new one is broken, and sends heartbeats."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import NamedTuple

import pytest

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.catalog import store as store_module
from kiosk.catalog.store import CatalogStore, bundled_catalog_path
from kiosk.catalog.version import catalog_version
from kiosk.connectors.http_api import CatalogAnswer, HttpApiConnector
from kiosk.receiver.storage import ReceiverStore
from kiosk.statistics.store import STATISTICS_FILE, StatisticsStore
from offline_queue.connector import Misconfigured, Unauthorized
from offline_queue.store import QueueStatus, QueueStore, State
from tests.receiver_process import running_receiver
from wiring.backoffice_link import BackofficeLink


def _catalog_with_title(path: Path, title: str) -> None:
    data = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    data["demarches"][0]["title"]["fr"] = title
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _link(
    receiver,
    store: CatalogStore,
    connector: HttpApiConnector | None = None,
    journal: Journal | None = None,
) -> BackofficeLink:
    connector = connector or HttpApiConnector(
        receiver.url, receiver.terminal_id, receiver.secret, timeout=5
    )
    head = journal.head if journal is not None else (lambda: None)
    return BackofficeLink(connector, store, lambda: _queue(pending=2), poll_minutes=60,
                          journal_head=head)


def _queue(**counts: int) -> QueueStatus:
    """A queue that is not paused, holding ``counts`` items per state."""
    return QueueStatus({State(name): n for name, n in counts.items()}, None, None, None, None,
                       paused=False, paused_reason=None, expiring_soon=0, next_expiry_at=None)


def _one_round(qtbot, link: BackofficeLink) -> None:
    with qtbot.waitSignal(link.round_finished, timeout=15_000):
        link.poll()


class Check(NamedTuple):
    on_gui_thread: bool
    collecting_garbage: bool


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Check]:
    """Each catalog check of the store from now on: on which thread, with the collector on?"""
    seen: list[Check] = []
    real = store_module.load_catalog_bytes

    def checking(raw: bytes, **options):
        seen.append(Check(threading.current_thread() is threading.main_thread(), gc.isenabled()))
        return real(raw, **options)

    monkeypatch.setattr(store_module, "load_catalog_bytes", checking)
    return seen


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


def test_a_refused_catalog_is_neither_downloaded_nor_checked_again(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch, checks: list[Check]
):
    served = tmp_path / "published.json"
    served.write_text('{"schema_version": 1, "demarches": "nope"}', encoding="utf-8")
    store = CatalogStore()
    good = store.load()
    checks.clear()
    with running_receiver(tmp_path / "rx", "--catalog", str(served)) as receiver:
        connector = HttpApiConnector(receiver.url, receiver.terminal_id, receiver.secret, timeout=5)
        statuses: list[int] = []
        fetch = connector.fetch_catalog

        def counted_fetch(etag: str | None = None) -> CatalogAnswer:
            answer = fetch(etag)
            statuses.append(answer.status)
            return answer

        monkeypatch.setattr(connector, "fetch_catalog", counted_fetch)
        link = _link(receiver, store, connector)
        for _ in range(3):
            _one_round(qtbot, link)
        assert statuses == [200, 304, 304]  # If-None-Match: the refused ETag
        assert len(checks) == 1  # checked once
        assert "missing key 'commune'" in str(store.last_error)
        assert store.current is good

        _catalog_with_title(served, "Acte d'état civil (corrigé)")  # the commune fixes it
        with qtbot.waitSignal(link.catalog_changed, timeout=15_000):
            link.poll()
        assert statuses[-1] == 200
        assert store.current.demarches[0].title.fr == "Acte d'état civil (corrigé)"
        link.stop()


def test_a_back_office_ignoring_if_none_match_does_not_get_its_catalog_checked_again(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch, checks: list[Check]
):
    served = tmp_path / "published.json"
    served.write_text('{"schema_version": 1, "demarches": "nope"}', encoding="utf-8")
    store = CatalogStore()
    store.load()
    checks.clear()
    with running_receiver(tmp_path / "rx", "--catalog", str(served)) as receiver:
        connector = HttpApiConnector(receiver.url, receiver.terminal_id, receiver.secret, timeout=5)
        fetch = connector.fetch_catalog
        # Such a back office answers 200 with the whole catalog and the same ETag every time.
        monkeypatch.setattr(connector, "fetch_catalog", lambda etag=None: fetch(None))
        link = _link(receiver, store, connector)
        for _ in range(3):
            _one_round(qtbot, link)
        link.stop()
    assert len(checks) == 1


def test_a_downloaded_catalog_is_checked_off_the_gui_thread(
    tmp_path: Path, qtbot, checks: list[Check]
):
    served = tmp_path / "published.json"
    _catalog_with_title(served, "Acte d'état civil (vérifié ailleurs)")
    store = CatalogStore()
    store.load()
    checks.clear()
    with running_receiver(tmp_path / "rx", "--catalog", str(served)) as receiver:
        link = _link(receiver, store)
        with qtbot.waitSignal(link.catalog_changed, timeout=15_000):
            link.start()
        link.stop()
    # One check, on the poll thread, without the garbage collector's long GIL-holding walks.
    assert checks == [Check(on_gui_thread=False, collecting_garbage=False)]
    assert gc.isenabled()
    assert store.current.demarches[0].title.fr == "Acte d'état civil (vérifié ailleurs)"
def test_each_heartbeat_carries_the_journal_head_to_the_back_office(tmp_path: Path, qtbot):
    store = CatalogStore()
    store.load()
    with (
        Journal(tmp_path / AUDIT_FILE, hmac_key=b"k" * 32) as journal,
        running_receiver(tmp_path / "rx", "--no-catalog") as receiver,
    ):
        link = _link(receiver, store, journal=journal)
        with qtbot.waitSignal(link.round_finished, timeout=15_000):
            link.start()
        for _ in range(3):
            journal.append(EntryKind.QUEUE_SYNC_FORCED, SYSTEM)
        with qtbot.waitSignal(link.round_finished, timeout=15_000):
            link.poll()
        link.stop()
        kept = ReceiverStore(receiver.db)
        [seen] = kept.journal_heads()
        kept.close()
        assert (seen.terminal_id, seen.head) == (receiver.terminal_id, journal.head())
        assert seen.head.seq == 3


def test_statistics_go_with_the_heartbeat_and_stay_until_acknowledged(tmp_path: Path, qtbot):
    catalogs = CatalogStore()
    catalogs.load()
    day = dt.date(2026, 12, 1)
    with (
        StatisticsStore(tmp_path / STATISTICS_FILE, today=lambda: day) as statistics,
        running_receiver(tmp_path / "rx", "--no-catalog") as receiver,
    ):
        statistics.count(["visits", "audio"])
        day = dt.date(2026, 12, 2)
        statistics.count(["visits"])
        wrong_secret = HttpApiConnector(receiver.url, receiver.terminal_id, b"x" * 32, timeout=5)
        refused = BackofficeLink(wrong_secret, catalogs, _queue, poll_minutes=60,
                                 journal_head=lambda: None, statistics=statistics)
        _one_round(qtbot, refused)
        assert len(statistics.pending()) == 2  # not acknowledged: kept for the next heartbeat
        connector = HttpApiConnector(receiver.url, receiver.terminal_id, receiver.secret,
                                     timeout=5)
        link = BackofficeLink(connector, catalogs, _queue, poll_minutes=60,
                              journal_head=lambda: None, statistics=statistics)
        _one_round(qtbot, link)
        assert statistics.pending() == []
        statistics.count(["visits"])  # today again
        _one_round(qtbot, link)
        link.stop()
        kept = ReceiverStore(receiver.db)
        rows = {(r.day, r.key): r.count for r in kept.statistics_rows()}
        kept.close()
    assert rows == {("2026-12-01", "visits"): 1, ("2026-12-01", "audio"): 1,
                    ("2026-12-02", "visits"): 2}


def test_the_heartbeat_says_the_catalog_in_use_and_why_the_queue_is_paused(
    tmp_path: Path, qtbot
):
    """A terminal whose queue a refusal paused: the back office learns the catalog it runs
    (the version the receiver publishes it under, once downloaded), that it is paused and
    why, as a code; and that it is no longer paused once resumed."""
    served = tmp_path / "published.json"
    _catalog_with_title(served, "Acte d'état civil (publié)")
    catalogs = CatalogStore()
    catalogs.load()
    bundled = catalogs.version
    assert bundled == catalog_version(bundled_catalog_path().read_bytes())
    with (
        QueueStore(tmp_path / "queue.sqlite3", os.urandom(32)) as queue,
        running_receiver(tmp_path / "rx", "--catalog", str(served)) as receiver,
    ):
        for reference in ("ADM-7K3-Q9P", "ADM-4HD-2WX"):
            queue.enqueue(str(uuid.uuid4()), reference, "submission", b"{}")
        claimed = queue.claim_next()
        queue.record_outcome(claimed.item_id, Unauthorized("HTTP 401 unknown_terminal"))
        connector = HttpApiConnector(receiver.url, receiver.terminal_id, receiver.secret,
                                     timeout=5)
        link = BackofficeLink(connector, catalogs, queue.status, poll_minutes=60,
                              journal_head=lambda: None)
        with qtbot.waitSignals([link.catalog_changed, link.round_finished], timeout=15_000):
            link.start()
        first = _last_heartbeat(receiver)
        assert (first.catalog_version, first.paused, first.pause_cause) == (
            bundled, True, "credentials")  # the catalog in use when the round started
        assert first.queue["pending"] == 2

        queue.resume()
        claimed = queue.claim_next()
        queue.record_outcome(claimed.item_id, Misconfigured("the back-office URL answers 404"))
        _one_round(qtbot, link)
        second = _last_heartbeat(receiver)
        published = catalog_version(served.read_bytes())
        assert (second.catalog_version, second.paused, second.pause_cause) == (
            published, True, "configuration")
        assert catalogs.version == published
        assert requests_etag(receiver) == f'"{published}"'

        queue.resume()
        _one_round(qtbot, link)
        link.stop()
        third = _last_heartbeat(receiver)
        assert (third.catalog_version, third.paused, third.pause_cause) == (
            published, False, None)


def _last_heartbeat(receiver):
    [beat] = receiver.heartbeats()
    return beat


def requests_etag(receiver) -> str:
    """The ETag under which the receiver publishes its catalog."""
    connector = HttpApiConnector(receiver.url, receiver.terminal_id, receiver.secret, timeout=5)
    try:
        return connector.fetch_catalog().etag
    finally:
        connector.close()
