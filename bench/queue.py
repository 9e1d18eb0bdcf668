"""Offline queue benchmarks: each measurement prints the project's figure next to a floor
measured in the same run, and the ratio.

    .venv/bin/python bench/queue.py              # every measurement
    .venv/bin/python bench/queue.py --only enqueue --n 2000
    .venv/bin/python bench/queue.py --only drain-wcs --only drain-open311 --drain-n 5000

Measurements are functions ``bench_<name>(args) -> None`` listed in ``BENCHMARKS``; add
one there (e.g. the drain to the local receiver) and ``main()`` runs it.

enqueue: durable ``QueueStore.enqueue`` (AES-GCM seal + one INSERT in a BEGIN IMMEDIATE
transaction, WAL, synchronous=FULL) against the floor: plain sqlite3 ``INSERT`` +
``COMMIT`` of the same bytes with the same pragmas. The two are interleaved item by item
in files side by side, so that disk and CPU noise from a shared machine hits both alike.
Goal: p50 and p99 at most 1.5x the floor.

drain, drain-wcs, drain-open311: the sync worker delivering queued submissions to the local
receiver, the fake w.c.s. and the fake Open311 server (tests/fakes, subprocesses on
127.0.0.1), next to a raw request loop against the same server. Goal: at least 0.8x the
floor's throughput. The two back offices without idempotency get a fifth of --drain-n.
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder is sys.path[0], where this queue.py would shadow the standard
# library's queue (which urllib3 imports): take the folder out before any other import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project's packages

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from offline_queue.store import QueueStore

if TYPE_CHECKING:
    import requests

    from kiosk.connectors.configured import KioskConnector
    from offline_queue.connector import Connector


def realistic_payload(n: int) -> bytes:
    """A démarche submission of about 2 KB, as the kiosk queues it (JSON, UTF-8)."""
    data = {
        "data": {
            "civilite": "Madame",
            "nom": "Dupont-Évrard",
            "prenoms": "Jeanne Marie Louise",
            "date_naissance": "1941-03-17",
            "lieu_naissance": "Montpellier (Hérault)",
            "adresse": {"numero": "12", "voie": "rue des Lilas", "code_postal": "34000",
                        "commune": "Montpellier"},
            "telephone": "06 12 34 56 78",
            "courriel": "jeanne.dupont@example.org",
            "motif": "Demande d'acte de naissance (copie intégrale) pour un dossier de "
                     "retraite de réversion auprès de la caisse de retraite.",
            "nombre_exemplaires": 2,
            "mode_retrait": "envoi postal",
            "commentaire": "Je ne peux pas me déplacer facilement. " * 30,
            "consentement_rgpd": True,
        },
        "meta": {"backoffice-submission": True, "demarche": "acte-naissance",
                 "submission": n},
        "context": {"channel": "kiosk", "terminal": "admiville-demo-01",
                    "language": "fr", "assisted_by_mediator": False,
                    "accessibility": {"text_size": "xl", "speech": True, "contrast": "high"}},
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def percentile(samples: list[float], fraction: float) -> float:
    """The sample below which ``fraction`` of them fall (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _raw_floor(path: Path) -> Callable[[str, bytes], None]:
    """Plain sqlite3: same pragmas, one INSERT + COMMIT per row, nothing else."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE items (id TEXT PRIMARY KEY, payload BLOB) WITHOUT ROWID")

    def insert(item_id: str, payload: bytes) -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO items VALUES (?, ?)", (item_id, payload))
        conn.execute("COMMIT")

    return insert


def bench_enqueue(args: argparse.Namespace) -> None:
    """Durable enqueue latency, p50/p99, next to raw INSERT+COMMIT."""
    payloads = [realistic_payload(n) for n in range(args.n)]
    ids = [str(uuid.uuid4()) for _ in range(args.n)]
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        store = QueueStore(Path(folder) / "queue.sqlite3", os.urandom(32))
        raw = _raw_floor(Path(folder) / "raw.sqlite3")
        ours: list[float] = []
        floor: list[float] = []
        for item_id, payload in zip(ids, payloads, strict=True):
            start = time.perf_counter()
            raw(item_id, payload)
            middle = time.perf_counter()
            store.enqueue(item_id, "ADM-7K3-Q9P", "acte-naissance", payload)
            end = time.perf_counter()
            floor.append(middle - start)
            ours.append(end - middle)
        store.close()
    size = statistics.mean(len(p) for p in payloads)
    print(f"enqueue: {args.n} durable enqueues of {size:.0f}-byte JSON payloads "
          f"(WAL, synchronous=FULL) in {args.dir or tempfile.gettempdir()}")
    print(f"  {'':24} {'p50 ms':>8} {'p99 ms':>8}")
    for label, samples in (("QueueStore.enqueue", ours), ("raw INSERT+COMMIT", floor)):
        print(f"  {label:24} {percentile(samples, 0.5) * 1e3:8.3f} "
              f"{percentile(samples, 0.99) * 1e3:8.3f}")
    for name, fraction in (("p50", 0.5), ("p99", 0.99)):
        ratio = percentile(ours, fraction) / percentile(floor, fraction)
        verdict = "ok" if ratio <= 1.5 else "ABOVE GOAL"
        print(f"  ratio {name}: {ratio:.2f}x (goal <= 1.5x) {verdict}")


def _drain_floor(session: requests.Session, url: str, secret: bytes, terminal: str,
                 payloads: list[bytes]) -> float:
    """Seconds for a raw ``requests`` loop to POST every payload, signed, with a key."""
    from kiosk.connectors.signing import sign_request

    start = time.perf_counter()
    for payload in payloads:
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        headers.update(sign_request(secret, terminal, "POST", "/v1/submissions", payload))
        answer = session.post(url + "/v1/submissions", data=payload, headers=headers,
                              timeout=(5, 10))
        if answer.status_code != 201:
            raise SystemExit(f"drain: the receiver answered {answer.status_code}")
    return time.perf_counter() - start


class _Turns:
    """Stops the sync worker after each chunk of deliveries until the floor had its turn.

    ``on_event`` runs on the worker thread: blocking there holds the worker between two
    attempts (the item it claimed ahead waits, ``sending``), outside the timed spans.
    """

    def __init__(self, total: int, chunk: int) -> None:
        self.total, self.chunk, self.delivered = total, chunk, 0
        self.chunk_done = threading.Event()
        self.go_on = threading.Semaphore(0)

    def on_event(self, event: object) -> None:
        kind = getattr(event, "kind", "")
        if kind in ("retry", "dead", "paused", "error"):
            print(f"  unexpected event: {event}")
        if kind != "delivered":
            return
        self.delivered += 1
        if self.delivered % self.chunk == 0 or self.delivered == self.total:
            self.chunk_done.set()
            if self.delivered < self.total:
                self.go_on.acquire()

    def wait_chunk(self) -> None:
        if not self.chunk_done.wait(900):
            raise SystemExit(f"drain: only {self.delivered} of {self.total} delivered")
        self.chunk_done.clear()


Floor = Callable[[list[bytes]], float]  # seconds to send these payloads the raw way


def _drain_in_turns(connector: Connector, floor_loop: Floor, payloads: list[bytes],
                    folder: Path, *, turns: int) -> tuple[float, float]:
    """Seconds for the SyncWorker (through ``connector``) and for ``floor_loop`` to deliver
    every payload, taking ``turns`` turns each (worker, floor, worker, floor...), so that
    a neighbour's load or a server slowing down as its file grows weighs on both alike.
    The payloads are queued beforehand (not timed); the worker's start is timed."""
    from offline_queue.sync import BackoffPolicy, SyncWorker

    key, queue_path = os.urandom(32), folder / "queue.sqlite3"
    with QueueStore(queue_path, key) as store:
        for n, payload in enumerate(payloads):
            item_id = json.loads(payload).get("id") or str(uuid.uuid4())
            store.enqueue(item_id, f"ADM-{n:06d}", "acte-naissance", payload)
    chunk = -(-len(payloads) // turns)
    turn = _Turns(len(payloads), chunk)
    worker = SyncWorker(queue_path, key, connector, policy=BackoffPolicy(0.05, 1.0),
                        on_event=turn.on_event)
    ours = floor = 0.0
    try:
        start = time.perf_counter()
        worker.start()
        for first in range(0, len(payloads), chunk):
            turn.wait_chunk()
            ours += time.perf_counter() - start
            floor += floor_loop(payloads[first:first + chunk])
            start = time.perf_counter()
            turn.go_on.release()
    finally:
        for _ in range(turns):
            turn.go_on.release()  # never leave the worker blocked
        worker.stop()
    return ours, floor


def _report(what: str, ours_name: str, floor_name: str, count: int,
            seconds: tuple[float, float]) -> None:
    ours_rate, floor_rate = count / seconds[0], count / seconds[1]
    ratio = ours_rate / floor_rate
    print(what)
    print(f"  {ours_name:<32} {ours_rate:8.0f} /s  ({seconds[0]:.2f} s)")
    print(f"  {floor_name:<32} {floor_rate:8.0f} /s  ({seconds[1]:.2f} s)")
    verdict = "ok" if ratio >= 0.8 else "BELOW GOAL"
    print(f"  ratio: {ratio:.2f}x of the floor's throughput (goal >= 0.8x) {verdict}")


def bench_drain(args: argparse.Namespace) -> None:
    """Draining N submissions to the local receiver via SyncWorker, next to a raw
    ``requests`` POST loop to the same receiver (same payloads, same signature work).

    Both use one keep-alive ``requests.Session``; the floor signs each request with
    ``sign_request`` and POSTs it with its Idempotency-Key, nothing else. Ours is the whole
    engine: the connector's POST and its answer checks, then one BEGIN IMMEDIATE...COMMIT
    (fsynced) that records the outcome (tombstone) and claims (decrypts) the next item.
    The two take turns by chunks (``--drain-turns``). Goal: ours at least 0.8x the floor's
    throughput.
    """
    import requests

    from kiosk.connectors.http_api import HttpApiConnector
    from kiosk.receiver.launcher import start_receiver, stop_receiver

    count = args.drain_n
    payloads = [realistic_payload(n) for n in range(count)]
    secret, terminal = os.urandom(32), "bench-01"
    with tempfile.TemporaryDirectory(dir=args.dir) as folder, requests.Session() as session:
        process, url = start_receiver(Path(folder) / "received.sqlite3", {terminal: secret})
        connector = HttpApiConnector(url, terminal, secret, timeout=10.0)
        try:
            seconds = _drain_in_turns(
                connector, lambda chunk: _drain_floor(session, url, secret, terminal, chunk),
                payloads, Path(folder), turns=args.drain_turns,
            )
        finally:
            connector.close()
            stop_receiver(process)
    size = statistics.mean(len(p) for p in payloads)
    _report(f"drain: {count} submissions of {size:.0f} bytes to the local receiver "
            f"(uvicorn, one worker, SQLite WAL synchronous=FULL) at {url}, "
            f"{args.drain_turns} turns each",
            "SyncWorker + HttpApiConnector", "raw requests POST loop", count, seconds)


def _drain_and_close(args: argparse.Namespace, connector: KioskConnector, floor_loop: Floor,
                     payloads: list[bytes]) -> tuple[float, float]:
    """``_drain_in_turns`` in a folder of its own; the connector is closed after."""
    try:
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            return _drain_in_turns(connector, floor_loop, payloads, Path(folder),
                                   turns=args.drain_turns)
    finally:
        connector.close()


def bench_drain_wcs(args: argparse.Namespace) -> None:
    """Draining N street reports to the fake w.c.s. (tests/fakes, a subprocess written
    from w.c.s.'s behaviour: it checks every signature and nonce) via SyncWorker and
    WcsConnector, next to a raw loop of signed submits of the same bodies. Ours pays
    the mapping of each answer; a first attempt never looks up (only a re-send does)."""
    import requests

    from kiosk.connectors.wcs import WcsConnector, form_data
    from kiosk.connectors.wcs_signing import signed_query
    from tests.fakes.wcs_process import KEY, ORIG, running_wcs
    from tests.kiosk.connectors.wcs_support import DEMARCHE, FORM, SLUG, VARNAMES, submission

    count = args.drain_n // 5
    reports = [submission(n) for n in range(count)]
    bodies = {r.to_json(): json.dumps({"data": form_data(FORM, r), "context":
                                       {"channel": "counter"},
                                       "meta": {}}).encode()
              for r in reports}

    def floor_loop(chunk: list[bytes]) -> float:
        start = time.perf_counter()
        for payload in chunk:
            query = signed_query([], ORIG, KEY)
            answer = session.post(f"{url}/api/formdefs/{SLUG}/submit?{query}",
                                  data=bodies[payload], timeout=(5, 10),
                                  headers={"Content-Type": "application/json"})
            if answer.status_code != 200:
                raise SystemExit(f"drain-wcs: the fake answered {answer.status_code}")
        return time.perf_counter() - start

    with requests.Session() as session, running_wcs({SLUG: VARNAMES}) as wcs:
        url = wcs.url
        connector = WcsConnector(url, ORIG, KEY, {DEMARCHE: FORM}, deadline=10.0)
        seconds = _drain_and_close(args, connector, floor_loop, list(bodies))
    _report(f"drain-wcs: {count} street reports to the fake w.c.s. at {url}, "
            f"{args.drain_turns} turns each",
            "SyncWorker + WcsConnector", "raw signed submit loop", count, seconds)


def bench_drain_open311(args: argparse.Namespace) -> None:
    """Draining N street reports to the fake Open311 server (tests/fakes, GeoReport v2)
    via SyncWorker and Open311Connector, next to a raw loop of form-encoded POSTs of the
    same fields. A first attempt never searches (only a re-send does)."""
    import requests

    from kiosk.connectors.open311 import Open311Connector
    from kiosk.connectors.open311_mapping import request_fields
    from tests.fakes.open311_process import API_KEY, running_open311
    from tests.kiosk.connectors.open311_support import DEMARCHE, SERVICE, SERVICES, submission

    count = args.drain_n // 5
    reports = [submission(n) for n in range(count)]
    fields = {r.to_json(): [("api_key", API_KEY), *request_fields(SERVICE, r)]
              for r in reports}

    def floor_loop(chunk: list[bytes]) -> float:
        start = time.perf_counter()
        for payload in chunk:
            answer = session.post(f"{url}/requests.json", data=fields[payload],
                                  timeout=(5, 10))
            if answer.status_code not in (200, 201):
                raise SystemExit(f"drain-open311: the fake answered {answer.status_code}")
        return time.perf_counter() - start

    with requests.Session() as session, running_open311(SERVICES) as server:
        url = server.url
        connector = Open311Connector(url, API_KEY, {DEMARCHE: SERVICE}, deadline=10.0)
        seconds = _drain_and_close(args, connector, floor_loop, list(fields))
    _report(f"drain-open311: {count} street reports to the fake Open311 server at {url}, "
            f"{args.drain_turns} turns each",
            "SyncWorker + Open311Connector", "raw form POST loop", count, seconds)


BENCHMARKS: dict[str, Callable[[argparse.Namespace], None]] = {
    "enqueue": bench_enqueue,
    "drain": bench_drain,
    "drain-wcs": bench_drain_wcs,
    "drain-open311": bench_drain_open311,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append",
                        help="run only this measurement (repeatable)")
    parser.add_argument("--n", type=int, default=2000, help="items per measurement")
    parser.add_argument("--drain-n", type=int, default=5000,
                        help="submissions drained to the local receiver (drain)")
    parser.add_argument("--drain-turns", type=int, default=10,
                        help="turns the worker and the floor take in turn (drain)")
    parser.add_argument("--dir", default=None,
                        help="folder for the files (default: the temp dir; use a real disk)")
    args = parser.parse_args(argv)
    for name in args.only or BENCHMARKS:
        BENCHMARKS[name](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
